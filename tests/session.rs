//! The session core on the real engine: the headless command and the console's path give
//! the same report, a reader that stalls finds the final state and no backlog, and a rerun
//! of one language keeps the others.

mod common;

use std::path::{Path, PathBuf};

use common::{language, run_job, run_to_end, stderr};
use serde_json::Value;
use voxdeck::console::model::Model;
use voxdeck::engine::outcome::Status;
use voxdeck::job::JobSpec;
use voxdeck::session::published::Notice;
use voxdeck::session::{Session, SessionOptions};

fn source_clip() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/source.wav")
}

fn job_text() -> String {
    format!(
        "name = \"same\"\n[source]\nclip = \"{}\"\n{}{}",
        source_clip().display(),
        language("fr", "Bonjour. Au revoir."),
        language("it", "Buongiorno a tutti.")
    )
}

/// The report as report.json holds it (f32 scores read back the way a reader sees them).
fn as_json(report: voxdeck::session::Report) -> Value {
    serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap()
}

/// The report without what differs between two runs of one job: timings and paths.
fn comparable(mut report: Value) -> Value {
    fn scrub(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for key in [
                    "wall_seconds",
                    "synthesis_seconds",
                    "elapsed_seconds",
                    "rtf",
                    "concurrency",
                    "output",
                    "output_from",
                    "session",
                    // Whether a sentence came from the result cache depends on the runs
                    // before, as timings do.
                    "cache_hits",
                    "cache_hit",
                    // Which cache is the driver's choice (headless here uses the disk one).
                    "cache",
                ] {
                    map.remove(key);
                }
                map.values_mut().for_each(scrub);
            }
            Value::Array(items) => items.iter_mut().for_each(scrub),
            _ => {}
        }
    }
    scrub(&mut report);
    report
}

