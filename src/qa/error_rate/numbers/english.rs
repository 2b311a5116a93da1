//! English cardinals, the same for en-us and en-gb: written without "and" ("one hundred
//! fifty"), and an "and" inside a spelled number is dropped from both texts, so the British
//! "one hundred and fifty" compares equal to it.

use crate::engine::english::numbers::{ONES, TENS};

/// Below the billions; the count of billions is spelled recursively, so any u64 is served.
const SCALES: [(u64, &str); 2] = [(1_000_000, "million"), (1_000, "thousand")];
const BILLION: u64 = 1_000_000_000;

pub(super) const POINT: &str = "point";

pub(super) fn cardinal(n: u64) -> String {
    if n == 0 {
        return ONES[0].to_string();
    }
    let mut words: Vec<String> = Vec::new();
    let mut rest = n;
    if rest >= BILLION {
        words.push(cardinal(rest / BILLION));
        words.push("billion".into());
        rest %= BILLION;
    }
    for (scale, name) in SCALES {
        if rest >= scale {
            below_thousand(rest / scale, &mut words);
            words.push(name.into());
            rest %= scale;
        }
    }
    below_thousand(rest, &mut words);
    words.join(" ")
}

/// `n` in 0..1000; nothing for 0 (it is only ever part of a larger number here).
fn below_thousand(n: u64, words: &mut Vec<String>) {
    let (hundreds, rest) = ((n / 100) as usize, (n % 100) as usize);
    if hundreds > 0 {
        words.push(ONES[hundreds].into());
        words.push("hundred".into());
    }
    if rest >= 20 {
        words.push(TENS[rest / 10].into());
        if rest % 10 > 0 {
            words.push(ONES[rest % 10].into());
        }
    } else if rest > 0 {
        words.push(ONES[rest].into());
    }
}

/// Drops "and" between a scale word and the number word after it ("hundred and fifty").
pub(super) fn drop_number_and(words: Vec<&str>) -> Vec<&str> {
    let scale = |w: &str| matches!(w, "hundred" | "thousand" | "million" | "billion");
    let number = |w: &str| ONES[1..].contains(&w) || TENS[2..].contains(&w);
    let mut kept = Vec::with_capacity(words.len());
    for (i, &word) in words.iter().enumerate() {
        let between = i > 0 && scale(words[i - 1]) && words.get(i + 1).is_some_and(|&w| number(w));
        if !(word == "and" && between) {
            kept.push(word);
        }
    }
    kept
}
