//! misaki's `Lexicon`: the gold and silver dictionaries of the misaki wheel, and the word
//! lookup that misaki.en does with them (capitals, special words such as "a", "the",
//! "to", spelled-out initials). Suffix rules are in `stems`, numbers in `reading`.

use std::collections::HashMap;
use std::path::Path;

use super::stress::{self, PRIMARY, SECONDARY};
use super::EnglishError;

/// A dictionary entry: one reading, or readings by part of speech (always with a
/// "DEFAULT"; a reading may be null, meaning "spell it out").
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Word(String),
    Tagged(HashMap<String, Option<String>>),
}

/// What the words after this one say about it: whether the next word starts with a vowel
/// (None: nothing follows before a clause mark), and whether it is "to".
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    pub future_vowel: Option<bool>,
    pub future_to: bool,
}

pub type Reading = (Option<String>, Option<u8>);

pub const SYMBOLS: &[(&str, &str)] = &[("%", "percent"), ("&", "and"), ("+", "plus"), ("@", "at")];

pub fn symbol_word(word: &str) -> Option<&'static str> {
    SYMBOLS.iter().find(|(s, _)| *s == word).map(|(_, w)| *w)
}

pub struct Lexicon {
    pub british: bool,
    golds: HashMap<String, Entry>,
    silvers: HashMap<String, Entry>,
}

/// Python's `str.isalpha`.
pub fn is_alpha(s: &str) -> bool {
    !s.is_empty() && s.chars().all(char::is_alphabetic)
}

pub fn is_lower(s: &str) -> bool {
    s.to_lowercase() == s
}

pub fn is_upper(s: &str) -> bool {
    s.to_uppercase() == s
}

/// Python's `str.capitalize`: the first character upper case, the rest lower.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.as_str().to_lowercase().chars())
            .collect(),
        None => String::new(),
    }
}

/// The characters misaki's lexicons are spelt in: apostrophe, hyphen, A-Z, a-z.
pub fn in_lexicon_alphabet(s: &str) -> bool {
    s.chars()
        .all(|c| c == '\'' || c == '-' || c.is_ascii_alphabetic())
}

/// misaki's `grow_dictionary`: "word" also answers "Word", and "Word" also "word", unless
/// the dictionary has that spelling itself.
fn grow(d: HashMap<String, Entry>) -> HashMap<String, Entry> {
    let mut extra = HashMap::new();
    for (k, v) in &d {
        if k.chars().count() < 2 {
            continue;
        }
        if is_lower(k) {
            let cap = capitalize(k);
            if *k != cap {
                extra.insert(cap, v.clone());
            }
        } else if *k == capitalize(&k.to_lowercase()) {
            extra.insert(k.to_lowercase(), v.clone());
        }
    }
    extra.extend(d);
    extra
}

