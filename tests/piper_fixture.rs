//! voxdeck's Piper front end against piper-tts's own: tests/fixtures/piper/ids.json was
//! made by piper-tts 1.8.0 (`PiperVoice.phonemize` + `phonemes_to_ids`, see its
//! `how_made`), not by voxdeck, for the voice en_US-joe-medium. Each phrase goes through
//! the same planning a job does, and its utterances must carry piper's ids, sentence for
//! sentence.
//!
//! Known difference: piper-tts's espeak-ng-data is newer than 1.52's, and its English
//! dictionary differs in a handful of entries ("has been" is read [hɐzbɪn], 1.52 says
//! [hˈæzbiːn]); voxdeck keeps 1.52's data, so "It has been a long day." differs.

mod common;

use common::fixture::ids;
use std::path::Path;

use voxdeck::assets::Assets;
use voxdeck::engine::plan::plan;
use voxdeck::job::JobSpec;

/// The share of phrases whose ids must equal piper's exactly.
const REQUIRED_MATCH: f64 = 0.95;

fn fixture() -> serde_json::Value {
    common::fixture::json("piper/ids.json")
}

/// The phrase as a one-language job on the fixture's Piper voice, planned as a run plans it.
fn voxdeck_sentences(voice: &str, text: &str, assets: &Assets) -> Vec<(String, Vec<i64>)> {
    // A JSON string is a valid TOML basic string.
    let body = format!(
        "[[language]]\ncode = \"en-us\"\nmodel = \"piper\"\nvoice = \"{voice}\"\ntext = {}\n",
        serde_json::Value::from(text)
    );
    let job = JobSpec::parse(&body, Path::new("fixture.toml"), Path::new("."), "f".into())
        .expect("fixture phrase as a job");
    let planned = plan(&job, assets).expect("plan with the Piper voice from scripts/setup");
    match planned.languages.into_iter().next().unwrap() {
        Ok(language) => language
            .utterances
            .into_iter()
            .map(|u| (u.phonemes, u.token_ids))
            .collect(),
        Err(failure) => vec![(format!("(failed: {})", failure.error), vec![])],
    }
}

#[test]
fn phrases_match_piper_tts() {
    let fixture = fixture();
    let voice = fixture["voice"].as_str().unwrap();
    let assets = Assets::locate();
    let phrases = fixture["phrases"].as_array().unwrap();
    assert!(phrases.len() >= 30);
    let mut differences = Vec::new();
    // In the fixture's order, as it was made: espeak carries a little state between calls.
    for phrase in phrases {
        let text = phrase["text"].as_str().unwrap();
        let expected: Vec<(String, Vec<i64>)> = phrase["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["phonemes"].as_str().unwrap().to_string(),
                    ids(&s["phoneme_ids"]),
                )
            })
            .collect();
        let got = voxdeck_sentences(voice, text, &assets);
        let expected_ids: Vec<&Vec<i64>> = expected.iter().map(|(_, i)| i).collect();
        let got_ids: Vec<&Vec<i64>> = got.iter().map(|(_, i)| i).collect();
        if expected_ids != got_ids {
            let show = |sentences: &[(String, Vec<i64>)]| {
                sentences
                    .iter()
                    .map(|(p, i)| format!("    {p:?}\n      {i:?}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            differences.push(format!(
                "{text:?}\n  piper-tts:\n{}\n  voxdeck:\n{}",
                show(&expected),
                show(&got)
            ));
        }
    }
    let matched = phrases.len() - differences.len();
    let rate = matched as f64 / phrases.len() as f64;
    eprintln!(
        "piper ids equal piper-tts 1.8.0's on {matched} of {} phrases ({:.1} %)",
        phrases.len(),
        rate * 100.0
    );
    for difference in &differences {
        eprintln!("{difference}");
    }
    assert!(
        rate >= REQUIRED_MATCH,
        "{} of {} phrases differ:\n{}",
        differences.len(),
        phrases.len(),
        differences.join("\n")
    );
}
