//! voxdeck's English against Kokoro's own: tests/fixtures/english/phonemes.json was made by
//! misaki.en with spaCy's tagger (see its `how_made`), not by voxdeck. voxdeck tags by rule,
//! so words misaki reads by part of speech may differ: the test asks for the same Kokoro
//! token ids on at least 90% of each dialect's phrases, and prints every difference.
//! It also prints how often the espeak path voxdeck used before (misaki's `EspeakG2P`)
//! matched, for comparison.

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

struct Tally {
    phrases: usize,
    matched: usize,
    espeak_matched: usize,
    differences: Vec<String>,
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
            differences: Vec::new(),
        };
        for phrase in fixture["phrases"].as_array().unwrap() {
            if phrase["lang"] != code {
                continue;
            }
            let text = phrase["text"].as_str().unwrap();
            let expected = ids(&phrase["token_ids"]);
            let got = phonemize::for_kokoro(language, text).unwrap();
            let before = phonemize::espeak_g2p(language, text).unwrap();
            tally.phrases += 1;
            if vocab.tokenize(&before).ids == expected {
                tally.espeak_matched += 1;
            }
            if vocab.tokenize(&got).ids == expected {
                tally.matched += 1;
            } else {
                tally.differences.push(format!(
                    "{code} {text:?}\n  misaki:  {}\n  voxdeck: {got}",
                    phrase["phonemes"].as_str().unwrap()
                ));
            }
        }
        assert!(
            tally.phrases >= 20,
            "{code}: only {} phrases",
            tally.phrases
        );
        let rate = tally.matched as f64 / tally.phrases as f64;
        let line = format!(
            "{code}: {} of {} phrases match misaki.en ({:.1}%); the espeak path matched {} ({:.1}%)",
            tally.matched,
            tally.phrases,
            100.0 * rate,
            tally.espeak_matched,
            100.0 * tally.espeak_matched as f64 / tally.phrases as f64
        );
        println!("{line}");
        for d in &tally.differences {
            println!("{d}");
        }
        if rate < REQUIRED_RATE {
            failing.push(line.clone());
        }
        report.push(line);
    }
    assert!(
        failing.is_empty(),
        "below {:.0}%: {}",
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
