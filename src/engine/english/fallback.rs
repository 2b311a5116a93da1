//! misaki's `EspeakFallback`: a word the lexicons cannot read goes to espeak-ng 1.52 (as
//! phonemizer calls it, punctuation kept, stress marks, tie '^'), and espeak's IPA is
//! mapped onto misaki's English phoneme set.

use super::super::espeak::phonemizer;
use super::EnglishError;

/// misaki's E2M table, longest keys first (equal lengths in misaki's order).
const E2M: &[(&str, &str)] = &[
    ("ʔˌn\u{329}", "ʔn"),
    ("ʔn\u{329}", "ʔn"),
    ("a^ɪ", "I"),
    ("a^ʊ", "W"),
    ("d^ʒ", "ʤ"),
    ("e^ɪ", "A"),
    ("t^ʃ", "ʧ"),
    ("ɔ^ɪ", "Y"),
    ("ə^l", "ᵊl"),
    ("ʲo", "jo"),
    ("ʲə", "jə"),
    ("e", "A"),
    ("ʲ", ""),
    ("ɚ", "əɹ"),
    ("r", "ɹ"),
    ("x", "k"),
    ("ç", "k"),
    ("ɐ", "ə"),
    ("ɬ", "l"),
    ("\u{303}", ""),
];

/// Rewrites "X\u{329}" (a syllabic consonant) as "ᵊX", as misaki's regex does.
fn syllabic(ps: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(ps.len());
    for c in ps.chars() {
        if c == '\u{329}' {
            if let Some(&prev) = out.last() {
                if !prev.is_whitespace() {
                    out.pop();
                    out.push('ᵊ');
                    out.push(prev);
                }
            }
            continue;
        }
        out.push(c);
    }
    out.into_iter().collect()
}

/// espeak's reading of `text` (with espeak voice `voice`) in misaki's phonemes for the
/// dialect.
pub fn phonemes(text: &str, voice: &str, british: bool) -> Result<String, EnglishError> {
    let raw = phonemizer::phonemizer_ipa(voice, text)?;
    let mut ps = raw.trim().to_string();
    for (from, to) in E2M {
        ps = ps.replace(from, to);
    }
    let mut ps = syllabic(&ps);
    if british {
        ps = ps
            .replace("e^ə", "ɛː")
            .replace("iə", "ɪə")
            .replace("ə^ʊ", "Q");
    } else {
        ps = ps
            .replace("o^ʊ", "O")
            .replace("ɜːɹ", "ɜɹ")
            .replace("ɜː", "ɜɹ")
            .replace("ɪə", "iə")
            .replace('ː', "");
    }
    Ok(ps
        .replace('o', "ɔ")
        .replace('ɾ', "T")
        .replace('ʔ', "t")
        .replace('^', ""))
}
