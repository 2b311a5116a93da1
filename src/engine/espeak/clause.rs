//! Which punctuation ended each clause that espeak-ng translated.
//!
//! piper-tts keeps the punctuation of every clause in its phonemes and starts a new sentence
//! where espeak's clause type says one ends. It learns both from
//! `espeak_TextToPhonemesWithTerminator`, which later espeak-ng commits added (its own
//! build says 1.52.0.1). The 1.52 library voxdeck loads has only `espeak_TextToPhonemes`:
//! the same clause reader (`ReadClause` is unchanged between the two) but the clause type is
//! dropped. `ClauseReader` recovers it by reading the text exactly as `ReadClause` does,
//! clause for clause: the same character stream (the text, then its NUL), the one character
//! pushed back between clauses, the same tests for where punctuation ends a clause, and
//! espeak's own character classes (`CharClasses`, from the library's ucd tables). Each
//! espeak call's cursor is checked against it (see `phonemize::piper`).
//!
//! Not modelled, because voxdeck never turns them on or never feeds them: SSML, embedded
//! commands, spoken punctuation, newlines (text is whitespace-normalised first) and the
//! language options for ordinal dots (hu, de...) and lower-case sentence starts.

// readclause.h: clause types, as ReadClause returns them.
pub const CLAUSE_DOT_AFTER_LAST_WORD: u32 = 0x0040_0000;
pub const CLAUSE_SPEAK_PUNCTUATION_NAME: u32 = 0x0020_0000;
pub const CLAUSE_PUNCTUATION_IN_WORD: u32 = 0x0010_0000;
pub const CLAUSE_OPTIONAL_SPACE_AFTER: u32 = 0x0000_8000;
const CLAUSE_INTONATION_NONE: u32 = 0x4000;
const CLAUSE_INTONATION_COMMA: u32 = 0x1000;
const CLAUSE_INTONATION_QUESTION: u32 = 0x2000;
const CLAUSE_INTONATION_EXCLAMATION: u32 = 0x3000;
const CLAUSE_TYPE_EOF: u32 = 0x0001_0000;
const CLAUSE_TYPE_CLAUSE: u32 = 0x0004_0000;
pub const CLAUSE_TYPE_SENTENCE: u32 = 0x0008_0000;
pub const CLAUSE_NONE: u32 = CLAUSE_INTONATION_NONE;
pub const CLAUSE_PARAGRAPH: u32 = 70 | CLAUSE_TYPE_SENTENCE;
pub const CLAUSE_EOF: u32 = 40 | CLAUSE_TYPE_SENTENCE | CLAUSE_TYPE_EOF;
pub const CLAUSE_PERIOD: u32 = 40 | CLAUSE_TYPE_SENTENCE;
pub const CLAUSE_COMMA: u32 = 20 | CLAUSE_INTONATION_COMMA | CLAUSE_TYPE_CLAUSE;
pub const CLAUSE_QUESTION: u32 = 40 | CLAUSE_INTONATION_QUESTION | CLAUSE_TYPE_SENTENCE;
pub const CLAUSE_EXCLAMATION: u32 = 45 | CLAUSE_INTONATION_EXCLAMATION | CLAUSE_TYPE_SENTENCE;
pub const CLAUSE_COLON: u32 = 30 | CLAUSE_TYPE_CLAUSE;
pub const CLAUSE_SEMICOLON: u32 = 30 | CLAUSE_INTONATION_COMMA | CLAUSE_TYPE_CLAUSE;

/// translate.h N_TR_SOURCE: the bytes of source text one clause may hold.
const CLAUSE_BUFFER: usize = 800;
/// tr_languages.c `chars_ignore_default`: soft hyphen, ZWNJ, ZWJ are skipped.
const IGNORED: &[char] = &['\u{ad}', '\u{200c}', '\u{200d}'];
const ELLIPSIS: char = '\u{2026}';
const CTRL_EMBEDDED: char = '\u{1}';

/// espeak's character classes, as its `iswspace`, `iswlower`... (ucd-tools) answer them.
pub trait CharClasses {
    fn is_alnum(&self, c: char) -> bool;
    fn is_alpha(&self, c: char) -> bool;
    fn is_digit(&self, c: char) -> bool;
    fn is_lower(&self, c: char) -> bool;
    fn is_space(&self, c: char) -> bool;
    /// `clause_type_from_codepoint`: the CLAUSE_* a punctuation mark ends a clause with.
    fn clause_type(&self, c: char) -> u32;
}

