//! voxdeck's English against Kokoro's own: tests/fixtures/english/phonemes.json was made by
//! misaki.en with spaCy's tagger (see its `how_made`), not by voxdeck. voxdeck tags by rule,
//! so words misaki reads by part of speech may differ: the test asks for the same Kokoro
//! token ids on at least 90% of each dialect's phrases of the rounds the port was tuned on,
//! and prints every difference.
//! It also prints how often the espeak path voxdeck used before (misaki's `EspeakG2P`)
//! matched, for comparison.
//!
//! The fixture's `rounds` name held-out phrases written after the port was tuned (the third
//! round, for issue 19, before any change made for it; the fourth after those changes, never
//! tuned on): their rates are printed on their own lines per dialect, since the overall rate
//! is of phrases the port was tuned on.

mod common;

use common::fixture::ids;
use voxdeck::assets::{self, Assets};
use voxdeck::engine::kokoro::Vocab;
use voxdeck::engine::phonemize;
use voxdeck::engine::plan::kokoro_utterances;
use voxdeck::languages;

const REQUIRED_RATE: f64 = 0.9;

fn fixture() -> serde_json::Value {
    common::fixture::json("english/phonemes.json")
}

/// The phrases of the rounds the port was tuned on (all but the fixture's `rounds`).
struct Tally {
    phrases: usize,
    matched: usize,
    espeak_matched: usize,
}

/// One held-out round of the fixture (`rounds.<name>.texts`) and how it fared.
struct Round {
    name: String,
    texts: Vec<String>,
    label: &'static str,
    phrases: usize,
    matched: usize,
}

impl Round {
    /// The least number of the round's phrases that must match, per dialect: the count
    /// measured when the round was added, so that a change that loses one shows.
    fn floor(&self, code: &str) -> usize {
        match (self.name.as_str(), code) {
            ("third", "en-us") => THIRD_ROUND_FLOOR.0,
            ("third", _) => THIRD_ROUND_FLOOR.1,
            ("fourth", "en-us") => FOURTH_ROUND_FLOOR.0,
            ("fourth", _) => FOURTH_ROUND_FLOOR.1,
            _ => 0,
        }
    }
}

/// The third round's matches (en-us, en-gb). Before the port was changed for issue 19 it
/// matched 31 of 40 in each dialect; the tagger's rules for verbs after a noun subject,
/// participles, imperatives and "that" were then written with this round's kinds of phrase
/// in view (and checked on it), bringing it to 40 of 40, which this floor now guards.
const THIRD_ROUND_FLOOR: (usize, usize) = (40, 40);

/// The fourth round's matches (en-us, en-gb): phrases written after those changes and never
/// tuned on, its first run (the honest figure for phrases the rules have not seen).
const FOURTH_ROUND_FLOOR: (usize, usize) = (18, 18);

fn held_out_rounds(fixture: &serde_json::Value) -> Vec<Round> {
    let Some(rounds) = fixture["rounds"].as_object() else {
        return Vec::new();
    };
    // In the order they were written (the JSON object's keys come sorted by name).
    const ORDER: [&str; 2] = ["third", "fourth"];
    let mut rounds: Vec<(&String, &serde_json::Value)> = rounds.iter().collect();
    rounds.sort_by_key(|(name, _)| ORDER.iter().position(|o| o == name));
    rounds
        .into_iter()
        .map(|(name, round)| Round {
            name: name.clone(),
            texts: round["texts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect(),
            label: match name.as_str() {
                "third" => "issue 19, written before its changes",
                "fourth" => "written after issue 19's changes, never tuned on",
                _ => "held out",
            },
            phrases: 0,
            matched: 0,
        })
        .collect()
}

#[test]
fn english_matches_misaki_en_on_most_phrases() {
    let fixture = fixture();
    let vocab = Vocab::load(&Assets::locate().path(assets::KOKORO_VOCAB))
        .expect("vocab from scripts/setup");
    let mut report = Vec::new();
    let mut failing = Vec::new();
    for code in ["en-us", "en-gb"] {
        let language = languages::find(code).unwrap();
        let mut tally = Tally {
            phrases: 0,
            matched: 0,
            espeak_matched: 0,
        };
        let mut rounds: Vec<Round> = held_out_rounds(&fixture);
        let mut differences = Vec::new();
        for phrase in fixture["phrases"].as_array().unwrap() {
            if phrase["lang"] != code {
                continue;
            }
            let text = phrase["text"].as_str().unwrap();
            let expected = ids(&phrase["token_ids"]);
            let got = phonemize::for_kokoro(language, text).unwrap();
            let before = phonemize::espeak_g2p(language, text).unwrap();
            let matched = vocab.tokenize(&got).ids == expected;
            if !matched {
                differences.push(format!(
                    "{code} {text:?}\n  misaki:  {}\n  voxdeck: {got}",
                    phrase["phonemes"].as_str().unwrap()
                ));
            }
            // A held-out round counts on its own line, not in the rate the port was tuned to.
            if let Some(round) = rounds
                .iter_mut()
                .find(|r| r.texts.iter().any(|t| t == text))
            {
                round.phrases += 1;
                round.matched += usize::from(matched);
                continue;
            }
            tally.phrases += 1;
            if vocab.tokenize(&before).ids == expected {
                tally.espeak_matched += 1;
            }
            tally.matched += usize::from(matched);
        }
        assert!(
            tally.phrases >= 20,
            "{code}: only {} phrases",
            tally.phrases
        );
        let rate = tally.matched as f64 / tally.phrases as f64;
        let line = format!(
            "{code}: {} of {} phrases of the earlier rounds match misaki.en ({:.1}%); the espeak \
             path matched {} ({:.1}%)",
            tally.matched,
            tally.phrases,
            100.0 * rate,
            tally.espeak_matched,
            100.0 * tally.espeak_matched as f64 / tally.phrases as f64
        );
        println!("{line}");
        for d in &differences {
            println!("{d}");
        }
        if rate < REQUIRED_RATE {
            failing.push(line.clone());
        }
        report.push(line);
        for round in &rounds {
            let line = format!(
                "{code} {} round ({}): {} of {}",
                round.name, round.label, round.matched, round.phrases
            );
            println!("{line}");
            assert!(
                round.phrases > 0,
                "{code}: no phrases of the {} round",
                round.name
            );
            if round.matched < round.floor(code) {
                failing.push(format!("{line}, below its floor of {}", round.floor(code)));
            }
        }
    }
    assert!(
        failing.is_empty(),
        "below {:.0}% or a round's floor: {}",
        100.0 * REQUIRED_RATE,
        failing.join("; ")
    );
}

/// The long texts are cut where misaki.en's phonemes put the cuts (voxdeck's splitter on
/// voxdeck's phonemes), and no piece is over Kokoro's limit. Pieces whose ids differ are
/// printed; the cuts must be the same.
#[test]
fn long_texts_split_where_misaki_en_splits_them() {
    let fixture = fixture();
    let vocab = Vocab::load(&Assets::locate().path(assets::KOKORO_VOCAB))
        .expect("vocab from scripts/setup");
    let mut problems = Vec::new();
    let (mut pieces, mut matched) = (0, 0);
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
            pieces += 1;
            if utterance.token_ids == ids(&piece["token_ids"]) {
                matched += 1;
            } else {
                println!(
                    "{} {:?}\n  misaki:  {}\n  voxdeck: {}",
                    language.code,
                    utterance.text,
                    piece["phonemes"].as_str().unwrap(),
                    utterance.phonemes
                );
            }
        }
    }
    println!("long texts: {matched} of {pieces} pieces have misaki.en's ids");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
