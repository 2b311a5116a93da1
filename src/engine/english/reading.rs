//! misaki's reading of one token against the lexicon (`Lexicon.__call__`): words, and
//! numbers in all misaki's forms: years, ordinals ("21st"), amounts of money ("$1,250",
//! "£3.50"), decimals, digit strings, and numbers with -s/-ed/-ing.

use unicode_normalization::UnicodeNormalization;

use super::lexicon::{Context, Lexicon, Reading};
use super::numbers;
use super::stress;
use super::token::Token;

/// Currency symbols misaki reads, with their unit and hundredth.
pub const CURRENCIES: &[(char, &str, &str)] = &[
    ('$', "dollar", "cent"),
    ('£', "pound", "pence"),
    ('€', "euro", "cent"),
];
const ORDINALS: &[&str] = &["st", "nd", "rd", "th"];

pub fn currency_units(c: char) -> Option<(&'static str, &'static str)> {
    CURRENCIES
        .iter()
        .find(|(s, _, _)| *s == c)
        .map(|&(_, unit, cent)| (unit, cent))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// misaki's `is_number`: digits with commas and points, perhaps a leading minus on the
/// head piece, perhaps one suffix (-s, -ed, -ing, an ordinal ending).
fn is_number(word: &str, is_head: bool) -> bool {
    if !word.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let suffixes = ["ing", "'d", "ed", "'s", "st", "nd", "rd", "th", "s"];
    let word = suffixes
        .iter()
        .find_map(|s| word.strip_suffix(s))
        .unwrap_or(word);
    word.chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == ',' || c == '.' || (is_head && i == 0 && c == '-'))
}

/// misaki's `is_currency`: at most one point, and at most two digits after it.
fn is_currency_amount(word: &str) -> bool {
    match word.split_once('.') {
        None => true,
        Some((_, cents)) => !cents.contains('.') && cents.chars().count() < 3,
    }
}

impl Lexicon {
    /// The token's phonemes, or None when misaki would hand it to espeak.
    pub fn read(&self, token: &Token, ctx: &Context) -> Reading {
        let word = token
            .alias
            .as_deref()
            .unwrap_or(&token.text)
            .replace(['‘', '’'], "'");
        let word: String = word.nfkc().collect();
        let stress = if word.to_lowercase() == word {
            None
        } else if word.to_uppercase() == word {
            Some(2.0)
        } else {
            Some(0.5)
        };
        let (ps, rating) = self.word(&word, &token.tag, stress, ctx);
        if let Some(ps) = ps {
            let ps = self.append_currency(ps, token.currency);
            return (Some(stress::apply(&ps, token.stress)), rating);
        }
        if is_number(&word, token.is_head) {
            let (ps, rating) = self.number(&word, token.currency, token.is_head, &token.num_flags);
            return (ps.map(|p| stress::apply(&p, token.stress)), rating);
        }
        (None, None)
    }

    fn append_currency(&self, ps: String, currency: Option<char>) -> String {
        let Some((unit, _)) = currency.and_then(currency_units) else {
            return ps;
        };
        match self.stem_s(&format!("{unit}s"), "", None, None).0 {
            Some(units) => format!("{ps} {units}"),
            None => ps,
        }
    }

    /// The words of a num2words text (split at every non-letter), each looked up; "and"
    /// left out as misaki leaves it out.
    fn push_words(&self, out: &mut Vec<Reading>, text: &str, first: bool, flags: &str) {
        let words: Vec<&str> = text.split(|c: char| !c.is_ascii_lowercase()).collect();
        let words: Vec<&str> = collapse_separators(&words);
        for (i, w) in words.iter().enumerate() {
            if *w != "and" || flags.contains('&') {
                if first && i == 0 && words.len() > 1 && *w == "one" && flags.contains('a') {
                    out.push((Some("ə".into()), Some(4)));
                } else {
                    let stress = (*w == "point").then_some(-2.0);
                    out.push(self.lookup(w, "", stress, None));
                }
            } else if flags.contains('n') {
                if let Some((Some(last), _)) = out.last_mut() {
                    last.push_str("ən");
                }
            }
        }
    }

    fn push_number(&self, out: &mut Vec<Reading>, digits: &str, first: bool, flags: &str) {
        match numbers::cardinal(digits) {
            Some(words) => self.push_words(out, &words, first, flags),
            None => out.push((None, None)),
        }
    }