/// How one clause ended: ReadClause's return value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClauseEnd(pub u32);

impl ClauseEnd {
    /// The mark piper-tts appends to the clause's phonemes. piper's espeakbridge masks
    /// the value with 0xFFFFF and keeps only an exact period, question, exclamation,
    /// comma, colon or semicolon: an ellipsis, the end of the text or a clause cut for
    /// length get nothing.
    pub fn piper_mark(self) -> Option<char> {
        match self.0 & 0xF_FFFF {
            CLAUSE_PERIOD => Some('.'),
            CLAUSE_QUESTION => Some('?'),
            CLAUSE_EXCLAMATION => Some('!'),
            CLAUSE_COMMA => Some(','),
            CLAUSE_COLON => Some(':'),
            CLAUSE_SEMICOLON => Some(';'),
            _ => None,
        }
    }

    /// Whether espeak says a sentence ends here (piper starts a new one after it).
    pub fn ends_sentence(self) -> bool {
        self.0 & CLAUSE_TYPE_SENTENCE != 0
    }
}

/// One clause as read: how it ended, and the characters it spans (indices into the text's
/// chars; a clause begins with the character the previous one pushed back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadClause {
    pub end: ClauseEnd,
    pub chars: std::ops::Range<usize>,
}

/// ReadClause's view of a text: a stream of its characters and a final NUL, with one
/// character of push-back that survives from one clause to the next.
pub struct ClauseReader<'c, C> {
    stream: Vec<char>,
    /// Characters taken from the stream (espeak's text decoder position).
    pos: usize,
    /// The pushed-back character and where it came from.
    ungot: Option<(char, usize)>,
    /// Where the character last taken came from.
    last: usize,
    classes: &'c C,
}

impl<'c, C: CharClasses> ClauseReader<'c, C> {
    pub fn new(text: &str, classes: &'c C) -> Self {
        let mut stream: Vec<char> = text.chars().collect();
        stream.push('\0');
        ClauseReader {
            stream,
            pos: 0,
            ungot: None,
            last: 0,
            classes,
        }
    }

    /// Characters taken from the stream so far: where espeak's cursor stands (the whole
    /// stream, NUL included, once espeak reports the end).
    pub fn consumed(&self) -> usize {
        self.pos
    }

    /// Puts the reader where espeak says it is, forgetting the push-back (used only if the
    /// two ever disagree, so one odd clause cannot shift all that follow).
    pub fn resync(&mut self, consumed: usize) {
        self.pos = consumed.min(self.stream.len());
        self.ungot = None;
    }

    fn eof(&self) -> bool {
        self.ungot.is_none() && self.pos >= self.stream.len()
    }

    fn getc(&mut self) -> char {
        if let Some((c, at)) = self.ungot.take() {
            self.last = at;
            return c;
        }
        match self.stream.get(self.pos) {
            Some(&c) => {
                self.last = self.pos;
                self.pos += 1;
                c
            }
            None => '\0',
        }
    }

    /// UngetC: a NUL means "nothing pushed back". A character never read here (ReadClause
    /// can push back a stale one) is placed at the current position.
    fn unget(&mut self, c: char, from: usize) {
        self.ungot = (c != '\0').then_some((c, from));
    }

    fn peek(&self) -> char {
        self.stream.get(self.pos).copied().unwrap_or('\0')
    }

    fn start(&self) -> usize {
        self.ungot.map_or(self.pos, |(_, at)| at)
    }

    /// Reads one clause as ReadClause does and says how it ended.
    pub fn read_clause(&mut self) -> ReadClause {
        let last = self.stream.len() - 1;
        let start = self.start().min(last);
        let end = self.read_to_end();
        let stop = self.start().min(last).max(start);
        ReadClause {
            end,
            chars: start..stop,
        }
    }

