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

/// Whether `word` is one of the space-separated words of `list`.
fn is_in(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|w| w == word)
}

/// The pieces of one text with the tags given so far, for the rules that look around.
struct Context<'a> {
    pieces: &'a [Piece],
    tags: &'a [String],
    /// Whether each piece (so far) starts a sentence.
    starts: &'a [bool],
}

impl Context<'_> {
    fn lower(&self, i: usize) -> String {
        self.pieces[i].text.to_lowercase()
    }

    fn lower_at(&self, i: Option<usize>) -> Option<String> {
        i.filter(|&i| i < self.pieces.len()).map(|i| self.lower(i))
    }

    /// Whether a clause starts after piece `i` (None: before the text).
    fn clause_starts_after(&self, i: Option<usize>) -> bool {
        let Some(i) = i else { return true };
        matches!(self.tags[i].as_str(), "." | "," | ":" | "``" | "-LRB-")
            || is_in(CONJUNCTIONS, &self.lower(i))
    }

    /// A word that may stand in a noun phrase before its verb: a lower-case content word, a
    /// proper noun, or a capitalised content word opening the sentence ("Students", "Dr."),
    /// not an adverb in "-ly" there ("Finally read the note").
    fn in_noun_phrase(&self, i: usize) -> bool {
        let t = self.pieces[i].text.as_str();
        if self.tags[i] == "NNP" {
            return true;
        }
        let lower = t.to_lowercase();
        is_content_word(t)
            || is_in(ADJECTIVES, t)
            || (self.starts[i]
                && is_capitalized(t)
                && !lower.ends_with("ly")
                && is_content_word(lower.trim_end_matches('.')))
    }

    /// One of `ADJECTIVES`, in lower case ("Green" is a name).
    fn is_adjective(&self, i: usize) -> bool {
        is_lower_word(&self.pieces[i].text) && is_in(ADJECTIVES, &self.lower(i))
    }

    /// Whether piece `end` ends a noun phrase that opens a clause ("The old man", "My
    /// sister", "Mr. and Mrs. Brown", "A friend of the family", "Students"); Some(plural).
    fn subject_ending_at(&self, end: usize) -> Option<bool> {
        if !self.in_noun_phrase(end) || self.is_adjective(end) {
            return None;
        }
        let mut head = end;
        let mut right = end;
        let mut joined = false;
        loop {
            // The phrase's words, right to left; "and" may join names ("Mr. and Mrs. Brown").
            let mut first = right + 1;
            let mut words = 0;
            while first > 0 && words < 4 {
                let k = first - 1;
                if self.in_noun_phrase(k) {
                    words += 1;
                } else if self.lower(k) == "and"
                    && k > 0
                    && k < right
                    && is_capitalized(&self.pieces[k - 1].text)
                    && is_capitalized(&self.pieces[k + 1].text)
                {
                    joined = true;
                } else {
                    break;
                }
                first = k;
            }
            if words == 0 {
                return None;
            }
            let before = first.checked_sub(1);
            let before_word = before.map(|b| self.lower(b));
            match (before, before_word.as_deref()) {
                (Some(b), Some(w)) if is_in(DETERMINERS, w) => {
                    let outer = b.checked_sub(1);
                    if self.clause_starts_after(outer) {
                        break;
                    }
                    // "A friend of the family lives": the phrase before "of" is the head.
                    match outer {
                        Some(o) if o >= 1 && self.lower(o) == "of" => {
                            right = o - 1;
                            head = right;
                        }
                        _ => return None,
                    }
                }
                (Some(b), Some("of")) if b >= 1 => {
                    right = b - 1;
                    head = right;
                }
                _ if self.clause_starts_after(before)
                    && !is_lower_word(&self.pieces[first].text) =>
                {
                    break
                }
                _ => return None,
            }
        }
        let head_word = self.lower(head);
        let plural = joined
            || is_in(PLURALS, head_word.as_str())
            || (head_word.len() > 3
                && head_word.ends_with('s')
                && !head_word.ends_with("ss")
                && !head_word.ends_with("us")
                && !head_word.ends_with("is"));
        Some(plural)
    }

    /// Whether piece `i` ends a noun phrase anywhere ("the book", "the storms"): a relative
    /// "that" follows it.
    fn ends_noun_phrase(&self, i: usize) -> bool {
        if !self.in_noun_phrase(i) || self.is_adjective(i) {
            return false;
        }
        if self.tags[i] == "NNP" {
            return true;
        }
        let mut k = i;
        for _ in 0..3 {
            let Some(b) = k.checked_sub(1) else {
                return false;
            };
            if is_in(DETERMINERS, &self.lower(b)) {
                return true;
            }
            if !self.in_noun_phrase(b) {
                return false;
            }
            k = b;
        }
        false
    }
}

