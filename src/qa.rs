//! Voice QA: how close a voice is to the source clip, by Resemblyzer's GE2E speaker encoder
//! (converted to ONNX by scripts/speaker-encoder/convert.py during set-up) run through ort.
//!
//! `embed` follows Resemblyzer's `preprocess_wav` + `embed_utterance`: 16 kHz mono, volume
//! raised to -30 dBFS, long silences trimmed (an energy VAD in place of webrtcvad: see
//! `frontend`), a 40-band power mel spectrogram (`mel`), 1.6 s partials 77 frames apart run as
//! one batch, their unit embeddings averaged and L2-normalised. Similarity is the cosine of two
//! such embeddings. This scores nearest stock voices; it does not clone anyone.

pub mod cache;
pub mod dvector;
pub mod error_rate;
pub mod frontend;
pub mod loudness;
pub mod matching;
pub mod mel;
pub mod outside;
pub mod scores;
pub mod scoring;
pub mod script;
pub mod transcriber;

use std::path::{Path, PathBuf};

use ort::session::Session;
use ort::value::Tensor;

use crate::assets::Assets;
use crate::audio::resample::{resample, ResampleError};
use crate::audio::wav::Clip;
use crate::digest::sha256_file;
use crate::engine::runtime::{OrtOptions, Placement, Runtime, RuntimeError};
use crate::job::Device;

pub use cache::{EmbeddingCache, ProbeKey};
use frontend::PARTIAL_FRAMES;
use mel::{N_MELS, SAMPLE_RATE};

/// The converted encoder, relative to the asset cache.
pub const ENCODER_MODEL: &str = "models/speaker/ge2e.onnx";
pub const EMBEDDING_SIZE: usize = 256;
/// Voiced audio needed after trimming. Resemblyzer itself scores anything (one zero-padded
/// 1.6 s partial); under half a second the partial is mostly padding and the score is noise.
pub const MIN_VOICED_SECONDS: f32 = 0.5;
/// The similarity under which a result is flagged (the console's default threshold).
pub const DEFAULT_THRESHOLD: f32 = 0.75;
/// Error rates over which a result is flagged, unless `[qa] max_cer` / `max_wer` say otherwise.
pub const DEFAULT_MAX_CER: f32 = 0.15;
pub const DEFAULT_MAX_WER: f32 = 0.30;

/// The error rates over which a transcribed result is flagged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorRateLimits {
    pub max_cer: f32,
    pub max_wer: f32,
}

impl ErrorRateLimits {
    /// The settings file's `[qa]` limits over the defaults.
    pub fn from_config(config: &crate::config::Config) -> ErrorRateLimits {
        ErrorRateLimits {
            max_cer: config.max_cer.unwrap_or(DEFAULT_MAX_CER),
            max_wer: config.max_wer.unwrap_or(DEFAULT_MAX_WER),
        }
    }

