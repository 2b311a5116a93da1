//! `voxdeck fit` through the real models: a source spoken in a blend of two stock voices
//! (a voice no single candidate is), fitted on a small budget; the same seed gives the same
//! voice file, also when the search is cancelled and goes on from its checkpoint (a cancel
//! writes no voice file). The fitted voice used by name in a job: tests/fit_voice.rs.
//!
//! In Italian, whose two stock voices make the fit's start six evaluations (two voices,
//! four blends) where en-us's 20 made it 26: the claims are the same, the binary a third of
//! the time (it took 300 s on en-us).

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use common::fit::{fit, fit_command};
use common::{language, run_job, stderr};

/// A source clip spoken by a blend of two stock voices, with weights none of the blends the
/// fit starts from has.
fn blend_source(dir: &Path) -> std::path::PathBuf {
    let body = format!(
        "{}voice = \"if_sara:0.63+im_nicola:0.37\"\n",
        language(
            "it",
            "Vorrei prenotare un tavolo per due persone stasera, vicino alla finestra se possibile."
        )
    );
    let path = dir.join("source-job.toml");
    std::fs::write(&path, body).unwrap();
    let out = dir.join("source");
    let output = run_job(&path, &out, &["--no-cache"]);
    assert!(output.status.success(), "{}", stderr(&output));
    out.join("it.wav")
}

/// Two generations after the start (two stock voices and four blends of them): enough to
/// cancel after the first and go on.
const BUDGET: usize = 10;

/// `fit_command`, interrupted (SIGINT) once its first generation is reported; its stderr
/// after that. It must end as a cancel (exit 130), having written no voice file.
fn cancel_after_generation_1(voices: &Path, clip: &Path, name: &str) -> Vec<String> {
    let mut child = fit_command(voices.parent().unwrap(), clip, name, BUDGET)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("generation 1 ") {
            break;
        }
    }
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{rest:?}");
    assert!(!voices.join(format!("{name}.bin")).exists(), "{rest:?}");
    rest
}

#[test]
fn a_blend_source_is_fitted_at_least_as_well_as_the_best_stock_voice_and_repeatably() {
    let dir = tempfile::tempdir().unwrap();
    let clip = blend_source(dir.path());
    let (sidecar, voice) = fit(dir.path(), &clip, "blend", BUDGET);
    assert_eq!(voice.len(), 510 * 256 * 4, "float32 [510, 256]");
    let mean = |v: &serde_json::Value| {
        let s: Vec<f64> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        s.iter().sum::<f64>() / s.len() as f64
    };
    let fitted = mean(&sidecar["fitted"]["held_out"]);
    let stock = mean(&sidecar["best_stock"]["held_out"]);
    assert!(
        fitted >= stock,
        "held-out {fitted} under the best stock voice's {stock}"
    );
    assert!(sidecar["evaluations"].as_u64().unwrap() <= BUDGET as u64);
    assert_eq!(sidecar["generations"].as_array().unwrap().len(), 2);
    assert_eq!(
        sidecar["source_clip_sha256"].as_str().unwrap(),
        voxdeck::digest::sha256_file(&clip).unwrap().0
    );
    assert!(sidecar["kind"]
        .as_str()
        .unwrap()
        .contains("not a cloning model"));
    // The best blend of the best stock voices is scored too, by both judges.
    let blend = &sidecar["best_blend"];
    assert!(blend["voice"].as_str().unwrap().contains('+'), "{blend}");
    assert_eq!(blend["held_out"].as_array().unwrap().len(), 2, "{blend}");
    assert!(mean(&sidecar["fitted"]["held_out"]) >= mean(&blend["held_out"]));

    // Same seed, same clip, same budget: the same bytes, even when the search is cancelled
    // after its first generation and goes on from its checkpoint.
    let voices = dir.path().join("voices");
    let checkpoint = voices.join(".searches").join("blend-again.json");
    let cut = cancel_after_generation_1(&voices, &clip, "blend-again");
    assert!(cut.iter().any(|l| l.contains("cancelled")), "{cut:?}");
    assert!(
        checkpoint.is_file(),
        "no checkpoint after a cancel: {cut:?}"
    );
    assert!(!voices.join("blend-again.bin").exists(), "{cut:?}");
    let output = fit_command(dir.path(), &clip, "blend-again", BUDGET)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("resuming the search saved after generation"),
        "{}",
        stderr(&output)
    );
    let again = std::fs::read(voices.join("blend-again.bin")).unwrap();
    assert!(
        voice == again,
        "the resumed search gave another voice file than the whole one"
    );
    assert!(
        !checkpoint.exists(),
        "the checkpoint outlived the saved voice"
    );
}
