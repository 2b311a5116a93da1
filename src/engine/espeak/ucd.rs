//! espeak-ng's own character classes, from the ucd-tools tables inside the loaded library.
//!
//! Where a clause ends depends on espeak's idea of a space, a lower-case letter and a
//! punctuation mark, which follows its bundled Unicode data rather than Rust's. Asking the
//! library itself (these `ucd_*` functions are exported by the 1.52 build) keeps
//! `clause::ClauseReader` in step with espeak on every character, not only on ASCII.

use std::ffi::c_int;

use super::clause::{
    CharClasses, CLAUSE_COLON, CLAUSE_COMMA, CLAUSE_EXCLAMATION, CLAUSE_NONE,
    CLAUSE_OPTIONAL_SPACE_AFTER, CLAUSE_PARAGRAPH, CLAUSE_PERIOD, CLAUSE_PUNCTUATION_IN_WORD,
    CLAUSE_QUESTION, CLAUSE_SEMICOLON, CLAUSE_SPEAK_PUNCTUATION_NAME,
};

pub(super) type IsFn = unsafe extern "C" fn(u32) -> c_int;
pub(super) type CategoryFn = unsafe extern "C" fn(u32) -> c_int;
pub(super) type PropertiesFn = unsafe extern "C" fn(u32, c_int) -> u64;

// ucd.h: the espeak-specific property bits that `clause_type_from_codepoint` reads.
const PROPERTY_MASK: u64 = 0xFFF0_0000_0000_0000;
const INVERTED_TERMINAL_PUNCTUATION: u64 = 0x0010_0000_0000_0000;
const PUNCTUATION_IN_WORD: u64 = 0x0020_0000_0000_0000;
const OPTIONAL_SPACE_AFTER: u64 = 0x0040_0000_0000_0000;
const EXTENDED_DASH: u64 = 0x0080_0000_0000_0000;
const PARAGRAPH_SEPARATOR: u64 = 0x0100_0000_0000_0000;
const ELLIPSIS: u64 = 0x0200_0000_0000_0000;
const SEMI_COLON: u64 = 0x0400_0000_0000_0000;
const COLON: u64 = 0x0800_0000_0000_0000;
const COMMA: u64 = 0x1000_0000_0000_0000;
const EXCLAMATION_MARK: u64 = 0x2000_0000_0000_0000;
const QUESTION_MARK: u64 = 0x4000_0000_0000_0000;
const FULL_STOP: u64 = 0x8000_0000_0000_0000;

/// The library's `ucd_*` entry points. Plain table lookups: no espeak state is touched.
#[derive(Clone, Copy)]
pub struct Ucd {
    pub(super) isalnum: IsFn,
    pub(super) isalpha: IsFn,
    pub(super) isdigit: IsFn,
    pub(super) islower: IsFn,
    pub(super) isspace: IsFn,
    pub(super) lookup_category: CategoryFn,
    pub(super) properties: PropertiesFn,
}

impl Ucd {
    fn is(&self, f: IsFn, c: char) -> bool {
        // SAFETY: a pure lookup taking any code point; the library stays loaded for the
        // process's life (it lives in a static).
        unsafe { f(c as u32) != 0 }
    }
}

impl CharClasses for Ucd {
    fn is_alnum(&self, c: char) -> bool {
        self.is(self.isalnum, c)
    }
    fn is_alpha(&self, c: char) -> bool {
        self.is(self.isalpha, c)
    }
    fn is_digit(&self, c: char) -> bool {
        self.is(self.isdigit, c)
    }
    fn is_lower(&self, c: char) -> bool {
        self.is(self.islower, c)
    }
    fn is_space(&self, c: char) -> bool {
        self.is(self.isspace, c)
    }

    /// readclause.c `clause_type_from_codepoint`, case for case.
    fn clause_type(&self, c: char) -> u32 {
        // SAFETY: as in `is`.
        let props = unsafe { (self.properties)(c as u32, (self.lookup_category)(c as u32)) };
        let p = props & PROPERTY_MASK;
        match p {
            FULL_STOP => CLAUSE_PERIOD,
            x if x == FULL_STOP | OPTIONAL_SPACE_AFTER => {
                CLAUSE_PERIOD | CLAUSE_OPTIONAL_SPACE_AFTER
            }
            QUESTION_MARK => CLAUSE_QUESTION,
            x if x == QUESTION_MARK | OPTIONAL_SPACE_AFTER => {
                CLAUSE_QUESTION | CLAUSE_OPTIONAL_SPACE_AFTER
            }
            x if x == QUESTION_MARK | PUNCTUATION_IN_WORD => {
                CLAUSE_QUESTION | CLAUSE_PUNCTUATION_IN_WORD
            }
            EXCLAMATION_MARK => CLAUSE_EXCLAMATION,
            x if x == EXCLAMATION_MARK | OPTIONAL_SPACE_AFTER => {
                CLAUSE_EXCLAMATION | CLAUSE_OPTIONAL_SPACE_AFTER
            }
            x if x == EXCLAMATION_MARK | PUNCTUATION_IN_WORD => {
                CLAUSE_EXCLAMATION | CLAUSE_PUNCTUATION_IN_WORD
            }
            COMMA => CLAUSE_COMMA,
            x if x == COMMA | OPTIONAL_SPACE_AFTER => CLAUSE_COMMA | CLAUSE_OPTIONAL_SPACE_AFTER,
            COLON => CLAUSE_COLON,
            x if x == COLON | OPTIONAL_SPACE_AFTER => CLAUSE_COLON | CLAUSE_OPTIONAL_SPACE_AFTER,
            SEMI_COLON | EXTENDED_DASH => CLAUSE_SEMICOLON,
            x if x == SEMI_COLON | OPTIONAL_SPACE_AFTER
                || x == QUESTION_MARK | OPTIONAL_SPACE_AFTER | INVERTED_TERMINAL_PUNCTUATION
                || x == EXCLAMATION_MARK | OPTIONAL_SPACE_AFTER | INVERTED_TERMINAL_PUNCTUATION =>
            {
                CLAUSE_SEMICOLON | CLAUSE_OPTIONAL_SPACE_AFTER
            }
            ELLIPSIS => {
                CLAUSE_SEMICOLON | CLAUSE_SPEAK_PUNCTUATION_NAME | CLAUSE_OPTIONAL_SPACE_AFTER
            }
            PARAGRAPH_SEPARATOR => CLAUSE_PARAGRAPH,
            _ => CLAUSE_NONE,
        }
    }
}
