//! Joining a language's utterances into one take. Each utterance comes out of the model
//! with its own lead-in and trailing silence; joined as they are, every sentence boundary
//! would carry both plus the pause, and listeners hear long gaps. So each utterance's edge
//! silence is trimmed first, and exactly the configured pause goes between utterances.

/// The pause between sentences when the job and the command line say nothing. Read speech
/// pauses about a quarter to half a second between sentences; 0.3 s sounds unhurried
/// without the gaps of untrimmed joins.
pub const DEFAULT_SENTENCE_SILENCE: f64 = 0.3;
/// The longest pause a job may ask for.
pub const MAX_SENTENCE_SILENCE: f64 = 5.0;

/// Frames quieter than this, relative to the utterance's loudest frame, are silence.
const SILENCE_BELOW_PEAK_DB: f32 = -40.0;
/// Frames quieter than this in absolute terms are silence whatever the peak.
const SILENCE_FLOOR: f32 = 1e-4;
/// Analysis frame, seconds.
const FRAME_SECONDS: f64 = 0.01;
/// Kept around the speech, so soft onsets and releases are not clipped.
const MARGIN_SECONDS: f64 = 0.02;

/// The part of `samples` between its first and last frame of speech, with a short margin.
/// All silence gives an empty slice.
pub fn trim_edges(samples: &[f32], sample_rate: u32) -> &[f32] {
    let frame = ((FRAME_SECONDS * sample_rate as f64) as usize).max(1);
    let rms: Vec<f32> = samples
        .chunks(frame)
        .map(|c| (c.iter().map(|s| s * s).sum::<f32>() / c.len() as f32).sqrt())
        .collect();
    let peak = rms.iter().cloned().fold(0.0f32, f32::max);
    let threshold = (peak * 10f32.powf(SILENCE_BELOW_PEAK_DB / 20.0)).max(SILENCE_FLOOR);
    let (Some(first), Some(last)) = (
        rms.iter().position(|&r| r > threshold),
        rms.iter().rposition(|&r| r > threshold),
    ) else {
        return &[];
    };
    let margin = (MARGIN_SECONDS * sample_rate as f64) as usize;
    let start = (first * frame).saturating_sub(margin);
    let end = ((last + 1) * frame + margin).min(samples.len());
    &samples[start..end]
}

/// The utterances, edges trimmed, with `pause_seconds` of silence between each two.
pub fn join(parts: &[Vec<f32>], sample_rate: u32, pause_seconds: f64) -> Vec<f32> {
    let pause = vec![0.0f32; (pause_seconds * sample_rate as f64).round() as usize];
    let mut joined = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    let mut first = true;
    for part in parts {
        let speech = trim_edges(part, sample_rate);
        if speech.is_empty() {
            continue;
        }
        if !first {
            joined.extend_from_slice(&pause);
        }
        joined.extend_from_slice(speech);
        first = false;
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 1000;

    /// `lead` s of silence, `tone` s of a 50 Hz tone, `tail` s of silence.
    fn utterance(lead: f64, tone: f64, tail: f64) -> Vec<f32> {
        let n = |s: f64| (s * RATE as f64) as usize;
        let mut v = vec![0.0; n(lead)];
        v.extend((0..n(tone)).map(|i| 0.5 * (i as f32 * 0.314).sin()));
        v.extend(vec![0.0; n(tail)]);
        v
    }

    #[test]
    fn edge_silence_goes_and_a_margin_stays() {
        let u = utterance(0.5, 1.0, 0.8);
        let trimmed = trim_edges(&u, RATE);
        // 1 s of tone plus at most a frame and the margin on each side.
        assert!(
            (1000..=1000 + 2 * (10 + 20)).contains(&trimmed.len()),
            "{}",
            trimmed.len()
        );
        assert!(trim_edges(&[0.0; 500], RATE).is_empty());
        assert!(trim_edges(&[], RATE).is_empty());
        // A quiet tail well above the floor but 60 dB under the peak is silence.
        let mut noisy = utterance(0.0, 0.5, 0.0);
        noisy.extend(vec![0.0004; 700]);
        assert!(trim_edges(&noisy, RATE).len() <= 500 + 30);
    }

    #[test]
    fn the_pause_between_parts_is_exactly_the_one_asked_for() {
        let parts = [
            utterance(0.4, 1.0, 0.6),
            utterance(0.3, 0.5, 0.9),
            vec![0.0; 300],
        ];
        let joined = join(&parts, RATE, 0.25);
        // Longest run of exact zeros: the pause plus both margins (and at most a frame each).
        let mut longest = 0;
        let mut run = 0;
        for s in &joined {
            run = if *s == 0.0 { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        assert!((250..=250 + 2 * 30 + 2).contains(&longest), "{longest}");
        // The all-silent part adds nothing, not even a pause.
        assert_eq!(join(&parts[..2], RATE, 0.25).len(), joined.len());
        assert!(join(&[], RATE, 0.25).is_empty());
    }
}
