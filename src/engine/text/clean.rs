//! Clean-up before G2P: characters outside the language's script, control characters,
//! invisible formatting and terminal escape sequences are removed, and each removal is
//! described for the language's warnings, so nothing is spoken as letter names unseen.

use std::collections::HashMap;

use super::escape::{escape_end, show_escape};
use super::normalise_whitespace;

/// How many different characters a warning lists before it says "and N more".
const LISTED: usize = 12;

/// The writing system a language's text is expected in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Devanagari,
}

impl Script {
    pub fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Devanagari => "Devanagari",
        }
    }
}

/// The script of a language, by its job-file code: Devanagari for Hindi, Latin for the
/// others (English, French, Spanish, Italian, Portuguese, German).
pub fn script(code: &str) -> Script {
    match code {
        "hi" => Script::Devanagari,
        _ => Script::Latin,
    }
}

/// Whether `c` may be spoken in a text of language `code`: a letter or mark of the
/// language's script, whitespace, a digit, punctuation or a common symbol ($ € % & ...).
/// Control characters and invisible formatting characters never are.
pub fn allowed(code: &str, c: char) -> bool {
    if c.is_whitespace() {
        return true;
    }
    if c.is_control() || is_invisible(c) {
        return false;
    }
    is_common(c) || in_script(script(code), c)
}

fn in_script(script: Script, c: char) -> bool {
    let u = c as u32;
    match script {
        Script::Latin => {
            c.is_ascii_alphabetic()
                || (matches!(u, 0xC0..=0x24F) && u != 0xD7 && u != 0xF7)
                || matches!(
                    u,
                    0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xFB00..=0xFB06
                )
                || is_mark(c)
        }
        Script::Devanagari => {
            matches!(u, 0x900..=0x97F | 0xA8E0..=0xA8FF | 0x1CD0..=0x1CFF | 0x200C | 0x200D)
                || is_mark(c)
        }
    }
}

/// Digits, punctuation and symbols any language's text may hold.
fn is_common(c: char) -> bool {
    let u = c as u32;
    c.is_ascii_digit()
        || c.is_ascii_punctuation()
        || matches!(
            u,
            0xA1..=0xBF          // ¡ ¢ £ ¤ ¥ § © « ° ± ² ³ µ ¶ · » ¼ ½ ¿ ...
            | 0xD7 | 0xF7        // × ÷
            | 0x2010..=0x2027    // dashes, quotes, bullets, ellipsis
            | 0x2030..=0x205E    // ‰ ′ ″ ‹ › ⁄ ...
            | 0x2070..=0x209F    // superscripts and subscripts
            | 0x20A0..=0x20CF    // currency: € ₹ ₽ ...
            | 0x2100..=0x218F    // ℃ № ™ ⅓ ...
            | 0x2200..=0x22FF    // − ≤ ≥ ≠ ≈ ...
        ) && u != 0xAD
}

/// Combining marks: they belong to the character before them.
fn is_mark(c: char) -> bool {
    matches!(
        c as u32,
        0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
    )
}

/// Characters that only shape the one before them: combining marks, joiners, variation
/// selectors. They are kept or removed with it.
pub(super) fn is_attached(c: char) -> bool {
    is_mark(c) || matches!(c as u32, 0x200C | 0x200D | 0xFE00..=0xFE0F | 0xE0100..=0xE01EF)
}

/// Invisible formatting characters (soft hyphen, zero-width space, direction marks,
/// byte-order mark, ...), treated as control characters.
fn is_invisible(c: char) -> bool {
    matches!(
        c as u32,
        0xAD | 0x34F
            | 0x61C
            | 0x180E
            | 0x200B
            | 0x200E
            | 0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0xE0000..=0xE007F
    )
}

/// A text made fit to speak: what was removed is said in `warnings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// The kept text, whitespace normalised.
    pub text: String,
    /// One line per kind of removal, for the report and the log.
    pub warnings: Vec<String>,
    /// Characters removed for being outside the language's script.
    pub outside_script: usize,
}

/// Distinct items in order of first appearance, with how often each was seen.
#[derive(Default)]
struct Tally {
    items: Vec<(String, usize)>,
    index: HashMap<String, usize>,
    total: usize,
}

impl Tally {
    fn add(&mut self, item: String) {
        self.total += 1;
        match self.index.get(&item) {
            Some(&at) => self.items[at].1 += 1,
            None => {
                self.index.insert(item.clone(), self.items.len());
                self.items.push((item, 1));
            }
        }
    }

    fn list(&self) -> String {
        let mut shown: Vec<String> = self
            .items
            .iter()
            .take(LISTED)
            .map(|(item, n)| {
                if *n > 1 {
                    format!("{item} ×{n}")
                } else {
                    item.clone()
                }
            })
            .collect();
        if self.items.len() > LISTED {
            shown.push(format!("and {} more", self.items.len() - LISTED));
        }
        shown.join(", ")
    }
}

