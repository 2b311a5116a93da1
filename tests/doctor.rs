//! `voxdeck doctor` on this box, and the reason given for an ORT path that cannot be
//! ONNX Runtime. Real binary, real files: nothing here fakes a missing GPU or sound card.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{job, language, run_job, stderr, voxdeck};

/// The lines of the optional parts, by the names doctor gives them.
const OPTIONAL: [&str; 3] = ["execution provider cuda", "nvml", "audio output"];

fn doctor(extra: &[&str]) -> (Output, String) {
    let output = voxdeck()
        .arg("doctor")
        .args(extra)
        .output()
        .expect("run voxdeck doctor");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    (output, text)
}

/// The line doctor printed for the check `name`.
fn line<'a>(text: &'a str, name: &str) -> &'a str {
    text.lines()
        .find(|l| l.get(5..).is_some_and(|rest| rest.starts_with(name)))
        .unwrap_or_else(|| panic!("no `{name}` line in:\n{text}"))
}

/// Whether this machine has an NVIDIA GPU, asked honestly at run time.
fn has_nvidia_gpu() -> bool {
    Path::new("/dev/nvidia0").exists()
        || std::process::Command::new("nvidia-smi")
            .arg("-L")
            .output()
            .is_ok_and(|o| o.status.success())
}

#[test]
fn doctor_passes_without_the_optional_parts() {
    let (output, text) = doctor(&[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "a box with every required part must pass:\n{text}\n{}",
        stderr(&output)
    );
    for name in OPTIONAL {
        let l = line(&text, name);
        assert!(
            l.starts_with("ok   ") || (l.starts_with("n/a  ") && l.contains("not available: ")),
            "an optional part is ok or not available with its reason, never FAIL: {l}"
        );
    }
    if !has_nvidia_gpu() {
        let l = line(&text, "nvml");
        assert!(
            l.starts_with("n/a  ") && l.contains("not available: "),
            "{l}"
        );
        let l = line(&text, "execution provider cuda");
        assert!(
            l.starts_with("n/a  ") && l.contains("not available: "),
            "{l}"
        );
    }
    assert!(!text.contains("FAIL"), "{text}");
}

#[test]
fn doctor_json_gives_each_check_a_state() {
    let (output, text) = doctor(&["--json"]);
    assert_eq!(output.status.code(), Some(0), "{text}");
    let checks: serde_json::Value = serde_json::from_str(&text).expect("doctor --json is JSON");
    let checks = checks.as_array().expect("an array of checks");
    assert!(!checks.is_empty());
    for c in checks {
        let state = c["state"].as_str().expect("state is a string");
        assert!(["ok", "not-available", "fail"].contains(&state), "{c}");
        assert_eq!(c["ok"].as_bool(), Some(state == "ok"), "{c}");
        assert!(c["name"].is_string() && c["detail"].is_string(), "{c}");
        let name = c["name"].as_str().unwrap();
        if OPTIONAL.contains(&name) {
            assert_ne!(state, "fail", "{c}");
            assert_eq!(c["required"], false, "{c}");
        } else {
            assert_eq!(state, "ok", "{c}");
            assert_eq!(c["required"], true, "{c}");
        }
    }
    if !has_nvidia_gpu() {
        let nvml = checks.iter().find(|c| c["name"] == "nvml").expect("nvml");
        assert_eq!(nvml["state"], "not-available", "{nvml}");
    }
}

#[test]
fn doctor_require_cuda_fails_without_cuda() {
    if has_nvidia_gpu() {
        eprintln!("note: this machine has an NVIDIA GPU; `--require cuda` failing is not asserted");
        return;
    }
    let (output, text) = doctor(&["--require", "cuda"]);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let l = line(&text, "execution provider cuda");
    assert!(
        l.starts_with("FAIL ") && l.contains("--require cuda") && l.contains("not available: "),
        "{l}"
    );
    // Only the named part becomes required.
    assert!(!line(&text, "nvml").starts_with("FAIL"), "{text}");
}

#[test]
fn doctor_require_takes_a_comma_list_of_known_parts() {
    let (output, text) = doctor(&["--require", "cuda,nvml,audio", "--json"]);
    let checks: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut any_fail = false;
    for name in OPTIONAL {
        let c = checks
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .expect(name);
        assert_eq!(c["required"], true, "{c}");
        assert_ne!(c["state"], "not-available", "required, absent is fail: {c}");
        any_fail |= c["state"] == "fail";
    }
    assert_eq!(output.status.code(), Some(if any_fail { 1 } else { 0 }));

    let (output, _) = doctor(&["--require", "gpu"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(message.contains("cuda, nvml, audio"), "{message}");
}

/// `voxdeck run` on a one-line job with `--ort-lib lib`: exit 2; returns stderr.
fn run_with_ort_lib(lib: &Path) -> String {
    let (dir, path) = job(&language("fr", "Bonjour."));
    let mut extra = vec!["--ort-lib"];
    let lib = lib.to_str().expect("utf-8 path");
    extra.push(lib);
    let output = run_job(&path, &dir.path().join("out"), &extra);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    assert!(
        message.contains("cannot use the ONNX Runtime library") && message.contains(lib),
        "{message}"
    );
    message
}

#[test]
fn ort_lib_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let message = run_with_ort_lib(dir.path());
    assert!(
        message.contains("is a directory") && message.contains("not its folder"),
        "{message}"
    );
}

#[test]
fn ort_lib_a_text_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("libonnxruntime.so");
    std::fs::write(&file, "this is not a library\n").unwrap();
    let message = run_with_ort_lib(&file);
    assert!(
        message.contains("is a text file")
            && message.contains("this is not a library")
            && message.contains("libonnxruntime.so.1.x"),
        "{message}"
    );
}

#[test]
fn ort_lib_random_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("libonnxruntime.so.1.32.0");
    let bytes: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&file, &bytes).unwrap();
    let message = run_with_ort_lib(&file);
    assert!(
        message.contains("is not an ELF shared library") && message.contains("7f 45 4c 46"),
        "{message}"
    );
}