/// A verb's tag by its form, for a word a subject governs: "-s" VBZ, a past VBD, a bare
/// form VBP when the subject is plural. spaCy tags "close" after a plural noun as an
/// adverb ("the shops close at noon": RB), which misaki reads as the default.
fn verb_by_form(word: &str, plural: bool) -> Option<&'static str> {
    if is_in(PAST_FORMS, word) || (word.len() > 3 && word.ends_with("ed")) {
        Some("VBD")
    } else if word.len() > 2 && word.ends_with('s') && !word.ends_with("ss") {
        Some("VBZ")
    } else if plural && word != "close" {
        Some("VBP")
    } else {
        None
    }
}

/// A past participle's form: after "have" or "be" spaCy tags it VBN ("has read", "was
/// read", "was wounded").
fn is_participle(word: &str) -> bool {
    is_in(PAST_FORMS, word) || (word.len() > 3 && word.ends_with("ed"))
}

/// The piece before `i`, skipping one adverb ("has already read", "was not wound", "they
/// often read") or "all"/"both" ("we all live").
fn before_adverb(ctx: &Context, i: usize) -> Option<usize> {
    let p = i.checked_sub(1)?;
    let w = ctx.lower(p);
    let skipped = is_in(ADVERBS, w.as_str()) || w.ends_with("ly") || w == "all" || w == "both";
    if skipped && p > 0 {
        Some(p - 1)
    } else {
        Some(p)
    }
}

/// An auxiliary without its "n't" ("haven't" "have", "can't" "can", "won't" "will").
fn auxiliary_base(word: &str) -> &str {
    match word.strip_suffix("n't") {
        Some("ca") => "can",
        Some("wo") => "will",
        Some("sha") => "shall",
        Some(base) => base,
        None => word,
    }
}

/// A verb's tag for the word after a subject pronoun ("they live": VBP, which misaki
/// reads as the verb), an auxiliary or "to" ("will record", "to live": VB), unless a
/// question put an auxiliary first ("Have you read": VB, as spaCy tags it); a participle
/// after "have" or "be" ("had read", "was read": VBN).
fn verb_after(ctx: &Context, i: usize) -> Option<&'static str> {
    let word = ctx.lower(i);
    let before = &ctx.pieces[..i];
    if let Some(p) = before_adverb(ctx, i) {
        let prev = ctx.lower(p);
        // "I've", "wasn't" are single pieces. Not after "'s", which the tokenizer also cuts
        // off possessives ("the soldier's wound"), nor after "hasn't", where spaCy tags a
        // base form ("hasn't read": VB; "wasn't wound": VBN).
        let have = is_in(HAVE, prev.as_str()) || prev.ends_with("'ve");
        let be = is_in(BE, auxiliary_base(&prev)) && prev != "'s";
        if is_participle(&word) && (have || be) {
            return Some("VBN");
        }
    }
    let prev = before.last()?;
    let prev = prev.text.to_lowercase();
    let prev = prev.as_str();
    // A base form has no "-s": "have records" is a noun (NNS), read as the default.
    let plural_noun = word.len() > 2 && word.ends_with('s') && !word.ends_with("ss");
    if AUXILIARIES.contains(&prev) || prev == "to" || prev.ends_with("'ll") || prev.ends_with("n't")
    {
        return (!plural_noun).then_some("VB");
    }
    if prev.ends_with("'ve") {
        return Some("VBN");
    }
    let inverted = before.len() >= 2
        && AUXILIARIES.contains(&auxiliary_base(
            &before[before.len() - 2].text.to_lowercase(),
        ));
    // "we all live", "they often read": the subject before the adverb.
    let subject = before_adverb(ctx, i).map(|p| ctx.lower(p));
    if subject.as_deref().is_some_and(|w| SUBJECTS.contains(&w)) && !SUBJECTS.contains(&prev) {
        return Some("VBP");
    }
    if SUBJECTS.contains(&prev) {
        return Some(if inverted { "VB" } else { "VBP" });
    }
    if is_in(SINGULAR_SUBJECTS, prev) {
        return if inverted {
            Some("VB")
        } else {
            verb_by_form(&word, false)
        };
    }
    None
}

