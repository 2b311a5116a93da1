//! `voxdeck fit` as the fit tests run it.

use std::path::Path;

use super::{stderr, voxdeck};

/// `voxdeck fit` on `clip` in Italian, seed 5, two workers, generations of 2 (the smallest
/// population, one candidate per worker) within `budget` (6 to start, then 2 a
/// generation), the sidecar on stdout.
pub fn fit_command(dir: &Path, clip: &Path, name: &str, budget: usize) -> std::process::Command {
    let mut command = voxdeck();
    command
        .env("VOXDECK_VOICES", dir.join("voices"))
        .args(["fit", "--lang", "it", "--seed", "5", "--population", "2"])
        .args(["--budget", &budget.to_string()])
        .args(["--workers", "2", "--json", "--name", name])
        .arg(clip);
    command
}

/// Runs `fit_command`; the sidecar and the voice file.
pub fn fit(dir: &Path, clip: &Path, name: &str, budget: usize) -> (serde_json::Value, Vec<u8>) {
    let output = fit_command(dir, clip, name, budget).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let sidecar: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let voice = std::fs::read(dir.join("voices").join(format!("{name}.bin"))).unwrap();
    (sidecar, voice)
}
