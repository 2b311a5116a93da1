//! Voice QA on the real speaker encoder (set-up's ONNX conversion of Resemblyzer's GE2E) and
//! real Kokoro speech: the encoder equals the converter's numpy forward pass, the front end
//! equals librosa's mel spectrogram, and the scores rank voices as they should.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use common::{job, language, run_job, stderr};
use voxdeck::assets::Assets;
use voxdeck::audio::wav::{self, Clip};
use voxdeck::engine::runtime;
use voxdeck::qa::{self, mel, Embedding, QaError, SpeakerEncoder};

const SENTENCE_A: &str = "The museum opens at nine, and the guided tours start shortly after that.";
const SENTENCE_B: &str =
    "Please remember to bring a warm coat, because the mountain gets cold at night.";

fn fixture() -> serde_json::Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/speaker/reference.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn encoder() -> SpeakerEncoder {
    let assets = Assets::locate();
    let runtime = runtime::load(None, &assets).expect("ORT from scripts/setup");
    SpeakerEncoder::load(&runtime, &SpeakerEncoder::default_path(&assets))
        .expect("speaker encoder from scripts/setup")
}

/// Kokoro speech for (voice, text), synthesised once per test binary by the real CLI.
fn speech(voice: &str, text: &str) -> Clip {
    static CLIPS: OnceLock<Mutex<HashMap<(String, String), Clip>>> = OnceLock::new();
    let clips = CLIPS.get_or_init(Default::default);
    let key = (voice.to_string(), text.to_string());
    if let Some(clip) = clips.lock().unwrap().get(&key) {
        return clip.clone();
    }
    let body = format!("{}voice = \"{voice}\"\n", language("en-us", text));
    let (dir, path) = job(&body);
    let out = dir.path().join("out");
    let output = run_job(&path, &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let clip = wav::read(&out.join("en-us.wav")).unwrap();
    clips.lock().unwrap().insert(key, clip.clone());
    clip
}

#[test]
fn encoder_equals_the_numpy_forward_pass() {
    let reference = &fixture()["encoder"];
    let (batch, frames) = (
        reference["batch"].as_u64().unwrap() as usize,
        reference["frames"].as_u64().unwrap() as usize,
    );
    // mels[b][t][m] = ((b*7919 + t*104729 + m*1299709 + (t*m) % 97) % 1024) / 256
    let mut mels = Vec::with_capacity(batch * frames * mel::N_MELS);
    for b in 0..batch {
        for t in 0..frames {
            for m in 0..mel::N_MELS {
                let k = (b * 7919 + t * 104_729 + m * 1_299_709 + (t * m) % 97) % 1024;
                mels.push(k as f32 / 256.0);
            }
        }
    }
    let got = encoder().embed_mels(mels, batch, frames).unwrap();
    let want = reference["embeddings"].as_array().unwrap();
    assert_eq!(got.len(), want.len());
    let mut worst = 0f32;
    for (g, w) in got.iter().zip(want) {
        for (a, b) in g.0.iter().zip(w.as_array().unwrap()) {
            worst = worst.max((a - b.as_f64().unwrap() as f32).abs());
        }
    }
    eprintln!("encoder vs numpy: max |diff| {worst:.2e}");
    assert!(worst <= 1e-4, "encoder differs from numpy by {worst}");
}

#[test]
fn mel_spectrogram_equals_librosa() {
    let reference = &fixture()["mel"];
    let n = reference["samples"].as_u64().unwrap() as usize;
    let tau = 2.0 * std::f64::consts::PI;
    let wave: Vec<f32> = (0..n)
        .map(|i| {
            let t = i as f64;
            (0.3 * (tau * 220.0 * t / 16_000.0).sin()
                + 0.2 * (tau * 1830.0 * t / 16_000.0).sin()
                + 0.05 * (((i * 37) % 101) as f64 / 50.0 - 1.0)) as f32
        })
        .collect();
    let got = mel::mel_spectrogram(&wave);
    let want = reference["frames"].as_array().unwrap();
    assert_eq!(got.len(), want.len());
    for (t, (g, w)) in got.iter().zip(want).enumerate() {
        for (m, (a, b)) in g.iter().zip(w.as_array().unwrap()).enumerate() {
            let b = b.as_f64().unwrap() as f32;
            assert!(
                (a - b).abs() <= 1e-4 * b.abs().max(1.0),
                "frame {t} band {m}: {a} vs {b}"
            );
        }
    }
}

#[test]
fn same_voice_scores_high_and_above_other_voices() {
    let mut encoder = encoder();
    let heart_a = encoder.embed(&speech("af_heart", SENTENCE_A)).unwrap();
    let heart_b = encoder.embed(&speech("af_heart", SENTENCE_B)).unwrap();
    let adam_b = encoder.embed(&speech("am_adam", SENTENCE_B)).unwrap();
    let bella_b = encoder.embed(&speech("af_bella", SENTENCE_B)).unwrap();
    let same = heart_a.cosine(&heart_b);
    let (adam, bella) = (heart_a.cosine(&adam_b), heart_a.cosine(&bella_b));
    eprintln!(
        "af_heart A vs B {same:.4}; af_heart A vs am_adam B {adam:.4}; vs af_bella B {bella:.4}"
    );
    assert!(same >= 0.8, "same voice, two sentences: {same}");
    assert!(adam < same, "am_adam {adam} vs same voice {same}");
    assert!(bella < same, "af_bella {bella} vs same voice {same}");
}

#[test]
fn a_clip_against_itself_is_one() {
    let mut encoder = encoder();
    let clip = speech("af_heart", SENTENCE_A);
    let score = qa::similarity(&mut encoder, &clip, &clip).unwrap();
    eprintln!("self similarity {score:.7}");
    assert!((score - 1.0).abs() <= 1e-5, "{score}");
}

#[test]
fn silence_and_tiny_clips_are_refused_not_nan() {
    let mut encoder = encoder();
    let silent = Clip {
        sample_rate: 24_000,
        samples: vec![0.0; 72_000],
    };
    let speech = speech("af_heart", SENTENCE_A);
    let tiny = Clip {
        sample_rate: speech.sample_rate,
        samples: speech.samples[12_000..12_000 + speech.sample_rate as usize / 5].to_vec(),
    };
    let empty = Clip {
        sample_rate: 16_000,
        samples: Vec::new(),
    };
    for (name, clip) in [("silent", &silent), ("0.2 s", &tiny), ("empty", &empty)] {
        match encoder.embed(clip) {
            Err(e @ QaError::TooShortOrSilent { seconds, .. }) => {
                assert!(seconds.is_finite() && seconds < qa::MIN_VOICED_SECONDS);
                assert!(
                    e.to_string().contains("too short or silent to score"),
                    "{e}"
                );
            }
            other => panic!("{name}: expected TooShortOrSilent, got {other:?}"),
        }
        let pair = qa::similarity(&mut encoder, &speech, clip);
        assert!(
            matches!(pair, Err(QaError::TooShortOrSilent { .. })),
            "{name}: {pair:?}"
        );
    }
}

#[test]
fn time_to_embed_ten_seconds() {
    let mut encoder = encoder();
    let (a, b) = (
        speech("af_heart", SENTENCE_A),
        speech("af_heart", SENTENCE_B),
    );
    let rate = a.sample_rate as usize;
    let samples: Vec<f32> = a
        .samples
        .iter()
        .chain(&b.samples)
        .chain(&a.samples)
        .copied()
        .collect();
    let clip = Clip {
        sample_rate: a.sample_rate,
        samples: samples[..(10 * rate).min(samples.len())].to_vec(),
    };
    encoder.embed(&clip).unwrap(); // warm-up: first-run allocations
    let started = Instant::now();
    let embedding: Embedding = encoder.embed(&clip).unwrap();
    eprintln!(
        "embedding a {:.1} s clip took {:.0} ms",
        clip.seconds(),
        started.elapsed().as_secs_f64() * 1e3
    );
    assert!(embedding.0.iter().all(|v| v.is_finite()));
    let wave = vec![0.1f32; 160_000];
    let started = Instant::now();
    let frames = mel::mel_spectrogram(&wave).len();
    eprintln!(
        "of which a 10 s mel spectrogram ({frames} frames): {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );
}
