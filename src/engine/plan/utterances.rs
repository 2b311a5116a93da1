//! A language's text as utterances a model can take: cleaned, split into sentences,
//! fitted under the model's token limit, phonemised and tokenised, with the warnings about
//! what the text lost on the way.

use std::convert::Infallible;

use super::super::{phonemize, text};
use super::Utterance;

/// A text's utterances, and what it lost on the way to them.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub utterances: Vec<Utterance>,
    /// Characters removed from the text, phonemes the model has no id for.
    pub warnings: Vec<String>,
}

/// The most token ids one utterance may have, and whose limit it is.
pub(super) struct Limit {
    pub(super) model: String,
    pub(super) tokens: usize,
}

/// The text cleaned for language `code` (see `text::clean`), split into sentences, each
/// fitted under the limit (clauses, words, then runs of characters, measured with `count`
/// on its phonemes), phonemised and tokenised. A piece that still does not fit (a single
/// character espeak reads at length) has its phonemes cut instead, so no utterance ever
/// exceeds the model's limit. Fails when the text yields nothing the model can say.
pub(super) fn utterances(
    code: &str,
    text_in: &str,
    limit: Limit,
    g2p: impl Fn(&str) -> Result<String, phonemize::G2pError>,
    count: impl Fn(&str) -> usize,
    tokenize: impl Fn(&str) -> (Vec<i64>, Vec<char>),
) -> Result<Prepared, String> {
    let cleaned = text::clean(code, text_in);
    let mut out = Vec::new();
    for sentence in text::split_sentences(&cleaned.text) {
        let mut measure = |t: &str| g2p(t).map(|p| count(&p));
        let pieces =
            text::fit_to_limit(&sentence, limit.tokens, &mut measure).map_err(|e| e.to_string())?;
        for piece in pieces {
            let phonemes = g2p(&piece).map_err(|e| e.to_string())?;
            out.extend(spoken(&piece, phonemes, &limit, &count, &tokenize)?);
        }
    }
    finish(code, text_in, cleaned.warnings, out, &limit.model)
}

/// The utterances that speak `phonemes`, the phonemes of `piece`: one, or, when they are
/// over the limit, the pieces they are cut into (clauses, words, runs of characters), each
/// tokenised. Pieces without a letter are not spoken. Fails when a single phoneme character
/// is over the limit.
pub(super) fn spoken(
    piece: &str,
    phonemes: String,
    limit: &Limit,
    count: &impl Fn(&str) -> usize,
    tokenize: &impl Fn(&str) -> (Vec<i64>, Vec<char>),
) -> Result<Vec<Utterance>, String> {
    let chunks = if count(&phonemes) <= limit.tokens {
        vec![phonemes]
    } else {
        let mut measure = |p: &str| Ok::<_, Infallible>(count(p));
        match text::fit_to_limit(&phonemes, limit.tokens, &mut measure) {
            Ok(chunks) => chunks,
            Err(never) => match never {},
        }
    };
    let mut out = Vec::new();
    for phonemes in chunks {
        let (token_ids, skipped) = tokenize(&phonemes);
        if token_ids.len() > limit.tokens {
            return Err(format!(
                "the text {piece:?} gives {} phoneme ids, more than the {} {} takes at once, and cannot be cut further; shorten or rephrase it",
                token_ids.len(),
                limit.tokens,
                limit.model
            ));
        }
        if phonemes.chars().any(char::is_alphabetic) {
            out.push(Utterance {
                text: piece.to_string(),
                phonemes,
                token_ids,
                skipped,
            });
        }
    }
    Ok(out)
}

/// The utterances of `text_in` for language `code` and what was lost on the way to them:
/// `removed` (characters cleaned out of the text) and the phonemes `model` has no id for.
/// Fails when no utterance is left.
pub(super) fn finish(
    code: &str,
    text_in: &str,
    removed: Vec<String>,
    utterances: Vec<Utterance>,
    model: &str,
) -> Result<Prepared, String> {
    if utterances.is_empty() {
        if removed.is_empty() {
            return Err(format!(
                "nothing to say: the text {:?} has no words espeak-ng can pronounce; give it words in the language",
                text_in
            ));
        }
        return Err(format!(
            "nothing to say: the `{code}` text has nothing in the {} script ({}); give it words in the language",
            text::script(code).name(),
            removed.join("; ")
        ));
    }
    let mut warnings = removed;
    let skipped = utterances.iter().flat_map(|u| u.skipped.iter().copied());
    if let Some((n, list)) = text::tally_chars(skipped) {
        warnings.push(format!(
            "{model} has no id for {n} character{} in the phonemes espeak-ng gave; dropped, not spoken: {list}",
            if n == 1 { "" } else { "s" }
        ));
    }
    Ok(Prepared {
        utterances,
        warnings,
    })
}

