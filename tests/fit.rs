//! `voxdeck fit` through the real models: a source spoken in a blend of two stock voices
//! (a voice no single candidate is), fitted on a small budget; the same seed gives the same
//! voice file; the fitted voice is used by name in a job; a cancelled fit writes nothing.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use common::{job, language, report, run_job, stderr, voxdeck};

/// A source clip spoken by a blend of two stock voices.
fn blend_source(dir: &Path) -> std::path::PathBuf {
    let body = format!(
        "{}voice = \"af_nicole:0.5+am_puck:0.5\"\n",
        language(
            "en-us",
            "I would like to book a table for two people tonight, near the window if possible."
        )
    );
    let path = dir.join("source-job.toml");
    std::fs::write(&path, body).unwrap();
    let out = dir.join("source");
    let output = run_job(&path, &out, &["--no-cache"]);
    assert!(output.status.success(), "{}", stderr(&output));
    out.join("en-us.wav")
}

fn fit(dir: &Path, clip: &Path, name: &str) -> (serde_json::Value, Vec<u8>) {
    let output = voxdeck()
        .env("VOXDECK_VOICES", dir.join("voices"))
        .args(["fit", "--lang", "en-us", "--budget", "40", "--seed", "5"])
        .args(["--workers", "2", "--json", "--name", name])
        .arg(clip)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let sidecar: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let voice = std::fs::read(dir.join("voices").join(format!("{name}.bin"))).unwrap();
    (sidecar, voice)
}

#[test]
fn a_blend_source_is_fitted_at_least_as_well_as_the_best_stock_voice_and_repeatably() {
    let dir = tempfile::tempdir().unwrap();
    let clip = blend_source(dir.path());
    let (sidecar, voice) = fit(dir.path(), &clip, "blend");
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
    assert!(sidecar["evaluations"].as_u64().unwrap() <= 40);
    assert_eq!(
        sidecar["source_clip_sha256"].as_str().unwrap(),
        voxdeck::digest::sha256_file(&clip).unwrap().0
    );
    assert!(sidecar["kind"]
        .as_str()
        .unwrap()
        .contains("not a cloning model"));
    // Same seed, same clip, same budget: the same bytes.
    let (_, again) = fit(dir.path(), &clip, "blend-again");
    assert!(voice == again, "the same seed gave another voice file");

    // The fitted voice speaks every Kokoro language by name.
    let body: String = ["en-us", "en-gb", "fr", "es", "it", "pt-br", "hi"]
        .iter()
        .map(|code| {
            let text = voxdeck::qa::matching::probe_text(voxdeck::languages::find(code).unwrap());
            format!("{}voice = \"fit:blend\"\n", language(code, text))
        })
        .collect();
    let (job_dir, job_path) = job(&body);
    let out = job_dir.path().join("out");
    let output = voxdeck()
        .env("VOXDECK_VOICES", dir.path().join("voices"))
        .args(["run", "--no-cache", "--out"])
        .arg(&out)
        .arg(&job_path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let report = report(&out);
    for entry in report["languages"].as_array().unwrap() {
        assert_eq!(entry["status"], "done", "{entry}");
        assert_eq!(entry["voice"], "fit:blend", "{entry}");
    }
    // A fitted voice that is not there is named, with the fix.
    let (_missing_dir, missing) = job(&format!(
        "{}voice = \"fit:nobody\"\n",
        language("it", "Ciao.")
    ));
    let output = voxdeck()
        .env("VOXDECK_VOICES", dir.path().join("voices"))
        .args(["run", "--out"])
        .arg(dir.path().join("none"))
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("voxdeck fit"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_cancelled_fit_writes_no_voice_file() {
    let dir = tempfile::tempdir().unwrap();
    let clip = blend_source(dir.path());
    let mut child = voxdeck()
        .env("VOXDECK_VOICES", dir.path().join("voices"))
        .args([
            "fit",
            "--lang",
            "en-us",
            "--budget",
            "400",
            "--workers",
            "2",
            "--name",
            "cut",
        ])
        .arg(&clip)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // Interrupt once the search is under way.
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
    assert!(rest.iter().any(|l| l.contains("cancelled")), "{rest:?}");
    let voices = dir.path().join("voices");
    let left: Vec<_> = std::fs::read_dir(&voices)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}
