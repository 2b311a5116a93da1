//! `voice = "fit"` in a job, through the real models on a small budget: the session fits a
//! voice to the job's source clip before the run, saves it like `voxdeck fit`, speaks with
//! it and reports it as `voice_fit`; a rerun finds the saved voice and does not search
//! again; a job that asks for a fit and has no source clip is refused with the fix.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Instant;

use common::{language, language_report, report, stderr, voxdeck};

/// A job whose Italian is fitted to `clip` with a budget of 16 and seed 3.
fn fit_job(dir: &Path, clip: Option<&Path>) -> std::path::PathBuf {
    let source = clip
        .map(|c| format!("[source]\nclip = \"{}\"\n", c.display()))
        .unwrap_or_default();
    let body = format!(
        "{source}[run]\nfit_seed = 3\n{}voice = \"fit\"\nfit_budget = 16\n",
        language("it", "Oggi il cielo è sereno e andiamo al mare.")
    );
    let path = dir.join("fit-job.toml");
    std::fs::write(&path, body).unwrap();
    path
}

/// Runs `job` cheaply (two workers of one thread, no transcription), fitted voices kept in
/// `<dir>/voices`.
fn run(dir: &Path, job: &Path, out: &str) -> (Output, f64) {
    let started = Instant::now();
    let output = voxdeck()
        .env("VOXDECK_VOICES", dir.join("voices"))
        .arg("run")
        .arg(job)
        .arg("--out")
        .arg(dir.join(out))
        .args(["--workers", "2", "--intra-threads", "1", "--no-transcribe"])
        .output()
        .unwrap();
    (output, started.elapsed().as_secs_f64())
}

fn mean(v: &serde_json::Value) -> f64 {
    let s: Vec<f64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(s.len(), 2, "GE2E and d-vector: {v}");
    assert!(s.iter().all(|x| (-1.0..=1.0).contains(x)), "{v}");
    s.iter().sum::<f64>() / 2.0
}

#[test]
fn a_job_fits_its_voice_to_the_source_and_a_rerun_uses_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    // The source: a blend of the two Italian voices that neither of them is, nor any of the
    // blends of them the fit starts from.
    let source_job = dir.join("source-job.toml");
    std::fs::write(
        &source_job,
        format!(
            "{}voice = \"if_sara:0.63+im_nicola:0.37\"\n",
            language(
                "it",
                "Buongiorno, vorrei prenotare un tavolo per due persone stasera."
            )
        ),
    )
    .unwrap();
    let (output, _) = run(dir, &source_job, "source");
    assert!(output.status.success(), "{}", stderr(&output));
    let clip = dir.join("source/it.wav");
    let sha = voxdeck::digest::sha256_file(&clip).unwrap().0;

    let job = fit_job(dir, Some(&clip));
    let (output, first_seconds) = run(dir, &job, "out");
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(dir.join("out/it.wav").exists(), "{log}");
    // Headless progress while fitting: evaluations of the budget, best scores.
    assert!(log.contains("it: fitting a voice: "), "{log}");
    assert!(log.contains("/16 evaluations, best probe"), "{log}");
    let name = format!("it-{}-s3", &sha[..8]);
    let first = report(&dir.join("out"));
    let entry = language_report(&first, "it");
    assert_eq!(entry["status"], "done", "{entry}");
    assert_eq!(entry["voice"], format!("fit:{name}"), "{entry}");
    let fit = &entry["voice_fit"];
    assert_eq!(fit["name"], name.as_str(), "{fit}");
    assert_eq!(fit["reused"], false, "{fit}");
    assert_eq!(fit["seed"], 3, "{fit}");
    assert_eq!(fit["budget"], 16, "{fit}");
    assert_eq!(fit["source_clip_sha256"], sha.as_str(), "{fit}");
    assert_eq!(
        fit["judges"],
        serde_json::json!(["ge2e", "d-vector"]),
        "{fit}"
    );
    let evaluations = fit["evaluations"].as_u64().unwrap();
    assert!((2..=16).contains(&evaluations), "{fit}");
    let stock_voice = fit["best_stock"]["voice"].as_str().unwrap();
    let blend = fit["best_blend"]["voice"].as_str().unwrap();
    assert!(
        blend.contains("if_sara:") && blend.contains("im_nicola:"),
        "{fit}"
    );
    assert!(["if_sara", "im_nicola"].contains(&stock_voice), "{fit}");
    let (before, after) = (
        mean(&fit["best_stock"]["held_out"]),
        mean(&fit["fitted"]["held_out"]),
    );
    assert!(
        before > 0.5,
        "the best stock voice is near a blend of two: {fit}"
    );
    assert!(
        after >= before,
        "held-out {after} under the best stock voice's {before}"
    );
    let search = fit["search_seconds"].as_f64().unwrap();
    let wall = fit["wall_seconds"].as_f64().unwrap();
    assert!(search > 0.0 && wall >= search, "{fit}");
    let file = Path::new(fit["file"].as_str().unwrap());
    assert_eq!(file, dir.join("voices").join(format!("{name}.bin")));
    assert_eq!(std::fs::metadata(file).unwrap().len(), 510 * 256 * 4);
    let sidecar: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("voices").join(format!("{name}.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(sidecar["budget"], 16);
    assert_eq!(sidecar["fitted"], fit["fitted"]);

    // The same clip, language, seed and budget: the saved voice, no search.
    let (output, second_seconds) = run(dir, &job, "again");
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(!log.contains("fitting a voice"), "{log}");
    assert!(
        log.contains(&format!("using the fitted voice {name} again")),
        "{log}"
    );
    let again = report(&dir.join("again"));
    let fit = &language_report(&again, "it")["voice_fit"];
    assert_eq!(fit["reused"], true, "{fit}");
    assert_eq!(fit["name"], name.as_str(), "{fit}");
    assert_eq!(fit["search_seconds"].as_f64().unwrap(), search, "{fit}");
    assert!(fit["wall_seconds"].as_f64().unwrap() < 1.0, "{fit}");
    assert!(
        second_seconds * 2.0 < first_seconds,
        "the rerun took {second_seconds:.1} s, the fit {first_seconds:.1} s"
    );
    eprintln!(
        "fit at budget 16: {first_seconds:.1} s ({search:.1} s searching, {evaluations} evaluations), held-out mean {before:.3} ({stock_voice}) -> {after:.3}; rerun {second_seconds:.1} s"
    );
}

#[test]
fn a_fit_without_a_source_clip_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let job = fit_job(dir.path(), None);
    let (output, _) = run(dir.path(), &job, "out");
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{log}");
    assert!(log.contains("voice = \"fit\""), "{log}");
    assert!(log.contains("[source] clip"), "{log}");
    assert!(!dir.path().join("voices").exists());
    assert!(!dir.path().join("out/it.wav").exists());
}
