//! The languages voxdeck can speak, and which model and voice serve each by default.

/// Which synthesis model family a language is rendered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelKind {
    Kokoro,
    Piper,
}

impl ModelKind {
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Kokoro => "kokoro",
            ModelKind::Piper => "piper",
        }
    }
}

/// One language as the job file names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    /// The code used in job files and reports (`en-us`, `fr`, ...).
    pub code: &'static str,
    pub name: &'static str,
    /// espeak-ng voice used for G2P; the same one Kokoro's own pipeline uses.
    pub espeak_voice: &'static str,
    /// Kokoro voice used when the job names none.
    pub kokoro_default_voice: &'static str,
    /// Kokoro's voice names start with this letter for voices made for the language.
    pub kokoro_voice_prefix: char,
    /// False for languages Kokoro was never trained on: accepted with a loud warning.
    pub kokoro_trained: bool,
}

pub const LANGUAGES: &[Language] = &[
    Language {
        code: "en-us",
        name: "English (US)",
        espeak_voice: "en-us",
        kokoro_default_voice: "af_heart",
        kokoro_voice_prefix: 'a',
        kokoro_trained: true,
    },
    Language {
        code: "en-gb",
        name: "English (UK)",
        espeak_voice: "en-gb",
        kokoro_default_voice: "bf_emma",
        kokoro_voice_prefix: 'b',
        kokoro_trained: true,
    },
    Language {
        code: "fr",
        name: "French",
        espeak_voice: "fr-fr",
        kokoro_default_voice: "ff_siwis",
        kokoro_voice_prefix: 'f',
        kokoro_trained: true,
    },
    Language {
        code: "es",
        name: "Spanish",
        espeak_voice: "es",
        kokoro_default_voice: "ef_dora",
        kokoro_voice_prefix: 'e',
        kokoro_trained: true,
    },
    Language {
        code: "it",
        name: "Italian",
        espeak_voice: "it",
        kokoro_default_voice: "if_sara",
        kokoro_voice_prefix: 'i',
        kokoro_trained: true,
    },
    Language {
        code: "pt-br",
        name: "Portuguese (Brazil)",
        espeak_voice: "pt-br",
        kokoro_default_voice: "pf_dora",
        kokoro_voice_prefix: 'p',
        kokoro_trained: true,
    },
    Language {
        code: "hi",
        name: "Hindi",
        espeak_voice: "hi",
        kokoro_default_voice: "hf_alpha",
        kokoro_voice_prefix: 'h',
        kokoro_trained: true,
    },
    Language {
        code: "de",
        name: "German",
        espeak_voice: "de",
        kokoro_default_voice: "af_heart",
        kokoro_voice_prefix: 'a',
        kokoro_trained: false,
    },
];

pub fn find(code: &str) -> Option<&'static Language> {
    let wanted = code.trim().to_ascii_lowercase().replace('_', "-");
    LANGUAGES.iter().find(|l| l.code == wanted)
}

/// Comma-separated list of codes, for error messages that tell the user what would work.
pub fn known_codes() -> String {
    LANGUAGES
        .iter()
        .map(|l| l.code)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_codes_case_and_separator_insensitively() {
        assert_eq!(find("PT_BR").unwrap().code, "pt-br");
        assert_eq!(find(" fr ").unwrap().espeak_voice, "fr-fr");
        assert!(find("xx").is_none());
    }
}