    fn read_to_end(&mut self) -> ClauseEnd {
        let classes = self.classes;
        // ReadClause keeps c_next across iterations, stale values included.
        let (mut c_next, mut c_next_at) = ('\0', self.pos);
        let mut any_alnum = false;
        let mut bytes = 0;
        let mut c2 = if self.eof() { '\0' } else { self.getc() };
        while !self.eof() {
            let mut c1 = c2;
            c2 = self.getc();
            let mut c2_at = self.last;
            if IGNORED.contains(&c1) {
                continue;
            }
            any_alnum |= classes.is_alnum(c1);
            if c1 == '.' && c2 == '.' {
                // Three or more dots read as one ellipsis; two stay two full stops.
                while !self.eof() {
                    c_next = self.getc();
                    c_next_at = self.last;
                    if c_next != '.' {
                        break;
                    }
                    c1 = ELLIPSIS;
                    c2 = ' ';
                }
                if c1 == ELLIPSIS {
                    c2 = c_next;
                    c2_at = c_next_at;
                } else {
                    self.unget(c_next, c_next_at);
                }
            }
            let mut punct = classes.clause_type(c1);
            let mut is_end = false;
            if punct != CLAUSE_NONE {
                // A run of marks after a mark is swallowed: the first one decides. (The
                // test is espeak's: any clause type shares a bit with these two.)
                if punct & (CLAUSE_QUESTION | CLAUSE_EXCLAMATION) != 0 {
                    while !self.eof()
                        && classes.clause_type(c2) & (CLAUSE_QUESTION | CLAUSE_EXCLAMATION) != 0
                    {
                        c2 = self.getc();
                        c2_at = self.last;
                        (c_next, c_next_at) = (c2, c2_at);
                    }
                }
                if punct & CLAUSE_PUNCTUATION_IN_WORD != 0 {
                    continue;
                }
                is_end = classes.is_space(c2)
                    || punct & CLAUSE_OPTIONAL_SPACE_AFTER != 0
                    || is_bracket(c2)
                    || c2 == '?'
                    || self.eof()
                    || c2 == CTRL_EMBEDDED;
            }
            if is_end {
                (c_next, c_next_at) = (c2, c2_at);
                let mut newlines = 0;
                while classes.is_space(c_next) && !self.eof() {
                    newlines += usize::from(c_next == '\n');
                    c_next = self.getc();
                    c_next_at = self.last;
                }
                if c1 == '.' && newlines < 2 {
                    punct |= CLAUSE_DOT_AFTER_LAST_WORD;
                }
                if newlines == 0 {
                    // "U.S.A.'s": an acronym's possessive does not end the clause.
                    if c1 == '.' && c_next == '\'' && self.peek() == 's' {
                        is_end = false;
                    }
                    if c1 == '.' {
                        // A full stop before a lower-case word is an abbreviation's.
                        if classes.is_lower(c_next) {
                            is_end = false;
                        }
                        if !any_alnum {
                            c1 = ' ';
                            is_end = false;
                        }
                    } else if !any_alnum {
                        is_end = false;
                    }
                }
                if is_end {
                    self.unget(c_next, c_next_at);
                    if newlines > 1 {
                        return ClauseEnd(
                            if punct == CLAUSE_QUESTION || punct == CLAUSE_EXCLAMATION {
                                punct + 35
                            } else {
                                CLAUSE_PARAGRAPH
                            },
                        );
                    }
                    return ClauseEnd(punct);
                } else if !self.eof() && classes.is_space(c2) {
                    self.unget(c_next, c_next_at);
                }
            }
            // A clause that fills espeak's source buffer is cut, preferably between words.
            bytes += c1.len_utf8();
            if (bytes > CLAUSE_BUFFER - 75 && !classes.is_alpha(c1) && !classes.is_digit(c1))
                || bytes >= CLAUSE_BUFFER - 4
            {
                self.unget(c2, c2_at);
                return ClauseEnd(CLAUSE_NONE);
            }
        }
        ClauseEnd(CLAUSE_EOF)
    }
}

/// common.c `IsBracket`: brackets, quotes and the dashes and quotes U+2014..U+201F.
fn is_bracket(c: char) -> bool {
    matches!(c, '\u{2014}'..='\u{201f}')
        || matches!(
            c,
            '(' | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '<'
                | '>'
                | '"'
                | '\''
                | '`'
                | '\u{ab}'
                | '\u{bb}'
                | '\u{300a}'
                | '\u{300b}'
                | '\u{e03c}'
        )
}

#[cfg(test)]
mod tests;
