//! Whisper for QA, as sessions and `voxdeck qa` use it: loaded at the first clip to
//! transcribe and kept (like the speaker encoder), the source clip's transcript kept per
//! clip, and each result's transcript scored against the text it was asked to say.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use super::error_rate::{self, ErrorRateError};
use super::script::dominant_script;
use super::ErrorRateLimits;
use crate::asr::{AsrError, Recogniser, Transcript};
use crate::assets::Assets;
use crate::audio::decode::{self, DecodeError};
use crate::engine::runtime::{OrtOptions, Runtime};
use crate::job::Device;
use crate::report::Transcription;

/// Why a clip has no transcript, or a transcript no error rates. Cloned, because a failed
/// recogniser load and a source clip's transcript are kept and given again to each caller
/// (hence the shared inner errors).
#[derive(Debug, Clone, thiserror::Error)]
pub enum TranscribeError {
    #[error(transparent)]
    Decode(Arc<DecodeError>),
    /// The recogniser could not be loaded (not installed, unreadable); kept for the session.
    #[error(transparent)]
    Load(Arc<AsrError>),
    #[error(transparent)]
    Recognise(Arc<AsrError>),
    #[error("Whisper wrote \"{heard_text}\" in {heard} script and the text is in {asked}: error rates across scripts would count the script, not the words{note}")]
    OtherScript {
        heard_text: String,
        heard: &'static str,
        asked: &'static str,
        /// Why Whisper did it, where that is known.
        note: &'static str,
    },
    #[error("cannot score the transcript: {0}")]
    Score(#[source] ErrorRateError),
}

impl From<DecodeError> for TranscribeError {
    fn from(e: DecodeError) -> Self {
        TranscribeError::Decode(Arc::new(e))
    }
}

#[derive(Default)]
pub struct Transcriber {
    /// ORT intra-op threads for the recogniser (None: one per core).
    pub intra_threads: Option<usize>,
    loaded: Option<Result<Recogniser, TranscribeError>>,
    /// The last source clip transcribed (path and modification time) and its transcript.
    source: Option<(
        PathBuf,
        Option<SystemTime>,
        Result<Transcript, TranscribeError>,
    )>,
}

impl Transcriber {
    /// The recogniser, loaded on `device` at the first call; a failure is kept, so a box
    /// without the model says why once per take rather than retrying the load each time.
    fn recogniser(
        &mut self,
        runtime: &Runtime,
        assets: &Assets,
        device: Device,
    ) -> Result<&mut Recogniser, TranscribeError> {
        let threads = self.intra_threads;
        let loaded = self.loaded.get_or_insert_with(|| {
            let options = OrtOptions {
                device,
                intra_threads: threads
                    .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
                shared_weights: None,
                arena: false,
            };
            let recogniser = Recogniser::load_with(runtime, assets, &options)
                .map_err(|e| TranscribeError::Load(Arc::new(e)));
            match &recogniser {
                Ok(r) => log::debug!("speech recogniser loaded on {}", r.placement().provider),
                Err(e) => log::warn!("results will not be transcribed: {e}"),
            }
            recogniser
        });
        loaded.as_mut().map_err(|e| e.clone())
    }

    /// The source clip's transcript in the language Whisper detects, made once per clip
    /// (a clip rewritten since is transcribed again).
    pub fn source(
        &mut self,
        runtime: &Runtime,
        assets: &Assets,
        device: Device,
        clip: &Path,
    ) -> Result<Transcript, TranscribeError> {
        let modified = std::fs::metadata(clip).and_then(|m| m.modified()).ok();
        if let Some((path, when, result)) = &self.source {
            if path == clip && *when == modified {
                return result.clone();
            }
        }
        let result = self.transcribe_file(runtime, assets, device, clip, None);
        self.source = Some((clip.to_path_buf(), modified, result.clone()));
        result
    }

    /// A result's transcript in its language, and its error rates against `text`.
    #[allow(clippy::too_many_arguments)]
    pub fn take(
        &mut self,
        runtime: &Runtime,
        assets: &Assets,
        device: Device,
        path: &Path,
        code: &str,
        text: &str,
        limits: ErrorRateLimits,
    ) -> Result<Transcription, TranscribeError> {
        let transcript = self.transcribe_file(runtime, assets, device, path, Some(code))?;
        let (asked, heard) = (dominant_script(text), dominant_script(&transcript.text));
        if let (Some(asked), Some(heard)) = (asked, heard) {
            if asked != heard {
                return Err(TranscribeError::OtherScript {
                    heard_text: transcript.text,
                    heard: heard.full_name(),
                    asked: asked.full_name(),
                    note: if crate::asr::whisper_code(code) == "hi" {
                        " (Whisper base writes most Hindi in Urdu's script)"
                    } else {
                        ""
                    },
                });
            }
        }
        let rates = error_rate::error_rates(text, &transcript.text, code)
            .map_err(TranscribeError::Score)?;
        Ok(Transcription {
            flagged: limits.flags(rates.cer, rates.wer),
            text: transcript.text,
            language: transcript.language,
            cer: rates.cer,
            wer: rates.wer,
            elapsed_seconds: transcript.elapsed_seconds,
        })
    }

    fn transcribe_file(
        &mut self,
        runtime: &Runtime,
        assets: &Assets,
        device: Device,
        path: &Path,
        language: Option<&str>,
    ) -> Result<Transcript, TranscribeError> {
        let clip = decode::decode(path)?.clip;
        self.recogniser(runtime, assets, device)?
            .transcribe(&clip, language)
            .map_err(|e| TranscribeError::Recognise(Arc::new(e)))
    }
}
