//! Scoring results against the source clip, for headless runs and the console alike.

use std::path::Path;

use crate::assets::Assets;
use crate::audio::decode::{self, DecodeError};
use crate::audio::wav::Clip;
use crate::engine::runtime::Runtime;

use super::{Embedding, QaError, SpeakerEncoder};

/// Why a clip has no speaker embedding: it does not decode, or the encoder cannot embed it
/// (too short, silent, inference failed).
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Encoder(#[from] QaError),
}

/// Why scoring against the source clip is off, or one result could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    /// The speaker encoder cannot be loaded (not installed, unreadable).
    #[error(transparent)]
    Encoder(QaError),
    /// The source clip cannot be embedded, so nothing can be compared with it.
    #[error("source clip: {0}")]
    SourceClip(#[source] EmbedError),
    /// This result cannot be embedded.
    #[error(transparent)]
    Result(#[from] EmbedError),
}

/// The encoder and the source clip's embedding, ready to score results.
pub struct SourceScorer {
    pub encoder: SpeakerEncoder,
    pub source: Embedding,
}

impl SourceScorer {
    /// Loads the encoder and embeds the source clip. The error says why scoring is off
    /// (no encoder installed, source unreadable or too short), for the report.
    pub fn new(
        runtime: &Runtime,
        assets: &Assets,
        source_clip: &Path,
    ) -> Result<SourceScorer, ScoreError> {
        let path = SpeakerEncoder::default_path(assets);
        let mut encoder = SpeakerEncoder::load(runtime, &path).map_err(ScoreError::Encoder)?;
        let source = embed_file(&mut encoder, source_clip).map_err(ScoreError::SourceClip)?;
        Ok(SourceScorer { encoder, source })
    }

    /// Cosine similarity of the speaker in `result` to the source speaker.
    pub fn score(&mut self, result: &Path) -> Result<f32, ScoreError> {
        let embedding = embed_file(&mut self.encoder, result)?;
        Ok(self.source.cosine(&embedding))
    }

    /// The same, for audio already in memory (a take just read back).
    pub fn score_clip(&mut self, result: &Clip) -> Result<f32, ScoreError> {
        let embedding = self.encoder.embed(result).map_err(EmbedError::from)?;
        Ok(self.source.cosine(&embedding))
    }
}

/// Decodes any supported audio file and embeds it.
pub fn embed_file(encoder: &mut SpeakerEncoder, path: &Path) -> Result<Embedding, EmbedError> {
    let clip = decode::decode(path)?.clip;
    Ok(encoder.embed(&clip)?)
}
