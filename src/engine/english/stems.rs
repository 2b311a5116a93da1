//! misaki's suffix rules: a word missing from the lexicons read as a known stem plus -s,
//! -ed or -ing, each suffix voiced after the stem's last sound as English does.

use super::lexicon::{Context, Lexicon, Reading};

/// Vowels (and ɹ) after which an American /t/ before -ed or -ing becomes a flap.
const US_TAUS: &str = "AIOWYiuæɑəɛɪɹʊʌ";

fn last(s: &str) -> Option<char> {
    s.chars().last()
}

fn second_last(s: &str) -> Option<char> {
    s.chars().rev().nth(1)
}

fn drop_last(s: &str) -> &str {
    s.char_indices().last().map_or(s, |(i, _)| &s[..i])
}

fn known_stem(lexicon: &Lexicon, word: &str, cut: usize, append: &str) -> Option<String> {
    let stem = format!("{}{append}", &word[..word.len() - cut]);
    lexicon.is_known(&stem).then_some(stem)
}

impl Lexicon {
    /// "-s": /s/ after voiceless sounds, /ᵻz/ (GB /ɪz/) after sibilants, else /z/.
    pub fn suffix_s(&self, stem: &str) -> Option<String> {
        let c = last(stem)?;
        Some(if "ptkfθ".contains(c) {
            format!("{stem}s")
        } else if "szʃʒʧʤ".contains(c) {
            format!("{stem}{}z", if self.british { 'ɪ' } else { 'ᵻ' })
        } else {
            format!("{stem}z")
        })
    }

    pub fn stem_s(
        &self,
        word: &str,
        tag: &str,
        stress: Option<f64>,
        ctx: Option<&Context>,
    ) -> Reading {
        let n = word.chars().count();
        if n < 3 || !word.ends_with('s') {
            return (None, None);
        }
        let stem = if !word.ends_with("ss") && self.is_known(&word[..word.len() - 1]) {
            word[..word.len() - 1].to_string()
        } else if let Some(stem) = ((word.ends_with("'s")
            || (n > 4 && word.ends_with("es") && !word.ends_with("ies")))
        .then(|| known_stem(self, word, 2, "")))
        .flatten()
        {
            stem
        } else if let Some(stem) = (n > 4 && word.ends_with("ies"))
            .then(|| known_stem(self, word, 3, "y"))
            .flatten()
        {
            stem
        } else {
            return (None, None);
        };
        let (ps, rating) = self.lookup(&stem, tag, stress, ctx);
        (ps.and_then(|p| self.suffix_s(&p)), rating)
    }

    /// "-ed": /t/ after voiceless sounds, /ᵻd/ after /d/ and /t/ (a flapped /ɾᵻd/ after an
    /// American vowel), else /d/.
    pub fn suffix_ed(&self, stem: &str) -> Option<String> {
        let c = last(stem)?;
        let weak = if self.british { 'ɪ' } else { 'ᵻ' };
        Some(if "pkfθʃsʧ".contains(c) {
            format!("{stem}t")
        } else if c == 'd' {
            format!("{stem}{weak}d")
        } else if c != 't' {
            format!("{stem}d")
        } else if self.british || stem.chars().count() < 2 {
            format!("{stem}ɪd")
        } else if second_last(stem).is_some_and(|c| US_TAUS.contains(c)) {
            format!("{}ɾᵻd", drop_last(stem))
        } else {
            format!("{stem}ᵻd")
        })
    }

    pub fn stem_ed(
        &self,
        word: &str,
        tag: &str,
        stress: Option<f64>,
        ctx: Option<&Context>,
    ) -> Reading {
        let n = word.chars().count();
        if n < 4 || !word.ends_with('d') {
            return (None, None);
        }
        let stem = if !word.ends_with("dd") && self.is_known(&word[..word.len() - 1]) {
            word[..word.len() - 1].to_string()
        } else if let Some(stem) = (n > 4 && word.ends_with("ed") && !word.ends_with("eed"))
            .then(|| known_stem(self, word, 2, ""))
            .flatten()
        {
            stem
        } else {
            return (None, None);
        };
        let (ps, rating) = self.lookup(&stem, tag, stress, ctx);
        (ps.and_then(|p| self.suffix_ed(&p)), rating)
    }

    /// "-ing": /ɪŋ/, a flapped /ɾɪŋ/ after an American vowel + /t/; none in GB after /ə/ or
    /// a long vowel mark (misaki leaves those to espeak).
    pub fn suffix_ing(&self, stem: &str) -> Option<String> {
        let c = last(stem)?;
        if self.british {
            if "əː".contains(c) {
                return None;
            }
        } else if stem.chars().count() > 1
            && c == 't'
            && second_last(stem).is_some_and(|c| US_TAUS.contains(c))
        {
            return Some(format!("{}ɾɪŋ", drop_last(stem)));
        }
        Some(format!("{stem}ɪŋ"))
    }

    pub fn stem_ing(
        &self,
        word: &str,
        tag: &str,
        stress: Option<f64>,
        ctx: Option<&Context>,
    ) -> Reading {
        let n = word.chars().count();
        if n < 5 || !word.ends_with("ing") {
            return (None, None);
        }
        let base = &word[..word.len() - 3];
        let doubled = {
            let b: Vec<char> = base.chars().collect();
            let k = b.len();
            (k >= 2 && b[k - 1] == b[k - 2] && "bcdgklmnprstvxz".contains(b[k - 1]))
                || word.ends_with("cking")
        };
        let stem = if n > 5 && self.is_known(base) {
            base.to_string()
        } else if self.is_known(&format!("{base}e")) {
            format!("{base}e")
        } else if n > 5 && doubled && self.is_known(drop_last(base)) {
            drop_last(base).to_string()
        } else {
            return (None, None);
        };
        let (ps, rating) = self.lookup(&stem, tag, stress, ctx);
        (ps.and_then(|p| self.suffix_ing(&p)), rating)
    }
}
