//! The linking [j] that piper-tts's espeak-ng writes and espeak-ng 1.52 hides.
//!
//! English espeak inserts the phoneme `;` (a linking j) after a vowel ending in [i], such as
//! the [iː] of "she" or the [aɪ] of "my", before a vowel: "she asked" is `Si:; 'aaskt` in
//! both builds. 1.52 writes it as nothing in IPA there (`ipa NULL` under `prevPh(#i)` in
//! phsource/phonemes). piper-tts 1.8.0's espeak-ng (1.52.0.1, later commits) writes `ʲ`
//! ("ʃiːʲ ˈæskt"): its IPA writer now evaluates a phoneme's conditions with the list bounded
//! at that phoneme, so no `prevPh` condition holds there. Those ids are what piper feeds the
//! voice, so voxdeck writes `ʲ` where 1.52 leaves a `;` empty. The `;` is found by
//! phonemising the text twice with a separator between phonemes, once in IPA and once in
//! espeak's mnemonics, and reading the two side by side.

/// Between phonemes in both passes: a private-use character no phoneme name contains.
pub(super) const SEPARATOR: char = '\u{e001}';
/// The mnemonic of the linking phoneme, and the IPA piper's espeak writes for it.
const LINKING_MNEMONIC: &str = ";";
const LINKING_IPA: &str = "\u{2b2}";

/// One clause's IPA (from the separated IPA pass) with the hidden linking phonemes written
/// as piper's espeak writes them, and the separators removed. `mnemonics` is the same
/// clause from the separated mnemonic pass. A word whose two passes do not line up phoneme
/// for phoneme (an IPA name that begins with a modifier letter gets no separator) is kept as
/// 1.52 wrote it.
pub(super) fn with_linking_j(ipa: &str, mnemonics: &str) -> String {
    let ipa_words: Vec<&str> = ipa.split(' ').collect();
    let mnemonic_words: Vec<&str> = mnemonics.split(' ').collect();
    if ipa_words.len() != mnemonic_words.len() {
        return ipa.replace(SEPARATOR, "");
    }
    let words: Vec<String> = ipa_words
        .iter()
        .zip(&mnemonic_words)
        .map(|(ipa, mnemonics)| {
            let phonemes: Vec<&str> = ipa.split(SEPARATOR).collect();
            let names: Vec<&str> = mnemonics.split(SEPARATOR).collect();
            if phonemes.len() != names.len() {
                return ipa.replace(SEPARATOR, "");
            }
            phonemes
                .iter()
                .zip(&names)
                .map(|(&p, &name)| {
                    if p.is_empty() && name == LINKING_MNEMONIC {
                        LINKING_IPA
                    } else {
                        p
                    }
                })
                .collect()
        })
        .collect();
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sep(s: &str) -> String {
        s.replace('|', &SEPARATOR.to_string())
    }

    #[test]
    fn hidden_linking_phonemes_are_written_and_pauses_are_not() {
        // "she asked", "p.m.": the `;` after [iː] is empty in 1.52's IPA.
        assert_eq!(
            with_linking_j(&sep("ʃ|iː| ˈæ|s|k|t"), &sep("S|i:|; 'aa|s|k|t")),
            "ʃiːʲ ˈæskt"
        );
        assert_eq!(
            with_linking_j(&sep("p|ˌiː||ˈɛ|m"), &sep("p|,i:|;|'E|m")),
            "pˌiːʲˈɛm"
        );
        // A pause is empty too, but it is no `;`.
        assert_eq!(
            with_linking_j(&sep("ɡ|ʊ|d|b|ˈaɪ| æ|n|d"), &sep("g|U|d|b|'aI|_! a|n|d")),
            "ɡʊdbˈaɪ ænd"
        );
    }

    #[test]
    fn passes_that_do_not_line_up_are_kept_as_they_are() {
        assert_eq!(with_linking_j(&sep("a|b c"), &sep("a|b|; c")), "ab c");
        assert_eq!(with_linking_j(&sep("a|b"), &sep("a b")), "ab");
    }
}
