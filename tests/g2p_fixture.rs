//! voxdeck's G2P against Kokoro's own: tests/fixtures/g2p/tokens.json was made by misaki's
//! `EspeakG2P` (see its `how_made`), not by voxdeck, on the same espeak-ng 1.52 (the
//! espeakng-loader wheel, library and data). English is not here: Kokoro reads it with
//! misaki.en, and so does voxdeck (tests/english_fixture.rs).

mod common;

use common::fixture::ids;
use voxdeck::assets::{self, Assets};
use voxdeck::engine::kokoro::Vocab;
use voxdeck::engine::phonemize;
use voxdeck::engine::plan::{kokoro_prepared, kokoro_utterances};
use voxdeck::languages;

fn fixture() -> serde_json::Value {
    common::fixture::json("g2p/tokens.json")
}

fn vocab() -> Vocab {
    Vocab::load(&Assets::locate().path(assets::KOKORO_VOCAB)).expect("vocab from scripts/setup")
}

#[test]
fn phrases_match_misaki_in_every_language() {
    let fixture = fixture();
    let vocab = vocab();
    let mut mismatches = Vec::new();
    let phrases = fixture["phrases"].as_array().unwrap();
    for phrase in phrases {
        let language = languages::find(phrase["lang"].as_str().unwrap()).unwrap();
        let text = phrase["text"].as_str().unwrap();
        let phonemes = phonemize::for_kokoro(language, text).unwrap();
        let tokens = vocab.tokenize(&phonemes);
        if phonemes != phrase["phonemes"].as_str().unwrap()
            || tokens.ids != ids(&phrase["token_ids"])
        {
            mismatches.push(format!(
                "{} {text:?}\n  misaki:  {}\n  voxdeck: {phonemes}",
                language.code, phrase["phonemes"]
            ));
        }
    }
    assert!(phrases.len() >= 36);
    assert!(
        mismatches.is_empty(),
        "{} of {} differ:\n{}",
        mismatches.len(),
        phrases.len(),
        mismatches.join("\n")
    );
}

#[test]
fn long_texts_split_where_expected_and_match_misaki() {
    let fixture = fixture();
    let vocab = vocab();
    let mut problems = Vec::new();
    for long in fixture["long"].as_array().unwrap() {
        let language = languages::find(long["lang"].as_str().unwrap()).unwrap();
        let utterances =
            kokoro_utterances(language, long["text"].as_str().unwrap(), &vocab).unwrap();
        let texts: Vec<&str> = utterances.iter().map(|u| u.text.as_str()).collect();
        let expected: Vec<&str> = long["piece_texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        if texts != expected {
            problems.push(format!(
                "{}: pieces\n  expected {expected:?}\n  got      {texts:?}",
                language.code
            ));
            continue;
        }
        for (utterance, piece) in utterances.iter().zip(long["pieces"].as_array().unwrap()) {
            assert!(utterance.phonemes.chars().count() <= 510);
            if utterance.token_ids != ids(&piece["token_ids"]) {
                problems.push(format!("{}: tokens of {:?}", language.code, utterance.text));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The same phrases through the planner (sentence split, then gathered into one utterance
/// as Kokoro reads a short text whole): nothing the splitter cuts off may be lost, such as
/// a closing guillemet after a full stop (issue 19).
#[test]
fn phrases_through_the_planner_keep_every_mark() {
    let fixture = fixture();
    let vocab = vocab();
    let mut mismatches = Vec::new();
    for phrase in fixture["phrases"].as_array().unwrap() {
        let language = languages::find(phrase["lang"].as_str().unwrap()).unwrap();
        let text = phrase["text"].as_str().unwrap();
        let prepared = kokoro_prepared(
            language,
            text,
            &vocab,
            voxdeck::engine::kokoro::MAX_PHONEMES,
        )
        .unwrap();
        let phonemes: Vec<&str> = prepared
            .utterances
            .iter()
            .map(|u| u.phonemes.as_str())
            .collect();
        if phonemes != [phrase["phonemes"].as_str().unwrap()] {
            mismatches.push(format!(
                "{} {text:?}\n  misaki:  {}\n  voxdeck: {phonemes:?}",
                language.code, phrase["phonemes"]
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
