//! Numbers as they are spoken: every run of digits in a text is replaced by its words in the
//! language ("1,250" → "one thousand two hundred fifty"), so a number written with digits
//! on one side and spelled out on the other compares equal, and one written with digits on
//! both sides weighs what saying it takes.
//!
//! Reading a number: a run of digits; then, when that run has at most three digits, groups
//! joined by the language's thousands separator, each exactly three digits (two or three in
//! Hindi, for the Indian "1,25,000"); then at most one decimal separator and its digits. The
//! separators are the language's own: "," groups and "." is the decimal point in English,
//! Hindi, Japanese and Chinese; "." groups and "," is the decimal comma in Spanish, Italian,
//! Portuguese and German; French groups with a space or "." and uses the comma. Where the
//! decimal is a comma, a "." that cannot be a thousands separator ("1.5") is read as the
//! decimal point too, as people and Whisper both write it. A no-break, narrow or thin space
//! between digits groups them in every language.
//!
//! Saying it: integers up to twelve digits are said as a cardinal in the language (its
//! module says which forms it picks); longer runs (phone numbers, codes) and runs with a
//! leading zero ("007") are said digit by digit, as are the digits after a decimal point
//! ("1.25" → "one point two five").
//!
//! Not covered, and compared as what is left of them: signs (a minus is a symbol and is
//! dropped), ordinals ("1st" → "one st"), times ("3:30" → "three thirty"), fractions,
//! currencies and units (the "$" of "$1,250" is dropped like every symbol, so "$1,250"
//! equals "1250" but not "1250 dollars").

mod cjk;
mod english;
mod french;
mod german;
mod hindi;
mod italian;
mod portuguese;
mod spanish;

use std::ops::RangeInclusive;

use super::orthography::Orthography;

/// Spaces that typography puts between digit groups ("1 250"); between digits they are
/// thousands separators in every language, so the normalisation keeps them until here.
pub(super) const GROUP_SPACES: [char; 4] = ['\u{00A0}', '\u{2007}', '\u{2009}', '\u{202F}'];

/// The longest integer said as a number; past a trillion it is a code, said digit by digit.
const MAX_CARDINAL_DIGITS: usize = 12;

/// The number in the language's words, lowercase.
pub(super) fn cardinal(n: u64, orthography: Orthography) -> String {
    match orthography {
        Orthography::English => english::cardinal(n),
        Orthography::French => french::cardinal(n),
        Orthography::Spanish => spanish::cardinal(n),
        Orthography::Italian => italian::cardinal(n),
        Orthography::Portuguese => portuguese::cardinal(n),
        Orthography::German => german::cardinal(n),
        Orthography::Hindi => hindi::cardinal(n),
        Orthography::Japanese => cjk::japanese(n),
        Orthography::Chinese => cjk::chinese(n),
    }
}

/// The words of a normalised text with what a language's spelled numbers may differ by
/// dropped: the "and" of "one hundred and fifty".
pub(super) fn tidy_words(words: Vec<&str>, orthography: Orthography) -> Vec<&str> {
    match orthography {
        Orthography::English => english::drop_number_and(words),
        _ => words,
    }
}

/// The word said for the decimal point.
fn point_word(orthography: Orthography) -> &'static str {
    match orthography {
        Orthography::English => english::POINT,
        Orthography::French => french::POINT,
        Orthography::Spanish => spanish::POINT,
        Orthography::Italian => italian::POINT,
        Orthography::Portuguese => portuguese::POINT,
        Orthography::German => german::POINT,
        Orthography::Hindi => hindi::POINT,
        Orthography::Japanese | Orthography::Chinese => cjk::POINT,
    }
}

/// The thousands separators besides `GROUP_SPACES`.
fn group_separators(orthography: Orthography) -> &'static [char] {
    match orthography {
        Orthography::English
        | Orthography::Hindi
        | Orthography::Japanese
        | Orthography::Chinese => &[','],
        Orthography::French => &[' ', '.'],
        Orthography::Spanish
        | Orthography::Italian
        | Orthography::Portuguese
        | Orthography::German => &['.'],
    }
}

fn group_sizes(orthography: Orthography) -> RangeInclusive<usize> {
    match orthography {
        Orthography::Hindi => 2..=3,
        _ => 3..=3,
    }
}

fn decimal_comma(orthography: Orthography) -> bool {
    !matches!(
        orthography,
        Orthography::English | Orthography::Hindi | Orthography::Japanese | Orthography::Chinese
    )
}

/// `text` (lowercase, ASCII digits) with every number replaced by its words, a space either
/// side so that "3pm" becomes "three pm" (spaces are dropped later where the language
/// writes none).
pub(super) fn spell_out(text: &str, orthography: Orthography) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_ascii_digit() {
            let (number, end) = Number::read(&chars, i, orthography);
            out.push(' ');
            out.push_str(&number.said(orthography));
            out.push(' ');
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A number as written: its integer digits (separators gone) and decimal digits.
struct Number {
    integer: String,
    fraction: String,
}

impl Number {
    /// Reads the number starting at `chars[start]` (a digit); returns it and where it ends.
    fn read(chars: &[char], start: usize, orthography: Orthography) -> (Number, usize) {
        let mut integer = String::new();
        let mut i = take_digits(chars, start, &mut integer);
        if integer.len() <= 3 {
            while let Some(&separator) = chars.get(i) {
                let grouping = GROUP_SPACES.contains(&separator)
                    || group_separators(orthography).contains(&separator);
                if !grouping || !group_sizes(orthography).contains(&digit_run(chars, i + 1)) {
                    break;
                }
                i = take_digits(chars, i + 1, &mut integer);
            }
        }
        let mut fraction = String::new();
        if let Some(&separator) = chars.get(i) {
            let point = match separator {
                '.' => true,
                ',' => decimal_comma(orthography),
                _ => false,
            };
            if point && digit_run(chars, i + 1) > 0 {
                i = take_digits(chars, i + 1, &mut fraction);
            }
        }
        (Number { integer, fraction }, i)
    }

    fn said(&self, orthography: Orthography) -> String {
        let as_cardinal = self.integer.len() <= MAX_CARDINAL_DIGITS
            && !(self.integer.len() > 1 && self.integer.starts_with('0'));
        let mut words = match self.integer.parse::<u64>() {
            Ok(n) if as_cardinal => cardinal(n, orthography),
            _ => digit_by_digit(&self.integer, orthography),
        };
        if !self.fraction.is_empty() {
            words.push(' ');
            words.push_str(point_word(orthography));
            words.push(' ');
            words.push_str(&digit_by_digit(&self.fraction, orthography));
        }
        words
    }
}

fn digit_by_digit(digits: &str, orthography: Orthography) -> String {
    digits
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| cardinal(u64::from(d), orthography))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How many ASCII digits start at `chars[from]`.
fn digit_run(chars: &[char], from: usize) -> usize {
    chars.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|c| c.is_ascii_digit()).count()
    })
}

/// Appends the digits starting at `chars[from]` to `into`; returns the index after them.
fn take_digits(chars: &[char], from: usize, into: &mut String) -> usize {
    let run = digit_run(chars, from);
    if let Some(digits) = chars.get(from..from + run) {
        into.extend(digits);
    }
    from + run
}
