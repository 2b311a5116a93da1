use super::*;

/// ASCII stand-ins for espeak's classes, enough for these texts; the real ones are the
/// library's and are checked against espeak's own cursor by tests/piper_fixture.rs.
struct Ascii;

impl CharClasses for Ascii {
    fn is_alnum(&self, c: char) -> bool {
        c.is_ascii_alphanumeric()
    }
    fn is_alpha(&self, c: char) -> bool {
        c.is_ascii_alphabetic()
    }
    fn is_digit(&self, c: char) -> bool {
        c.is_ascii_digit()
    }
    fn is_lower(&self, c: char) -> bool {
        c.is_ascii_lowercase()
    }
    fn is_space(&self, c: char) -> bool {
        c.is_ascii_whitespace()
    }
    fn clause_type(&self, c: char) -> u32 {
        match c {
            '.' => CLAUSE_PERIOD,
            '?' => CLAUSE_QUESTION,
            '!' => CLAUSE_EXCLAMATION,
            ',' => CLAUSE_COMMA,
            ':' => CLAUSE_COLON,
            ';' => CLAUSE_SEMICOLON,
            ELLIPSIS => {
                CLAUSE_SEMICOLON | CLAUSE_SPEAK_PUNCTUATION_NAME | CLAUSE_OPTIONAL_SPACE_AFTER
            }
            _ => CLAUSE_NONE,
        }
    }
}

/// Each clause's text and the mark and sentence end piper would take from it.
fn clauses(text: &str) -> Vec<(String, Option<char>, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let mut reader = ClauseReader::new(text, &Ascii);
    let mut out = Vec::new();
    while reader.consumed() < chars.len() + 1 {
        let clause = reader.read_clause();
        let text: String = chars[clause.chars.clone()].iter().collect();
        out.push((text, clause.end.piper_mark(), clause.end.ends_sentence()));
    }
    out
}

fn c(text: &str, mark: Option<char>, ends: bool) -> (String, Option<char>, bool) {
    (text.to_string(), mark, ends)
}

#[test]
fn marks_end_clauses_and_sentences_as_espeak_returns_them() {
    assert_eq!(
        clauses("Hello, world! How are you?"),
        [
            c("Hello, ", Some(','), false),
            c("world! ", Some('!'), true),
            c("How are you?", Some('?'), true)
        ]
    );
    // The end of the text is a sentence end without a mark.
    assert_eq!(clauses("at noon"), [c("at noon", None, true)]);
}

#[test]
fn abbreviations_end_sentences_only_before_a_capital() {
    assert_eq!(
        clauses("Dr. Smith left."),
        [
            c("Dr. ", Some('.'), true),
            c("Smith left.", Some('.'), true)
        ]
    );
    assert_eq!(clauses("e.g. this"), [c("e.g. this", None, true)]);
    assert_eq!(
        clauses("The U.S.A.'s role."),
        [c("The U.S.A.'s role.", Some('.'), true)]
    );
}

#[test]
fn ellipses_and_runs_of_marks() {
    // Three dots are one ellipsis: a clause end without a mark, not a sentence end.
    assert_eq!(
        clauses("Wait... what?"),
        [c("Wait... ", None, false), c("what?", Some('?'), true)]
    );
    assert_eq!(
        clauses("Well\u{2026} I see."),
        [
            c("Well\u{2026} ", None, false),
            c("I see.", Some('.'), true)
        ]
    );
    // The first mark of a run decides.
    assert_eq!(
        clauses("Really?! Yes!!! No?."),
        [
            c("Really?! ", Some('?'), true),
            c("Yes!!! ", Some('!'), true),
            c("No?.", Some('?'), true)
        ]
    );
}

#[test]
fn marks_before_quotes_end_clauses_and_a_mark_inside_a_number_does_not() {
    assert_eq!(
        clauses("\"Are you coming?\" she asked."),
        [
            c("\"Are you coming?", Some('?'), true),
            c("\" she asked.", Some('.'), true)
        ]
    );
    assert_eq!(
        clauses("It costs $1,250.50 now."),
        [c("It costs $1,250.50 now.", Some('.'), true)]
    );
    // Punctuation before any letter or digit ends nothing.
    assert_eq!(clauses(", . hi"), [c(", . hi", None, true)]);
}

#[test]
fn a_clause_that_fills_the_buffer_is_cut_between_words() {
    let text = "word ".repeat(200);
    let got = clauses(text.trim_end());
    assert!(got.len() > 1, "{}", got.len());
    assert_eq!(got[0].1, None);
    assert!(!got[0].2, "a cut is no sentence end");
    assert!(got[0].0.ends_with(' ') && got[0].0.len() <= CLAUSE_BUFFER);
    let joined: String = got.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(joined, text.trim_end());
}
