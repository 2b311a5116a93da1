//! A language's text as utterances for a Piper voice: one per sentence, where piper-tts
//! has them (`phonemize::for_piper`), with piper's phoneme ids.
//!
//! piper-tts never cuts a sentence; voxdeck must keep each utterance under the voice's
//! limit, so a sentence over it is cut between espeak's clauses, and a clause over it
//! between words or characters of its phonemes. Sentences under the limit, nearly all,
//! are exactly piper's.

use super::super::piper::{self, PiperVoice};
use super::super::{phonemize, text};
use super::utterances::{finish, spoken, Limit, Prepared};
use super::Utterance;

/// The text cleaned for language `code` (see `text::clean`), phonemised whole as piper
/// does and cut where espeak ends sentences, tokenised with `voice`'s id map.
pub(super) fn piper_utterances(
    code: &str,
    text_in: &str,
    voice: &PiperVoice,
) -> Result<Prepared, String> {
    let cleaned = text::clean(code, text_in);
    let text = cleaned.text.as_str();
    let sentences =
        phonemize::for_piper(&voice.config.espeak.voice, text).map_err(|e| e.to_string())?;
    let limit = Limit {
        model: format!("the Piper voice {}", voice.name),
        tokens: piper::MAX_IDS,
    };
    let tokenize = |p: &str| voice.phoneme_ids(p);
    let count = |p: &str| voice.phoneme_ids(p).0.len();
    let mut out: Vec<Utterance> = Vec::new();
    for sentence in &sentences {
        for clauses in within_limit(&sentence.clauses, limit.tokens, &count) {
            let span = clauses[0].text.start..clauses[clauses.len() - 1].text.end;
            let phonemes: String = clauses.iter().map(|c| c.phonemes.as_str()).collect();
            out.extend(spoken(&text[span], phonemes, &limit, &count, &tokenize)?);
        }
    }
    finish(code, text_in, cleaned.warnings, out, &limit.model)
}

/// A sentence's clauses in runs whose phonemes stay within `limit` ids, greedily; a
/// clause over the limit alone is a run of its own (`spoken` cuts it further).
fn within_limit<'a>(
    clauses: &'a [phonemize::PiperClause],
    limit: usize,
    count: &impl Fn(&str) -> usize,
) -> Vec<&'a [phonemize::PiperClause]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for end in 1..=clauses.len() {
        let joined: String = clauses[start..end]
            .iter()
            .map(|c| c.phonemes.as_str())
            .collect();
        if end - start > 1 && count(&joined) > limit {
            runs.push(&clauses[start..end - 1]);
            start = end - 1;
        }
    }
    if start < clauses.len() {
        runs.push(&clauses[start..]);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(phonemes: &str) -> phonemize::PiperClause {
        phonemize::PiperClause {
            text: 0..0,
            phonemes: phonemes.to_string(),
        }
    }

    #[test]
    fn clauses_are_packed_under_the_limit() {
        let clauses: Vec<_> = ["aaa, ", "bb, ", "cccccc, ", "d."]
            .into_iter()
            .map(clause)
            .collect();
        let count = |p: &str| p.chars().count();
        let runs: Vec<Vec<&str>> = within_limit(&clauses, 9, &count)
            .iter()
            .map(|run| run.iter().map(|c| c.phonemes.as_str()).collect())
            .collect();
        assert_eq!(runs, [vec!["aaa, ", "bb, "], vec!["cccccc, "], vec!["d."]]);
        assert_eq!(within_limit(&clauses, 100, &count).len(), 1);
        assert_eq!(within_limit(&clauses[..1], 1, &count).len(), 1);
    }
}
