//! Source clips in every format the console opens: a stereo 44.1 kHz WAV is encoded to
//! FLAC, OGG/Vorbis, MP3 and IMA ADPCM WAV with the reference encoders (flac, oggenc, lame,
//! sox; installed by scripts/setup), then decoded by voxdeck: mono, the right rate, the right length, and
//! the tone still there.

use std::f32::consts::TAU;
use std::path::Path;
use std::process::Command;

use voxdeck::audio::decode::decode;

const RATE: u32 = 44_100;
const SECONDS: f64 = 1.5;

fn write_stereo_wav(path: &Path) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(RATE as f64 * SECONDS) as usize {
        let s = (TAU * 440.0 * i as f32 / RATE as f32).sin() * 0.5;
        let v = (s * i16::MAX as f32) as i16;
        writer.write_sample(v).unwrap();
        writer.write_sample(v).unwrap();
    }
    writer.finalize().unwrap();
}

fn encode(tool: &str, args: &[&str]) {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e} (run scripts/setup)"));
    assert!(
        output.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn flac_ogg_and_mp3_decode_to_mono_at_their_rate() {
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("tone.wav");
    write_stereo_wav(&wav);
    let wav_arg = wav.to_str().unwrap();
    let flac = dir.path().join("tone.flac");
    let ogg = dir.path().join("tone.ogg");
    let mp3 = dir.path().join("tone.mp3");
    encode(
        "flac",
        &["--silent", "-f", "-o", flac.to_str().unwrap(), wav_arg],
    );
    encode("oggenc", &["--quiet", "-o", ogg.to_str().unwrap(), wav_arg]);
    encode("lame", &["--quiet", wav_arg, mp3.to_str().unwrap()]);
    // IMA ADPCM in a WAV, as field recorders and older tools write it (issue 20: it was
    // refused with "use WAV").
    let adpcm = dir.path().join("tone-ima-adpcm.wav");
    encode(
        "sox",
        &[wav_arg, "-e", "ima-adpcm", adpcm.to_str().unwrap()],
    );
    for path in [&wav, &flac, &ogg, &mp3, &adpcm] {
        let decoded = decode(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            (decoded.original_rate, decoded.channels),
            (RATE, 2),
            "{}",
            path.display()
        );
        // MP3 pads with encoder delay; allow 0.1 s.
        assert!(
            (decoded.duration_seconds - SECONDS).abs() < 0.1,
            "{}: {} s",
            path.display(),
            decoded.duration_seconds
        );
        // Count in the middle second: MP3's encoder delay and padding are near-silent noise.
        let rate = decoded.clip.sample_rate as usize;
        let middle = &decoded.clip.samples[rate / 5..rate / 5 + rate];
        let hz = middle
            .windows(2)
            .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
            .count() as f64;
        assert!((hz - 440.0).abs() < 15.0, "{}: {hz:.1} Hz", path.display());
    }
}

#[test]
fn a_wav_claiming_zero_hertz_is_a_clear_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.wav");
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36u32 + 8).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16u32.to_le_bytes());
    bytes.extend_from_slice(&1u16.to_le_bytes()); // PCM
    bytes.extend_from_slice(&1u16.to_le_bytes()); // mono
    bytes.extend_from_slice(&0u32.to_le_bytes()); // 0 Hz
    bytes.extend_from_slice(&0u32.to_le_bytes());
    bytes.extend_from_slice(&2u16.to_le_bytes());
    bytes.extend_from_slice(&16u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&8u32.to_le_bytes());
    bytes.extend_from_slice(&[0u8; 8]);
    std::fs::write(&path, bytes).unwrap();
    let error = decode(&path).expect_err("0 Hz cannot be decoded");
    assert!(error.to_string().contains("zero.wav"), "{error}");
}
