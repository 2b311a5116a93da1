//! Text preparation: clean-up (characters outside the language's script, control
//! characters, terminal escape sequences), whitespace normalisation, sentence splitting and
//! fitting long sentences under a model's token limit.

use std::convert::Infallible;

mod clean;
mod escape;
mod fit;
pub use clean::{allowed, clean, script, tally_chars, Cleaned, Script};
pub use fit::fit_to_limit;

/// Characters that end a sentence when followed by whitespace or the end of the text.
const SENTENCE_END: &[char] = &['.', '!', '?', '…', '。', '।'];
/// Clause punctuation where an over-long sentence may be cut, when whitespace follows.
const CLAUSE_END: &[char] = &[',', ';', ':', '，', '；', '：', '、'];
/// Dashes: an over-long sentence may be cut after them wherever they stand.
const DASHES: &[char] = &['—', '–', '―'];
/// Words whose trailing period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "prof", "sr", "jr", "vs", "etc", "e.g", "i.e", "mme", "mlle",
    "sra", "dott",
];
/// Abbreviations only before a number ("No. 5", "nos. 3 and 4"): elsewhere "no." is the word.
const NUMBER_ABBREVIATIONS: &[&str] = &["no", "nos"];
/// The longest sentence, in characters, that `split_sentences` hands on: longer ones are
/// cut (clauses, then words, then characters) so that G2P never sees a runaway input. The
/// model's own limit is applied afterwards, on phonemes, by `fit_to_limit`.
pub const MAX_SENTENCE_CHARS: usize = 1000;
/// Collapses runs of whitespace (newlines included) into single spaces and trims the ends.
pub fn normalise_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits normalised text into sentences, keeping each sentence's closing punctuation.
/// No sentence is longer than `MAX_SENTENCE_CHARS` characters; together they hold every
/// non-whitespace character of `text`, in order.
pub fn split_sentences(text: &str) -> Vec<String> {
    let text = normalise_whitespace(text);
    let chars: Vec<char> = text.chars().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        if SENTENCE_END.contains(&chars[i]) {
            // Swallow runs like "?!" or "..." and closing quotes/brackets.
            let mut end = i + 1;
            while end < chars.len() && (SENTENCE_END.contains(&chars[end]) || is_closer(chars[end]))
            {
                end += 1;
            }
            // French sets its closing guillemet off with a space ("fermée. »", "viens ? »"):
            // it still closes this sentence. Left to start the next one, a lone "»" is a
            // sentence with no letter, which is not spoken, so the ” that misaki's EspeakG2P
            // keeps (Kokoro reads the text whole) went missing (issue 19).
            while let Some(after) = detached_closer_end(&chars, end) {
                end = after;
            }
            let at_break = end == chars.len() || chars[end] == ' ';
            if at_break && !ends_with_abbreviation(&chars[start..i], chars[i], &chars[end..]) {
                push_trimmed(&mut sentences, &chars[start..end]);
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    push_trimmed(&mut sentences, &chars[start..]);
    sentences.into_iter().flat_map(within_char_limit).collect()
}

/// A sentence cut to at most `MAX_SENTENCE_CHARS` characters a piece.
fn within_char_limit(sentence: String) -> Vec<String> {
    if sentence.chars().count() <= MAX_SENTENCE_CHARS {
        return vec![sentence];
    }
    let mut chars = |s: &str| Ok::<_, Infallible>(s.chars().count());
    match fit_to_limit(&sentence, MAX_SENTENCE_CHARS, &mut chars) {
        Ok(pieces) => pieces,
        Err(never) => match never {},
    }
}

/// Splits after each clause mark followed by whitespace (or the end), so "1,000" stays
/// whole, and after each dash, trimming the pieces.
fn split_at_clauses(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        let next_is_break = chars.peek().is_none_or(|n| n.is_whitespace());
        if DASHES.contains(&c) || (CLAUSE_END.contains(&c) && next_is_break) {
            let piece = current.trim().to_string();
            if !piece.is_empty() {
                parts.push(piece);
            }
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_string());
    }
    parts
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '»' | '”' | '’')
}

/// Where a closing mark set off by one space after `at` ends, when there is one: `chars[at]`
/// is a space, then comes a word of closers (sentence marks may follow them), then a space
/// or the end. The word must start with a closer that never opens a quote: not a straight
/// quote, which opens the next sentence as often ("Il partit. " Reviens ! "").
fn detached_closer_end(chars: &[char], at: usize) -> Option<usize> {
    if chars.get(at) != Some(&' ') {
        return None;
    }
    let first = *chars.get(at + 1)?;
    if !is_closer(first) || matches!(first, '"' | '\'') {
        return None;
    }
    let mut end = at + 2;
    while end < chars.len() && (is_closer(chars[end]) || SENTENCE_END.contains(&chars[end])) {
        end += 1;
    }
    (end == chars.len() || chars[end] == ' ').then_some(end)
}

