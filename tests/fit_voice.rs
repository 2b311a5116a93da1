//! A fitted voice in jobs: saved by `voxdeck fit` on the smallest budget, it speaks every
//! Kokoro language by name, and a fitted voice that is not there is named with the fix.

mod common;

use std::path::Path;

use common::fit::fit;
use common::{job, language, report, stderr, voxdeck};

#[test]
fn a_fitted_voice_speaks_every_kokoro_language_by_name() {
    // The smallest budget makes a fitted voice to speak with.
    let dir = tempfile::tempdir().unwrap();
    let clip = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/source.wav");
    let (sidecar, _) = fit(dir.path(), &clip, "blend", 8);
    assert!(sidecar["evaluations"].as_u64().unwrap() <= 8, "{sidecar}");
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
