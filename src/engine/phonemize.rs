//! Text -> phoneme string, the way each model was trained. Placeholder signatures; the
//! algorithm follows the reference spec.

use super::espeak::{Espeak, EspeakError};
use super::languages::Language;

#[derive(Debug, Clone, thiserror::Error)]
pub enum G2pError {
    #[error(transparent)]
    Espeak(#[from] EspeakError),
}

/// Kokoro's phonemes: espeak-ng IPA mapped to Kokoro's symbol set as misaki does.
pub fn for_kokoro(language: &Language, text: &str) -> Result<String, G2pError> {
    let mut espeak = Espeak::lock()?;
    espeak.set_voice(language.espeak_voice)?;
    Ok(espeak.clauses_to_ipa(text, None)?.join(" "))
}

/// Piper's phonemes: espeak-ng IPA with stress and punctuation kept, no substitutions.
pub fn for_piper(espeak_voice: &str, text: &str) -> Result<String, G2pError> {
    let mut espeak = Espeak::lock()?;
    espeak.set_voice(espeak_voice)?;
    Ok(espeak.clauses_to_ipa(text, None)?.join(" "))
}