/// A verb governed by the subject before it: a noun phrase opening the clause ("The cat
/// lives", "My sister read", "Mr. and Mrs. Brown live"), or a relative "who"/"that"/"which"
/// after a noun ("the man who lives"). The word after must not show the phrase going on
/// ("the school records are": the verb is "are").
fn verb_after_subject(ctx: &Context, i: usize) -> Option<&'static str> {
    let word = ctx.lower(i);
    if !is_content_word(&word) {
        return None;
    }
    let prev = i.checked_sub(1)?;
    let next = ctx.lower_at(Some(i + 1));
    if next
        .as_deref()
        .is_some_and(|n| is_in(BE, n) || is_in(HAVE, n) || AUXILIARIES.contains(&n) || n == "of")
    {
        return None;
    }
    let relative = match ctx.lower(prev).as_str() {
        "who" => true,
        "that" | "which" => prev.checked_sub(1).is_some_and(|p| ctx.ends_noun_phrase(p)),
        _ => false,
    };
    let tag = if relative {
        verb_by_form(&word, true)?
    } else {
        verb_by_form(&word, ctx.subject_ending_at(prev)?)?
    };
    // "The school records show": a verb in "-s" followed by a bare content word is more
    // likely the phrase's last noun, and that word its verb.
    if tag == "VBZ"
        && next
            .as_deref()
            .is_some_and(|n| is_content_word(n) && !n.ends_with('s') && !n.ends_with("ly"))
    {
        return None;
    }
    Some(tag)
}

/// An imperative: a bare verb opening a sentence or a clause before its object ("Close the
/// door", ", wind the clock", "and read the note": VB), or after "please" or an adverb
/// that opens the sentence ("Please close", "Never read": VB).
fn imperative(ctx: &Context, i: usize) -> bool {
    let word = ctx.lower(i);
    if !is_content_word(&word)
        || (word.ends_with('s') && !word.ends_with("ss"))
        || word.ends_with("ed")
        || word.ends_with("ly")
        || is_in(ADJECTIVES, word.as_str())
    {
        return false;
    }
    let prev = i.checked_sub(1);
    if let Some(p) = prev {
        let w = ctx.lower(p);
        let adverb_opens = ctx.starts[p]
            && (matches!(w.as_str(), "always" | "never" | "just" | "simply" | "first")
                || w.ends_with("ly"));
        if w == "please" || adverb_opens {
            return true;
        }
    }
    let opens_clause = ctx.starts[i] || ctx.clause_starts_after(prev);
    opens_clause
        && ctx
            .lower_at(Some(i + 1))
            .is_some_and(|n| is_in(DETERMINERS, n.as_str()) || is_in(OBJECTS, n.as_str()))
}

/// A noun right after a determiner, before "of", a mark, a verb of being or a preposition
/// ("the use of", "The close of", "the content is": NN).
fn noun_after_determiner(ctx: &Context, i: usize) -> bool {
    let word = ctx.lower(i);
    let Some(p) = i.checked_sub(1) else {
        return false;
    };
    if !is_content_word(&word) || is_in(ADJECTIVES, word.as_str()) {
        return false;
    }
    if !is_in(DETERMINERS, &ctx.lower(p)) || ctx.lower(p) == "that" {
        return false;
    }
    match ctx.pieces.get(i + 1) {
        None => true,
        Some(n) => {
            let n = n.text.to_lowercase();
            n == "of"
                || is_in(BE, n.as_str())
                || (is_in(PREPOSITIONS, n.as_str()) && n != "to")
                || n.chars().all(|c| ".,;:!?".contains(c))
        }
    }
}

/// "that": a demonstrative (DT, which misaki stresses: "see that?", "Give me that cup",
/// "that was") unless it opens a clause ("know that he", "said that cats are": IN),
/// follows a noun ("the book that", WDT) or is a degree word ("not that bad", RB).
fn that_tag(ctx: &Context, i: usize) -> &'static str {
    let prev = i.checked_sub(1);
    let Some(next) = ctx.lower_at(Some(i + 1)) else {
        return "DT";
    };
    let is_mark = |w: &str| w.chars().all(|c| ".,;:!?)]}\"”’'…—".contains(c));
    if is_mark(&next) {
        return "DT";
    }
    if prev.is_some_and(|p| ctx.ends_noun_phrase(p)) {
        return "WDT";
    }
    if matches!(next.as_str(), "is" | "was" | "'s") || is_in(PHRASE_ENDS, next.as_str()) {
        return "DT";
    }
    if is_in(DEGREE_WORDS, next.as_str()) {
        return "RB";
    }
    if !is_content_word(&next) && !is_in(PREPOSITIONS, next.as_str()) {
        return "IN";
    }
    // After "say", "think"... "that" and a word open a clause, unless the word ends the
    // sentence ("She knows that man.").
    let after_clause_verb = prev.is_some_and(|p| is_in(CLAUSE_VERBS, stem(&ctx.lower(p))));
    let phrase_ends = ctx.lower_at(Some(i + 2)).is_none_or(|w| is_mark(&w));
    if after_clause_verb && !phrase_ends {
        "IN"
    } else {
        "DT"
    }
}

