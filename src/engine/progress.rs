//! What a run tells whoever watches it. The engine does not queue events: each language's
//! progress is state, handed to a `RunObserver` each time it changes, and the observer keeps
//! only the newest value (latest wins). A reader that is slow or stalls therefore never
//! sees a backlog, only the current state.

use std::path::PathBuf;

use super::outcome::{RunOutcome, Status};
use crate::languages::ModelKind;

/// One language of a run, as it stands now.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LanguageProgress {
    pub code: String,
    pub model: ModelKind,
    pub voice: String,
    pub status: Status,
    pub sentences_done: usize,
    pub sentences_total: usize,
    /// Seconds of audio synthesised so far.
    pub audio_seconds: f64,
    /// Seconds inside ORT `run()` so far.
    pub synthesis_seconds: f64,
    /// Wall seconds since the language's first sentence started.
    pub elapsed_seconds: f64,
    /// Sentences done so far whose audio came from the result cache.
    pub cache_hits: usize,
    /// The execution provider that ran its sentences, once one has.
    pub execution_provider: Option<String>,
    pub output: Option<PathBuf>,
    pub error: Option<String>,
}

impl LanguageProgress {
    pub fn new(code: &str, model: ModelKind, voice: &str) -> LanguageProgress {
        LanguageProgress {
            code: code.to_string(),
            model,
            voice: voice.to_string(),
            status: Status::Queued,
            sentences_done: 0,
            sentences_total: 0,
            audio_seconds: 0.0,
            synthesis_seconds: 0.0,
            elapsed_seconds: 0.0,
            cache_hits: 0,
            execution_provider: None,
            output: None,
            error: None,
        }
    }

    pub fn rtf(&self) -> Option<f64> {
        rtf(self.synthesis_seconds, self.audio_seconds)
    }

    pub fn is_finished(&self) -> bool {
        matches!(
            self.status,
            Status::Done | Status::Failed | Status::Cancelled
        )
    }
}

/// Watches a run. Called from worker threads, with the language's own lock held, so calls
/// for one language arrive in order; implementations copy the value and return at once.
pub trait RunObserver: Send + Sync {
    /// The language at `index` of the plan changed.
    fn language_changed(&self, index: usize, progress: &LanguageProgress);
    /// Every worker is done with the run; called once, last.
    fn run_finished(&self, outcome: &RunOutcome);
}

/// For callers that only want the outcome (`RunHandle::wait`), such as benchmarks.
pub struct Unobserved;

impl RunObserver for Unobserved {
    fn language_changed(&self, _: usize, _: &LanguageProgress) {}
    fn run_finished(&self, _: &RunOutcome) {}
}

/// The real-time factor: synthesis seconds per audio second (below 1 is faster than real
/// time); none before any audio.
pub fn rtf(synthesis_seconds: f64, audio_seconds: f64) -> Option<f64> {
    (audio_seconds > 0.0).then(|| synthesis_seconds / audio_seconds)
}
