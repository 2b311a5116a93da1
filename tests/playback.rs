//! Audio in and out: decoding and resampling real files, and playback through the real rodio
//! output into a PulseAudio null sink, recorded from the sink's monitor with parecord.

mod common;

use std::f32::consts::TAU;
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::time::{Duration, Instant};

use voxdeck::audio::decode::{decode, DecodeError};
use voxdeck::audio::playback::{LabelledClip, PlaybackStatus, Player};
use voxdeck::audio::resample::resample;
use voxdeck::audio::wav::{self, Clip};

use common::sink::{NullSink, Recording};

fn sine(rate: u32, hz: f32, seconds: f32, amplitude: f32) -> Vec<f32> {
    let n = (rate as f32 * seconds).round() as usize;
    (0..n)
        .map(|i| (TAU * hz * i as f32 / rate as f32).sin() * amplitude)
        .collect()
}

/// Frequency from upward zero crossings, over the samples whose level says a tone is there.
fn tone_hz(samples: &[f32], rate: u32) -> f64 {
    let crossings = samples
        .windows(2)
        .filter(|w| w[0] < 0.0 && w[1] >= 0.0)
        .count();
    crossings as f64 * rate as f64 / samples.len() as f64
}

fn write_wav<S: hound::Sample + Copy>(path: &Path, spec: hound::WavSpec, interleaved: &[S]) {
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for &s in interleaved {
        writer.write_sample(s).unwrap();
    }
    writer.finalize().unwrap();
}

#[test]
fn decodes_stereo_44k_wav_to_mono_with_its_duration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stereo.wav");
    let left = sine(44_100, 440.0, 0.75, 0.8);
    let interleaved: Vec<i16> = left
        .iter()
        .flat_map(|&l| [(l * i16::MAX as f32) as i16, 0])
        .collect();
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    write_wav(&path, spec, &interleaved);

    let decoded = decode(&path).unwrap();
    assert_eq!(decoded.channels, 2);
    assert_eq!(decoded.original_rate, 44_100);
    assert_eq!(decoded.clip.sample_rate, 44_100);
    assert_eq!(decoded.clip.samples.len(), left.len());
    assert!((decoded.duration_seconds - 0.75).abs() < 1e-3);
    // The right channel is silent, so the mixdown carries half the left's level.
    let peak = decoded
        .clip
        .samples
        .iter()
        .fold(0f32, |m, s| m.max(s.abs()));
    assert!((peak - 0.4).abs() < 0.01, "peak {peak}");
}

#[test]
fn decodes_float_wav_with_three_channels() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("three.wav");
    let spec = hound::WavSpec {
        channels: 3,
        sample_rate: 22_050,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let frames: Vec<f32> = (0..2205).flat_map(|_| [0.3f32, 0.3, 0.3]).collect();
    write_wav(&path, spec, &frames);
    let decoded = decode(&path).unwrap();
    assert_eq!((decoded.channels, decoded.original_rate), (3, 22_050));
    assert!((decoded.duration_seconds - 0.1).abs() < 1e-6);
    assert!(decoded.clip.samples.iter().all(|&s| (s - 0.3).abs() < 1e-6));
}

