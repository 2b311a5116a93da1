//! One short phrase per supported language, through the real models: audible, of a
//! plausible length for the text, at the model's sample rate.

mod common;

use common::{job, language, language_report, report, run_job, stderr};
use voxdeck::audio::wav;

const PHRASES: &[(&str, &str)] = &[
    ("en-us", "The weather is lovely today."),
    ("en-gb", "The weather is lovely today."),
    ("fr", "Il fait très beau aujourd'hui."),
    ("es", "Hoy hace muy buen tiempo."),
    ("it", "Oggi fa molto bel tempo."),
    ("pt-br", "Hoje o tempo está muito bom."),
    ("hi", "आज मौसम बहुत अच्छा है।"),
];

/// Speech runs at roughly 8-25 characters a second; allow a wide band around it.
fn assert_plausible(code: &str, text: &str, clip: &wav::Clip, rate: u32) {
    assert_eq!(clip.sample_rate, rate, "{code}: sample rate");
    let chars = text.chars().count() as f64;
    let seconds = clip.seconds();
    assert!(
        seconds > chars / 40.0 && seconds < chars / 4.0 + 1.0,
        "{code}: {seconds:.2} s for {chars} characters"
    );
    assert!(
        clip.rms() > 0.01,
        "{code}: RMS {} is near silence",
        clip.rms()
    );
}

#[test]
fn kokoro_speaks_every_language() {
    let body: String = PHRASES
        .iter()
        .map(|(code, text)| language(code, text))
        .collect();
    let (dir, path) = job(&body);
    let out = dir.path().join("out");
    let output = run_job(&path, &out, &["--workers", "2"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(&out);
    for (code, text) in PHRASES {
        let clip = wav::read(&out.join(format!("{code}.wav"))).unwrap();
        assert_plausible(code, text, &clip, 24_000);
        let entry = language_report(&report, code);
        assert_eq!(entry["status"], "done");
        assert_eq!(entry["execution_provider"], "CPUExecutionProvider");
    }
}

#[test]
fn piper_speaks_english() {
    let text = "The weather is lovely today.";
    let body = format!("{}model = \"piper\"\n", language("en-us", text));
    let (dir, path) = job(&body);
    let out = dir.path().join("out");
    let output = run_job(&path, &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let clip = wav::read(&out.join("en-us.wav")).unwrap();
    assert_plausible("en-us/piper", text, &clip, 22_050);
    assert_eq!(
        language_report(&report(&out), "en-us")["model"],
        "piper:en_US-joe-medium"
    );
}

#[test]
fn german_is_accepted_on_kokoro_with_a_warning() {
    let (dir, path) = job(&language("de", "Guten Tag."));
    let out = dir.path().join("out");
    let output = run_job(&path, &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("not trained on German"),
        "{}",
        stderr(&output)
    );
    let report = report(&out);
    let warnings = &language_report(&report, "de")["warnings"];
    assert!(warnings[0].as_str().unwrap().contains("not trained"));
}
