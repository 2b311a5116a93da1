//! Whisper for QA, as sessions and `voxdeck qa` use it: loaded at the first clip to
//! transcribe and kept (like the speaker encoder), the source clip's transcript kept per
//! clip, and each result's transcript scored against the text it was asked to say.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::error_rate;
use super::script::dominant_script;
use super::ErrorRateLimits;
use crate::asr::{Recogniser, Transcript};
use crate::assets::Assets;
use crate::audio::decode;
use crate::engine::runtime::{Runtime, SessionOptions};
use crate::job::Device;
use crate::report::Transcription;

#[derive(Default)]
pub struct Transcriber {
    /// ORT intra-op threads for the recogniser (None: one per core).
    pub intra_threads: Option<usize>,
    loaded: Option<Result<Recogniser, String>>,
    /// The last source clip transcribed (path and modification time) and its transcript.
    source: Option<(PathBuf, Option<SystemTime>, Result<Transcript, String>)>,
}

impl Transcriber {
    /// The recogniser, loaded on `device` at the first call; a failure is kept, so a box
    /// without the model says why once per take rather than retrying the load each time.
    fn recogniser(
        &mut self,
        runtime: &Runtime,
        assets: &Assets,
        device: Device,
    ) -> Result<&mut Recogniser, String> {
        let threads = self.intra_threads;
        let loaded = self.loaded.get_or_insert_with(|| {
            let options = SessionOptions {
                device,
                intra_threads: threads
                    .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
                shared_weights: None,
                arena: false,
            };
            let recogniser =
                Recogniser::load_with(runtime, assets, &options).map_err(|e| e.to_string());
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
    ) -> Result<Transcript, String> {
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
    ) -> Result<Transcription, String> {
        let transcript = self.transcribe_file(runtime, assets, device, path, Some(code))?;
        let (asked, heard) = (dominant_script(text), dominant_script(&transcript.text));
        if let (Some(asked), Some(heard)) = (asked, heard) {
            if asked != heard {
                return Err(format!(
                    "Whisper wrote \"{}\" in {} script and the text is in {}: error rates across scripts would count the script, not the words{}",
                    transcript.text,
                    heard.full_name(),
                    asked.full_name(),
                    if crate::asr::whisper_code(code) == "hi" {
                        " (Whisper base writes most Hindi in Urdu's script)"
                    } else {
                        ""
                    }
                ));
            }
        }
        let rates = error_rate::error_rates(text, &transcript.text, code)
            .map_err(|e| format!("cannot score the transcript: {e}"))?;
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
    ) -> Result<Transcript, String> {
        let clip = decode::decode(path).map_err(|e| e.to_string())?.clip;
        self.recogniser(runtime, assets, device)?
            .transcribe(&clip, language)
            .map_err(|e| e.to_string())
    }
}
