//! A job whose source clip cannot be used is refused before any synthesis, by `run` and by
//! `bench`, with exit 2 and a message naming the file and the fix.

mod common;

use common::{language, stderr, voxdeck};

fn job_with_clip(dir: &std::path::Path, clip: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("job.toml");
    let body = format!(
        "[source]\nclip = \"{}\"\n{}",
        clip.display(),
        language("fr", "Bonjour.")
    );
    std::fs::write(&path, body).unwrap();
    path
}

#[test]
fn a_missing_empty_folder_or_non_audio_clip_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.wav");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.path().join("notes.wav");
    std::fs::write(&text, "these are words, not audio").unwrap();
    let folder = dir.path().join("clips");
    std::fs::create_dir(&folder).unwrap();
    let cases = [
        (dir.path().join("gone.wav"), "not found"),
        (empty, "empty.wav"),
        (text, "notes.wav"),
        (folder, "is a folder"),
    ];
    for (clip, expected) in cases {
        let job = job_with_clip(dir.path(), &clip);
        for command in ["run", "bench"] {
            let out = dir.path().join(format!("out-{command}"));
            let output = voxdeck()
                .arg(command)
                .arg(&job)
                .args(if command == "run" {
                    vec!["--out".as_ref(), out.as_os_str()]
                } else {
                    vec![]
                })
                .output()
                .unwrap();
            let message = stderr(&output);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{command} {}: {message}",
                clip.display()
            );
            assert!(
                message.contains(expected) && message.contains("[source] clip"),
                "{command} {}: {message}",
                clip.display()
            );
            assert!(
                !out.exists(),
                "{command}: nothing is written for a refused job"
            );
        }
    }
}
