//! Inputs at the edges, through the real models: what is too long is cut until it fits,
//! what the language cannot say is removed and warned about, and voice blends are mixed
//! with normalised weights. Nothing reaches ONNX Runtime that it would refuse, and nothing
//! is dropped without a word.

mod common;

use common::{job, language, language_report, report, run_job, stderr};
use voxdeck::assets::Assets;
use voxdeck::audio::wav;
use voxdeck::engine::kokoro::{self, VoicePack};
use voxdeck::engine::plan::{self, LanguagePlan, ModelId};
use voxdeck::job::JobSpec;

const KOKORO_LIMIT: usize = kokoro::MAX_PHONEMES;

/// Every sentence of a report entry, as (text, token count).
fn sentences(entry: &serde_json::Value) -> Vec<(String, usize)> {
    entry["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["text"].as_str().unwrap().to_string(),
                s["token_ids"].as_array().unwrap().len(),
            )
        })
        .collect()
}

fn warnings(entry: &serde_json::Value) -> Vec<String> {
    entry["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

fn clipped_fraction(clip: &wav::Clip) -> f64 {
    let clipped = clip.samples.iter().filter(|s| s.abs() >= 0.999).count();
    clipped as f64 / clip.samples.len().max(1) as f64
}

#[test]
fn a_5000_letter_word_is_spoken_in_pieces_that_fit_the_model() {
    let word = "a".repeat(5000);
    let body = format!("{}speed = 2.0\n", language("en-us", &word));
    let (dir, path) = job(&body);
    let out = dir.path().join("out");
    let output = run_job(&path, &out, &[]);
    let log = stderr(&output);
    assert!(!log.contains("ONNX Runtime"), "{log}");
    assert_eq!(output.status.code(), Some(0), "{log}");
    let report = report(&out);
    let entry = language_report(&report, "en-us");
    assert_eq!(entry["status"], "done");
    let sentences = sentences(entry);
    assert!(sentences.len() >= 2, "{} utterances", sentences.len());
    for (text, tokens) in &sentences {
        assert!(
            *tokens <= KOKORO_LIMIT,
            "{tokens} tokens for {} letters",
            text.len()
        );
    }
    let letters: usize = sentences.iter().map(|(t, _)| t.chars().count()).sum();
    assert_eq!(letters, 5000, "every letter is in some utterance");
    let clip = wav::read(&out.join("en-us.wav")).unwrap();
    assert!(
        clip.seconds() > 5.0 && clip.rms() > 0.01,
        "{} s",
        clip.seconds()
    );
}

/// Plans `body` against the real assets (G2P and tokenising, no synthesis).
fn planned(body: &str) -> Vec<LanguagePlan> {
    let (_dir, path) = job(body);
    let spec = JobSpec::load(&path).unwrap();
    let plan = plan::plan(&spec, &Assets::locate()).unwrap();
    plan.languages
        .into_iter()
        .map(|l| l.unwrap_or_else(|f| panic!("{}: {}", f.code, f.error)))
        .collect()
}

#[test]
fn texts_that_read_long_are_cut_under_each_models_limit() {
    let chinese: String = "我们今天去公园散步然后去吃饭"
        .chars()
        .cycle()
        .take(98)
        .collect();
    let texts = [
        ("en-us", "a".repeat(5000)),
        ("en-us", "1234567890".repeat(200)),
        ("en-us", "%$&".repeat(300)),
        ("en-us", "word ".repeat(3000)),
        ("fr", format!("Bonjour. {chinese}")),
        ("hi", "मौसम".repeat(600)),
    ];
    for (code, text) in &texts {
        for model in ["kokoro", "piper"] {
            if model == "piper" && *code != "en-us" {
                continue;
            }
            let body = format!("{}model = \"{model}\"\n", language(code, text));
            let plans = planned(&body);
            let plan = &plans[0];
            let limit = match plan.model {
                ModelId::Kokoro => KOKORO_LIMIT,
                ModelId::Piper(_) => voxdeck::engine::piper::MAX_IDS,
            };
            let most = plan.utterances.iter().map(|u| u.token_ids.len()).max();
            assert!(
                most.is_some_and(|m| m <= limit),
                "{code} on {model}: {most:?} ids, limit {limit}, {} utterances",
                plan.utterances.len()
            );
        }
    }
}

#[test]
fn other_scripts_and_terminal_escapes_are_removed_warned_about_and_not_spoken() {
    let clean_text = "Bonjour le monde. Il fait beau.";
    let dirty_text =
        "Bonjour 我们今天去公园散步 le monde. \\u001b[31mIl fait\\u001b[0m beau.\\u0007";
    let mut durations = Vec::new();
    let mut entries = Vec::new();
    for text in [clean_text, dirty_text] {
        let (dir, path) = job(&language("fr", text));
        let out = dir.path().join("out");
        let output = run_job(&path, &out, &[]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let report = report(&out);
        let entry = language_report(&report, "fr").clone();
        durations.push(wav::read(&out.join("fr.wav")).unwrap().seconds());
        entries.push((entry, stderr(&output)));
    }
    assert!(warnings(&entries[0].0).is_empty(), "{:?}", entries[0].0);
    let (dirty, log) = &entries[1];
    let said = warnings(dirty).join("\n");
    assert!(
        said.contains("removed 9 characters outside the Latin script") && said.contains("我"),
        "{said}"
    );
    assert!(
        said.contains("2 terminal escape sequences") && said.contains("ESC[31m"),
        "{said}"
    );
    assert!(said.contains("U+0007"), "{said}");
    assert!(log.contains("outside the Latin script"), "{log}");
    for (text, _) in sentences(dirty) {
        assert!(!text.contains('[') && !text.contains('我'), "{text:?}");
    }
    // Kokoro is deterministic: the same kept text gives the same audio.
    assert!(
        (durations[0] - durations[1]).abs() < 0.05,
        "{durations:?}: the removed text was spoken"
    );
}

#[test]
fn a_text_with_nothing_in_the_languages_script_fails_that_language_clearly() {
    let body = format!(
        "{}{}",
        language("fr", "我们今天去公园"),
        language("en-us", "Hello.")
    );
    let (dir, path) = job(&body);
    let out = dir.path().join("out");
    let output = run_job(&path, &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = report(&out);
    let fr = language_report(&report, "fr");
    assert_eq!(fr["status"], "failed");
    let error = fr["error"].as_str().unwrap();
    assert!(
        error.contains("nothing in the Latin script") && error.contains("我"),
        "{error}"
    );
    assert_eq!(language_report(&report, "en-us")["status"], "done");
}

#[test]
fn huge_and_tiny_blend_weights_are_normalised_and_do_not_clip() {
    let voices = Assets::locate().path(voxdeck::assets::KOKORO_VOICES);
    let even = VoicePack::load_named("af_heart:1+am_michael:1", &voices).unwrap();
    for weights in ["3e38", "1e-45"] {
        let name = format!("af_heart:{weights}+am_michael:{weights}");
        let pack = VoicePack::load_named(&name, &voices).unwrap();
        for n in [1, 100, 510] {
            let (a, b) = (pack.style_for(n), even.style_for(n));
            assert!(
                a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6),
                "{name}, row {n}: not the even mix"
            );
        }
    }
    let text = "The weather is lovely today. We went for a long walk along the river.";
    let body = format!(
        "{}voice = \"af_heart:3e38+am_michael:3e38\"\n",
        language("en-us", text)
    );
    let (dir, path) = job(&body);
    let out = dir.path().join("out");
    let output = run_job(&path, &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let clip = wav::read(&out.join("en-us.wav")).unwrap();
    let clipped = clipped_fraction(&clip);
    assert!(
        clipped < 1e-4,
        "{:.2} % of samples clipped",
        clipped * 100.0
    );
    assert!(clip.rms() > 0.01);
}

#[test]
fn blend_weights_that_are_not_finite_and_positive_are_refused_by_name() {
    for (weight, bad_part) in [
        ("0", "af_heart:0"),
        ("-1", "af_heart:-1"),
        ("nan", "af_heart:nan"),
        ("1e999", "af_heart:1e999"),
    ] {
        let body = format!(
            "{}voice = \"af_heart:{weight}+am_michael:1\"\n",
            language("en-us", "Hello.")
        );
        let (dir, path) = job(&body);
        let output = run_job(&path, &dir.path().join("out"), &[]);
        let log = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{log}");
        assert!(
            log.contains(&format!("`{bad_part}`")) && log.contains("finite number above 0"),
            "{weight}: {log}"
        );
        assert!(!log.contains("unknown Kokoro voice"), "{log}");
    }
    let body = format!(
        "{}voice = \"af_heart:1+am_nobody:1\"\n",
        language("en-us", "Hello.")
    );
    let (dir, path) = job(&body);
    let output = run_job(&path, &dir.path().join("out"), &[]);
    let log = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{log}");
    assert!(
        log.contains("unknown Kokoro voice `am_nobody` in the blend"),
        "{log}"
    );
}
