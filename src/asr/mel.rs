//! Whisper's input: the log-mel spectrogram of `whisper.audio.log_mel_spectrogram`, cut into
//! 30 s windows as `transcribe` cuts it without timestamps.
//!
//! 16 kHz audio gets 30 s of zeros appended; |STFT|² with a periodic Hann window of 400
//! samples, hop 160, frames centred (reflect padding), the last frame dropped; librosa's
//! Slaney filterbank with 80 bands; log10 of max(x, 1e-10); everything below (global max - 8)
//! raised to it; then (x + 4) / 4. The maximum is over the whole clip, so a window is
//! normalised as Whisper normalises it inside a long recording. The zeros appended mean every
//! window, the last included, has its full 3000 frames, with silence where the clip ended.

use crate::qa::mel::{power_frames, slaney_filterbank, HOP, SAMPLE_RATE};

pub const N_MELS: usize = 80;
/// Frames in one window (30 s).
pub const WINDOW_FRAMES: usize = 3000;
const WINDOW_SAMPLES: usize = WINDOW_FRAMES * HOP;

/// One window's features, `[80][3000]` row-major (band-major, as the encoder takes them).
pub struct Window {
    pub features: Vec<f32>,
    /// Where the window starts in the clip, in seconds.
    pub start_seconds: f32,
}

/// The windows covering a 16 kHz clip: one per started 30 s (none for an empty clip).
pub fn windows(samples: &[f32]) -> Vec<Window> {
    let content_frames = samples.len() / HOP;
    if content_frames == 0 {
        return Vec::new();
    }
    let mut padded = Vec::with_capacity(samples.len() + WINDOW_SAMPLES);
    padded.extend_from_slice(samples);
    padded.resize(samples.len() + WINDOW_SAMPLES, 0.0);
    // 1 + len / HOP frames, the last dropped as Whisper drops it.
    let frames = padded.len() / HOP;
    let bands = slaney_filterbank(N_MELS);
    let mut log = Vec::with_capacity(frames * N_MELS); // frame-major while computing
    power_frames(&padded, frames, |power| {
        log.extend(
            bands
                .iter()
                .map(|band| band.apply(power).max(1e-10).log10() as f32),
        );
    });
    let floor = log.iter().copied().fold(f32::NEG_INFINITY, f32::max) - 8.0;
    let starts = (0..content_frames).step_by(WINDOW_FRAMES);
    starts
        .map(|start| {
            let mut features = vec![0f32; N_MELS * WINDOW_FRAMES];
            for t in 0..WINDOW_FRAMES {
                let row = &log[(start + t) * N_MELS..(start + t + 1) * N_MELS];
                for (m, &value) in row.iter().enumerate() {
                    features[m * WINDOW_FRAMES + t] = (value.max(floor) + 4.0) / 4.0;
                }
            }
            Window {
                features,
                start_seconds: (start * HOP) as f32 / SAMPLE_RATE as f32,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_window_per_started_thirty_seconds() {
        assert!(windows(&[]).is_empty());
        let short = windows(&vec![0.1f32; 16_000]);
        assert_eq!(short.len(), 1);
        assert_eq!(short[0].features.len(), N_MELS * WINDOW_FRAMES);
        let long = windows(&vec![0.1f32; 31 * 16_000]);
        assert_eq!(long.len(), 2);
        assert_eq!(long[1].start_seconds, 30.0);
    }

    #[test]
    fn silence_after_the_clip_sits_at_the_floor() {
        let tone: Vec<f32> = (0..16_000)
            .map(|n| (2.0 * std::f32::consts::PI * 440.0 * n as f32 / 16_000.0).sin())
            .collect();
        let w = &windows(&tone)[0].features;
        let max = w.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let min = w.iter().copied().fold(f32::INFINITY, f32::min);
        // The floor is 8 (log10 units) under the peak: 2 after the (x + 4) / 4 scaling.
        assert!((max - min - 2.0).abs() < 1e-5, "{max} {min}");
        // Band 0 of the last frame is past the clip: silence, at the floor.
        assert_eq!(w[WINDOW_FRAMES - 1], min);
    }
}
