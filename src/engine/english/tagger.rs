//! Part-of-speech tags where misaki.en's reading depends on them, decided by rules instead
//! of spaCy's statistical tagger: marks (which misaki reads by tag), currency signs and
//! numbers (amounts of money), a few function words ("a", "I", "in", "to"), proper nouns
//! (capitals), and the places where a heteronym's tag turns: a verb after a subject (a
//! pronoun, a noun phrase opening a clause, a relative "who"), after an auxiliary, "have"
//! or "be", or opening an imperative; a noun right after a determiner; "that" as a
//! demonstrative. The rules copy what en_core_web_sm 3.8 tags there, its odd tags
//! included ("close" after a plural noun is an adverb to it). Every other word gets no
//! tag, so misaki takes its lexicon entry's DEFAULT reading; the heteronyms this misreads
//! are listed in the README.

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
/// Third-person subjects that take "-s" or a past tense ("it lives", "nobody objects",
/// "the man who lives"); a bare form after them is not a verb they govern ("make it live").
const SINGULAR_SUBJECTS: &str = "\
    it who nobody somebody everybody anybody someone everyone anyone nothing something \
    everything anything";
const AUXILIARIES: &[&str] = &[
    "will", "would", "can", "could", "shall", "should", "may", "might", "must", "do", "does",
    "did", "have", "has", "had",
];
const HAVE: &str = "have has had having 've";
const BE: &str = "is are was were be been being am 's 're 'm";
/// Words that open a noun phrase.
const DETERMINERS: &str = "\
    the a an this that these those my your his her its our their every each some any no \
    another most many several both all few";
const OBJECTS: &str = "me him her us them it you";
const PREPOSITIONS: &str = "\
    of in on at by for with from to into onto over under about after before through between \
    among around near across behind during without within along since until against toward \
    towards upon like off up down out past per via than";
/// Words after which a new clause (and so perhaps a new subject) starts.
const CONJUNCTIONS: &str = "\
    and but or nor so yet because when while if although though whereas unless once then as \
    where";
const ADVERBS: &str = "\
    here there now then today tonight tomorrow yesterday again too also still never always \
    often ever just only even already soon once twice alone away home together abroad nearby \
    outside inside upstairs downstairs well forever somewhere everywhere not very quite \
    later early late aloud back please first simply";
/// Adjectives common enough before a noun that a phrase ending in one has not ended ("the
/// old records are", "a new record").
const ADJECTIVES: &str = "\
    old new big small good bad great little young long large last other same whole best only \
    own next local main full high low real public certain different important free hard easy \
    strong short black white red blue green dark huge tiny nice poor rich open final entire \
    former early late latest recent top special famous favourite favorite best-known \
    well-known";
/// Plurals without "-s": a bare verb after them is a present tense ("people live").
const PLURALS: &str = "people children men women police mice feet teeth geese cattle";
/// Past forms misaki reads by tag (its lexicon's VBD/VBN readings).
const PAST_FORMS: &str = "read reread wound";
/// Verbs that take a "that" clause: after them "that" and a noun start the clause ("said
/// that cats are", IN) unless the noun ends it ("knows that man.", DT).
const CLAUSE_VERBS: &str = "\
    say think know hope believe feel mean show suggest claim agree realize realise ensure \
    admit argue note report find tell learn understand notice doubt assume suppose decide \
    expect fear insist promise prove remember forget see hear explain announce predict warn \
    add confirm deny wish guess imagine demand said thought knew known felt meant shown \
    found told understood forgot saw seen heard denied";
/// Words that end a phrase after a pronoun "that" ("Put that down", "thought that too").
const PHRASE_ENDS: &str = "\
    too again already anyway instead either away down up out back off today yesterday \
    tomorrow now once twice here";
/// Degree words before which "that" is an adverb ("not that bad": RB, read as the default).
const DEGREE_WORDS: &str = "much many far long bad good big hard easy";

fn is_lower_word(t: &str) -> bool {
    t.chars().all(|c| c.is_lowercase())
}

/// A word of an open class (noun, verb, adjective) written in lower case.
fn is_content_word(t: &str) -> bool {
    let closed = [
        SINGULAR_SUBJECTS,
        HAVE,
        BE,
        DETERMINERS,
        OBJECTS,
        PREPOSITIONS,
        CONJUNCTIONS,
        ADVERBS,
        "to that which whom whose what there not",
    ];
    !t.is_empty()
        && t.chars().all(|c| c.is_lowercase() || c == '-')
        && t.chars().next().is_some_and(char::is_alphabetic)
        && !SUBJECTS.contains(&t)
        && !AUXILIARIES.contains(&t)
        && !closed.iter().any(|list| is_in(list, t))
}

/// Whether `word` is one of the space-separated words of `list`. The rules ask this many
/// times per word, so each list is split once (per thread) into a set: scanning the lists
/// made tagging 3,000 words take tens of seconds in a debug build.
fn is_in(list: &'static str, word: &str) -> bool {
    thread_local! {
        // Keyed by the list's address and length: two lists never share both.
        static SETS: std::cell::RefCell<std::collections::HashMap<(usize, usize), std::collections::HashSet<&'static str>>> =
            Default::default();
    }
    SETS.with(|sets| {
        sets.borrow_mut()
            .entry((list.as_ptr() as usize, list.len()))
            .or_insert_with(|| list.split_whitespace().collect())
            .contains(word)
    })
}

mod context;

use context::*;

/// Tags for the pieces of one sentence, in order.
pub fn tag(pieces: &[Piece]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::with_capacity(pieces.len());
    let mut starts: Vec<bool> = Vec::with_capacity(pieces.len());
    let mut sentence_start = true;
    for (i, piece) in pieces.iter().enumerate() {
        let t = piece.text.as_str();
        let previous = i.checked_sub(1).map(|p| &pieces[p]);
        let next = pieces.get(i + 1).map(|p| p.text.to_lowercase());
        starts.push(sentence_start);
        let ctx = Context {
            pieces,
            tags: &tags,
            starts: &starts,
        };
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
                // "came in and": spaCy's particle (RP), which misaki stresses.
                "in" if next
                    .as_deref()
                    .is_some_and(|n| matches!(n, "and" | "or" | "but" | "then")) =>
                {
                    "RP"
                }
                "in" | "In" | "IN" | "by" | "By" => "IN",
                // spaCy tags "vs." as a foreign word, so misaki does not read it "versus".
                "vs" | "vs." => "FW",
                "used" | "Used" if next.as_deref() == Some("to") => "VBD",
                "That" if sentence_start => "DT",
                "that" => that_tag(&ctx, i),
                _ if is_lower_word(t) => {
                    if let Some(tag) = verb_after(&ctx, i).or_else(|| verb_after_subject(&ctx, i)) {
                        tag
                    } else if imperative(&ctx, i) {
                        "VB"
                    } else if noun_after_determiner(&ctx, i) {
                        "NN"
                    } else {
                        ""
                    }
                }
                _ if is_all_caps(t) && !FUNCTION_WORDS.contains(&t.to_lowercase().as_str()) => {
                    "NNP"
                }
                _ if is_capitalized(t) && !sentence_start => "NNP",
                _ if sentence_start && imperative(&ctx, i) => "VB",
                _ => "",
            }
        };
        let is_opening_mark = matches!(tag, "``" | "-LRB-");
        sentence_start = tag == "." || (sentence_start && is_opening_mark);
        tags.push(tag.to_string());
    }
    tags
}

#[cfg(test)]
mod tests;