/// A verb's base form for `CLAUSE_VERBS`: "-s", "-es", "-ed", "-d" taken off.
fn stem(word: &str) -> &str {
    ["ed", "es", "s", "d"]
        .iter()
        .filter_map(|suffix| word.strip_suffix(suffix))
        .find(|s| is_in(CLAUSE_VERBS, s))
        .unwrap_or(word)
}

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
mod tests {
    use super::super::tokenizer::tokenize;
    use super::*;

    /// The tag of `word` (its first occurrence after `skip` others) in `text`.
    fn tag_of(text: &str, word: &str, skip: usize) -> String {
        let pieces = tokenize(text);
        let tags = tag(&pieces);
        let i = pieces
            .iter()
            .enumerate()
            .filter(|(_, p)| p.text == word)
            .nth(skip)
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("{word:?} not in {text:?}"));
        tags[i].clone()
    }

    #[test]
    fn verbs_after_a_noun_subject() {
        assert_eq!(tag_of("The cat lives here.", "lives", 0), "VBZ");
        assert_eq!(tag_of("The old man lives alone.", "lives", 0), "VBZ");
        assert_eq!(tag_of("My sister read the letter.", "read", 0), "VBD");
        assert_eq!(
            tag_of("Mr. and Mrs. Brown live next door.", "live", 0),
            "VBP"
        );
        assert_eq!(tag_of("A friend of mine lives nearby.", "lives", 0), "VBZ");
        assert_eq!(tag_of("Nobody objects to the plan.", "objects", 0), "VBZ");
        assert_eq!(tag_of("The man who lives there is old.", "lives", 0), "VBZ");
        // Still nouns: the phrase goes on, or it does not open the clause.
        assert_eq!(tag_of("The old records are lost.", "records", 0), "");
        assert_eq!(
            tag_of("They broke the world records yesterday.", "records", 0),
            ""
        );
        assert_eq!(tag_of("We set a new record.", "record", 0), "");
        // spaCy takes "close" after a plural noun for an adverb.
        assert_eq!(tag_of("The shops close at noon.", "close", 0), "");
    }

    #[test]
    fn participles_imperatives_and_nouns() {
        assert_eq!(tag_of("The book was read twice.", "read", 0), "VBN");
        assert_eq!(tag_of("I have read it.", "read", 0), "VBN");
        assert_eq!(tag_of("She hasn't read it.", "read", 0), "VB");
        assert_eq!(tag_of("I have records from 1990.", "records", 0), "");
        assert_eq!(tag_of("Please close the door.", "close", 0), "VB");
        assert_eq!(tag_of("Close the door.", "Close", 0), "VB");
        assert_eq!(tag_of("Polish the brass, wind the clock.", "wind", 0), "VB");
        assert_eq!(tag_of("The use of force is banned.", "use", 0), "NN");
    }

    #[test]
    fn that_as_a_demonstrative() {
        assert_eq!(tag_of("Did you see that?", "that", 0), "DT");
        assert_eq!(tag_of("Give me that cup, please.", "that", 0), "DT");
        assert_eq!(tag_of("She knows that man.", "that", 0), "DT");
        assert_eq!(tag_of("Put that down.", "that", 0), "DT");
        assert_eq!(tag_of("I know that he is right.", "that", 0), "IN");
        assert_eq!(tag_of("He said that cats are nice.", "that", 0), "IN");
        assert_eq!(tag_of("The book that I bought is gone.", "that", 0), "WDT");
        assert_eq!(tag_of("The car that was parked is red.", "that", 0), "WDT");
        assert_eq!(tag_of("She said that that was enough.", "that", 0), "IN");
        assert_eq!(tag_of("She said that that was enough.", "that", 1), "DT");
        assert_eq!(tag_of("It's not that bad.", "that", 0), "RB");
    }
}
