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
