//! Voice matching on the real models: a source spoken by a known Kokoro voice is matched
//! to that voice (or one scoring within 0.02 of it), and a second match comes from the cache.

mod common;

use common::{job, run_job, stderr};
use voxdeck::assets::Assets;
use voxdeck::engine::runtime;
use voxdeck::job::Device;
use voxdeck::languages;
use voxdeck::qa::cache::EmbeddingCache;
use voxdeck::qa::matching::{rank_voices, SessionSpeaker};
use voxdeck::qa::scoring::SourceScorer;

#[test]
fn a_known_voice_is_found_again() {
    let known = "bm_george";
    let body = format!(
        "[[language]]\ncode = \"en-gb\"\nvoice = \"{known}\"\n\
         text = \"This recording was made with one of the stock voices, and the matcher should find it again.\"\n"
    );
    let (dir, path) = job(&body);
    let out = dir.path().join("out");
    let output = run_job(&path, &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let source = out.join("en-gb.wav");

    let assets = Assets::locate();
    let runtime = runtime::load(None, &assets).unwrap();
    let mut scorer = SourceScorer::new(&runtime, &assets, &source).unwrap();
    let cache = EmbeddingCache::open(dir.path().join("probe-cache")).unwrap();
    let language = languages::find("en-gb").unwrap();
    let mut speaker = SessionSpeaker::new(&runtime, &assets, Device::Cpu);
    let mut rank = || {
        rank_voices(
            &mut speaker,
            &assets,
            &mut scorer,
            &cache,
            language,
            &std::sync::atomic::AtomicBool::new(false),
        )
        .unwrap()
    };
    let first = rank();
    assert_eq!(first.cached, 0);
    let best = first.best().unwrap();
    let known_score = first
        .ranking
        .iter()
        .find(|v| v.voice == known)
        .expect("known voice ranked")
        .similarity;
    assert!(
        best.voice == known || best.similarity - known_score <= 0.02,
        "best {} {:.3}, {known} {:.3}: {:?}",
        best.voice,
        best.similarity,
        known_score,
        first.ranking
    );
    assert!(first
        .ranking
        .windows(2)
        .all(|w| w[0].similarity >= w[1].similarity));

    if let Some(blend) = &first.blend {
        assert!(
            blend.similarity > best.similarity,
            "a blend is kept only when it beats the best voice"
        );
    }
    let second = rank();
    assert_eq!(
        second.cached,
        second.ranking.len() + voxdeck::qa::matching::BLEND_WEIGHTS.len(),
        "every probe from the cache the second time"
    );
    let voices = |m: &voxdeck::qa::matching::MatchResult| {
        m.ranking
            .iter()
            .map(|v| v.voice.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(voices(&first), voices(&second));
}

#[test]
fn headless_runs_report_similarity_and_reject_match_without_a_source() {
    let (dir, path) = job("[[language]]\ncode = \"fr\"\nvoice = \"match\"\ntext = \"Bonjour.\"\n");
    let output = run_job(&path, &dir.path().join("out"), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("needs a source clip"),
        "{}",
        stderr(&output)
    );

    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/source.wav");
    let body = format!("[source]\nclip = \"{source}\"\n[[language]]\ncode = \"es\"\ntext = \"Hola a todos, buenos días.\"\n");
    let (dir, path) = job(&body);
    let out = dir.path().join("out");
    let output = run_job(&path, &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = common::report(&out);
    let es = common::language_report(&report, "es");
    let similarity = es["similarity"].as_f64().expect("similarity reported");
    assert!((-1.0..=1.0).contains(&similarity));
    assert_eq!(es["takes"][0]["similarity"].as_f64(), Some(similarity));
}
