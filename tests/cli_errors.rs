//! Bad input and bad set-up: exit code 2 and a message naming the problem and the fix.

mod common;

use common::{job, language, run_job, stderr, voxdeck};

fn run_expecting_2(job_body: &str, extra: &[&str]) -> String {
    let (dir, path) = job(job_body);
    let output = run_job(&path, &dir.path().join("out"), extra);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "stderr: {message}");
    assert!(
        !message.contains("panicked"),
        "no panic expected: {message}"
    );
    message
}

#[test]
fn missing_job_file() {
    let output = voxdeck()
        .args(["run", "/nonexistent/job.toml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("/nonexistent/job.toml") && message.contains("not found"),
        "{message}"
    );
}

#[test]
fn malformed_toml_names_line_and_column() {
    let message = run_expecting_2("[run]\nworkers = 2\nmode = pool\n", &[]);
    assert!(message.contains("line 3, column"), "{message}");
}

#[test]
fn unknown_language_lists_known_ones() {
    let message = run_expecting_2(&language("klingon", "Qapla'"), &[]);
    assert!(
        message.contains("unknown language `klingon`") && message.contains("pt-br"),
        "{message}"
    );
}

#[test]
fn unknown_voice_lists_voices_for_the_language() {
    let body = format!("{}voice = \"ff_nobody\"\n", language("fr", "Bonjour."));
    let message = run_expecting_2(&body, &[]);
    assert!(
        message.contains("unknown Kokoro voice `ff_nobody`") && message.contains("ff_siwis"),
        "{message}"
    );
}

#[test]
fn empty_text() {
    let message = run_expecting_2(&language("es", "   "), &[]);
    assert!(message.contains("`es` has empty text"), "{message}");
}

#[test]
fn missing_model_files_point_to_setup() {
    let (dir, path) = job(&language("fr", "Bonjour."));
    let empty_assets = tempfile::tempdir().unwrap();
    let output = voxdeck()
        .env("VOXDECK_ASSETS", empty_assets.path())
        .arg("run")
        .arg(&path)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("kokoro-v1.0.int8.onnx") && message.contains("scripts/setup"),
        "{message}"
    );
}

#[test]
fn missing_ort_library() {
    let message = run_expecting_2(
        &language("fr", "Bonjour."),
        &["--ort-lib", "/nonexistent/libonnxruntime.so"],
    );
    assert!(
        message.contains("ONNX Runtime library not found at /nonexistent/libonnxruntime.so"),
        "{message}"
    );
    assert!(message.contains("--ort-lib"), "{message}");
}

#[test]
fn a_library_that_is_not_onnx_runtime() {
    // Any shared library without OrtGetApiBase stands for a broken or foreign ORT.
    let not_ort = voxdeck::assets::Assets::locate().path(voxdeck::assets::ESPEAK_LIBRARY);
    let not_ort = not_ort.to_str().expect("a UTF-8 asset path");
    let message = run_expecting_2(&language("fr", "Bonjour."), &["--ort-lib", not_ort]);
    assert!(
        message.contains("cannot use the ONNX Runtime library")
            && message.contains("does not export `OrtGetApiBase`, so it is not ONNX Runtime")
            && message.contains("1.20 or newer"),
        "{message}"
    );
}

#[test]
fn bad_mode_and_workers() {
    let message = run_expecting_2(
        &format!("[run]\nmode = \"fast\"\n{}", language("fr", "Bonjour.")),
        &[],
    );
    assert!(message.contains("`pool` or `shared-lock`"), "{message}");
    // clap refuses the count (exit code 2) with the range it takes.
    for workers in ["0", "65"] {
        let message = run_expecting_2(&language("fr", "Bonjour."), &["--workers", workers]);
        assert!(
            message.contains("--workers") && message.contains("1..=64"),
            "{message}"
        );
    }
}

#[test]
fn cuda_asked_for_on_a_cpu_only_runtime() {
    // The fetched ORT is the CPU build: `--device cuda` must fail loudly, never fall back.
    if std::path::Path::new("/dev/nvidia0").exists() {
        eprintln!("skipped: this box has an NVIDIA device");
        return;
    }
    let message = run_expecting_2(&language("fr", "Bonjour."), &["--device", "cuda"]);
    assert!(
        message.contains("CUDA was asked for (cuda:0) but cannot be used"),
        "{message}"
    );
    assert!(message.contains("--device cpu"), "{message}");
}

#[test]
fn too_old_ort_library() {
    // A real ONNX Runtime 1.19 (fetched by scripts/setup for this test): below API level 20.
    let old = voxdeck::assets::Assets::locate().path("test/libonnxruntime.so.1.19.2");
    assert!(
        old.exists(),
        "run scripts/setup first: it fetches {}",
        old.display()
    );
    let message = run_expecting_2(
        &language("fr", "Bonjour."),
        &["--ort-lib", old.to_str().unwrap()],
    );
    assert!(
        message.contains("1.19.2") && message.contains("1.20 or newer"),
        "{message}"
    );
}
