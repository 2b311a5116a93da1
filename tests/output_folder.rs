//! Output folders never lose a result: a rerun replaces a file only with a complete new
//! one, a failed or interrupted language keeps its earlier file, report.json describes the
//! files present after SIGTERM and SIGKILL, two runs cannot share a folder, and what dead
//! runs left is cleaned up.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use common::{job, language, report, run_job, stderr, temp_files, voxdeck};

fn three_languages() -> String {
    language("fr", "Un. Deux. Trois. Quatre. Cinq. Six.")
        + &language("es", "Uno. Dos. Tres. Cuatro. Cinco. Seis.")
        + &language("it", "Uno. Due. Tre. Quattro. Cinque. Sei.")
}

/// Every output the report lists exists, and every WAV in the folder is listed, as a
/// language's output or as another file.
fn assert_report_matches_folder(out: &Path) {
    let report = report(out);
    let mut listed = Vec::new();
    for language in report["languages"].as_array().unwrap() {
        if let Some(output) = language["output"].as_str() {
            assert!(
                Path::new(output).is_file(),
                "{output} is listed but missing"
            );
            assert!(language["output_from"].is_string(), "{language}");
            listed.push(Path::new(output).file_name().unwrap().to_owned());
        } else {
            assert_ne!(language["status"], "done", "{language}");
        }
    }
    for other in report["other_files"].as_array().unwrap() {
        listed.push(
            Path::new(other["output"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_owned(),
        );
    }
    for entry in std::fs::read_dir(out).unwrap().flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().ends_with(".wav") {
            assert!(
                listed.contains(&name),
                "{name:?} is in the folder but not in the report"
            );
        }
    }
}

/// Starts a run and returns it once it has finished its first sentence. The result cache
/// is off, so the run is still synthesising.
fn start_and_wait_for_a_sentence(job: &Path, out: &Path) -> std::process::Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_voxdeck"))
        .arg("run")
        .arg(job)
        .arg("--out")
        .arg(out)
        .arg("--no-cache")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    loop {
        let line = lines
            .next()
            .expect("the run prints progress before it ends")
            .unwrap();
        if line.contains("1/6 sentences") {
            break;
        }
    }
    // Keep draining so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    child
}

