//! Resemblyzer's `preprocess_wav` and `embed_utterance` slicing, ported: volume normalised to
//! -30 dBFS (raised only), long silences trimmed, then 1.6 s partial windows 77 frames apart.
//!
//! One departure: Resemblyzer decides speech per 30 ms window with webrtcvad (mode 3); this
//! uses an energy VAD. A window is voiced when its level is at most `VAD_BELOW_CLIP_DB` under
//! the whole (normalised) clip's level and above `VAD_FLOOR_DBFS`. Digital or near-digital
//! silence between sentences, which is what synthesised speech and clean recordings hold, is
//! dropped as webrtcvad would; steady background noise within 25 dB of the speech is kept,
//! where webrtcvad would drop it. The smoothing after the decision is Resemblyzer's: a moving
//! average over 8 windows rounded half to even (so 5 of 8 voiced), then a dilation by 3
//! windows each side (a structuring element of `VAD_MAX_SILENCE + 1` windows).

use std::ops::Range;

use super::mel::{HOP, SAMPLE_RATE};

/// Frames in one partial utterance (1.6 s).
pub const PARTIAL_FRAMES: usize = 160;
const TARGET_DBFS: f64 = -30.0;
const VAD_WINDOW: usize = 30 * SAMPLE_RATE as usize / 1000;
const VAD_AVERAGE_WIDTH: usize = 8;
const VAD_MAX_SILENCE: usize = 6;
const VAD_BELOW_CLIP_DB: f64 = 25.0;
const VAD_FLOOR_DBFS: f64 = -60.0;
/// RMS under which a clip counts as silent before any gain (-80 dBFS).
pub const SILENT_RMS: f64 = 1e-4;
const PARTIALS_PER_SECOND: f64 = 1.3;
const MIN_COVERAGE: f64 = 0.75;

fn mean_square(wav: &[f32]) -> f64 {
    if wav.is_empty() {
        return 0.0;
    }
    wav.iter().map(|&s| s as f64 * s as f64).sum::<f64>() / wav.len() as f64
}

pub fn rms(wav: &[f32]) -> f64 {
    mean_square(wav).sqrt()
}

fn level_db(mean_square: f64) -> f64 {
    10.0 * mean_square.max(1e-20).log10()
}

/// `normalize_volume(wav, -30, increase_only=True)`: a quieter clip is raised to -30 dBFS RMS,
/// a louder one is left alone. A silent clip is left alone too (Resemblyzer would divide by 0).
pub fn normalize_volume(wav: &mut [f32]) {
    let ms = mean_square(wav);
    if ms == 0.0 {
        return;
    }
    let change_db = TARGET_DBFS - level_db(ms);
    if change_db <= 0.0 {
        return;
    }
    let gain = 10f64.powf(change_db / 20.0) as f32;
    wav.iter_mut().for_each(|s| *s *= gain);
}

/// Per 30 ms window: is it speech? (See the module comment for the rule.)
fn energy_flags(wav: &[f32]) -> Vec<bool> {
    let threshold = (level_db(mean_square(wav)) - VAD_BELOW_CLIP_DB).max(VAD_FLOOR_DBFS);
    wav.chunks_exact(VAD_WINDOW)
        .map(|w| level_db(mean_square(w)) >= threshold)
        .collect()
}

/// Resemblyzer's smoothing: `moving_average` (zero-padded 3 before, 4 after), `np.round`, then
/// `binary_dilation(mask, np.ones(7))`.
fn smooth(flags: &[bool]) -> Vec<bool> {
    let n = flags.len() as isize;
    let (before, after) = (
        (VAD_AVERAGE_WIDTH as isize - 1) / 2,
        VAD_AVERAGE_WIDTH as isize / 2,
    );
    let voiced = |j: isize| (0..n).contains(&j) && flags[j as usize];
    // round(count / 8) is 1 from 5 of 8 on: 4 of 8 is 0.5, which rounds to the even 0.
    let averaged: Vec<bool> = (0..n)
        .map(|j| 2 * (j - before..=j + after).filter(|&i| voiced(i)).count() > VAD_AVERAGE_WIDTH)
        .collect();
    let reach = (VAD_MAX_SILENCE as isize + 1) / 2;
    (0..n)
        .map(|j| (j - reach..=j + reach).any(|i| (0..n).contains(&i) && averaged[i as usize]))
        .collect()
}