    /// Whether a result with these rates is over either limit.
    pub fn flags(&self, cer: f32, wer: Option<f32>) -> bool {
        cer > self.max_cer || wer.is_some_and(|w| w > self.max_wer)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum QaError {
    #[error("too short or silent to score: {seconds:.2} s of voiced audio, at least {needed:.2} s needed")]
    TooShortOrSilent {
        seconds: f32,
        /// What the encoder needs (each encoder has its own minimum).
        needed: f32,
    },
    #[error("speaker encoder: {0}")]
    Runtime(#[from] RuntimeError),
    #[error("speaker encoder {path} is missing: run scripts/setup")]
    ModelMissing { path: PathBuf },
    #[error("cannot read the speaker encoder {path}: {source}")]
    ModelRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("speaker encoder {path}: {detail}")]
    ModelShape { path: PathBuf, detail: String },
    #[error("speaker encoder input: {0}")]
    Resample(#[from] ResampleError),
    #[error("speaker encoder inference failed: {0}")]
    Inference(#[from] ort::Error),
    #[error("the speaker encoder gave a zero vector; the clip cannot be scored")]
    ZeroEmbedding,
    #[error("embedding cache {path}: {source}")]
    Cache {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Cosine similarity of two vectors in [-1, 1], summed in f64; 0 when either is zero.
/// Shared by both encoders' embedding types, which are kept apart on purpose.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut dot, mut aa, mut bb) = (0f64, 0f64, 0f64);
    for (&a, &b) in a.iter().zip(b) {
        dot += a as f64 * b as f64;
        aa += a as f64 * a as f64;
        bb += b as f64 * b as f64;
    }
    if aa == 0.0 || bb == 0.0 {
        return 0.0;
    }
    (dot / (aa.sqrt() * bb.sqrt())) as f32
}

/// A unit-length speaker embedding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Embedding(pub [f32; EMBEDDING_SIZE]);

impl Embedding {
    /// Cosine similarity in [-1, 1] (GE2E embeddings are non-negative, so in practice [0, 1]).
    pub fn cosine(&self, other: &Embedding) -> f32 {
        cosine(&self.0, &other.0)
    }

    /// The mean of `parts`, L2-normalised; `None` when it is the zero vector.
    fn mean_of(parts: &[f32]) -> Option<Embedding> {
        let count = parts.len() / EMBEDDING_SIZE;
        let mut sum = [0f64; EMBEDDING_SIZE];
        for part in parts.chunks_exact(EMBEDDING_SIZE) {
            sum.iter_mut().zip(part).for_each(|(s, &v)| *s += v as f64);
        }
        let norm = sum.iter().map(|v| v * v).sum::<f64>().sqrt();
        if count == 0 || norm == 0.0 || !norm.is_finite() {
            return None;
        }
        let mut out = [0f32; EMBEDDING_SIZE];
        out.iter_mut()
            .zip(sum)
            .for_each(|(o, s)| *o = (s / norm) as f32);
        Some(Embedding(out))
    }
}

pub struct SpeakerEncoder {
    session: Session,
    path: PathBuf,
    sha256: String,
    placement: Placement,
}

impl SpeakerEncoder {
    /// The encoder setup converted, in the asset cache.
    pub fn default_path(assets: &Assets) -> PathBuf {
        assets.path(ENCODER_MODEL)
    }

    /// Opens the encoder on the CPU with as many intra-op threads as there are cores: it is
    /// small (1.4 M weights) and its batch of partials is already one call.
    pub fn load(runtime: &Runtime, path: &Path) -> Result<SpeakerEncoder, QaError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let options = OrtOptions {
            device: Device::Cpu,
            intra_threads: threads,
            shared_weights: None,
            arena: false,
        };
        SpeakerEncoder::load_with(runtime, path, &options)
    }

    pub fn load_with(
        runtime: &Runtime,
        path: &Path,
        options: &OrtOptions,
    ) -> Result<SpeakerEncoder, QaError> {
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
        let names = |outlets: Vec<String>| outlets.join(", ");
        let inputs = names(
            session
                .inputs()
                .iter()
                .map(|i| i.name().to_string())
                .collect(),
        );
        let outputs = names(
            session
                .outputs()
                .iter()
                .map(|o| o.name().to_string())
                .collect(),
        );
        if inputs != "mels" || outputs != "embedding" {
            return Err(QaError::ModelShape {
                path: path.to_path_buf(),
                detail: format!("expected input mels and output embedding, found inputs [{inputs}] and outputs [{outputs}]"),
            });
        }
        Ok(SpeakerEncoder {
            session,
            path: path.to_path_buf(),
            sha256,
            placement,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The model file's sha256: part of every cached probe's key.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    pub fn placement(&self) -> &Placement {
        &self.placement
    }

    /// The speaker embedding of a clip (any rate), or `TooShortOrSilent`.
    pub fn embed(&mut self, clip: &Clip) -> Result<Embedding, QaError> {
        let mut wav = resample(clip, SAMPLE_RATE)?.samples;
        if frontend::rms(&wav) < frontend::SILENT_RMS || wav.iter().any(|s| !s.is_finite()) {
            return Err(QaError::TooShortOrSilent {
                seconds: 0.0,
                needed: MIN_VOICED_SECONDS,
            });
        }
        frontend::normalize_volume(&mut wav);
        let voiced = frontend::trim_silences(&wav);
        let seconds = voiced.len() as f32 / SAMPLE_RATE as f32;
        if seconds < MIN_VOICED_SECONDS {
            return Err(QaError::TooShortOrSilent {
                seconds,
                needed: MIN_VOICED_SECONDS,
            });
        }
        let (batch, count) = partial_mels(voiced);
        let parts = self.run(batch, count, PARTIAL_FRAMES)?;
        Embedding::mean_of(&parts).ok_or(QaError::ZeroEmbedding)
    }

    /// The raw model: `mels` is `[batch, frames, 40]` row-major; one unit vector per item.
    pub fn embed_mels(
        &mut self,
        mels: Vec<f32>,
        batch: usize,
        frames: usize,
    ) -> Result<Vec<Embedding>, QaError> {
        let flat = self.run(mels, batch, frames)?;
        Ok(flat
            .chunks_exact(EMBEDDING_SIZE)
            .map(|c| Embedding(c.try_into().expect("chunk of EMBEDDING_SIZE")))
            .collect())
    }

    fn run(&mut self, mels: Vec<f32>, batch: usize, frames: usize) -> Result<Vec<f32>, QaError> {
        let input = Tensor::from_array(([batch, frames, N_MELS], mels))?;
        let outputs = self.session.run(ort::inputs!["mels" => input])?;
        let (shape, values) = outputs["embedding"].try_extract_tensor::<f32>()?;
        if **shape != [batch as i64, EMBEDDING_SIZE as i64] {
            return Err(QaError::ModelShape {
                path: self.path.clone(),
                detail: format!("output shape {shape:?}, expected [{batch}, {EMBEDDING_SIZE}]"),
            });
        }
        Ok(values.to_vec())
    }
}

/// Resemblyzer's `embed_utterance` up to the model: the voiced audio zero-padded to cover the
/// last partial, its mel spectrogram, and the partials' frames stacked `[count, 160, 40]`.
fn partial_mels(mut wav: Vec<f32>) -> (Vec<f32>, usize) {
    let slices = frontend::partial_frames(wav.len());
    let covered = slices.last().expect("never empty").end * mel::HOP;
    if covered >= wav.len() {
        wav.resize(covered, 0.0);
    }
    let spectrogram = mel::mel_spectrogram(&wav);
    let mut batch = Vec::with_capacity(slices.len() * PARTIAL_FRAMES * N_MELS);
    for slice in &slices {
        for frame in &spectrogram[slice.clone()] {
            batch.extend_from_slice(frame);
        }
    }
    (batch, slices.len())
}

/// Cosine similarity of two clips' speaker embeddings.
pub fn similarity(encoder: &mut SpeakerEncoder, a: &Clip, b: &Clip) -> Result<f32, QaError> {
    Ok(encoder.embed(a)?.cosine(&encoder.embed(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_is_unit_and_zero_is_refused() {
        let mut parts = vec![0f32; 2 * EMBEDDING_SIZE];
        parts[0] = 1.0;
        parts[EMBEDDING_SIZE + 1] = 1.0;
        let e = Embedding::mean_of(&parts).unwrap();
        assert!((e.0[0] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-7);
        assert!((e.cosine(&e) - 1.0).abs() < 1e-7);
        assert!(Embedding::mean_of(&[0f32; EMBEDDING_SIZE]).is_none());
    }

    #[test]
    fn partials_are_padded_to_full_windows() {
        let (batch, count) = partial_mels(vec![0.1f32; 40_000]);
        assert_eq!(count, 2);
        assert_eq!(batch.len(), 2 * PARTIAL_FRAMES * N_MELS);
    }

    #[test]
    fn the_message_says_why() {
        let text = QaError::TooShortOrSilent {
            seconds: 0.2,
            needed: 0.5,
        }
        .to_string();
        assert!(text.starts_with("too short or silent to score"), "{text}");
    }
}