#[test]
fn headless_and_console_drivers_give_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let job_path = dir.path().join("same.toml");
    std::fs::write(&job_path, job_text()).unwrap();

    let headless_out = dir.path().join("headless");
    let output = run_job(&job_path, &headless_out, &["--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let headless: Value = serde_json::from_slice(&output.stdout).unwrap();
    let on_disk = common::report(&headless_out);
    assert_eq!(headless, on_disk, "--json prints the report it wrote");

    // The console's path: the model built from the job, its job for the ticked rows.
    let job = JobSpec::load(&job_path).unwrap();
    let model = Model::new(Some(&job), vec![], Default::default());
    let ticked: Vec<usize> = (0..model.languages.len())
        .filter(|&i| model.languages[i].checked)
        .collect();
    let session = Session::start(uncached(), || {});
    let console_out = dir.path().join("console");
    run_to_end(&session, model.job_for(&ticked), &console_out);
    let console = as_json(session.report().unwrap());

    assert_eq!(comparable(headless.clone()), comparable(console));
    for code in ["fr", "it"] {
        let entry = common::language_report(&headless, code);
        assert_eq!(entry["status"], "done");
        assert_eq!(entry["takes"].as_array().unwrap().len(), 1);
        assert!(entry["similarity"].as_f64().is_some(), "{entry}");
    }
}

#[test]
fn a_stalled_reader_finds_the_final_state_and_one_notice_per_language() {
    let dir = tempfile::tempdir().unwrap();
    let job_path = dir.path().join("stall.toml");
    let text = format!(
        "{}{}{}",
        language("fr", "Un. Deux. Trois. Quatre."),
        language("es", "Uno. Dos. Tres. Cuatro."),
        language("it", "Uno. Due. Tre. Quattro.")
    );
    std::fs::write(&job_path, text).unwrap();
    let job = JobSpec::load(&job_path).unwrap();
    let session = Session::start(uncached(), || {});
    run_to_end(&session, job, &dir.path().join("out"));
    let (statuses, notices) = session.state().take(|state, notices| {
        let statuses: Vec<(String, Status, usize)> = state
            .languages
            .iter()
            .map(|l| (l.code.clone(), l.progress.status, l.progress.sentences_done))
            .collect();
        (statuses, notices)
    });
    assert_eq!(
        statuses,
        [
            ("fr".to_string(), Status::Done, 4),
            ("es".to_string(), Status::Done, 4),
            ("it".to_string(), Status::Done, 4)
        ]
    );
    // Twelve sentences and three takes later, one notice per language and one for the run.
    assert_eq!(
        notices,
        [
            Notice::Language("es".into()),
            Notice::Language("fr".into()),
            Notice::Language("it".into()),
            Notice::Session
        ]
    );
}

#[test]
fn a_rerun_of_one_language_keeps_the_others_and_totals_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let job_path = dir.path().join("rerun.toml");
    std::fs::write(&job_path, job_text()).unwrap();
    let job = JobSpec::load(&job_path).unwrap();
    let out = dir.path().join("out");
    let session = Session::start(uncached(), || {});
    run_to_end(&session, job.clone(), &out);
    let mut again = job.clone();
    again.languages.retain(|l| l.code == "it");
    again.languages[0].speed = 1.2;
    let second = run_to_end(&session, again, &out);

    let report = as_json(session.report().unwrap());
    let fr = common::language_report(&report, "fr");
    let it = common::language_report(&report, "it");
    assert_eq!(
        (fr["run"].as_u64(), it["run"].as_u64()),
        (Some(1), Some(second))
    );
    let speeds: Vec<f64> = it["takes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["speed"].as_f64().unwrap())
        .collect();
    assert_eq!(speeds.len(), 2);
    assert!((speeds[1] - 1.2).abs() < 1e-6, "{speeds:?}");
    let totals = &report["totals"];
    assert_eq!(totals["languages_done"], 2);
    let listed: f64 = [fr, it]
        .iter()
        .map(|l| l["synthesis_seconds"].as_f64().unwrap())
        .sum();
    assert!((totals["synthesis_seconds"].as_f64().unwrap() - listed).abs() < 1e-9);
    assert_eq!(
        common::report(&out),
        report,
        "report.json is the session's report"
    );
}

/// The library's session without the result cache, so these tests synthesise and never
/// touch the user's cache folder.
fn uncached() -> SessionOptions {
    SessionOptions {
        no_cache: true,
        ..SessionOptions::default()
    }
}

#[test]
fn probes_spoken_on_the_pool_rank_voices_as_one_session_does() {
    use voxdeck::assets::Assets;
    use voxdeck::qa::cache::EmbeddingCache;
    use voxdeck::qa::matching::{rank_voices, SessionSpeaker};
    use voxdeck::qa::scoring::SourceScorer;
    let dir = tempfile::tempdir().unwrap();
    let session = Session::start(
        SessionOptions {
            probe_cache: Some(dir.path().join("pool-probes")),
            ..uncached()
        },
        || {},
    );
    session.match_voice("it", source_clip(), voxdeck::job::Device::Cpu);
    session.state().wait_until(|s| !s.rankings.is_empty());
    let pooled = session
        .state()
        .read(|s| s.rankings[0].result.clone())
        .expect("the pool ranks the voices");
    assert_eq!(
        pooled.cached, 0,
        "a fresh probe cache: every probe was spoken"
    );

    let assets = Assets::locate();
    let runtime = voxdeck::engine::runtime::load(None, &assets).unwrap();
    let mut scorer = SourceScorer::new(&runtime, &assets, &source_clip()).unwrap();
    let cache = EmbeddingCache::open(dir.path().join("session-probes")).unwrap();
    let mut speaker = SessionSpeaker::new(&runtime, &assets, voxdeck::job::Device::Cpu);
    let language = voxdeck::languages::find("it").unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let alone = rank_voices(&mut speaker, &assets, &mut scorer, &cache, language, &stop).unwrap();

    let voices = |r: &voxdeck::qa::matching::MatchResult| -> Vec<String> {
        r.ranking.iter().map(|v| v.voice.clone()).collect()
    };
    assert_eq!(voices(&pooled), voices(&alone));
    for (a, b) in pooled.ranking.iter().zip(&alone.ranking) {
        // The pool writes 16-bit WAVs; one session hands the encoder floats.
        assert!((a.similarity - b.similarity).abs() < 0.01, "{a:?} vs {b:?}");
    }
}