/// `trim_long_silences`: the clip cut to whole 30 ms windows, keeping the voiced ones.
pub fn trim_silences(wav: &[f32]) -> Vec<f32> {
    let whole = &wav[..wav.len() - wav.len() % VAD_WINDOW];
    let mask = smooth(&energy_flags(whole));
    whole
        .chunks_exact(VAD_WINDOW)
        .zip(mask)
        .filter(|(_, keep)| *keep)
        .flat_map(|(w, _)| w.iter().copied())
        .collect()
}

/// `compute_partial_slices(n_samples, rate=1.3, min_coverage=0.75)`: the mel frame ranges of
/// the partial utterances. Never empty; the last may run past the audio (pad with zeros).
pub fn partial_frames(n_samples: usize) -> Vec<Range<usize>> {
    let n_frames = (n_samples + 1).div_ceil(HOP);
    let step = (SAMPLE_RATE as f64 / PARTIALS_PER_SECOND / HOP as f64).round() as usize;
    let steps = (n_frames + step + 1).saturating_sub(PARTIAL_FRAMES).max(1);
    let mut slices: Vec<Range<usize>> = (0..steps)
        .step_by(step)
        .map(|i| i..i + PARTIAL_FRAMES)
        .collect();
    let last = slices.last().expect("at least one partial").clone();
    let coverage = (n_samples as f64 - (last.start * HOP) as f64) / (PARTIAL_FRAMES * HOP) as f64;
    if coverage < MIN_COVERAGE && slices.len() > 1 {
        slices.pop();
    }
    slices
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partials_match_resemblyzer() {
        // VoiceEncoder.compute_partial_slices(n, 1.3, 0.75), mel ranges' starts.
        let starts = |n| {
            partial_frames(n)
                .iter()
                .map(|r| r.start)
                .collect::<Vec<_>>()
        };
        assert_eq!(starts(8_000), vec![0]);
        assert_eq!(starts(25_600), vec![0]);
        assert_eq!(starts(40_000), vec![0, 77]);
        assert_eq!(
            starts(160_000),
            vec![0, 77, 154, 231, 308, 385, 462, 539, 616, 693, 770, 847]
        );
        assert_eq!(starts(37_000), vec![0, 77]);
        assert_eq!(starts(50_000), vec![0, 77, 154]);
        assert_eq!(starts(1), vec![0]);
    }

    #[test]
    fn quiet_clips_are_raised_loud_ones_kept() {
        let mut quiet = vec![0.001f32; 100];
        normalize_volume(&mut quiet);
        assert!((20.0 * rms(&quiet).log10() - TARGET_DBFS).abs() < 1e-3);
        let mut loud = vec![0.5f32; 100];
        normalize_volume(&mut loud);
        assert_eq!(loud, vec![0.5f32; 100]);
        let mut silent = vec![0f32; 100];
        normalize_volume(&mut silent);
        assert_eq!(silent, vec![0f32; 100]);
    }

    #[test]
    fn smoothing_matches_resemblyzer() {
        // Its moving average + round + dilation on this mask, computed with numpy/scipy.
        let flags: Vec<bool> = "0000111110000000000001110000000000001111111100000000000"
            .chars()
            .map(|c| c == '1')
            .collect();
        let want = "0111111111100000000000000000000001111111111111000000000";
        let got: String = smooth(&flags)
            .iter()
            .map(|&v| if v { '1' } else { '0' })
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn long_silence_is_trimmed_and_speech_kept() {
        let tone = |n: usize| (0..n).map(|i| (i as f32 * 0.05).sin() * 0.1);
        let mut wav: Vec<f32> = tone(16_000).collect();
        wav.extend(std::iter::repeat_n(0.0, 32_000));
        wav.extend(tone(16_000));
        let kept = trim_silences(&wav);
        // 2 s of tone and ~0.1 s of the gap's edges kept (the dilation); the rest goes.
        assert!(
            kept.len() >= 31_680 && kept.len() <= 36_000,
            "{}",
            kept.len()
        );
    }
}
