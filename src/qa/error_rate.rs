//! Whether a result says the words it was asked to: the character error rate (CER, every
//! language) and word error rate (WER, languages written with spaces between words; not
//! Japanese or Chinese) of a transcript against the text that was asked for.
//!
//! # Normalisation
//!
//! Both texts go through the same steps (`normalise`), so that only what was said differs:
//!
//! 1. **Unicode form**: NFKC, so full-width forms, ligatures and other compatibility
//!    characters become the plain ones, and a precomposed "é" and "e" + combining acute
//!    are the same character. It is applied again after lowercasing (which can leave a text
//!    outside NFKC), so Hindi's nukta letters also compare equal however they were typed.
//! 2. **Case**: Unicode lowercase (`str::to_lowercase`, not ASCII only).
//! 3. **Numbers**, compared the way they are spoken: every number written with digits is
//!    replaced by its words in the language, on both sides, so "$1,250", "1250" and "one
//!    thousand two hundred fifty" all compare equal in English, "1 250" and "mille deux
//!    cent cinquante" in French, "1.250" and "mil doscientos cincuenta" in Spanish. Each
//!    language's own separators are used to read the number (the decimal comma of French,
//!    Spanish, Italian, Portuguese and German; "," grouping thousands in English); Hindi's
//!    Devanagari digits count as digits; Japanese and Chinese get kanji/hanzi numerals
//!    ("千二百五十", "一千二百五十"). Spelling is done here, by hand, for the ten languages
//!    scored: of the crates looked at, num2words has English and French only, and
//!    num2words2-core, which has them all, compiles some 160 languages (nearly three minutes
//!    on one core here) and misspells Hindi's hundreds and lakhs ("लाख पच्चीस हज़ार").
//!    `numbers` says how numbers are read and what is not covered; each language's module
//!    says which forms it writes.
//! 4. **Punctuation and symbols** removed by Unicode category, not from a list: letters,
//!    marks and digits are kept, everything else becomes a space (so "forty-two" is "forty
//!    two" on both sides). Two exceptions: an apostrophe inside a word is kept, as "'"
//!    whichever apostrophe was typed, because it tells words apart ("it's" / "its", "l'eau"
//!    stays one word as Whisper writes it) while quotes around words go; and a full stop
//!    between two letters is dropped, so "p.m." and "pm" compare equal. Invisible format
//!    characters (zero-width joiners, soft hyphens, variation selectors) are dropped
//!    without a space, as they sit inside words.
//! 5. **Whitespace** collapsed to single spaces; in Japanese and Chinese, which write no
//!    spaces between words, removed altogether.
//!
//! # Rates
//!
//! Levenshtein distance (substitutions, insertions, deletions, each costing 1) over the
//! normalised characters (spaces included, as jiwer counts them) or words, divided by the
//! reference's length. A hypothesis longer than its reference can score above 1.0; the
//! rates are not clamped, as ASR tools (jiwer) do not clamp them. An empty hypothesis is a
//! rate of 1.0 (every reference character deleted), so a caller must tell "nothing to
//! transcribe" (silence, too short a clip) apart before scoring; a reference with nothing
//! left to compare against is refused.

mod distance;
mod normalise;
mod numbers;
mod orthography;
#[cfg(test)]
mod tests;

use orthography::Orthography;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErrorRateError {
    #[error(
        "no error rates for language {code:?}: they are computed for {}",
        orthography::known_codes()
    )]
    UnknownLanguage { code: String },
    #[error("the text asked for has no letters or digits to compare a transcript against")]
    EmptyReference,
}

/// A transcript's error rates against its reference; 0 is a perfect match.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ErrorRates {
    /// Character edits per reference character.
    pub cer: f32,
    /// Word edits per reference word; `None` for languages written without spaces.
    pub wer: Option<f32>,
}

/// `text` as it is compared, in language `language` (a code such as "en-us", "fr", "ja").
pub fn normalise(text: &str, language: &str) -> Result<String, ErrorRateError> {
    Ok(normalise::normalise(text, orthography(language)?))
}

/// The error rates of `hypothesis` (a transcript) against `reference` (the text asked for).
pub fn error_rates(
    reference: &str,
    hypothesis: &str,
    language: &str,
) -> Result<ErrorRates, ErrorRateError> {
    let orthography = orthography(language)?;
    let reference = normalise::normalise(reference, orthography);
    if reference.is_empty() {
        return Err(ErrorRateError::EmptyReference);
    }
    let hypothesis = normalise::normalise(hypothesis, orthography);
    let chars = |text: &str| text.chars().collect::<Vec<_>>();
    let (reference_chars, hypothesis_chars) = (chars(&reference), chars(&hypothesis));
    let cer = rate(
        distance::distance(&reference_chars, &hypothesis_chars),
        reference_chars.len(),
    );
    let wer = orthography.spaced().then(|| {
        let (reference_words, hypothesis_words) = (words(&reference), words(&hypothesis));
        rate(
            distance::distance(&reference_words, &hypothesis_words),
            reference_words.len(),
        )
    });
    Ok(ErrorRates { cer, wer })
}

fn orthography(language: &str) -> Result<Orthography, ErrorRateError> {
    Orthography::for_code(language).ok_or_else(|| ErrorRateError::UnknownLanguage {
        code: language.to_string(),
    })
}

fn words(text: &str) -> Vec<&str> {
    text.split(' ').filter(|w| !w.is_empty()).collect()
}

/// `edits / length`, computed in f64; `length` is never 0 (an empty reference is refused).
fn rate(edits: usize, length: usize) -> f32 {
    (edits as f64 / length.max(1) as f64) as f32
}