fn load_json(path: &Path) -> Result<HashMap<String, Entry>, EnglishError> {
    let text = std::fs::read_to_string(path).map_err(|e| EnglishError::LexiconMissing {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    serde_json::from_str(&text).map_err(|e| EnglishError::LexiconUnreadable {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

/// misaki's `get_parent_tag`: a fine tag's coarse class, as the tagged entries key them.
fn parent_tag(tag: &str) -> &str {
    if tag.starts_with("VB") {
        "VERB"
    } else if tag.starts_with("NN") {
        "NOUN"
    } else if tag.starts_with("ADV") || tag.starts_with("RB") {
        "ADV"
    } else if tag.starts_with("ADJ") || tag.starts_with("JJ") {
        "ADJ"
    } else {
        tag
    }
}

impl Lexicon {
    pub fn load(gold: &Path, silver: &Path, british: bool) -> Result<Lexicon, EnglishError> {
        Ok(Lexicon {
            british,
            golds: grow(load_json(gold)?),
            silvers: grow(load_json(silver)?),
        })
    }

    /// The gold reading of `word` (its DEFAULT when tagged).
    pub fn gold(&self, word: &str) -> Option<String> {
        match self.golds.get(word)? {
            Entry::Word(w) => Some(w.clone()),
            Entry::Tagged(m) => m.get("DEFAULT").cloned().flatten(),
        }
    }

    fn gold_tagged(&self, word: &str, tag: &str) -> Option<String> {
        match self.golds.get(word)? {
            Entry::Word(w) => Some(w.clone()),
            Entry::Tagged(m) => m.get(tag).or_else(|| m.get("DEFAULT")).cloned().flatten(),
        }
    }

    /// misaki's `get_NNP`: the word spelt out letter by letter, the last letter stressed.
    pub fn spelled(&self, word: &str) -> Reading {
        let mut ps = String::new();
        for c in word.chars().filter(|c| c.is_alphabetic()) {
            match self.gold(&c.to_uppercase().to_string()) {
                Some(p) => ps.push_str(&p),
                None => return (None, None),
            }
        }
        let ps = stress::apply(&ps, Some(0.0));
        let ps = match ps.rfind(SECONDARY) {
            Some(i) => format!("{}{PRIMARY}{}", &ps[..i], &ps[i + SECONDARY.len_utf8()..]),
            None => ps,
        };
        (Some(ps), Some(3))
    }

    /// misaki's `get_special_case`: words whose reading depends on the context or tag.
    fn special_case(&self, word: &str, tag: &str, stress: Option<f64>, ctx: &Context) -> Reading {
        let letters = word.trim_matches('.');
        if let Some(w) = symbol_word(word) {
            return self.lookup(w, "", None, Some(ctx));
        }
        if letters.contains('.')
            && is_alpha(&word.replace('.', ""))
            && word
                .split('.')
                .map(|p| p.chars().count())
                .max()
                .unwrap_or(0)
                < 3
        {
            return self.spelled(word);
        }
        let fixed = |ps: &str| (Some(ps.to_string()), Some(4));
        match word {
            "a" | "A" => return fixed(if tag == "DT" { "ɐ" } else { "ˈA" }),
            "am" | "Am" | "AM" => {
                if tag.starts_with("NN") {
                    return self.spelled(word);
                }
                if ctx.future_vowel.is_none() || word != "am" || stress.is_some_and(|s| s > 0.0) {
                    return (self.gold("am"), Some(4));
                }
                return fixed("ɐm");
            }
            "an" | "An" | "AN" => {
                if word == "AN" && tag.starts_with("NN") {
                    return self.spelled(word);
                }
                return fixed("ɐn");
            }
            "I" if tag == "PRP" => return fixed("ˌI"),
            "by" | "By" | "BY" if parent_tag(tag) == "ADV" => return fixed("bˈI"),
            _ => {}
        }
        if matches!(word, "to" | "To") || (word == "TO" && matches!(tag, "TO" | "IN")) {
            return match ctx.future_vowel {
                None => (self.gold("to"), Some(4)),
                Some(false) => fixed("tə"),
                Some(true) => fixed("tʊ"),
            };
        }
        if matches!(word, "in" | "In") || (word == "IN" && tag != "NNP") {
            let mark = if ctx.future_vowel.is_none() || tag != "IN" {
                "ˈ"
            } else {
                ""
            };
            return fixed(&format!("{mark}ɪn"));
        }
        if matches!(word, "the" | "The") || (word == "THE" && tag == "DT") {
            return fixed(if ctx.future_vowel == Some(true) {
                "ði"
            } else {
                "ðə"
            });
        }
        if tag == "IN" && matches!(word.to_lowercase().as_str(), "vs" | "vs.") {
            return self.lookup("versus", "", None, Some(ctx));
        }
        if matches!(word, "used" | "Used" | "USED") {
            let t = if matches!(tag, "VBD" | "JJ") && ctx.future_to {
                "VBD"
            } else {
                "DEFAULT"
            };
            return (self.gold_tagged("used", t), Some(4));
        }
        (None, None)
    }

    /// misaki's `is_known`: whether `lookup` can read the word.
    pub fn is_known(&self, word: &str) -> bool {
        if self.golds.contains_key(word)
            || symbol_word(word).is_some()
            || self.silvers.contains_key(word)
        {
            return true;
        }
        if !is_alpha(word) || !in_lexicon_alphabet(word) {
            return false;
        }
        if word.chars().count() == 1 {
            return true;
        }
        if is_upper(word) && self.golds.contains_key(&word.to_lowercase()) {
            return true;
        }
        let rest: String = word.chars().skip(1).collect();
        is_upper(&rest)
    }

    /// misaki's `lookup`: gold, else silver (not for an all-capitals proper noun), the
    /// tagged reading for `tag`, else spelt out; then `stress` applied.
    pub fn lookup(
        &self,
        word: &str,
        tag: &str,
        stress: Option<f64>,
        ctx: Option<&Context>,
    ) -> Reading {
        let mut word = word.to_string();
        let mut is_nnp = None;
        if is_upper(&word) && !self.golds.contains_key(&word) {
            word = word.to_lowercase();
            is_nnp = Some(tag == "NNP");
        }
        let (mut entry, mut rating) = (self.golds.get(&word), 4);
        if entry.is_none() && is_nnp != Some(true) {
            (entry, rating) = (self.silvers.get(&word), 3);
        }
        let ps = match entry {
            None => None,
            Some(Entry::Word(w)) => Some(w.clone()),
            Some(Entry::Tagged(m)) => {
                let key = if ctx.is_some_and(|c| c.future_vowel.is_none()) && m.contains_key("None")
                {
                    "None"
                } else if m.contains_key(tag) {
                    tag
                } else {
                    parent_tag(tag)
                };
                m.get(key).or_else(|| m.get("DEFAULT")).cloned().flatten()
            }
        };
        if ps.is_none() || (is_nnp == Some(true) && !ps.as_deref().unwrap_or("").contains(PRIMARY))
        {
            let spelled = self.spelled(&word);
            if spelled.0.is_some() {
                return spelled;
            }
        }
        (ps.map(|p| stress::apply(&p, stress)), Some(rating))
    }

    /// misaki's `get_word`: special cases, then the word as written or lower-cased, then
    /// possessives and the -s, -ed and -ing rules.
    pub fn word(&self, word: &str, tag: &str, stress: Option<f64>, ctx: &Context) -> Reading {
        let special = self.special_case(word, tag, stress, ctx);
        if special.0.is_some() {
            return special;
        }
        let lower = word.to_lowercase();
        let rest: String = word.chars().skip(1).collect();
        let mut word = word.to_string();
        if word.chars().count() > 1
            && is_alpha(&word.replace('\'', ""))
            && word != lower
            && (tag != "NNP" || word.chars().count() > 7)
            && !self.golds.contains_key(&word)
            && !self.silvers.contains_key(&word)
            && (is_upper(&word) || is_lower(&rest))
            && (self.golds.contains_key(&lower)
                || self.silvers.contains_key(&lower)
                || self.stem_s(&lower, tag, stress, Some(ctx)).0.is_some()
                || self.stem_ed(&lower, tag, stress, Some(ctx)).0.is_some()
                || self.stem_ing(&lower, tag, stress, Some(ctx)).0.is_some())
        {
            word = lower;
        }
        if self.is_known(&word) {
            return self.lookup(&word, tag, stress, Some(ctx));
        }
        if let Some(stem) = word.strip_suffix("s'") {
            let possessive = format!("{stem}'s");
            if self.is_known(&possessive) {
                return self.lookup(&possessive, tag, stress, Some(ctx));
            }
        }
        if let Some(stem) = word.strip_suffix('\'') {
            if self.is_known(stem) {
                return self.lookup(stem, tag, stress, Some(ctx));
            }
        }
        for rule in [Lexicon::stem_s, Lexicon::stem_ed] {
            let found = rule(self, &word, tag, stress, Some(ctx));
            if found.0.is_some() {
                return found;
            }
        }
        let found = self.stem_ing(&word, tag, Some(stress.unwrap_or(0.5)), Some(ctx));
        if found.0.is_some() {
            return found;
        }
        (None, None)
    }
}
