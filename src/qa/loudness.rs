//! How loud a take is, by EBU R128 / ITU-R BS.1770 (the `ebur128` crate): integrated
//! loudness, loudness range and true peak, and how many samples sit at full scale. A job's
//! languages are heard one after another by the same listener, so a take several LU quieter
//! than the others is a defect even when each sounds fine alone.
//!
//! The meter is fed in chunks and keeps histograms, not the audio: a two-hour clip costs no
//! more memory than a short one.

use serde::Serialize;

use crate::audio::wav::Clip;

/// A sample at or beyond this level is at full scale: clipped. 16-bit PCM's largest value
/// reads back as 32767/32768, so "at full scale" is that, not 1.0.
const FULL_SCALE: f32 = 32767.0 / 32768.0;

/// Seconds fed to the meter at a time.
const CHUNK_SECONDS: usize = 1;
/// The loudness range compares 3 s windows: a shorter clip has none to compare (the meter
/// would say 0 LU, which reads as "perfectly even").
const RANGE_MIN_SECONDS: f64 = 3.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Loudness {
    /// Integrated loudness (LUFS); none when no 400 ms block passes the gates (silence, or
    /// under 0.4 s of audio).
    pub integrated_lufs: Option<f64>,
    /// Loudness range (LU); none under 3 s, the length of the windows it compares.
    pub range_lu: Option<f64>,
    /// True peak (dBTP, 4x oversampled); none for digital silence.
    pub true_peak_dbtp: Option<f64>,
    /// Samples at full scale: clipping.
    pub clipped_samples: u64,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot measure loudness at {sample_rate} Hz: {detail}")]
pub struct LoudnessError {
    sample_rate: u32,
    detail: String,
}

/// A loudness measurement in progress, fed in chunks of mono samples.
pub struct LoudnessMeter {
    meter: ebur128::EbuR128,
    sample_rate: u32,
    samples: u64,
    clipped_samples: u64,
}

impl LoudnessMeter {
    pub fn new(sample_rate: u32) -> Result<LoudnessMeter, LoudnessError> {
        use ebur128::Mode;
        let error = |e: ebur128::Error| LoudnessError {
            sample_rate,
            detail: e.to_string(),
        };
        let mode = Mode::I | Mode::LRA | Mode::TRUE_PEAK | Mode::HISTOGRAM;
        let mut meter = ebur128::EbuR128::new(1, sample_rate, mode).map_err(error)?;
        // A mono take is heard on both ears: BS.1770 weighs a centre channel as 1.
        meter
            .set_channel(0, ebur128::Channel::Center)
            .map_err(error)?;
        Ok(LoudnessMeter {
            meter,
            sample_rate,
            samples: 0,
            clipped_samples: 0,
        })
    }

    pub fn add(&mut self, samples: &[f32]) {
        self.samples += samples.len() as u64;
        self.clipped_samples += samples.iter().filter(|s| s.abs() >= FULL_SCALE).count() as u64;
        // Only a wrong channel count makes the meter refuse frames; it has one channel.
        let _ = self.meter.add_frames_f32(samples);
    }

    pub fn finish(self) -> Loudness {
        let finite = |v: Result<f64, ebur128::Error>| v.ok().filter(|v| v.is_finite());
        let peak = finite(self.meter.true_peak(0)).filter(|&p| p > 0.0);
        Loudness {
            integrated_lufs: finite(self.meter.loudness_global()),
            range_lu: finite(self.meter.loudness_range())
                .filter(|_| self.samples as f64 >= RANGE_MIN_SECONDS * self.sample_rate as f64),
            true_peak_dbtp: peak.map(|p| 20.0 * p.log10()),
            clipped_samples: self.clipped_samples,
        }
    }
}

impl Loudness {
    /// `-23.1 LUFS, range 4.2 LU, true peak -1.3 dBTP, 12 samples clipped` for the logs.
    pub fn describe(&self) -> String {
        let or_none = |v: Option<f64>, unit: &str| {
            v.map_or_else(|| "none".to_string(), |v| format!("{v:.1} {unit}"))
        };
        let mut text = format!(
            "loudness {}, range {}, true peak {}",
            or_none(self.integrated_lufs, "LUFS"),
            or_none(self.range_lu, "LU"),
            or_none(self.true_peak_dbtp, "dBTP"),
        );
        if self.clipped_samples > 0 {
            text.push_str(&format!(", {} samples clipped", self.clipped_samples));
        }
        text
    }
}

/// The loudness of a whole mono clip.
pub fn measure(clip: &Clip) -> Result<Loudness, LoudnessError> {
    let mut meter = LoudnessMeter::new(clip.sample_rate)?;
    let chunk = (clip.sample_rate as usize * CHUNK_SECONDS).max(1);
    for samples in clip.samples.chunks(chunk) {
        meter.add(samples);
    }
    Ok(meter.finish())
}

/// The spread of a job's languages: loudest integrated loudness minus the quietest, over
/// those that have one; none with fewer than two.
pub fn spread(integrated: impl IntoIterator<Item = f64>) -> Option<f64> {
    let values: Vec<f64> = integrated.into_iter().filter(|v| v.is_finite()).collect();
    if values.len() < 2 {
        return None;
    }
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    Some(max - min)
}

#[cfg(test)]
mod tests;