/// How many characters there are and a short list of them ("ʔ ×2, x"); `None` for none.
pub fn tally_chars(chars: impl IntoIterator<Item = char>) -> Option<(usize, String)> {
    let mut tally = Tally::default();
    for c in chars {
        tally.add(c.escape_debug().to_string());
    }
    (tally.total > 0).then(|| (tally.total, tally.list()))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Removes what language `code` cannot speak: terminal escape sequences ("\x1b[31m"),
/// control and invisible formatting characters, and characters outside the language's
/// script (see `allowed`), which espeak-ng would otherwise read out letter by letter
/// ("Chinese letter ..."). A run of removed foreign characters leaves a space, so the
/// words around it stay apart. Each kind of removal becomes one warning naming the
/// characters and how many there were.
pub fn clean(code: &str, text: &str) -> Cleaned {
    #[derive(PartialEq)]
    enum Last {
        /// Start of text, whitespace, or a removed control character.
        Nothing,
        Kept,
        Removed,
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut escapes = Tally::default();
    let mut controls = Tally::default();
    let mut foreign = Tally::default();
    let mut last = Last::Nothing;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '\u{1b}' | '\u{9b}' | '\u{9d}') {
            let end = escape_end(&chars, i);
            escapes.add(show_escape(&chars[i..end]));
            i = end;
            continue;
        }
        i += 1;
        if is_attached(c) {
            match last {
                Last::Kept if allowed(code, c) => out.push(c),
                // Goes with the character it belongs to (an emoji's joiner, say), or
                // shapes nothing the model could say.
                Last::Kept | Last::Removed => {}
                Last::Nothing if is_mark(c) => foreign.add(c.escape_debug().to_string()),
                Last::Nothing => {}
            }
        } else if c.is_whitespace() {
            out.push(' ');
            last = Last::Nothing;
        } else if c.is_control() || is_invisible(c) {
            controls.add(format!("U+{:04X}", c as u32));
        } else if allowed(code, c) {
            out.push(c);
            last = Last::Kept;
        } else {
            foreign.add(c.escape_debug().to_string());
            if last != Last::Removed {
                out.push(' ');
            }
            last = Last::Removed;
        }
    }
    let mut warnings = Vec::new();
    if foreign.total > 0 {
        warnings.push(format!(
            "removed {} outside the {} script of `{code}`, not spoken: {}",
            plural(foreign.total, "character", "characters"),
            script(code).name(),
            foreign.list()
        ));
    }
    if escapes.total > 0 || controls.total > 0 {
        let mut parts = Vec::new();
        if escapes.total > 0 {
            parts.push(format!(
                "{} ({})",
                plural(
                    escapes.total,
                    "terminal escape sequence",
                    "terminal escape sequences"
                ),
                escapes.list()
            ));
        }
        if controls.total > 0 {
            parts.push(format!(
                "{} ({})",
                plural(
                    controls.total,
                    "control or invisible character",
                    "control or invisible characters"
                ),
                controls.list()
            ));
        }
        warnings.push(format!(
            "removed {} from the `{code}` text, not spoken",
            parts.join(" and ")
        ));
    }
    Cleaned {
        text: normalise_whitespace(&out),
        warnings,
        outside_script: foreign.total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_script_is_removed_and_named() {
        let cleaned = clean("fr", "Bonjour 我们今天 le monde, 我们!");
        assert_eq!(cleaned.text, "Bonjour le monde, !");
        assert_eq!(cleaned.outside_script, 6);
        assert_eq!(cleaned.warnings.len(), 1);
        let w = &cleaned.warnings[0];
        assert!(w.contains("6 characters") && w.contains("Latin"), "{w}");
        assert!(w.contains("我 ×2") && w.contains("今"), "{w}");
        // Words either side of a removed run stay apart.
        assert_eq!(clean("en-us", "one中two").text, "one two");
        // Latin with diacritics, decomposed or not, digits and symbols stay.
        let latin = "Ça coûte 5 € (20 %) & “plus” — São Paulo, Straße, e\u{301}té…";
        assert_eq!(
            clean("fr", latin),
            Cleaned {
                text: latin.into(),
                warnings: vec![],
                outside_script: 0
            }
        );
        let hindi = "आज मौसम बहुत अच्छा है। ₹100, क्ष\u{200d}";
        assert_eq!(clean("hi", hindi).text, hindi);
        assert_eq!(clean("hi", "आज GDP है").text, "आज है");
        assert!(clean("hi", "आज GDP है").warnings[0].contains("Devanagari"));
    }

    #[test]
    fn escapes_and_controls_are_removed_and_named() {
        let cleaned = clean(
            "fr",
            "Bonjour \u{1b}[31mle\u{1b}[0m monde\u{7}.\u{1b}]0;title\u{7}",
        );
        assert_eq!(cleaned.text, "Bonjour le monde.");
        assert_eq!(cleaned.outside_script, 0);
        let w = &cleaned.warnings[0];
        assert!(w.contains("3 terminal escape sequences"), "{w}");
        assert!(w.contains("ESC[31m") && w.contains("ESC[0m"), "{w}");
        assert!(
            w.contains("1 control or invisible character (U+0007)"),
            "{w}"
        );
        // An unterminated string sequence does not swallow the text after it.
        assert_eq!(clean("en-us", "a \u{1b}]b c").text, "a b c");
        assert_eq!(clean("en-us", "tab\there\u{feff}").text, "tab here");
        assert!(clean("en-us", "tab\there").warnings.is_empty());
    }

    #[test]
    fn emoji_go_whole() {
        let cleaned = clean("en-us", "Hi 👨\u{200d}👩\u{200d}👧 there ©\u{fe0f}");
        assert_eq!(cleaned.text, "Hi there ©");
        assert_eq!(cleaned.outside_script, 3);
        assert_eq!(cleaned.warnings.len(), 1, "{:?}", cleaned.warnings);
    }
}
