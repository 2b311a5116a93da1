//! The rules that tag a word by the words around it: verbs after a subject, auxiliaries
//! and "to", imperatives, nouns after a determiner, and "that" (see the module above).

use super::*;

/// The pieces of one text with the tags given so far, for the rules that look around.
pub(super) struct Context<'a> {
    pub(super) pieces: &'a [Piece],
    pub(super) tags: &'a [String],
    /// Whether each piece (so far) starts a sentence.
    pub(super) starts: &'a [bool],
}

impl Context<'_> {
    pub(super) fn lower(&self, i: usize) -> String {
        self.pieces[i].text.to_lowercase()
    }

    pub(super) fn lower_at(&self, i: Option<usize>) -> Option<String> {
        i.filter(|&i| i < self.pieces.len()).map(|i| self.lower(i))
    }

    /// Whether a clause starts after piece `i` (None: before the text).
    pub(super) fn clause_starts_after(&self, i: Option<usize>) -> bool {
        let Some(i) = i else { return true };
        matches!(self.tags[i].as_str(), "." | "," | ":" | "``" | "-LRB-")
            || is_in(CONJUNCTIONS, &self.lower(i))
    }

    /// A word that may stand in a noun phrase before its verb: a lower-case content word, a
    /// proper noun, or a capitalised content word opening the sentence ("Students", "Dr."),
    /// not an adverb in "-ly" there ("Finally read the note").
    pub(super) fn in_noun_phrase(&self, i: usize) -> bool {
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
    pub(super) fn is_adjective(&self, i: usize) -> bool {
        is_lower_word(&self.pieces[i].text) && is_in(ADJECTIVES, &self.lower(i))
    }

    /// Whether piece `end` ends a noun phrase that opens a clause ("The old man", "My
    /// sister", "Mr. and Mrs. Brown", "A friend of the family", "Students"); Some(plural).
    pub(super) fn subject_ending_at(&self, end: usize) -> Option<bool> {
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
    pub(super) fn ends_noun_phrase(&self, i: usize) -> bool {
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
pub(super) fn verb_by_form(word: &str, plural: bool) -> Option<&'static str> {
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
pub(super) fn is_participle(word: &str) -> bool {
    is_in(PAST_FORMS, word) || (word.len() > 3 && word.ends_with("ed"))
}

/// The piece before `i`, skipping one adverb ("has already read", "was not wound", "they
/// often read") or "all"/"both" ("we all live").
pub(super) fn before_adverb(ctx: &Context, i: usize) -> Option<usize> {
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
pub(super) fn auxiliary_base(word: &str) -> &str {
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
pub(super) fn verb_after(ctx: &Context, i: usize) -> Option<&'static str> {
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
pub(super) fn verb_after_subject(ctx: &Context, i: usize) -> Option<&'static str> {
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
pub(super) fn imperative(ctx: &Context, i: usize) -> bool {
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
pub(super) fn noun_after_determiner(ctx: &Context, i: usize) -> bool {
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
pub(super) fn that_tag(ctx: &Context, i: usize) -> &'static str {
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
pub(super) fn stem(word: &str) -> &str {
    ["ed", "es", "s", "d"]
        .iter()
        .filter_map(|suffix| word.strip_suffix(suffix))
        .find(|s| is_in(CLAUSE_VERBS, s))
        .unwrap_or(word)
}
