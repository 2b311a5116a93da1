//! The speech recogniser on the real Whisper graphs (set-up's conversion of the CTranslate2
//! model): its front end equals faster-whisper's features, and its greedy decoding gives
//! CTranslate2's own tokens and text (tests/fixtures/whisper/make_reference.py).

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};

use voxdeck::asr::{mel, AsrError, Recogniser};
use voxdeck::assets::Assets;
use voxdeck::audio::wav::{self, Clip};
use voxdeck::engine::runtime;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> serde_json::Value {
    let path = root().join("tests/fixtures/whisper/reference.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// One recogniser for the whole binary: loading it twice would only cost time.
fn recogniser() -> MutexGuard<'static, Recogniser> {
    static ONE: OnceLock<Mutex<Recogniser>> = OnceLock::new();
    ONE.get_or_init(|| {
        let assets = Assets::locate();
        let runtime = runtime::load(None, &assets).expect("ORT from scripts/setup");
        Mutex::new(Recogniser::load(&runtime, &assets).expect("Whisper from scripts/setup"))
    })
    .lock()
    .unwrap_or_else(|p| p.into_inner())
}

fn clip(path: &str) -> Clip {
    wav::read(&root().join(path)).unwrap()
}

#[test]
fn features_equal_faster_whispers() {
    for reference in fixture()["clips"].as_array().unwrap() {
        let path = reference["path"].as_str().unwrap();
        let samples = clip(path).samples;
        assert_eq!(samples.len() as u64, reference["samples"].as_u64().unwrap());
        let window = &mel::windows(&samples)[0].features;
        let mut worst = 0f32;
        for (frame, want) in reference["frames"].as_object().unwrap() {
            let t: usize = frame.parse().unwrap();
            for (m, want) in want.as_array().unwrap().iter().enumerate() {
                let got = window[m * mel::WINDOW_FRAMES + t];
                worst = worst.max((got - want.as_f64().unwrap() as f32).abs());
            }
        }
        // faster-whisper computes in float32, voxdeck's STFT in float64.
        assert!(worst < 1e-3, "{path}: features differ by up to {worst}");
    }
}

#[test]
fn greedy_tokens_and_text_equal_ctranslate2s() {
    let mut recogniser = recogniser();
    for reference in fixture()["clips"].as_array().unwrap() {
        let path = reference["path"].as_str().unwrap();
        let language = reference["language"].as_str().unwrap();
        let samples = clip(path).samples;
        let window = &mel::windows(&samples)[0].features;
        let token = recogniser.language_token(language).unwrap();
        let (_, tokens) = recogniser.tokens_of_features(window, Some(token)).unwrap();
        let want: Vec<u32> = reference["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(tokens, want, "{path}: tokens");
        let transcript = recogniser.transcribe(&clip(path), Some(language)).unwrap();
        assert_eq!(
            transcript.text,
            reference["text"].as_str().unwrap(),
            "{path}"
        );
        assert_eq!(transcript.language, language);
        assert!(!transcript.detected);
    }
}

#[test]
fn detected_language_equals_ctranslate2s() {
    let mut recogniser = recogniser();
    for reference in fixture()["clips"].as_array().unwrap() {
        let path = reference["path"].as_str().unwrap();
        let transcript = recogniser.transcribe(&clip(path), None).unwrap();
        let detected = reference["detected"].as_str().unwrap();
        assert_eq!(format!("<|{}|>", transcript.language), detected, "{path}");
        assert!(transcript.detected);
    }
}

#[test]
fn the_piper_clip_is_heard_within_five_percent() {
    let mut recogniser = recogniser();
    let said = "Good morning. This is the voice we want to hear in every language.";
    let heard = recogniser
        .transcribe(&clip("scripts/whisper/check-clip.wav"), Some("en-us"))
        .unwrap();
    let rates = voxdeck::qa::error_rate::error_rates(said, &heard.text, "en-us").unwrap();
    assert!(rates.cer <= 0.05, "CER {} for {:?}", rates.cer, heard.text);
}

#[test]
fn silence_and_a_blip_are_nothing_to_transcribe() {
    let mut recogniser = recogniser();
    let silent = Clip {
        sample_rate: 24_000,
        samples: vec![0.0; 48_000],
    };
    let mut short = clip("scripts/whisper/check-clip.wav");
    short.samples.truncate(3_200); // 0.2 s
    for (what, clip) in [("silence", silent), ("0.2 s", short)] {
        match recogniser.transcribe(&clip, Some("en")) {
            Err(e @ AsrError::NothingToTranscribe { .. }) => {
                assert!(e.to_string().starts_with("nothing to transcribe"), "{e}")
            }
            other => panic!("{what}: expected nothing to transcribe, got {other:?}"),
        }
    }
}

#[test]
fn a_language_whisper_lacks_is_named() {
    let mut recogniser = recogniser();
    let err = recogniser
        .transcribe(&clip("scripts/whisper/check-clip.wav"), Some("xx-yy"))
        .unwrap_err();
    assert!(matches!(err, AsrError::UnknownLanguage { .. }), "{err}");
    assert!(err.to_string().contains("xx-yy"), "{err}");
}
