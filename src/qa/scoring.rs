//! Scoring results against the source clip, for headless runs and the console alike.

use std::path::Path;

use crate::assets::Assets;
use crate::audio::decode;
use crate::audio::wav::Clip;
use crate::engine::runtime::Runtime;

use super::{Embedding, SpeakerEncoder};

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
    ) -> Result<SourceScorer, String> {
        let path = SpeakerEncoder::default_path(assets);
        let mut encoder = SpeakerEncoder::load(runtime, &path).map_err(|e| e.to_string())?;
        let source =
            embed_file(&mut encoder, source_clip).map_err(|e| format!("source clip: {e}"))?;
        Ok(SourceScorer { encoder, source })
    }

    /// Cosine similarity of the speaker in `result` to the source speaker.
    pub fn score(&mut self, result: &Path) -> Result<f32, String> {
        let embedding = embed_file(&mut self.encoder, result)?;
        Ok(self.source.cosine(&embedding))
    }

    /// The same, for audio already in memory (a take just read back).
    pub fn score_clip(&mut self, result: &Clip) -> Result<f32, String> {
        let embedding = self.encoder.embed(result).map_err(|e| e.to_string())?;
        Ok(self.source.cosine(&embedding))
    }
}

/// Decodes any supported audio file and embeds it.
pub fn embed_file(encoder: &mut SpeakerEncoder, path: &Path) -> Result<Embedding, String> {
    let clip = decode::decode(path).map_err(|e| e.to_string())?.clip;
    encoder.embed(&clip).map_err(|e| e.to_string())
}
