//! The writing system of a text. Whisper sometimes writes a language in another script than
//! the one asked for (base writes most Hindi in Urdu's Perso-Arabic script): the words may be
//! right, and an error rate across two scripts would only count the script.

use std::collections::HashMap;

use unicode_script::{Script, UnicodeScript};

/// The script most of `text`'s letters are in, ignoring digits, punctuation and marks
/// shared by all scripts; `None` when it has no letters.
pub fn dominant_script(text: &str) -> Option<Script> {
    let mut counts: HashMap<Script, usize> = HashMap::new();
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        let script = c.script();
        if !matches!(script, Script::Common | Script::Inherited | Script::Unknown) {
            *counts.entry(script).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(script, n)| (n, std::cmp::Reverse(script.full_name())))
        .map(|(script, _)| script)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_told_apart() {
        assert_eq!(
            dominant_script("Bonjour à tous, 1 250 €"),
            Some(Script::Latin)
        );
        assert_eq!(
            dominant_script("आज मौसम बहुत अच्छा है।"),
            Some(Script::Devanagari)
        );
        assert_eq!(dominant_script("آج موسم بہت اچھا ہے"), Some(Script::Arabic));
        assert_eq!(dominant_script("12, 34!"), None);
    }
}
