//! Loudness of real takes (Kokoro and Piper, a pool of two): every take measured in
//! report.json, the job's spread in the totals; `voxdeck qa` on a take at half amplitude
//! reads 6 LU lower, and on a take driven into clipping counts the clipped samples and
//! says so. The meter itself against the R128 reference figures: src/qa/loudness/tests.rs.

mod common;

use std::path::Path;
use std::process::Command;

use common::matrix::mixed_job_body;
use common::{job, language_report, report, run_job, stderr, voxdeck};

/// `sox` without dither, so a scaled copy holds exactly the scaled samples.
fn sox(from: &Path, to: &Path, gain: &str) {
    let status = Command::new("sox")
        .arg("-D")
        .arg(from)
        .arg(to)
        .args(["vol", gain])
        .status()
        .expect("sox");
    assert!(status.success());
}

fn integrated(entry: &serde_json::Value) -> f64 {
    entry["loudness"]["integrated_lufs"]
        .as_f64()
        .unwrap_or_else(|| panic!("no integrated loudness: {entry}"))
}

#[test]
fn every_take_is_measured_and_a_scaled_or_clipped_copy_reads_as_such() {
    let (dir, path) = job(&mixed_job_body());
    let out = dir.path().join("out");
    let output = run_job(
        &path,
        &out,
        &["--no-cache", "--no-transcribe", "--workers", "2"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let report = report(&out);
    let mut levels = Vec::new();
    for code in ["fr", "it", "en-us"] {
        let entry = language_report(&report, code);
        let take = &entry["takes"][0];
        assert_eq!(
            entry["loudness"], take["loudness"],
            "{code}: the latest take's"
        );
        let lufs = integrated(take);
        assert!((-40.0..-8.0).contains(&lufs), "{code}: {lufs} LUFS");
        eprintln!("{code}: {}", take["loudness"]);
        let peak = take["loudness"]["true_peak_dbtp"].as_f64().unwrap();
        let _ = peak;
        levels.push(lufs);
    }
    let spread = report["totals"]["loudness_spread_lu"].as_f64().unwrap();
    let max = levels.iter().copied().fold(f64::MIN, f64::max);
    let min = levels.iter().copied().fold(f64::MAX, f64::min);
    assert!(
        (spread - (max - min)).abs() < 1e-9,
        "{spread} vs {levels:?}"
    );

    // The same takes scored as outside audio: it at half amplitude, fr driven into clipping.
    let half = dir.path().join("it-half.wav");
    sox(&out.join("it.wav"), &half, "0.5");
    let clipped = dir.path().join("fr-clipped.wav");
    sox(&out.join("fr.wav"), &clipped, "8");
    let output = voxdeck()
        .args(["qa", "--json"])
        .args([
            "--text",
            "it=Buongiorno. A domani.",
            "--text",
            "fr=Bonjour. Au revoir.",
        ])
        .arg(format!("it={}", half.display()))
        .arg(format!("fr={}", clipped.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let scored: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let drop =
        integrated(language_report(&report, "it")) - integrated(language_report(&scored, "it"));
    assert!(
        (drop - 6.02).abs() < 0.1,
        "half amplitude read {drop} LU lower"
    );
    let fr = &language_report(&scored, "fr")["loudness"];
    assert!(fr["clipped_samples"].as_u64().unwrap() > 100, "{fr}");
    assert!(
        stderr(&output).contains("fr is clipped"),
        "{}",
        stderr(&output)
    );
}
