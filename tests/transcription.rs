//! Transcription QA end to end, on the real models: every Kokoro language's result is heard
//! within a pinned character error rate, a result scored against another text is far off,
//! `voxdeck qa` scores outside files as a run scores its own, and clips with nothing to
//! transcribe say so.

mod common;

use std::path::Path;
use std::process::Command;

use common::{job, language, language_report, report, run_job, stderr, voxdeck};

/// Each Kokoro language's text and the highest CER its result may have. Measured when
/// pinned (Whisper base, this job, CPU): en-us, en-gb, fr, it 0.000; es 0.056 ("Panyana"
/// for "Mañana"); pt-br 0.020 ("abri" for "abre"). Each ceiling is the figure plus a few
/// characters' margin: a regression in synthesis or in recognition shows here. Hindi is
/// written by Whisper base in Urdu's script, so it is reported and never scored.
const LANGUAGES: &[(&str, &str, f64)] = &[
    (
        "en-us",
        "The library stays open until ten in the evening.",
        0.05,
    ),
    (
        "en-gb",
        "The garden was full of roses and tall green trees.",
        0.05,
    ),
    (
        "fr",
        "Le marché du samedi est plein de fruits et de légumes.",
        0.05,
    ),
    (
        "es",
        "Mañana por la mañana iremos al mercado a comprar fruta.",
        0.10,
    ),
    (
        "it",
        "La biblioteca resta aperta fino a tardi durante la settimana.",
        0.05,
    ),
    (
        "pt-br",
        "O mercado abre cedo no sábado e fecha ao meio-dia.",
        0.08,
    ),
    ("hi", "आज मौसम बहुत अच्छा है और बच्चे बाहर खेल रहे हैं।", 0.0),
];

fn job_body() -> String {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/source.wav");
    let mut body = format!(
        "name = \"heard\"\n[source]\nclip = \"{}\"\n[run]\nworkers = 2\ndevice = \"cpu\"\n",
        source.display()
    );
    for (code, text, _) in LANGUAGES {
        body.push_str(&language(code, text));
    }
    body
}

fn cer(entry: &serde_json::Value) -> f64 {
    entry["transcription"]["cer"]
        .as_f64()
        .unwrap_or_else(|| panic!("no CER: {entry}"))
}

#[test]
fn every_language_is_heard_within_its_ceiling_and_qa_scores_the_files_alike() {
    let (dir, path) = job(&job_body());
    let out = dir.path().join("out");
    let output = run_job(&path, &out, &["--no-cache"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let run = report(&out);
    assert_eq!(
        run["source"]["transcript"],
        "Good morning. This is the voice we want to hear in every language."
    );
    assert_eq!(run["source"]["language"], "en");
    let mut figures = Vec::new();
    for (code, _, ceiling) in LANGUAGES {
        let entry = language_report(&run, code);
        if let Some(why) = entry["transcription_error"].as_str() {
            // Whisper base writes most Hindi in Urdu's script: reported, never scored.
            assert!(
                *code == "hi" && why.contains("Arabic script"),
                "{code}: {why}"
            );
            figures.push(format!("{code}: {why}"));
            continue;
        }
        let rate = cer(entry);
        figures.push(format!(
            "{code} CER {:.3} heard {}",
            rate, entry["transcription"]["text"]
        ));
        assert!(
            rate <= *ceiling,
            "{code}: CER {rate:.3} over {ceiling}: {entry}"
        );
        assert_eq!(entry["takes"][0]["transcription"], entry["transcription"]);
    }
    eprintln!("{}", figures.join("\n"));

    // The same files through `voxdeck qa`, the texts and source from the job file; one
    // of them as FLAC made by sox (lossless, so the same samples).
    let flac = dir.path().join("fr.flac");
    let sox = Command::new("sox")
        .arg(out.join("fr.wav"))
        .arg(&flac)
        .status()
        .expect("sox");
    assert!(sox.success());
    let mut qa = voxdeck();
    qa.arg("qa").arg("--texts").arg(&path).arg("--json");
    for (code, _, _) in LANGUAGES {
        let file = if *code == "fr" {
            flac.clone()
        } else {
            out.join(format!("{code}.wav"))
        };
        qa.arg(format!("{code}={}", file.display()));
    }
    let output = qa.output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let scored: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(scored["schema"], run["schema"]);
    assert_eq!(scored["source"], run["source"]);
    for (code, _, _) in LANGUAGES {
        let (a, b) = (language_report(&run, code), language_report(&scored, code));
        assert_eq!(a["similarity"], b["similarity"], "{code}");
        assert_eq!(
            a["transcription"]["text"], b["transcription"]["text"],
            "{code}"
        );
        assert_eq!(
            a["transcription"]["cer"], b["transcription"]["cer"],
            "{code}"
        );
        assert_eq!(
            a["transcription"]["wer"], b["transcription"]["wer"],
            "{code}"
        );
    }

    // The es result against the it text: not what it says.
    let output = voxdeck()
        .args(["qa", "--json", "--text"])
        .arg(format!("es={}", LANGUAGES[4].1))
        .arg(format!("es={}", out.join("es.wav").display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let wrong: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rate = cer(language_report(&wrong, "es"));
    assert!(rate >= 0.5, "es audio against the it text: CER {rate}");
    assert_eq!(
        language_report(&wrong, "es")["transcription"]["flagged"],
        true
    );
    assert!(
        stderr(&output).contains("over the error-rate limits"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn silence_is_nothing_to_transcribe_and_bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let silent = dir.path().join("silent.wav");
    let made = Command::new("sox")
        .args(["-n", "-r", "24000", "-c", "1", "-b", "16"])
        .arg(&silent)
        .args(["trim", "0", "2"])
        .status()
        .expect("sox");
    assert!(made.success());
    let output = voxdeck()
        .args(["qa", "--json", "--text", "fr=Bonjour à tous."])
        .arg(format!("fr={}", silent.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let scored: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let entry = language_report(&scored, "fr");
    assert!(entry["transcription"].is_null(), "{entry}");
    assert!(
        entry["transcription_error"]
            .as_str()
            .unwrap()
            .starts_with("nothing to transcribe"),
        "{entry}"
    );

    // No text for a file, a missing file, a malformed pair: exit 2, naming the fix.
    let clip = format!(
        "en-us={}/scripts/whisper/check-clip.wav",
        env!("CARGO_MANIFEST_DIR")
    );
    let cases: [(&[&str], &str); 3] = [
        (&["qa", &clip], "no text to compare"),
        (
            &["qa", "--text", "fr=x", "fr=/nonexistent/fr.wav"],
            "file not found",
        ),
        (&["qa", "fr"], "is not LANG=FILE"),
    ];
    for (args, says) in cases {
        let output = voxdeck().args(args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(says),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    // A file that is not audio fails its language (exit 1) and names it.
    let junk = dir.path().join("junk.wav");
    std::fs::write(&junk, b"not audio").unwrap();
    let output = voxdeck()
        .args(["qa", "--text", "it=Ciao."])
        .arg(format!("it={}", junk.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("it:"), "{}", stderr(&output));
}