#[test]
fn unsupported_missing_and_empty_files_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "these are not audio samples, just words\n".repeat(20),
    )
    .unwrap();
    let err = decode(&text).unwrap_err();
    assert!(matches!(err, DecodeError::Unsupported { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("unsupported audio"), "{message}");
    assert!(
        message.contains("WAV, FLAC, MP3 or Ogg Vorbis"),
        "{message}"
    );
    assert!(message.contains("notes.txt"), "{message}");

    let err = decode(&dir.path().join("absent.flac")).unwrap_err();
    assert!(matches!(err, DecodeError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("file not found"));

    let empty = dir.path().join("empty.wav");
    wav::write_atomic(
        &empty,
        &Clip {
            sample_rate: 16_000,
            samples: vec![],
        },
    )
    .unwrap();
    let err = decode(&empty).unwrap_err();
    assert!(matches!(err, DecodeError::Empty { .. }), "{err:?}");
    assert!(err.to_string().contains("empty"));
}

#[test]
fn resampling_44k_to_16k_keeps_length_ratio_and_pitch() {
    let clip = Clip {
        sample_rate: 44_100,
        samples: sine(44_100, 440.0, 1.0, 0.5),
    };
    let out = resample(&clip, 16_000).unwrap();
    assert_eq!(out.sample_rate, 16_000);
    assert!(
        (out.samples.len() as i64 - 16_000).abs() <= 2,
        "{}",
        out.samples.len()
    );
    let hz = tone_hz(&out.samples, 16_000);
    assert!((hz - 440.0).abs() < 3.0, "{hz} Hz after resampling");
    assert!((out.rms() - clip.rms()).abs() < 0.01, "level kept");
}

// ---- playback through a PulseAudio null sink ----

fn player() -> (Player, Receiver<PlaybackStatus>) {
    let (tx, rx) = mpsc::channel();
    let player = Player::spawn(move |status| {
        let _ = tx.send(status);
    })
    .unwrap();
    (player, rx)
}

/// Statuses until one matches `done`; panics on Unavailable or after `timeout`.
fn wait_for(
    rx: &Receiver<PlaybackStatus>,
    timeout: Duration,
    done: impl Fn(&PlaybackStatus) -> bool,
) -> Vec<PlaybackStatus> {
    let deadline = Instant::now() + timeout;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let status = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no matching status within {timeout:?}; saw {seen:?}"));
        if let PlaybackStatus::Unavailable(reason) = &status {
            panic!("playback unavailable with the null sink running: {reason}");
        }
        let matched = done(&status);
        seen.push(status);
        if matched {
            return seen;
        }
    }
}

fn positions(statuses: &[PlaybackStatus]) -> Vec<(String, f64, f64)> {
    statuses
        .iter()
        .filter_map(|s| match s {
            PlaybackStatus::Playing {
                label,
                position_seconds,
                duration_seconds,
            } => Some((label.clone(), *position_seconds, *duration_seconds)),
            _ => None,
        })
        .collect()
}

/// RMS over 50 ms windows: the loudest window, and where the tone is.
fn loud_part(clip: &Clip) -> (f32, Vec<f32>) {
    let window = (clip.sample_rate / 20) as usize;
    let rms = |w: &[f32]| (w.iter().map(|s| s * s).sum::<f32>() / w.len() as f32).sqrt();
    let peak = clip.samples.chunks(window).map(rms).fold(0f32, f32::max);
    let loud: Vec<f32> = clip
        .samples
        .chunks(window)
        .filter(|w| w.len() == window && rms(w) > peak * 0.8)
        .flatten()
        .copied()
        .collect();
    (peak, loud)
}

#[test]
fn plays_a_wav_into_the_null_sink() {
    let Some(_sink) = NullSink::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("tone.wav");
    // 24 kHz like Kokoro's output, so the player's resampling to the device rate is exercised.
    let tone = Clip {
        sample_rate: 24_000,
        samples: sine(24_000, 440.0, 1.0, 0.5),
    };
    wav::write_atomic(&source, &tone).unwrap();
    let clip = decode(&source).unwrap().clip;
    let recording = Recording::start(dir.path().join("recorded.wav"));

    let (player, rx) = player();
    let started = Instant::now();
    player.play(LabelledClip::new("tone", Arc::new(clip)));
    let statuses = wait_for(&rx, Duration::from_secs(10), |s| {
        *s == PlaybackStatus::Stopped
    });
    let elapsed = started.elapsed();
    let recorded = recording.finish();
    drop(player);

    let playing = positions(&statuses);
    assert!(
        playing.len() >= 5,
        "about 10 reports a second: {statuses:?}"
    );
    assert!(playing
        .iter()
        .all(|(label, _, d)| label == "tone" && (d - 1.0).abs() < 0.01));
    assert!(
        playing.windows(2).all(|w| w[1].1 >= w[0].1),
        "position only moves on"
    );
    let last = playing.last().unwrap().1;
    assert!(last > 0.7 && last <= 1.0, "last position {last}");
    assert!(
        elapsed >= Duration::from_millis(900),
        "played in real time: {elapsed:?}"
    );

    let (peak_rms, loud) = loud_part(&recorded);
    assert!(
        peak_rms > 0.1,
        "the sink heard silence (peak 50 ms RMS {peak_rms})"
    );
    let hz = tone_hz(&loud, recorded.sample_rate);
    assert!((hz - 440.0).abs() < 10.0, "recorded tone at {hz} Hz");
}

#[test]
fn ab_toggle_keeps_the_position_and_stop_ends_playback() {
    let Some(_sink) = NullSink::start() else {
        return;
    };
    let (player, rx) = player();
    let a = Arc::new(Clip {
        sample_rate: 24_000,
        samples: sine(24_000, 440.0, 5.0, 0.3),
    });
    let b = Arc::new(Clip {
        sample_rate: 44_100,
        samples: sine(44_100, 660.0, 4.0, 0.3),
    });
    player.play_ab(
        LabelledClip::new("result", a),
        LabelledClip::new("source", b),
    );
    let before = wait_for(
        &rx,
        Duration::from_secs(5),
        |s| matches!(s, PlaybackStatus::Playing { position_seconds, .. } if *position_seconds > 0.3),
    );
    let (label, position_before, duration) = positions(&before).pop().unwrap();
    assert_eq!(label, "result");
    assert!(
        (duration - 5.0).abs() < 0.01,
        "the longer clip sets the length"
    );

    player.toggle_ab();
    let after = wait_for(
        &rx,
        Duration::from_secs(5),
        |s| matches!(s, PlaybackStatus::Playing { label, .. } if label == "source"),
    );
    let (_, position_after, _) = positions(&after).pop().unwrap();
    assert!(
        position_after >= position_before && position_after < position_before + 0.5,
        "A/B keeps the playhead: {position_before} -> {position_after}"
    );

    let stop_at = Instant::now();
    player.stop();
    wait_for(&rx, Duration::from_secs(2), |s| {
        *s == PlaybackStatus::Stopped
    });
    assert!(stop_at.elapsed() < Duration::from_millis(500));
    // Nothing more arrives once stopped.
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
}