    /// misaki's `get_number`.
    fn number(&self, word: &str, currency: Option<char>, is_head: bool, flags: &str) -> Reading {
        let stem_len = word
            .trim_end_matches(|c: char| c.is_ascii_lowercase() || c == '\'')
            .len();
        let (mut word, suffix) = word.split_at(stem_len);
        let mut out: Vec<Reading> = Vec::new();
        if let Some(rest) = word.strip_prefix('-') {
            out.push(self.lookup("minus", "", None, None));
            word = rest;
        }
        let money = currency.and_then(currency_units);
        if is_digits(word) && ORDINALS.contains(&suffix) {
            match numbers::ordinal(word) {
                Some(words) => self.push_words(&mut out, &words, true, flags),
                None => return (None, None),
            }
        } else if out.is_empty() && word.chars().count() == 4 && money.is_none() && is_digits(word)
        {
            let n: u64 = word.parse().unwrap_or(0);
            self.push_words(&mut out, &numbers::year(n), true, flags);
        } else if !is_head && !word.contains('.') {
            let num = word.replace(',', "");
            self.push_digit_group(&mut out, &num, flags);
        } else if word.matches('.').count() > 1 || !is_head {
            let mut first = true;
            for num in word.replace(',', "").split('.') {
                if num.is_empty() {
                } else if num.starts_with('0')
                    || (num.chars().count() != 2 && num.chars().skip(1).any(|c| c != '0'))
                {
                    for d in num.chars() {
                        self.push_number(&mut out, &d.to_string(), false, flags);
                    }
                } else {
                    self.push_number(&mut out, num, first, flags);
                }
                first = false;
            }
        } else if let (Some((unit, cent)), true) = (money, is_currency_amount(word)) {
            self.push_money(&mut out, word, unit, cent, flags);
        } else {
            let text = if is_digits(word) {
                match numbers::cardinal(word) {
                    Some(words) => words,
                    None => return (None, None),
                }
            } else if !word.contains('.') {
                let plain = word.replace(',', "");
                let words = if ORDINALS.contains(&suffix) {
                    numbers::ordinal(&plain)
                } else {
                    numbers::cardinal(&plain)
                };
                match words {
                    Some(words) => words,
                    None => return (None, None),
                }
            } else {
                let w = word.replace(',', "");
                match w.strip_prefix('.') {
                    Some(fraction) => {
                        let digits: Vec<String> = fraction
                            .chars()
                            .map(|d| numbers::cardinal_of(d.to_digit(10).unwrap_or(0) as u64))
                            .collect();
                        format!("point {}", digits.join(" "))
                    }
                    None => match numbers::decimal(&w) {
                        Some(t) => t,
                        None => return (None, None),
                    },
                }
            };
            self.push_words(&mut out, &text, true, flags);
        }
        if out.is_empty() || out.iter().any(|(p, _)| p.is_none()) {
            return (None, None);
        }
        let rating = out.iter().filter_map(|(_, r)| *r).min();
        let ps: Vec<String> = out.into_iter().filter_map(|(p, _)| p).collect();
        let ps = ps.join(" ");
        let ps = match suffix {
            "s" | "'s" => self.suffix_s(&ps),
            "ed" | "'d" => self.suffix_ed(&ps),
            "ing" => self.suffix_ing(&ps),
            _ => Some(ps),
        };
        (ps, rating)
    }

    /// A number that is a later piece of a word ("221" after nothing, "30" in "3:30"):
    /// digit by digit when it starts with 0 or is long, "two oh five" for three digits.
    fn push_digit_group(&self, out: &mut Vec<Reading>, num: &str, flags: &str) {
        let chars: Vec<char> = num.chars().collect();
        if chars.is_empty() {
            return;
        }
        if chars[0] == '0' || chars.len() > 3 {
            for d in &chars {
                self.push_number(out, &d.to_string(), false, flags);
            }
        } else if chars.len() == 3 && !num.ends_with("00") {
            self.push_number(out, &chars[0].to_string(), true, flags);
            if chars[1] == '0' {
                out.push(self.lookup("O", "", Some(-2.0), None));
                self.push_number(out, &chars[2].to_string(), false, flags);
            } else {
                self.push_number(out, &num[1..], false, flags);
            }
        } else {
            self.push_number(out, num, true, flags);
        }
    }

    /// "three pounds and fifty pence": the whole units, then the hundredths, either left
    /// out when zero.
    fn push_money(&self, out: &mut Vec<Reading>, word: &str, unit: &str, cent: &str, flags: &str) {
        let plain = word.replace(',', "");
        // Amounts are compared with 0 and 1; the words come from the digits themselves.
        let mut pairs: Vec<(&str, &str)> = plain
            .split('.')
            .zip([unit, cent])
            .map(|(n, u)| (n.trim_start_matches('0'), u))
            .collect();
        if pairs.len() > 1 {
            if pairs[1].0.is_empty() {
                pairs.truncate(1);
            } else if pairs[0].0.is_empty() {
                pairs.remove(0);
            }
        }
        for (i, (n, unit)) in pairs.into_iter().enumerate() {
            if i > 0 {
                out.push(self.lookup("and", "", None, None));
            }
            self.push_number(out, if n.is_empty() { "0" } else { n }, i == 0, flags);
            out.push(if n != "1" && unit != "pence" {
                self.stem_s(&format!("{unit}s"), "", None, None)
            } else {
                self.lookup(unit, "", None, None)
            });
        }
    }
}

/// Python's `re.split` keeps empty strings at the ends (text starting or ending with a
/// non-letter); num2words' texts never do, so only runs inside matter: split already
/// makes one empty string per extra separator character, which are dropped here.
fn collapse_separators<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let n = words.len();
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| !w.is_empty() || *i == 0 || *i == n - 1)
        .map(|(_, w)| *w)
        .collect()
}
