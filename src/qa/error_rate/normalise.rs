//! The normalisation both texts go through before they are compared; the steps and why are
//! in the module docs of `qa::error_rate`.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::numbers::{self, GROUP_SPACES};
use super::orthography::Orthography;

pub(super) fn normalise(text: &str, orthography: Orthography) -> String {
    let compatible = nfkc_keeping(text, &GROUP_SPACES);
    let lower = ascii_digits(&compatible.to_lowercase());
    let spelled = numbers::spell_out(&lower, orthography);
    // Again: lowercasing can leave text outside NFKC, and the spelled words are only
    // written precomposed in the source.
    let composed: String = spelled.nfkc().collect();
    let bare = strip_symbols(&composed);
    let words = numbers::tidy_words(bare.split_whitespace().collect(), orthography);
    if orthography.spaced() {
        words.join(" ")
    } else {
        words.concat()
    }
}

/// NFKC, except that the characters in `kept` are left as they are (NFKC would make them
/// plain spaces, and between digits they are thousands separators). They are starters that
/// compose with nothing, so normalising the pieces between them is normalising the whole.
fn nfkc_keeping(text: &str, kept: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in text.split_inclusive(|c| kept.contains(&c)) {
        let mut chars = piece.chars();
        let last = chars.next_back().filter(|c| kept.contains(c));
        let body = if last.is_some() {
            chars.as_str()
        } else {
            piece
        };
        out.extend(body.nfkc());
        out.extend(last);
    }
    out
}

/// Devanagari digits as ASCII ones, so Hindi numbers are spelled out like any other (NFKC
/// leaves them; other scripts' digits are kept and compared as characters).
fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{0966}'..='\u{096F}' => char::from(b'0' + (c as u32 - 0x0966) as u8),
            _ => c,
        })
        .collect()
}

/// Letters, digits and marks kept; apostrophes inside a word kept as "'"; a full stop
/// between two letters dropped (abbreviations: "p.m." is "pm"); invisible format characters
/// dropped; everything else (punctuation, symbols, spaces, controls) a space.
fn strip_symbols(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    // The last character written when it was a letter, digit or mark.
    let mut last_kept: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if is_invisible(c) {
            continue;
        }
        if is_apostrophe(c) {
            if last_kept.is_some() && next.is_some_and(char::is_alphanumeric) {
                out.push('\'');
            } else {
                out.push(' ');
            }
            last_kept = None;
        } else if c.is_alphanumeric() || (is_combining_mark(c) && last_kept.is_some()) {
            out.push(c);
            last_kept = Some(c);
        } else if c == '.'
            && last_kept.is_some_and(char::is_alphabetic)
            && next.is_some_and(char::is_alphabetic)
        {
            // Joined: the letters either side belong to one abbreviation.
        } else {
            // A mark after a dropped symbol (an emoji's) goes with it.
            out.push(' ');
            last_kept = None;
        }
    }
    out
}

/// Apostrophes as typed and as typeset; inside a word they are one character.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Format characters that join or shape letters but are no character of their own: the soft
/// hyphen, zero-width (non-)joiners (needed inside Devanagari words), direction marks, the
/// word joiner, the byte order mark, and variation selectors. Dropping them with a space
/// would split a word.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200C}'..='\u{200F}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}
