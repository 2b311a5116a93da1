//! The mixed job of the model matrices (tests/model_matrix.rs on the engine,
//! tests/session_matrix.rs through the session) and what each row must give.

use std::path::Path;

use voxdeck::audio::wav;

pub const KOKORO: [&str; 2] = ["fr", "it"];
pub const PIPER: &str = "en-us";

/// Two Kokoro languages and one Piper language, each of two sentences, so a row with
/// several workers speaks sentences of one language side by side.
pub fn mixed_job_body() -> String {
    super::language("fr", "Bonjour. Au revoir.")
        + &super::language("it", "Buongiorno. A domani.")
        + "[[language]]\ncode = \"en-us\"\nmodel = \"piper\"\ntext = \"Good morning. See you soon.\"\n"
}

pub fn wav_bytes(dir: &Path, code: &str) -> Vec<u8> {
    std::fs::read(dir.join(format!("{code}.wav"))).unwrap()
}

/// Kokoro is deterministic: every row's WAVs equal the reference's byte for byte.
pub fn assert_kokoro_identical(row: &str, out: &Path, reference: &Path) {
    for code in KOKORO {
        assert!(
            wav_bytes(out, code) == wav_bytes(reference, code),
            "{row}: {code} differs from the 1-worker run"
        );
    }
}

/// Piper's graph draws its own noise (two RandomNormalLike nodes with no seed), so no two
/// Piper runs are equal: a row's take must be audible, at the reference's rate, and within
/// a quarter of its length (the noise moves durations by a few percent).
pub fn assert_piper_like(row: &str, out: &Path, reference: &Path) {
    let clip = wav::read(&out.join(format!("{PIPER}.wav"))).unwrap();
    let expected = wav::read(&reference.join(format!("{PIPER}.wav"))).unwrap();
    assert_eq!(clip.sample_rate, expected.sample_rate, "{row}");
    assert!(clip.rms() > 0.01, "{row}: Piper's take is silent");
    let seconds = |c: &wav::Clip| c.samples.len() as f64 / f64::from(c.sample_rate);
    let (got, want) = (seconds(&clip), seconds(&expected));
    assert!(
        (got - want).abs() <= want * 0.25,
        "{row}: Piper's take lasts {got:.2} s, the reference {want:.2} s"
    );
}
