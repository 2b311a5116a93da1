//! Piper's phonemes, as piper-tts 1.8.0 makes them (`EspeakPhonemizer.phonemize`): the
//! whole text goes to espeak-ng, clause after clause; each clause's phonemes (language
//! switch flags such as "(fr)" removed) get the clause's punctuation back, and a space after
//! a comma, colon or semicolon; a new sentence starts wherever espeak says a clause ends
//! one; the phonemes are NFD code points. tests/fixtures/piper holds piper-tts's own output
//! to compare against.
//!
//! Two things piper takes from its own espeak-ng build are rebuilt on 1.52: each clause's
//! punctuation and sentence end (`espeak::clause`) and the linking [j] (`linking`).

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use super::linking::{with_linking_j, SEPARATOR};
use super::G2pError;
use crate::engine::espeak::clause::{ClauseEnd, ClauseReader, ReadClause};
use crate::engine::espeak::{ClauseOutput, Espeak, PhonemeNames, Ucd};

/// One espeak clause: the bytes of the text it was read from (trimmed) and its phonemes,
/// piper's punctuation included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiperClause {
    pub text: Range<usize>,
    pub phonemes: String,
}

/// The clauses up to and including one that ends a sentence (or the end of the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiperSentence {
    pub clauses: Vec<PiperClause>,
}

/// `text`'s sentences, for the espeak voice `voice` (a Piper config's `espeak.voice`, set
/// by name as piper does). Sentences without phonemes are left out, as piper's synthesis
/// skips them.
pub fn for_piper(voice: &str, text: &str) -> Result<Vec<PiperSentence>, G2pError> {
    let (ipa, mnemonics, ucd) = {
        let mut espeak = Espeak::lock()?;
        espeak.set_voice(voice)?;
        let ipa = espeak.clauses(text, PhonemeNames::IpaSeparated(SEPARATOR))?;
        let mnemonics = espeak.clauses(text, PhonemeNames::MnemonicsSeparated(SEPARATOR))?;
        (ipa, mnemonics, espeak.ucd())
    };
    let offsets = char_offsets(text);
    let mut sentences = Vec::new();
    let mut clauses = Vec::new();
    for (k, (read, agreed)) in read_as_espeak(text, &ipa, &ucd).into_iter().enumerate() {
        if !agreed {
            log::debug!("clause {k} of {text:?}: espeak's cursor and voxdeck's reading differ");
        }
        let phonemes = match mnemonics.get(k) {
            Some(names) if mnemonics.len() == ipa.len() => {
                with_linking_j(&ipa[k].phonemes, &names.phonemes)
            }
            _ => ipa[k].phonemes.replace(SEPARATOR, ""),
        };
        let span = offsets[read.chars.start]..offsets[read.chars.end];
        clauses.push(PiperClause {
            text: trimmed(text, span),
            phonemes: with_mark(&phonemes, read.end),
        });
        if read.end.ends_sentence() {
            sentences.push(PiperSentence {
                clauses: std::mem::take(&mut clauses),
            });
        }
    }
    if !clauses.is_empty() {
        sentences.push(PiperSentence { clauses });
    }
    sentences.retain(|s| s.clauses.iter().any(|c| !c.phonemes.is_empty()));
    Ok(sentences)
}

/// Each clause espeak returned, as `ClauseReader` reads the same text, and whether the
/// reader then stood where espeak's cursor did (it is put there when not).
fn read_as_espeak(text: &str, outputs: &[ClauseOutput], ucd: &Ucd) -> Vec<(ReadClause, bool)> {
    let offsets = char_offsets(text);
    let mut reader = ClauseReader::new(text, ucd);
    outputs
        .iter()
        .map(|output| {
            let read = reader.read_clause();
            let espeak_at = espeak_position(output, &offsets);
            let agreed = reader.consumed() == espeak_at;
            if !agreed {
                reader.resync(espeak_at);
            }
            (read, agreed)
        })
        .collect()
}

/// The byte offset of each character of `text`, and of its end.
fn char_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect()
}

