//! What can stop a session's command: each variant names what failed and carries the error
//! beneath it, so callers can tell a missing runtime from a busy folder. The message is made
//! only where it is shown: the run's phase, a ranking, the log, report.json.

use std::path::PathBuf;
use std::sync::Arc;

use crate::engine::plan::PlanError;
use crate::engine::runtime::RuntimeError;
use crate::fit::saved::SaveError;
use crate::fit::{FitError, FitRequestError};
use crate::qa::matching::MatchError;
use crate::qa::scoring::ScoreError;
use crate::qa::QaError;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Runtime(#[from] RuntimeError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error("unknown language {0}")]
    UnknownLanguage(String),

    // The output folder.
    #[error(
        "refusing to use {} as an output folder: it holds other programs' files (the root, \
         the home folder and system folders are never used); choose a folder of its own \
         with --out or run.output, e.g. {}",
        dir.display(),
        suggestion.display()
    )]
    SharedFolder { dir: PathBuf, suggestion: PathBuf },
    #[error("cannot create output folder {}: {source}; choose another with --out or run.output", dir.display())]
    CreateFolder {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the lock file {}: {source}", path.display())]
    OpenLock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot lock {}: {source}", path.display())]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the output folder {} is in use by another voxdeck run ({holder}); wait for it (--wait), or choose another folder with --out", dir.display())]
    FolderInUse { dir: PathBuf, holder: String },

    // The report and the takes.
    #[error("cannot write {}: {source}", path.display())]
    WriteReport {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no language reached the engine, so there is no report")]
    NoReport,
    #[error("cannot keep take {take} of {code} at {}: {source}", path.display())]
    KeepTake {
        take: usize,
        code: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read take {take} back: {source}")]
    ReadTakeBack {
        take: usize,
        source: crate::audio::decode::DecodeError,
    },
    #[error(transparent)]
    NoScorer(#[from] NoScorer),
    #[error(transparent)]
    Score(#[from] ScoreError),
    #[error("not scored: the session was shutting down")]
    NotScoredShuttingDown,

    // Voice matching.
    #[error("{code}: voice = \"match\" needs a source clip to match against: add [source] clip = \"...\" to the job")]
    MatchNeedsSource { code: String },
    #[error("no voice could be scored")]
    NoVoiceScored,
    #[error("cannot match voices: {0}")]
    CannotMatch(#[source] NoScorer),
    #[error(transparent)]
    Match(#[from] MatchError),
    #[error(transparent)]
    Qa(#[from] QaError),

    // Voice fitting.
    #[error("{code}: {source}")]
    BadFitRequest {
        code: String,
        source: FitRequestError,
    },
    #[error("{code}: voice = \"fit\" fits a voice to the job's source clip, and the job has none: add [source] clip = \"...\" to the job, or give language `{code}` another voice")]
    FitNeedsSource { code: String },
    #[error("no folder for fitted voices: set VOXDECK_VOICES, XDG_DATA_HOME or HOME")]
    NoVoicesFolder,
    #[error("cannot read the source clip {}: {source}", path.display())]
    ReadSourceClip {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{code}: the fit was cancelled; no voice was saved")]
    FitCancelled { code: String },
    #[error("{code}: cannot fit a voice: {source}")]
    Fit { code: String, source: FitError },
    #[error(transparent)]
    SaveFit(#[from] SaveError),
}

/// Why takes are not scored against the source clip. Cloned, because a scorer that failed
/// to load is kept and each take gives the same reason (hence the shared inner error).
#[derive(Debug, Clone, thiserror::Error)]
pub enum NoScorer {
    #[error("no source clip to compare with")]
    NoSourceClip,
    #[error(transparent)]
    Failed(Arc<ScoreError>),
}