#[test]
fn ort_lib_built_for_another_architecture() {
    // A real ELF header (64-bit, little-endian, shared object) for a machine this is not.
    let (other, name) = if cfg!(target_arch = "aarch64") {
        (62u16, "x86_64")
    } else {
        (183u16, "aarch64")
    };
    let mut header = vec![0u8; 4096];
    header[..4].copy_from_slice(b"\x7fELF");
    header[4] = 2; // ELFCLASS64
    header[5] = 1; // little-endian
    header[6] = 1; // EV_CURRENT
    header[16..18].copy_from_slice(&3u16.to_le_bytes()); // ET_DYN
    header[18..20].copy_from_slice(&other.to_le_bytes());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("libonnxruntime.so.1.32.0");
    std::fs::write(&file, &header).unwrap();
    let message = run_with_ort_lib(&file);
    assert!(
        message.contains(&format!("ELF file for {name} (e_machine {other})"))
            && message.contains("but this voxdeck runs on"),
        "{message}"
    );
}

/// The C maths library, a shared library that is certainly not ONNX Runtime.
fn system_libm() -> Option<PathBuf> {
    [
        "/lib/x86_64-linux-gnu/libm.so.6",
        "/usr/lib/x86_64-linux-gnu/libm.so.6",
        "/lib/aarch64-linux-gnu/libm.so.6",
        "/usr/lib/aarch64-linux-gnu/libm.so.6",
        "/lib64/libm.so.6",
        "/usr/lib64/libm.so.6",
        "/lib/libm.so.6",
        "/usr/lib/libm.so.6",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

#[test]
fn ort_lib_a_shared_library_that_is_not_onnx_runtime() {
    let Some(libm) = system_libm() else {
        eprintln!("note: no libm.so.6 found on this machine; test skipped");
        return;
    };
    let message = run_with_ort_lib(&libm);
    assert!(
        message.contains("does not export `OrtGetApiBase`") && message.contains("not ONNX Runtime"),
        "{message}"
    );
}

#[test]
fn ort_dylib_path_and_doctor_give_the_same_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (job_dir, path) = job(&language("fr", "Bonjour."));
    let output = voxdeck()
        .env("ORT_DYLIB_PATH", dir.path())
        .arg("run")
        .arg(&path)
        .arg("--out")
        .arg(job_dir.path().join("out"))
        .output()
        .unwrap();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(
        message.contains("(from ORT_DYLIB_PATH)") && message.contains("is a directory"),
        "{message}"
    );

    // doctor reports it as its failing onnxruntime check (exit 1), not as a set-up error.
    let (output, text) = doctor(&["--ort-lib", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let l = line(&text, "onnxruntime");
    assert!(l.starts_with("FAIL") && l.contains("is a directory"), "{l}");
    // The CUDA provider cannot be looked for, and is optional: not a second failure.
    assert!(
        line(&text, "execution provider cuda").starts_with("n/a  "),
        "{text}"
    );
}
