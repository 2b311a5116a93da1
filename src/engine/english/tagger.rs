//! Part-of-speech tags where misaki.en's reading depends on them, decided by rules instead
//! of spaCy's statistical tagger: marks (which misaki reads by tag), currency signs and
//! numbers (amounts of money), a few function words ("a", "I", "in", "to"), and proper
//! nouns (capitals). Every other word gets no tag, so misaki takes its lexicon entry's
//! DEFAULT reading; the heteronyms this misreads are listed in the README.

use super::numbers::{ONES, TENS};
use super::tokenizer::{Piece, PieceKind};

/// A number spelt out: "seven", "forty", "hundred" (misaki tags them as numbers).
fn is_number_word(word: &str) -> bool {
    const SCALES: [&str; 5] = ["hundred", "thousand", "million", "billion", "trillion"];
    ONES.contains(&word) || TENS[2..].contains(&word) || SCALES.contains(&word)
}

fn mark_tag(piece: &Piece, previous: Option<&Piece>, next: Option<&Piece>) -> Option<&'static str> {
    let t = piece.text.as_str();
    let tag = match t {
        // A period on a word with the sentence going on after it ("etc. to the") ends an
        // abbreviation, not the sentence: spaCy tags it with the word (FW), so misaki
        // reads it as part of the word.
        "." if previous.is_some_and(|p| {
            p.whitespace.is_empty() && p.text.chars().all(char::is_alphabetic)
        }) && next.is_some_and(|n| n.text.starts_with(char::is_lowercase)) =>
        {
            "FW"
        }
        // "'90s": an elided century, which spaCy tags with the number, not as a quote.
        "'" | "’"
            if piece.kind == PieceKind::Prefix
                && piece.whitespace.is_empty()
                && next.is_some_and(|n| n.text.starts_with(|c: char| c.is_ascii_digit())) =>
        {
            "NNS"
        }
        "." | "!" | "?" | "?!" | "!?" => ".",
        "," => ",",
        ";" | ":" | "—" | "–" | "--" | "…" => ":",
        "-" if piece.kind == PieceKind::Infix => "HYPH",
        "-" => ":",
        "(" | "[" | "{" => "-LRB-",
        ")" | "]" | "}" => "-RRB-",
        "“" | "‘" | "«" => "``",
        "”" | "’" | "»" => "''",
        // A straight quote's side is where the tokenizer found it; a lone apostrophe
        // after a plural is a possessive, which spaCy tags POS and misaki reads with the
        // word ("dogs'").
        "'" if piece.kind == PieceKind::Suffix
            && previous
                .is_some_and(|p| p.whitespace.is_empty() && p.text.ends_with(['s', 'S'])) =>
        {
            "POS"
        }
        "\"" | "'" | "`" => {
            if piece.kind == PieceKind::Prefix {
                "``"
            } else {
                "''"
            }
        }
        "#" => "#",
        "*" => "NFP",
        "%" => "NN",
        "&" => "CC",
        _ if t.len() > 1 && t.bytes().all(|b| b == b'.') => ":",
        _ => return None,
    };
    Some(tag)
}

fn is_capitalized(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

fn is_all_caps(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word
            .chars()
            .all(|c| c.is_uppercase() || c == '.' || c == '\'' || c == '-')
}

/// Words spaCy knows in capitals too ("THIS IS LOUD": DT, VBZ), which misaki would spell
/// out as initials if they were tagged as proper nouns.
const FUNCTION_WORDS: &[&str] = &[
    "a", "all", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can", "could",
    "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "here", "him", "his",
    "how", "if", "in", "is", "me", "my", "no", "not", "of", "on", "or", "our", "she", "should",
    "so", "some", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "to", "was", "we", "were", "what", "when", "where", "who", "why", "will", "with",
    "would", "you", "your",
];
const SUBJECTS: &[&str] = &["i", "you", "we", "they", "he", "she"];
const AUXILIARIES: &[&str] = &[
    "will", "would", "can", "could", "shall", "should", "may", "might", "must", "do", "does",
    "did", "have", "has", "had",
];

fn is_lower_word(t: &str) -> bool {
    t.chars().all(|c| c.is_lowercase())
}

/// A verb's tag for the word after a subject pronoun ("they live": VBP, which misaki
/// reads as the verb), an auxiliary or "to" ("will record", "to live": VB), unless a
/// question put an auxiliary first ("Have you read": VB, as spaCy tags it).
fn verb_after(before: &[Piece]) -> Option<&'static str> {
    let prev = before.last()?;
    let word = prev.text.to_lowercase();
    let word = word.as_str();
    if AUXILIARIES.contains(&word) || word == "to" || word.ends_with("'ll") || word.ends_with("n't")
    {
        return Some("VB");
    }
    if word.ends_with("'ve") {
        return Some("VBN");
    }
    if SUBJECTS.contains(&word) {
        let inverted = before.len() >= 2
            && AUXILIARIES.contains(&before[before.len() - 2].text.to_lowercase().as_str());
        return Some(if inverted { "VB" } else { "VBP" });
    }
    None
}

/// Tags for the pieces of one sentence, in order.
pub fn tag(pieces: &[Piece]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::with_capacity(pieces.len());
    let mut sentence_start = true;
    for (i, piece) in pieces.iter().enumerate() {
        let t = piece.text.as_str();
        let previous = i.checked_sub(1).map(|p| &pieces[p]);
        let next = pieces.get(i + 1).map(|p| p.text.to_lowercase());
        let tag = if let Some(tag) = mark_tag(piece, previous, pieces.get(i + 1)) {
            tag
        } else if t.chars().count() == 1
            && super::reading::currency_units(t.chars().next().unwrap_or(' ')).is_some()
            || t.chars().all(|c| "$£€¥".contains(c))
        {
            "$"
        } else if t.chars().any(|c| c.is_ascii_digit()) || is_number_word(&t.to_lowercase()) {
            "CD"
        } else {
            match t {
                "a" | "A" | "an" | "An" | "the" | "The" | "THE" => "DT",
                "I" => "PRP",
                "to" | "To" | "TO" => "TO",
                "in" | "In" | "IN" | "by" | "By" => "IN",
                // spaCy tags "vs." as a foreign word, so misaki does not read it "versus".
                "vs" | "vs." => "FW",
                "used" | "Used" if next.as_deref() == Some("to") => "VBD",
                "That" if sentence_start => "DT",
                "that" if matches!(next.as_deref(), Some("is" | "was" | "'s")) => "DT",
                _ if is_lower_word(t) => verb_after(&pieces[..i]).unwrap_or(""),
                _ if is_all_caps(t) && !FUNCTION_WORDS.contains(&t.to_lowercase().as_str()) => {
                    "NNP"
                }
                _ if is_capitalized(t) && !sentence_start => "NNP",
                _ => "",
            }
        };
        let is_opening_mark = matches!(tag, "``" | "-LRB-");
        sentence_start = tag == "." || (sentence_start && is_opening_mark);
        tags.push(tag.to_string());
    }
    tags
}
