//! What a hostile probe of the release build found (issue 20), on the real binary: files
//! voxdeck did not write are never touched, checks that could fail late run first, and
//! each bad input is named with its fix, quickly, without a panic.

mod common;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{job, language, run_job, stderr, voxdeck};

/// The child's output, or a failure if it runs past `limit` (a FIFO must not hang it).
fn finish_within(mut child: Child, limit: Duration) -> Output {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// Exit 2 (bad input), with a message that says each of `says`, and no panic.
fn assert_refused(output: &Output, says: &[&str]) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    for said in says {
        assert!(message.contains(said), "not saying {said:?}: {message}");
    }
    assert!(!message.contains("panicked"), "{message}");
}

fn spawn(command: &mut Command) -> Child {
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn files_voxdeck_did_not_write_are_left_alone() {
    let (dir, job) = job(&language("fr", "Bonjour."));
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("takes")).unwrap();
    let outside = dir.path().join("precious.txt");
    std::fs::write(&outside, b"keep me").unwrap();
    let foreign = [
        out.join("thesis.docx.424242.tmp"),
        out.join("db.sqlite.31337.tmp"),
        out.join("takes/notes.99.tmp"),
    ];
    for path in &foreign {
        std::fs::write(path, b"someone else's").unwrap();
    }
    // Named as voxdeck's, of a process that cannot run, but a link: not a file voxdeck made.
    let link = out.join("fr.wav.voxdeck-999999999-1.tmp");
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    // A true orphan of an earlier voxdeck run.
    let orphan = out.join("takes/fr-take1.wav.voxdeck-999999999-1.tmp");
    std::fs::write(&orphan, b"half a take").unwrap();
    let output = run_job(&job, &out, &["--no-transcribe", "--no-cache"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for path in &foreign {
        assert!(path.exists(), "{} was removed", path.display());
    }
    assert!(
        std::fs::symlink_metadata(&link).is_ok(),
        "the link was removed"
    );
    assert_eq!(std::fs::read(&outside).unwrap(), b"keep me");
    assert!(!orphan.exists(), "voxdeck's own orphan stays");
}

#[test]
fn the_root_and_home_folders_are_refused_before_anything_is_written() {
    let (dir, job) = job(&language("fr", "Bonjour."));
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let root_wav = Path::new("/fr.wav");
    let existed = root_wav.exists();
    for (out, env_home) in [(Path::new("/"), None), (home.as_path(), Some(&home))] {
        let mut command = voxdeck();
        command.args(["run", job.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        if let Some(home) = env_home {
            // The models stay where setup put them.
            let assets = voxdeck::assets::Assets::locate().path("");
            command.env("HOME", home).env("VOXDECK_ASSETS", assets);
        }
        let output = command.output().unwrap();
        assert_refused(&output, &["refusing to use", "--out"]);
    }
    assert_eq!(root_wav.exists(), existed, "nothing written at /");
    assert_eq!(
        std::fs::read_dir(&home).unwrap().count(),
        0,
        "nothing written at ~"
    );
}

#[test]
fn an_empty_output_in_the_job_is_refused() {
    let (dir, job) = job(&("[run]\noutput = \"\"\n".to_string() + &language("fr", "Bonjour.")));
    let output = voxdeck()
        .args(["run", job.to_str().unwrap()])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_refused(&output, &["run.output"]);
}

#[test]
fn a_fit_name_too_long_for_the_file_system_is_refused_before_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let clip = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/source.wav");
    let name = "n".repeat(300);
    let started = Instant::now();
    let output = voxdeck()
        .env("XDG_DATA_HOME", dir.path())
        .args([
            "fit",
            clip.to_str().unwrap(),
            "--lang",
            "it",
            "--budget",
            "8",
        ])
        .args(["--name", &name])
        .output()
        .unwrap();
    assert_refused(&output, &["too long", "shorter --name"]);
    // Refused before any model is loaded, let alone a search run.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn qa_names_what_it_cannot_read_or_write_before_scoring() {
    let dir = tempfile::tempdir().unwrap();
    let clip = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/whisper/check-clip.wav");
    let fifo = dir.path().join("pipe.wav");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    let looped = dir.path().join("loop.wav");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    let file = |p: &Path| format!("en-us={}", p.display());
    let report = format!("--report={}/missing/report.json", dir.path().display());
    let cases: [(Vec<String>, &str); 4] = [
        (vec![file(&fifo)], "named pipe"),
        (vec![file(&looped)], "loop"),
        (vec![file(dir.path())], "is a folder"),
        (vec![file(&clip), report], "cannot write the report"),
    ];
    for (args, says) in cases {
        let started = Instant::now();
        let child = spawn(voxdeck().args(["qa", "--text", "en-us=Hello."]).args(&args));
        let output = finish_within(child, Duration::from_secs(20));
        assert_refused(&output, &[says]);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{args:?}: scored first?"
        );
    }
}

#[test]
fn unknown_languages_in_a_texts_file_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let texts = dir.path().join("texts.toml");
    let body: String = (0..1000).map(|n| format!("zz{n:03} = \"x\"\n")).collect();
    std::fs::write(&texts, format!("fr = \"Bonjour.\"\n{body}")).unwrap();
    let wav = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/whisper/fr.wav");
    let output = voxdeck()
        .args(["qa", "--texts", texts.to_str().unwrap()])
        .arg(format!("fr={}", wav.display()))
        .output()
        .unwrap();
    assert_refused(&output, &["`zz000` and 999 more"]);
}

#[test]
fn output_to_a_full_device_ends_with_a_message_not_a_panic() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = voxdeck()
        .args(["voices", "--json"])
        .stdout(full)
        .output()
        .unwrap();
    assert_refused(&output, &["cannot write to standard output"]);
}

#[test]
fn quiet_prints_the_summary_and_no_progress() {
    let (dir, job) = job(&language("fr", "Bonjour."));
    let out = dir.path().join("out");
    let output = run_job(&job, &out, &["-q", "--no-transcribe", "--no-cache"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(!message.contains("fr: "), "{message}");
    assert!(message.contains("1 of 1 languages done"), "{message}");
}