/// Where espeak's cursor stood after `clause`, in characters of the text's stream (the text
/// and its NUL, all of it once espeak says it is done).
fn espeak_position(clause: &ClauseOutput, offsets: &[usize]) -> usize {
    match clause.read_to {
        Some(byte) => offsets.partition_point(|&o| o < byte),
        None => offsets.len(),
    }
}

fn trimmed(text: &str, span: Range<usize>) -> Range<usize> {
    let piece = &text[span.clone()];
    let start = span.start + (piece.len() - piece.trim_start().len());
    let end = span.end - (piece.len() - piece.trim_end().len());
    start..end.max(start)
}

/// piper's per-clause step: flags out, the clause's mark in, a space after a mark that does
/// not end a sentence, NFD.
fn with_mark(phonemes: &str, end: ClauseEnd) -> String {
    let mut out = without_language_flags(phonemes);
    if let Some(mark) = end.piper_mark() {
        out.push(mark);
        if matches!(mark, ',' | ':' | ';') {
            out.push(' ');
        }
    }
    out.nfd().collect()
}

/// Python's `re.sub(r"\([^)]+\)", "", s)`: every "(" with at least one non-")" after it,
/// up to the next ")", removed.
fn without_language_flags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        match after.find(')') {
            Some(close) if close > 0 => {
                out.push_str(&rest[..open]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::espeak::clause::{CLAUSE_COMMA, CLAUSE_EOF, CLAUSE_PERIOD};

    #[test]
    fn flags_go_as_pipers_pattern_removes_them() {
        assert_eq!(without_language_flags("(fr)bɔ̃ʒuʁ(en) x"), "bɔ̃ʒuʁ x");
        assert_eq!(without_language_flags("a() b"), "a() b");
        assert_eq!(without_language_flags("a(b"), "a(b");
    }

    #[test]
    fn marks_and_their_spaces_follow_the_clause_type() {
        assert_eq!(with_mark("həlˈoʊ", ClauseEnd(CLAUSE_COMMA)), "həlˈoʊ, ");
        assert_eq!(with_mark("wˈɜːld", ClauseEnd(CLAUSE_PERIOD)), "wˈɜːld.");
        assert_eq!(with_mark("tədˈeɪ", ClauseEnd(CLAUSE_EOF)), "tədˈeɪ");
        // Precomposed letters are split, as piper splits them into phonemes.
        assert_eq!(with_mark("\u{e7}", ClauseEnd(CLAUSE_EOF)), "c\u{327}");
    }

    /// On the real library: after every clause, voxdeck's reading stands where espeak's
    /// cursor does, on texts chosen to walk ReadClause's corners.
    #[test]
    fn clauses_are_read_where_espeak_reads_them() {
        let texts = [
            "Hello, world! How are you today?",
            "Dr. Smith lives at 221B Baker St. in London.",
            "Wait... what? Well\u{2026} I see.. ok.",
            "Hi!!! Really?!? Yes?. No!, maybe;: fine",
            "\"Are you coming?\" she asked. (Yes.) [No!]",
            "The U.S.A.'s economy, e.g. this, grew 3.5% to $1,250.50.",
            "Note: bring your ID; keep it safe \u{2014} or else.",
            "Quotes \u{201c}here.\u{201d} And \u{2018}there!\u{2019} Then",
            ", . ! leading marks",
            "A. B. C",
            "trailing spaces.   ",
            "soft\u{ad}hyphen and x.",
            &"word ".repeat(400),
            &"a".repeat(2000),
        ];
        let mut espeak = Espeak::lock().expect("espeak-ng from scripts/setup");
        espeak.set_voice("en-us").unwrap();
        let ucd = espeak.ucd();
        for text in texts {
            let outputs = espeak
                .clauses(text, PhonemeNames::Ipa { tie: None })
                .unwrap();
            let read = read_as_espeak(text, &outputs, &ucd);
            let off: Vec<usize> = (0..read.len()).filter(|&k| !read[k].1).collect();
            assert!(
                off.is_empty(),
                "{text:?}: clauses {off:?} of {}",
                read.len()
            );
        }
    }

    #[test]
    fn trimming_keeps_the_span_inside_the_text() {
        assert_eq!(trimmed(" ab  ", 0..5), 1..3);
        assert_eq!(trimmed("   ", 0..3), 3..3);
    }
}