fn wavs(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".wav"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_rerun_stopped_by_sigterm_or_sigkill_keeps_the_earlier_results() {
    let (dir, job) = job(&three_languages());
    let out = dir.path().join("out");
    let first = run_job(&job, &out, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before = wavs(&out);
    assert_eq!(before.len(), 3);
    for signal in [libc::SIGTERM, libc::SIGKILL] {
        let child = start_and_wait_for_a_sentence(&job, &out);
        // SAFETY: signalling our own child process.
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait_with_output().unwrap().status;
        assert_ne!(status.code(), Some(0), "signal {signal}");
        let after = wavs(&out);
        assert_eq!(
            after.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            before.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            "signal {signal}: every earlier result is still there"
        );
        for (name, bytes) in &after {
            assert!(bytes.len() > 1000, "signal {signal}: {name} is whole");
        }
        assert_report_matches_folder(&out);
    }
    // The next start removes what the killed run left half-written.
    let again = run_job(&job, &out, &["--cancel-after", "1", "--no-cache"]);
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert!(temp_files(&out).is_empty(), "{:?}", temp_files(&out));
    assert_report_matches_folder(&out);
}

#[test]
fn a_failed_language_keeps_its_earlier_file_and_the_report_says_whose_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (_good_dir, good) = job(&(language("fr", "Bonjour.") + &language("es", "Hola.")));
    assert_eq!(run_job(&good, &out, &[]).status.code(), Some(0));
    let first = report(&out);
    let made_by = first["languages"][0]["output_from"]
        .as_str()
        .unwrap()
        .to_string();
    let fr_before = std::fs::read(out.join("fr.wav")).unwrap();

    let (_bad_dir, bad) = job(&language("fr", "!!! ???"));
    let output = run_job(&bad, &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(std::fs::read(out.join("fr.wav")).unwrap(), fr_before);
    let second = report(&out);
    let fr = common::language_report(&second, "fr");
    assert_eq!(fr["status"], "failed");
    assert_eq!(fr["output_from"].as_str(), Some(made_by.as_str()), "{fr}");
    // es was not in the second job: left alone, listed as another file, with its maker.
    let others = second["other_files"].as_array().unwrap();
    assert_eq!(others.len(), 1, "{others:?}");
    assert!(others[0]["output"].as_str().unwrap().ends_with("es.wav"));
    assert!(others[0]["output_from"].is_string());
    assert_report_matches_folder(&out);
}

#[test]
fn a_second_run_on_a_busy_folder_is_refused_naming_the_holder() {
    let (dir, job) = job(&three_languages());
    let out = dir.path().join("out");
    let mut first = start_and_wait_for_a_sentence(&job, &out);
    let second = voxdeck()
        .arg("run")
        .arg(&job)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let message = stderr(&second);
    assert_eq!(second.status.code(), Some(2), "{message}");
    assert!(
        message.contains("in use by another voxdeck run")
            && message.contains(&format!("pid {}", first.id()))
            && message.contains("--wait"),
        "{message}"
    );
    assert!(first.wait().unwrap().success());
    assert_report_matches_folder(&out);
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` (with a note) where this user may not mount, e.g. not root.
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            eprintln!("full-disk test not run: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(SmallDisk { dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_disk_fails_clearly_and_leaves_no_temp_files() {
    let Some(disk) = SmallDisk::mount("48k") else {
        return;
    };
    let (_dir, job) = job(&language("fr", "Bonjour à tous, et bienvenue."));
    let out = disk.dir.path().join("out");
    let output = run_job(&job, &out, &[]);
    let message = stderr(&output);
    assert_ne!(output.status.code(), Some(0), "{message}");
    assert!(message.contains("No space left"), "{message}");
    for dir in [out.clone(), out.join("takes")] {
        assert!(temp_files(&dir).is_empty(), "{:?}", temp_files(&dir));
    }
}

/// Issue 20: at 200 KiB the language's WAV fits but its take does not. Every WAV under a
/// final name must be whole (its header's length is the file's), and the report, where it
/// could be written, names the take that is missing.
#[test]
fn on_a_full_disk_no_file_under_a_final_name_is_cut_short() {
    let Some(disk) = SmallDisk::mount("200k") else {
        return;
    };
    let (_dir, job) = job(&language(
        "fr",
        "Bonjour à tous, et bienvenue. Nous allons commencer dans un instant.",
    ));
    let out = disk.dir.path().join("out");
    let output = run_job(&job, &out, &["--no-transcribe"]);
    let message = stderr(&output);
    for dir in [out.clone(), out.join("takes")] {
        assert!(temp_files(&dir).is_empty(), "{:?}", temp_files(&dir));
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "wav") {
                let reader = hound::WavReader::open(&path)
                    .unwrap_or_else(|e| panic!("{} is not whole: {e}\n{message}", path.display()));
                let claimed = u64::from(reader.len()) * 2 + 44;
                let size = std::fs::metadata(&path).unwrap().len();
                assert_eq!(claimed, size, "{} is cut short", path.display());
            }
        }
    }
    if let Ok(text) = std::fs::read_to_string(out.join("report.json")) {
        let report: serde_json::Value = serde_json::from_str(&text).expect("a whole report");
        let fr = common::language_report(&report, "fr");
        let takes = fr["takes"].as_array().map_or(0, |t| t.len());
        let warned = fr["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("cannot keep take"));
        assert!(takes == 1 || warned, "the missing take is named: {fr}");
    }
}

#[test]
fn ctrl_c_cancels_with_a_notice_and_a_second_stops_at_once_with_130() {
    let (dir, job) = job(&three_languages());
    let out = dir.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_voxdeck"))
        .arg("run")
        .arg(&job)
        .arg("--out")
        .arg(&out)
        .arg("--no-cache")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut wait_for = |what: &str| loop {
        let line = lines.next().expect("the run is still talking").unwrap();
        if line.contains(what) {
            return line;
        }
    };
    wait_for("1/6 sentences");
    // SAFETY: signalling our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let notice = wait_for("cancelling");
    assert!(
        notice.contains("press Ctrl-C again to stop now"),
        "{notice}"
    );
    // SAFETY: signalling our own child, which has not been waited for yet.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    assert_eq!(child.wait().unwrap().code(), Some(130));
    for (name, bytes) in wavs(&out) {
        assert!(bytes.len() > 1000, "{name} is whole");
    }
}
