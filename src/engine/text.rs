//! Text preparation: whitespace normalisation, sentence splitting and fitting long
//! sentences under a model's token limit.

/// Characters that end a sentence when followed by whitespace or the end of the text.
const SENTENCE_END: &[char] = &['.', '!', '?', '…', '。', '।'];
/// Clause punctuation where an over-long sentence may be cut.
const CLAUSE_END: &[char] = &[',', ';', ':', '—', '–'];
/// Words whose trailing period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "prof", "sr", "jr", "vs", "etc", "e.g", "i.e", "mme", "mlle",
    "sra", "dott",
];
/// Abbreviations only before a number ("No. 5", "nos. 3 and 4"): elsewhere "no." is the word.
const NUMBER_ABBREVIATIONS: &[&str] = &["no", "nos"];

/// Collapses runs of whitespace (newlines included) into single spaces and trims the ends.
pub fn normalise_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits normalised text into sentences, keeping each sentence's closing punctuation.
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
    sentences
}

/// Cuts `sentence` into pieces whose token count (as measured by `count`) is at most
/// `limit`: greedily at clause punctuation first, then at word boundaries. A single word
/// longer than the limit is returned as it is; the model call will report it.
pub fn fit_to_limit<E>(
    sentence: &str,
    limit: usize,
    count: &mut impl FnMut(&str) -> Result<usize, E>,
) -> Result<Vec<String>, E> {
    if count(sentence)? <= limit {
        return Ok(vec![sentence.to_string()]);
    }
    let clauses = split_keeping(sentence, |c| CLAUSE_END.contains(&c));
    if clauses.len() > 1 {
        return pack_greedily(&clauses, limit, count);
    }
    let words: Vec<String> = sentence.split(' ').map(str::to_string).collect();
    if words.len() > 1 {
        return pack_greedily(&words, limit, count);
    }
    Ok(vec![sentence.to_string()])
}

/// Joins consecutive parts while the joined piece fits; a part that alone is too long is
/// split further with `fit_to_limit`.
fn pack_greedily<E>(
    parts: &[String],
    limit: usize,
    count: &mut impl FnMut(&str) -> Result<usize, E>,
) -> Result<Vec<String>, E> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for part in parts {
        let candidate = if current.is_empty() {
            part.clone()
        } else {
            format!("{current} {part}")
        };
        if count(&candidate)? <= limit {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            pieces.push(std::mem::take(&mut current));
        }
        if count(part)? <= limit {
            current = part.clone();
        } else {
            pieces.extend(fit_to_limit(part, limit, count)?);
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    Ok(pieces)
}

/// Splits after each character matching `is_cut`, trimming the pieces.
fn split_keeping(text: &str, is_cut: impl Fn(char) -> bool) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        current.push(c);
        if is_cut(c) {
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
}