/// Consecutive utterances gathered into one while their phonemes, joined by a space, stay
/// within `budget` (as `count` measures them): the model then carries prosody across
/// sentences, as Kokoro's own pipeline does up to its 510-token limit, instead of starting
/// afresh at every sentence. `budget` 0 leaves every sentence alone.
pub(super) fn gather(
    utterances: Vec<Utterance>,
    budget: usize,
    count: impl Fn(&str) -> usize,
    tokenize: impl Fn(&str) -> (Vec<i64>, Vec<char>),
) -> Vec<Utterance> {
    if budget == 0 {
        return utterances;
    }
    let mut out: Vec<Utterance> = Vec::with_capacity(utterances.len());
    for next in utterances {
        if let Some(last) = out.last_mut() {
            let phonemes = format!("{} {}", last.phonemes, next.phonemes);
            if count(&phonemes) <= budget {
                let (token_ids, skipped) = tokenize(&phonemes);
                *last = Utterance {
                    text: format!("{} {}", last.text, next.text),
                    phonemes,
                    token_ids,
                    skipped,
                };
                continue;
            }
        }
        out.push(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_gathered_up_to_the_budget_and_never_past_it() {
        let u = |t: &str| Utterance {
            text: t.to_string(),
            phonemes: t.to_lowercase(),
            token_ids: t.chars().map(|c| c as i64).collect(),
            skipped: vec![],
        };
        let all = vec![u("Aaaa."), u("Bb."), u("Cccccc."), u("D.")];
        let count = |p: &str| p.chars().count();
        let gathered = gather(all.clone(), 10, count, fake_tokens);
        let texts: Vec<&str> = gathered.iter().map(|g| g.text.as_str()).collect();
        // "aaaa. bb." is 9; adding " cccccc." would be 17; "cccccc. d." is 10.
        assert_eq!(texts, ["Aaaa. Bb.", "Cccccc. D."]);
        assert_eq!(gathered[0].phonemes, "aaaa. bb.");
        assert_eq!(gathered[0].token_ids, fake_tokens("aaaa. bb.").0);
        assert!(gathered.iter().all(|g| count(&g.phonemes) <= 10));
        assert_eq!(gather(all.clone(), 0, count, fake_tokens), all);
        assert_eq!(
            gather(all.clone(), 3, count, fake_tokens),
            all,
            "none fits two"
        );
    }

    /// G2P that spells the text out, except that `X` reads as 600 phonemes and `?` as a
    /// phoneme the model lacks.
    fn fake_g2p(text: &str) -> Result<String, phonemize::G2pError> {
        Ok(text
            .chars()
            .map(|c| match c {
                'X' => "x".repeat(600),
                '?' => "ʔ".to_string(),
                c => c.to_string(),
            })
            .collect())
    }

    fn fake_tokens(phonemes: &str) -> (Vec<i64>, Vec<char>) {
        let (known, unknown): (Vec<char>, Vec<char>) = phonemes.chars().partition(|&c| c != 'ʔ');
        (known.iter().map(|&c| c as i64).collect(), unknown)
    }

    fn prepare(code: &str, text: &str) -> Result<Prepared, String> {
        let limit = Limit {
            model: "the test model".into(),
            tokens: 510,
        };
        utterances(
            code,
            text,
            limit,
            fake_g2p,
            |p| p.chars().count(),
            fake_tokens,
        )
    }

    #[test]
    fn every_utterance_fits_even_when_one_character_reads_long() {
        let word = "b".repeat(5000);
        for text in [word.as_str(), "aX bX", "XXXX", "a, b, c; d — e f g h"] {
            let prepared = prepare("en-us", text).unwrap();
            for u in &prepared.utterances {
                assert!(u.token_ids.len() <= 510, "{text:?}: {}", u.token_ids.len());
            }
            let spoken: usize = prepared.utterances.iter().map(|u| u.token_ids.len()).sum();
            let expected = fake_g2p(&text.replace(' ', "")).unwrap().chars().count();
            let spoken_no_space: usize = prepared
                .utterances
                .iter()
                .map(|u| u.phonemes.chars().filter(|&c| c != ' ').count())
                .sum();
            assert_eq!(spoken_no_space, expected, "{text:?}: nothing lost");
            assert!(spoken >= expected);
        }
        // Each X is cut on its own, in two.
        assert_eq!(prepare("en-us", "XXXX").unwrap().utterances.len(), 8);
    }

    #[test]
    fn removals_and_skipped_phonemes_are_warned_about() {
        let prepared = prepare("fr", "Bonjour 我们 le \u{1b}[31mmonde? Oui?").unwrap();
        assert_eq!(prepared.utterances[0].text, "Bonjour le monde?");
        let warnings = prepared.warnings.join("\n");
        assert!(
            warnings.contains("2 characters outside the Latin script"),
            "{warnings}"
        );
        assert!(warnings.contains("ESC[31m"), "{warnings}");
        assert!(
            warnings.contains("the test model has no id for 2 characters")
                && warnings.contains("ʔ ×2"),
            "{warnings}"
        );
        assert!(prepare("en-us", "Plain text.").unwrap().warnings.is_empty());
    }

    #[test]
    fn a_text_with_nothing_in_the_script_says_so() {
        let error = prepare("fr", "我们今天去公园").unwrap_err();
        assert!(
            error.contains("nothing in the Latin script") && error.contains("我"),
            "{error}"
        );
        let error = prepare("hi", "hello").unwrap_err();
        assert!(
            error.contains("nothing in the Devanagari script"),
            "{error}"
        );
        let error = prepare("fr", "...").unwrap_err();
        assert!(
            error.contains("no words espeak-ng can pronounce"),
            "{error}"
        );
    }
}