/// Whether the `mark` after `before` closes an abbreviation rather than the sentence; `after`
/// is the text that follows the mark.
fn ends_with_abbreviation(before: &[char], mark: char, after: &[char]) -> bool {
    if mark != '.' {
        return false;
    }
    let word: String = before
        .iter()
        .rev()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let word: String = word.chars().rev().collect::<String>().to_lowercase();
    let bare = word.trim_start_matches(['(', '"', '«', '“']);
    let single_letter = bare.chars().count() == 1 && bare.chars().all(char::is_alphabetic);
    let number_follows = || {
        after
            .iter()
            .find(|c| !c.is_whitespace())
            .is_some_and(char::is_ascii_digit)
    };
    single_letter
        || ABBREVIATIONS.contains(&bare)
        || (NUMBER_ABBREVIATIONS.contains(&bare) && number_follows())
}

fn push_trimmed(out: &mut Vec<String>, chars: &[char]) {
    let s: String = chars.iter().collect();
    let s = s.trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::clean::is_attached;
    use super::*;

    #[test]
    fn splits_at_sentence_ends_only() {
        let s = split_sentences("Hello  world. Dr. Smith paid 3.5 euros!  Really?! Yes…\nEnd");
        assert_eq!(
            s,
            vec![
                "Hello world.",
                "Dr. Smith paid 3.5 euros!",
                "Really?!",
                "Yes…",
                "End"
            ]
        );
    }

    #[test]
    fn no_ends_a_sentence_unless_a_number_follows() {
        assert_eq!(
            split_sentences("The answer is no. We left."),
            vec!["The answer is no.", "We left."]
        );
        assert_eq!(
            split_sentences("No. We left. NO. Never."),
            vec!["No.", "We left.", "NO.", "Never."]
        );
        assert_eq!(
            split_sentences("Room No. 5 is free. See nos. 3 and 4."),
            vec!["Room No. 5 is free.", "See nos. 3 and 4."]
        );
    }

    #[test]
    fn keeps_closing_quotes_with_the_sentence() {
        let s = split_sentences("He said \"stop.\" Then he left.");
        assert_eq!(s, vec!["He said \"stop.\"", "Then he left."]);
    }

    #[test]
    fn keeps_a_spaced_closing_guillemet_with_the_sentence() {
        // Issue 19: the "»" after ". " or " ? " was a sentence of its own, and not spoken.
        assert_eq!(
            split_sentences("Il a dit : « La porte est fermée. »"),
            vec!["Il a dit : « La porte est fermée. »"]
        );
        assert_eq!(
            split_sentences("« Tu viens ? » « Oui, j'arrive. »"),
            vec!["« Tu viens ? »", "« Oui, j'arrive. »"]
        );
        assert_eq!(
            split_sentences("« Au secours ! » cria-t-il. Il répondit « Je sais. » et sortit."),
            vec![
                "« Au secours ! »",
                "cria-t-il.",
                "Il répondit « Je sais. »",
                "et sortit."
            ]
        );
        // Only a closer standing alone: a guillemet or straight quote that opens the next
        // sentence stays with it.
        assert_eq!(
            split_sentences("Er ging. »Komm her!« Il partit. \" Reviens \" cria-t-elle."),
            vec![
                "Er ging.",
                "»Komm her!« Il partit.",
                "\" Reviens \" cria-t-elle."
            ]
        );
    }

    #[test]
    fn fits_long_sentence_at_clauses_then_words() {
        let mut by_chars = |s: &str| Ok::<_, ()>(s.chars().count());
        let pieces = fit_to_limit("aaaa bbbb, cccc dddd, eeee", 12, &mut by_chars).unwrap();
        assert_eq!(pieces, vec!["aaaa bbbb,", "cccc dddd,", "eeee"]);
        let pieces = fit_to_limit("aaaa bbbb cccc dddd", 10, &mut by_chars).unwrap();
        assert_eq!(pieces, vec!["aaaa bbbb", "cccc dddd"]);
        assert_eq!(
            fit_to_limit("short", 10, &mut by_chars).unwrap(),
            vec!["short"]
        );
    }

    #[test]
    fn a_long_word_is_cut_into_runs_that_fit() {
        let mut by_chars = |s: &str| Ok::<_, ()>(s.chars().count());
        let word = "a".repeat(25);
        let pieces = fit_to_limit(&word, 10, &mut by_chars).unwrap();
        assert_eq!(pieces, vec!["a".repeat(9), "a".repeat(9), "a".repeat(7)]);
        // A measure that is not proportional still ends under the limit.
        let mut squared = |s: &str| Ok::<_, ()>(s.chars().count().pow(2));
        let pieces = fit_to_limit("abcdefghij klm", 10, &mut squared).unwrap();
        assert!(
            pieces.iter().all(|p| p.chars().count().pow(2) <= 10),
            "{pieces:?}"
        );
        assert_eq!(pieces.concat().replace(' ', ""), "abcdefghijklm");
    }

    #[test]
    fn clauses_are_cut_at_marks_before_spaces_and_at_dashes() {
        let mut by_chars = |s: &str| Ok::<_, ()>(s.chars().count());
        let pieces = fit_to_limit("it cost 1,000,000 euros, they said", 24, &mut by_chars).unwrap();
        assert_eq!(pieces, vec!["it cost 1,000,000 euros,", "they said"]);
        let pieces = fit_to_limit("first part—second part", 12, &mut by_chars).unwrap();
        assert_eq!(pieces, vec!["first part—", "second part"]);
    }

    #[test]
    fn long_sentences_are_cut_to_the_character_limit() {
        let word = "a".repeat(5000);
        let sentences = split_sentences(&format!("Short one. {word}"));
        assert_eq!(sentences[0], "Short one.");
        assert_eq!(sentences.len(), 6);
        assert!(sentences
            .iter()
            .all(|s| s.chars().count() <= MAX_SENTENCE_CHARS));
        let words = "word ".repeat(1000);
        let sentences = split_sentences(&words);
        assert!(sentences.len() >= 5);
        assert!(sentences
            .iter()
            .all(|s| s.chars().count() <= MAX_SENTENCE_CHARS));
    }

    use proptest::prelude::*;

    /// Text with the structure the splitter cares about: letters, spaces, sentence and
    /// clause marks, escapes, other scripts, and any character at all.
    fn text_strategy() -> impl Strategy<Value = String> {
        let marks = vec![
            ".", "!", "?", "…", "。", "।", ",", ";", "—", "\"", ")", "Dr.", "No. 5", "\n",
        ];
        let odd = vec![
            "\u{1b}[31m",
            "\u{1b}]",
            "\u{7}",
            "我",
            "ش",
            "क",
            "\u{301}",
            "\u{200d}",
            "😀",
        ];
        let piece = prop_oneof![
            4 => proptest::char::range('a', 'z').prop_map(String::from),
            2 => Just(" ".to_string()),
            1 => proptest::sample::select(marks).prop_map(str::to_string),
            1 => proptest::sample::select(odd).prop_map(str::to_string),
            2 => any::<char>().prop_map(String::from),
            1 => (1usize..1200).prop_map(|n| "x".repeat(n)),
        ];
        proptest::collection::vec(piece, 0..400).prop_map(|p| p.concat())
    }

    fn non_space(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// What shows on a page: no whitespace, no joiners or marks.
    fn visible(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && !is_attached(*c))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn sentences_are_bounded_and_lose_nothing(text in text_strategy()) {
            let sentences = split_sentences(&text);
            let chars = text.chars().count();
            prop_assert!(sentences.len() <= chars);
            for s in &sentences {
                let n = s.chars().count();
                prop_assert!(n > 0 && n <= MAX_SENTENCE_CHARS, "{} chars", n);
                prop_assert_eq!(s.trim(), s.as_str());
            }
            prop_assert_eq!(non_space(&sentences.concat()), non_space(&text));
        }

        #[test]
        fn cleaned_text_is_speakable_and_stable(text in text_strategy(), hindi in any::<bool>()) {
            let code = if hindi { "hi" } else { "fr" };
            let cleaned = clean(code, &text);
            prop_assert!(cleaned.text.chars().all(|c| allowed(code, c)));
            prop_assert!(!cleaned.text.contains('\u{1b}'), "escape kept");
            prop_assert_eq!(normalise_whitespace(&cleaned.text), cleaned.text.clone());
            prop_assert!(cleaned.warnings.len() <= 2);
            // Nothing visible goes without a warning, and nothing is warned about in vain.
            if cleaned.warnings.is_empty() {
                prop_assert_eq!(visible(&cleaned.text), visible(&text));
            }
            if non_space(&cleaned.text) == non_space(&text) {
                prop_assert!(cleaned.warnings.is_empty(), "{:?}", cleaned.warnings);
            }
            let again = clean(code, &cleaned.text);
            prop_assert_eq!(&again.text, &cleaned.text);
            prop_assert!(again.warnings.is_empty(), "{:?}", again.warnings);
            for s in split_sentences(&cleaned.text) {
                prop_assert!(s.chars().count() <= MAX_SENTENCE_CHARS);
            }
        }

        #[test]
        fn fitting_ends_under_the_limit(text in text_strategy(), limit in 1usize..200) {
            // A measure that grows faster than the text, as phonemes can.
            let mut measure =
                |s: &str| Ok::<_, ()>(s.chars().map(|c| if c.is_ascii() { 1 } else { 3 }).sum());
            let text = normalise_whitespace(&text);
            let pieces = fit_to_limit(&text, limit, &mut measure).unwrap();
            for p in &pieces {
                let n = measure(p).unwrap();
                prop_assert!(n <= limit || p.chars().count() == 1, "{:?}: {}", p, n);
            }
            prop_assert_eq!(non_space(&pieces.concat()), non_space(&text));
        }
    }
}
