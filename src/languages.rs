//! The languages voxdeck can speak, and which model and voice serve each by default.

/// Which synthesis model family a language is rendered with, as job files and reports
/// name it. What the family can do is asked of `crate::engine::family::family(kind)`.
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
    /// espeak-ng voice identifier for G2P (what phonemizer resolves Kokoro's language to;
    /// espeak-ng rejects language codes such as `fr-fr` as voice names).
    pub espeak_voice: &'static str,
    /// espeak-ng language code, as Piper voice configs name it.
    pub espeak_language: &'static str,
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
        espeak_voice: "gmw/en-US",
        espeak_language: "en-us",
        kokoro_default_voice: "af_heart",
        kokoro_voice_prefix: 'a',
        kokoro_trained: true,
    },
    Language {
        code: "en-gb",
        name: "English (UK)",
        espeak_voice: "gmw/en",
        espeak_language: "en-gb",
        kokoro_default_voice: "bf_emma",
        kokoro_voice_prefix: 'b',
        kokoro_trained: true,
    },
    Language {
        code: "fr",
        name: "French",
        espeak_voice: "roa/fr",
        espeak_language: "fr-fr",
        kokoro_default_voice: "ff_siwis",
        kokoro_voice_prefix: 'f',
        kokoro_trained: true,
    },
    Language {
        code: "es",
        name: "Spanish",
        espeak_voice: "roa/es",
        espeak_language: "es",
        kokoro_default_voice: "ef_dora",
        kokoro_voice_prefix: 'e',
        kokoro_trained: true,
    },
    Language {
        code: "it",
        name: "Italian",
        espeak_voice: "roa/it",
        espeak_language: "it",
        kokoro_default_voice: "if_sara",
        kokoro_voice_prefix: 'i',
        kokoro_trained: true,
    },
    Language {
        code: "pt-br",
        name: "Portuguese (Brazil)",
        espeak_voice: "roa/pt-BR",
        espeak_language: "pt-br",
        kokoro_default_voice: "pf_dora",
        kokoro_voice_prefix: 'p',
        kokoro_trained: true,
    },
    Language {
        code: "hi",
        name: "Hindi",
        espeak_voice: "inc/hi",
        espeak_language: "hi",
        kokoro_default_voice: "hf_alpha",
        kokoro_voice_prefix: 'h',
        kokoro_trained: true,
    },
    Language {
        code: "de",
        name: "German",
        espeak_voice: "gmw/de",
        espeak_language: "de",
        kokoro_default_voice: "af_heart",
        kokoro_voice_prefix: 'a',
        kokoro_trained: false,
    },
];

impl Language {
    /// The Kokoro voices offered for this language out of those `installed`: the ones made
    /// for it (by Kokoro's naming), or all of them when Kokoro was not trained on it or
    /// none of its own is installed.
    pub fn kokoro_voices(&self, installed: &[String]) -> Vec<String> {
        let own: Vec<String> = installed
            .iter()
            .filter(|v| v.starts_with(self.kokoro_voice_prefix))
            .cloned()
            .collect();
        if own.is_empty() || !self.kokoro_trained {
            installed.to_vec()
        } else {
            own
        }
    }
}

/// The language a Piper config's espeak voice (`en-us`, `fr-fr`, ...) stands for.
pub fn for_espeak_language(espeak: &str) -> Option<&'static Language> {
    LANGUAGES
        .iter()
        .find(|l| l.espeak_language == espeak || l.code == espeak)
}

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
        assert_eq!(find(" fr ").unwrap().espeak_voice, "roa/fr");
        assert!(find("xx").is_none());
    }

    #[test]
    fn kokoro_voices_are_the_languages_own_or_all() {
        let installed: Vec<String> = ["af_heart", "ff_siwis", "am_adam"].map(String::from).into();
        assert_eq!(find("fr").unwrap().kokoro_voices(&installed), ["ff_siwis"]);
        assert_eq!(find("de").unwrap().kokoro_voices(&installed), installed);
        assert_eq!(find("hi").unwrap().kokoro_voices(&installed), installed);
    }
}
