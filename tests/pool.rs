//! The worker pool on the real model: parallel and locked runs agree, failures stay
//! with their language, cancellation leaves nothing half-written.

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use common::{job, language, language_report, report, run_job, stderr, temp_files};
use voxdeck::assets::Assets;
use voxdeck::engine::outcome::RunOutcome;
use voxdeck::engine::plan;
use voxdeck::engine::pool::{Engine, EngineOptions};
use voxdeck::engine::progress::{LanguageProgress, RunObserver, Unobserved};
use voxdeck::engine::run::Status;
use voxdeck::engine::runtime::{self, Runtime};
use voxdeck::job::{Device, JobSpec, Mode};

fn runtime() -> Arc<Runtime> {
    runtime::load(None, &Assets::locate()).expect("ORT from scripts/setup")
}

fn engine_for(job: &JobSpec, mode: Mode, workers: usize) -> (Engine, plan::Plan) {
    let plan = plan::plan(job, &Assets::locate()).expect("plan");
    let options = EngineOptions {
        workers,
        mode,
        device: Device::Cpu,
        intra_threads: Some(1),
        share_weights: true,
    };
    let preload: Vec<_> = plan.models.clone().into_iter().collect();
    (
        Engine::start(runtime(), options, &preload).expect("engine"),
        plan,
    )
}

/// Sends each change it hears (test side of the engine's observer seam).
struct Changes(Mutex<mpsc::Sender<LanguageProgress>>);

impl RunObserver for Changes {
    fn language_changed(&self, _: usize, progress: &LanguageProgress) {
        let _ = self.0.lock().unwrap().send(progress.clone());
    }
    fn run_finished(&self, _: &RunOutcome) {}
}

fn submit(engine: &Engine, plan: plan::Plan, dir: &Path) -> voxdeck::engine::pool::RunHandle {
    let cancel = Arc::new(AtomicBool::new(false));
    engine.submit(plan, dir.to_path_buf(), Arc::new(Unobserved), cancel)
}

fn spec(body: &str) -> JobSpec {
    JobSpec::parse(body, Path::new("test.toml"), Path::new("."), "test".into()).unwrap()
}

#[test]
fn pool_and_shared_lock_give_identical_audio() {
    let job =
        spec(&(language("fr", "Bonjour. Au revoir.") + &language("it", "Buongiorno a tutti.")));
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for (mode, dir) in [Mode::Pool, Mode::SharedLock].into_iter().zip(&dirs) {
        let (engine, plan) = engine_for(&job, mode, 2);
        assert!(submit(&engine, plan, dir.path()).wait().all_done());
    }
    for code in ["fr", "it"] {
        let a = std::fs::read(dirs[0].path().join(format!("{code}.wav"))).unwrap();
        let b = std::fs::read(dirs[1].path().join(format!("{code}.wav"))).unwrap();
        assert!(a == b, "{code}: pool and shared-lock audio differ");
    }
}

