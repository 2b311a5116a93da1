//! Sample-rate conversion for whole clips (a source clip to the speaker encoder's 16 kHz, a
//! result to the source's rate for A/B) with rubato's FFT resampler: band-limited, and
//! `process_all` trims the filter delay, so the output is neither shifted nor padded.

use rubato::audioadapter::Adapter;
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use super::wav::Clip;

/// Frames per FFT block asked for; rubato rounds it up to suit the pair of rates.
const CHUNK_FRAMES: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum ResampleError {
    #[error("cannot resample from {from} Hz to {to} Hz: sample rates must be above zero")]
    ZeroRate { from: u32, to: u32 },
    #[error("cannot set up resampling from {from} Hz to {to} Hz: {detail}")]
    Setup { from: u32, to: u32, detail: String },
    #[error("resampling from {from} Hz to {to} Hz failed: {detail}")]
    Process { from: u32, to: u32, detail: String },
}

/// Converts `clip` to `to_rate`; the result has about `len * to_rate / from_rate` samples.
pub fn resample(clip: &Clip, to_rate: u32) -> Result<Clip, ResampleError> {
    let from = clip.sample_rate;
    if from == 0 || to_rate == 0 {
        return Err(ResampleError::ZeroRate { from, to: to_rate });
    }
    if from == to_rate || clip.samples.is_empty() {
        return Ok(Clip {
            sample_rate: to_rate,
            samples: clip.samples.clone(),
        });
    }
    let setup = |e: rubato::ResamplerConstructionError| ResampleError::Setup {
        from,
        to: to_rate,
        detail: e.to_string(),
    };
    let process = |detail: String| ResampleError::Process {
        from,
        to: to_rate,
        detail,
    };
    let mut resampler = Fft::<f32>::new(
        from as usize,
        to_rate as usize,
        CHUNK_FRAMES,
        1,
        FixedSync::Both,
    )
    .map_err(setup)?;
    let frames = clip.samples.len();
    let input =
        InterleavedSlice::new(&clip.samples[..], 1, frames).map_err(|e| process(e.to_string()))?;
    let output = resampler
        .process_all(&input, frames, None)
        .map_err(|e| process(e.to_string()))?;
    let produced = output.frames();
    Ok(Clip {
        sample_rate: to_rate,
        samples: output.take_data().into_iter().take(produced).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, hz: f32, seconds: f32) -> Clip {
        let n = (rate as f32 * seconds) as usize;
        Clip {
            sample_rate: rate,
            samples: (0..n)
                .map(|i| (std::f32::consts::TAU * hz * i as f32 / rate as f32).sin() * 0.5)
                .collect(),
        }
    }

    #[test]
    fn same_rate_is_identity() {
        let clip = sine(24_000, 440.0, 0.1);
        assert_eq!(resample(&clip, 24_000).unwrap(), clip);
    }

    #[test]
    fn length_follows_the_ratio_and_the_start_is_not_delayed() {
        let clip = sine(24_000, 300.0, 0.5);
        let out = resample(&clip, 16_000).unwrap();
        assert_eq!(out.sample_rate, 16_000);
        assert!(
            (out.samples.len() as i64 - 8_000).abs() <= 2,
            "{}",
            out.samples.len()
        );
        // A sine starting at phase 0 rises at once; a delayed output would start with silence.
        let early_peak = out.samples[4..40].iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!(early_peak > 0.3, "early peak {early_peak}");
    }

    #[test]
    fn zero_rate_is_an_error() {
        let clip = Clip {
            sample_rate: 0,
            samples: vec![0.0; 10],
        };
        assert!(matches!(
            resample(&clip, 16_000),
            Err(ResampleError::ZeroRate { .. })
        ));
    }
}
