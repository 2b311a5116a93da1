//! Shared helpers for the integration tests: they run the real binary and the real
//! library against the real models fetched by scripts/setup.
#![allow(dead_code)]

pub mod fit;
pub mod fixture;
pub mod matrix;
pub mod redis_server;
pub mod sink;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary, with a result cache of this test process's own (a test that wants another
/// sets `VOXDECK_RESULT_CACHE` again) and no settings file (a test that wants one sets
/// `VOXDECK_CONFIG` again), so no run depends on the user's cache or settings.
pub fn voxdeck() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_voxdeck"));
    let cache = std::env::temp_dir().join(format!("voxdeck-test-results-{}", std::process::id()));
    command.env("VOXDECK_RESULT_CACHE", cache);
    command.env("VOXDECK_CONFIG", "/nonexistent/voxdeck-tests/config.toml");
    command
}

/// Writes `body` as a job file in a fresh temp dir; returns (dir, job path).
pub fn job(body: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("job.toml");
    std::fs::write(&path, body).expect("write job");
    (dir, path)
}

pub fn language(code: &str, text: &str) -> String {
    format!("[[language]]\ncode = \"{code}\"\ntext = \"{text}\"\n")
}

pub fn run_job(job: &Path, out: &Path, extra: &[&str]) -> Output {
    voxdeck()
        .arg("run")
        .arg(job)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("run voxdeck")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn report(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("report.json")).expect("report.json written");
    serde_json::from_str(&text).expect("report.json is JSON")
}

pub fn language_report<'a>(report: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    report["languages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == code)
        .expect("language in report")
}

/// Files in `dir` whose names end with `.tmp`: leftovers of an interrupted write.
pub fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect()
}

/// Runs `job` on `session` and waits for it to end without taking any notice; a run that
/// could not start fails the test with its message. Returns the run's id.
pub fn run_to_end(
    session: &voxdeck::session::Session,
    job: voxdeck::job::JobSpec,
    out: &Path,
) -> u64 {
    let id = session.run(job, out.to_path_buf());
    session
        .state()
        .wait_until(|s| s.run.id == id && !s.run.phase.is_active());
    let phase = session.state().read(|s| s.run.phase.clone());
    if let voxdeck::session::state::RunPhase::SetupFailed(message) = phase {
        panic!("{message}");
    }
    id
}