#[test]
fn three_languages_on_two_workers_with_one_failure() {
    let body = language("fr", "Bonjour. Ceci est un essai.")
        + &language("es", "Hola. Esto es una prueba.")
        + &language("it", "Ciao a tutti.")
        + &language("en-us", "!!! ??? ...");
    let (dir, path) = job(&body);
    let out = dir.path().join("out");
    let output = run_job(&path, &out, &["--workers", "2"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = report(&out);
    assert_eq!(report["workers"], 2);
    assert_eq!(report["totals"]["languages_done"], 3);
    assert_eq!(report["totals"]["languages_failed"], 1);
    let failed = language_report(&report, "en-us");
    assert_eq!(failed["status"], "failed");
    assert!(
        failed["error"].as_str().unwrap().contains("nothing to say"),
        "{failed}"
    );
    assert!(!out.join("en-us.wav").exists());
    let mut synthesis = 0.0;
    for code in ["fr", "es", "it"] {
        let entry = language_report(&report, code);
        assert_eq!(entry["status"], "done");
        assert!(out.join(format!("{code}.wav")).exists());
        let sentences = entry["sentences"].as_array().unwrap();
        let summed: f64 = sentences
            .iter()
            .map(|s| s["synthesis_seconds"].as_f64().unwrap())
            .sum();
        assert!((summed - entry["synthesis_seconds"].as_f64().unwrap()).abs() < 1e-6);
        assert!(sentences
            .iter()
            .all(|s| !s["token_ids"].as_array().unwrap().is_empty()));
        synthesis += summed;
    }
    let totals = &report["totals"];
    assert!((totals["synthesis_seconds"].as_f64().unwrap() - synthesis).abs() < 1e-6);
    let concurrency =
        totals["synthesis_seconds"].as_f64().unwrap() / totals["wall_seconds"].as_f64().unwrap();
    assert!((totals["concurrency"].as_f64().unwrap() - concurrency).abs() < 1e-6);
    assert!(temp_files(&out).is_empty());
}

#[test]
fn a_missing_voice_file_fails_only_its_language() {
    // A private asset folder whose af_heart voice file is gone.
    let assets = Assets::locate();
    let private = tempfile::tempdir().unwrap();
    for sub in ["runtime", "espeak", "models/piper"] {
        std::os::unix::fs::symlink(assets.path(sub), private.path().join(sub)).ok();
    }
    std::fs::create_dir_all(private.path().join("models/kokoro/voices")).unwrap();
    for file in ["kokoro-v1.0.int8.onnx", "vocab.json"] {
        std::os::unix::fs::symlink(
            assets.path("models/kokoro").join(file),
            private.path().join("models/kokoro").join(file),
        )
        .unwrap();
    }
    std::os::unix::fs::symlink(
        assets.kokoro_voice("ef_dora"),
        private.path().join("models/kokoro/voices/ef_dora.bin"),
    )
    .unwrap();
    let (dir, path) = job(&(language("en-us", "Hello.") + &language("es", "Hola.")));
    let out = dir.path().join("out");
    let output = common::voxdeck()
        .env("VOXDECK_ASSETS", private.path())
        .args([
            "run",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = report(&out);
    let failed = language_report(&report, "en-us");
    assert!(
        failed["error"].as_str().unwrap().contains("af_heart.bin"),
        "{failed}"
    );
    assert_eq!(language_report(&report, "es")["status"], "done");
}

#[test]
fn cancel_after_the_first_sentence_writes_no_partial_output() {
    let job = spec(
        &(language("fr", "Un. Deux. Trois. Quatre. Cinq.")
            + &language("es", "Uno. Dos. Tres. Cuatro. Cinco.")
            + &language("it", "Uno. Due. Tre. Quattro. Cinque.")),
    );
    let (engine, plan) = engine_for(&job, Mode::Pool, 2);
    let dir = tempfile::tempdir().unwrap();
    let (tx, rx) = mpsc::channel();
    let observer = Arc::new(Changes(Mutex::new(tx)));
    let handle = engine.submit(
        plan,
        dir.path().to_path_buf(),
        observer,
        Arc::new(AtomicBool::new(false)),
    );
    loop {
        let change = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("progress within a minute");
        if change.sentences_done > 0 {
            break;
        }
    }
    handle.cancel();
    let outcome = handle.wait();
    assert!(outcome.cancelled);
    let cancelled: Vec<_> = outcome
        .languages
        .iter()
        .filter(|l| l.status == Status::Cancelled)
        .collect();
    assert!(
        !cancelled.is_empty(),
        "five sentences each cannot all be done after one"
    );
    for language in &outcome.languages {
        let wav = dir.path().join(format!("{}.wav", language.code));
        assert_eq!(
            wav.exists(),
            language.status == Status::Done,
            "{}: {:?}",
            language.code,
            language.status
        );
    }
    assert!(temp_files(dir.path()).is_empty());
}
