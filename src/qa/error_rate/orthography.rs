//! Which writing a language code stands for: its numbers, and whether words are written with
//! spaces between them (they are not in Japanese and Chinese, which get no word error rate).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Orthography {
    English,
    French,
    Spanish,
    Italian,
    Portuguese,
    German,
    Hindi,
    Japanese,
    Chinese,
}

/// The codes scored: voxdeck's languages (src/languages.rs), the bare "en" and "pt" Whisper
/// reports, and Japanese and Chinese, which Whisper transcribes and outside audio may be in.
const CODES: [(&str, Orthography); 12] = [
    ("en-us", Orthography::English),
    ("en-gb", Orthography::English),
    ("en", Orthography::English),
    ("fr", Orthography::French),
    ("es", Orthography::Spanish),
    ("it", Orthography::Italian),
    ("pt-br", Orthography::Portuguese),
    ("pt", Orthography::Portuguese),
    ("de", Orthography::German),
    ("hi", Orthography::Hindi),
    ("ja", Orthography::Japanese),
    ("zh", Orthography::Chinese),
];

impl Orthography {
    /// The orthography of a code, read as `languages::find` reads one ("PT_BR" is "pt-br").
    pub(super) fn for_code(code: &str) -> Option<Orthography> {
        let wanted = code.trim().to_ascii_lowercase().replace('_', "-");
        CODES
            .iter()
            .find(|(known, _)| *known == wanted)
            .map(|&(_, orthography)| orthography)
    }

    /// Whether words are separated by spaces, so that a word error rate means something.
    pub(super) fn spaced(self) -> bool {
        !matches!(self, Orthography::Japanese | Orthography::Chinese)
    }
}

/// The codes `for_code` knows, for error messages.
pub(super) fn known_codes() -> String {
    CODES.map(|(code, _)| code).join(", ")
}
