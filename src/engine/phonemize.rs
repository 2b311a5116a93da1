//! Text -> phoneme string, the way each model was trained.
//!
//! Kokoro was trained on the output of misaki's `EspeakG2P`, which runs espeak-ng through
//! phonemizer with punctuation preserved, then maps espeak's IPA onto Kokoro's symbols.
//! This module reproduces that pipeline step for step (tests/fixtures/g2p holds misaki's
//! own output to compare against): text is cut at punctuation, each chunk goes to espeak
//! alone, espeak's output is cleaned as phonemizer cleans it, the punctuation is put back
//! with phonemizer's spacing, and misaki's substitutions are applied.
//!
//! Piper voices take piper-tts's own phonemes instead: see `piper`.

use super::english::{self, Dialect, EnglishError};
use super::espeak::phonemizer::{py_strip, with_punctuation};
use super::espeak::EspeakError;
use crate::languages::Language;

mod linking;
mod piper;
pub use piper::{for_piper, PiperClause, PiperSentence};

/// misaki's espeak -> Kokoro substitutions, in the order misaki applies them.
const ESPEAK_TO_KOKORO: &[(&str, &str)] = &[
    ("a^ɪ", "I"),
    ("a^ʊ", "W"),
    ("d^z", "ʣ"),
    ("d^ʒ", "ʤ"),
    ("e^ɪ", "A"),
    ("o^ʊ", "O"),
    ("s^s", "S"),
    ("t^s", "ʦ"),
    ("t^ʃ", "ʧ"),
    ("ɔ^ɪ", "Y"),
    ("ə^ʊ", "Q"),
];

#[derive(Debug, Clone, thiserror::Error)]
pub enum G2pError {
    #[error(transparent)]
    Espeak(#[from] EspeakError),
    #[error(transparent)]
    English(#[from] EnglishError),
}

/// Kokoro's phonemes for `text`: misaki.en for English (see `english`), misaki's
/// `EspeakG2P` (version None) for the other languages.
pub fn for_kokoro(language: &Language, text: &str) -> Result<String, G2pError> {
    let dialect = match language.code {
        "en-us" => Some(Dialect::American),
        "en-gb" => Some(Dialect::British),
        _ => None,
    };
    if let Some(dialect) = dialect {
        return Ok(english::phonemize(text, dialect, language.espeak_voice)?);
    }
    espeak_g2p(language, text)
}

/// misaki's `EspeakG2P` (version None): what Kokoro reads every espeak language with, and
/// what voxdeck read English with before misaki.en was ported (kept for comparison).
pub fn espeak_g2p(language: &Language, text: &str) -> Result<String, G2pError> {
    let text = text
        .replace('«', "“")
        .replace('»', "”")
        .replace('(', "«")
        .replace(')', "»");
    let phonemes = with_punctuation(language.espeak_voice, &text)?;
    let mut ps = py_strip(&phonemes).to_string();
    for (from, to) in ESPEAK_TO_KOKORO {
        ps = ps.replace(from, to);
    }
    Ok(ps
        .replace(['^', '-'], "")
        .replace('«', "(")
        .replace('»', ")"))
}
