//! Bad input is refused before any work, with exit 2 and the fix: a NUL character in a
//! text, a job file that is not UTF-8, a 100 MB job file, a text over the per-language cap.

mod common;

use common::{job, stderr, voxdeck};

fn refused(job: &std::path::Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = voxdeck()
        .arg("run")
        .arg(job)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{message}");
    assert!(!out.exists(), "nothing is written for a refused job");
    message
}

#[test]
fn nul_not_utf8_huge_and_overlong_jobs_exit_2_naming_the_problem() {
    let (_d, nul) = job("[[language]]\ncode = \"fr\"\ntext = \"Bon\\u0000jour.\"\n");
    assert!(refused(&nul).contains("NUL character"));

    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(
        &latin1,
        b"[[language]]\ncode = \"fr\"\ntext = \"caf\xe9\"\n",
    )
    .unwrap();
    assert!(refused(&latin1).contains("save it as UTF-8"));

    let huge = dir.path().join("huge.toml");
    let mut body = String::from("[[language]]\ncode = \"fr\"\ntext = \"");
    body.push_str(&"Bonjour. ".repeat(100 * 1024 * 1024 / 9));
    body.push_str("\"\n");
    std::fs::write(&huge, body).unwrap();
    assert!(refused(&huge).contains("the limit is"));

    let long = format!(
        "[[language]]\ncode = \"fr\"\ntext = \"{}\"\n",
        "Bonjour. ".repeat(10_000)
    );
    let (_d, long) = job(&long);
    assert!(refused(&long).contains("per language"));
}
