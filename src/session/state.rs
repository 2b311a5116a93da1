//! What a session publishes: every language it ran, the run in progress (or the last one),
//! and the voice rankings asked for. Console rows, headless bars and report.json are all
//! projections of this one state.

use std::path::PathBuf;

use super::folder::KeptOutput;
use crate::engine::progress::LanguageProgress;
use crate::qa::matching::MatchResult;
use crate::report::{LanguageReport, RunSettings, Take};

#[derive(Debug, Clone, Default)]
pub struct SessionState {
    /// Names this session apart from others (`<unix time>-<pid>`): take files and the
    /// `output_from` of results carry it.
    pub tag: String,
    /// What the output folder's earlier report.json said was there when this session first
    /// ran into it, for languages and files this session has not replaced.
    pub previous: std::collections::BTreeMap<String, KeptOutput>,
    /// The folder `previous` was read from.
    pub previous_dir: Option<PathBuf>,
    /// Every language run in this session, in the order each was first run.
    pub languages: Vec<LanguageRecord>,
    pub run: RunRecord,
    /// Every run that reached the engine and ended, oldest first.
    pub finished_runs: Vec<FinishedRun>,
    /// Voice rankings asked for with `Session::match_voice`, oldest first.
    pub rankings: Vec<Ranking>,
    /// Probes spoken so far by the voice matching in progress, if one is.
    pub probes: Option<ProbeProgress>,
    /// How far the voice fit in progress has come, if one is.
    pub fitting: Option<FitProgress>,
    /// The latest source clip transcribed, and what the recogniser heard in it.
    pub source: Option<SourceTranscript>,
}

/// A source clip's transcript, or why it has none.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceTranscript {
    pub clip: PathBuf,
    /// Why there is none is the rendered message, as the views and report.json show it (the function that failed returned a typed error).
    pub result: Result<crate::asr::Transcript, String>,
}

/// Voice matching's probes for a language: how many of the batch on the pool are spoken.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeProgress {
    pub code: String,
    pub done: usize,
    pub total: usize,
}

/// A job's `voice = "fit"` for a language: the search's evaluations so far of its budget,
/// and the best scores yet (probe text, and held-out text per judge, GE2E first).
#[derive(Debug, Clone, PartialEq)]
pub struct FitProgress {
    pub code: String,
    pub generation: usize,
    pub evaluations: usize,
    pub budget: usize,
    pub best_probe: f32,
    pub best_held_out: Vec<f32>,
    /// Every generation so far, for the console's chart.
    pub history: Vec<crate::fit::Generation>,
    /// Wall seconds since the search began.
    pub elapsed_seconds: f64,
}

/// One language's latest run and every take it made.
#[derive(Debug, Clone)]
pub struct LanguageRecord {
    pub code: String,
    /// The run that last ran this language.
    pub run: u64,
    pub progress: LanguageProgress,
    /// Its entry for report.json, once its run ended.
    pub report: Option<LanguageReport>,
    /// The last run that ended for this language, restored if a later run cannot start.
    pub settled: Option<Settled>,
    /// The language's WAV on disk and the run that wrote it: a run that fails or is
    /// cancelled leaves it in place.
    pub kept: Option<KeptOutput>,
    /// Every take of this session, oldest first.
    pub takes: Vec<Take>,
    /// Takes that could not be kept (a full disk), by run: the report's warnings name them.
    /// Each reason is the rendered message, as the views and report.json show it (the function that failed returned a typed error).
    pub take_errors: Vec<(u64, String)>,
    /// The ranking that chose its voice, when the job asked for `voice = "match"`.
    pub voice_match: Option<MatchResult>,
    /// The voice fitted to the source, when the job asked for `voice = "fit"`.
    pub voice_fit: Option<crate::fit::VoiceFit>,
}

#[derive(Debug, Clone)]
pub struct Settled {
    pub run: u64,
    pub progress: LanguageProgress,
    pub report: LanguageReport,
}

impl LanguageRecord {
    /// A language first met in run `run`, nothing kept yet.
    pub fn new(run: u64, progress: LanguageProgress) -> LanguageRecord {
        LanguageRecord {
            code: progress.code.clone(),
            run,
            progress,
            report: None,
            settled: None,
            kept: None,
            takes: Vec::new(),
            take_errors: Vec::new(),
            voice_match: None,
            voice_fit: None,
        }
    }

    /// The take of the latest run, once that run has produced one.
    pub fn latest_take(&self) -> Option<&Take> {
        self.progress.output.as_ref()?;
        self.takes.last().filter(|t| t.run == self.run)
    }

    /// The latest take's scores, once this run has made a take.
    pub fn scores(&self) -> Option<&crate::qa::scores::TakeScores> {
        self.latest_take().map(|t| &t.scores)
    }
}

/// The run now in progress, or the last one.
#[derive(Debug, Clone, Default)]
pub struct RunRecord {
    /// 0 before the first run; each `Session::run` takes the next number.
    pub id: u64,
    pub phase: RunPhase,
    /// The languages of this run, in the job's order.
    pub codes: Vec<String>,
    /// The engine settings this run uses, once its engine is ready.
    pub settings: Option<RunSettings>,
    pub out_dir: Option<PathBuf>,
    /// report.json as written after this run, or why it could not be written: the rendered message, as the views and report.json show it (the function that failed returned a typed error).
    pub report: Option<Result<PathBuf, String>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum RunPhase {
    #[default]
    Idle,
    /// Accepted, waiting for the session thread.
    Queued,
    /// Ranking stock voices for a language whose job asked for `voice = "match"`, or fitting
    /// one for a language whose job asked for `voice = "fit"` (`SessionState::fitting`).
    Matching {
        code: String,
    },
    /// Opening sessions for a new engine configuration.
    Loading {
        workers: usize,
    },
    Running,
    /// Cancel asked for: sentences in flight finish, the rest are dropped.
    Cancelling,
    Finished {
        wall_seconds: f64,
        cancelled: bool,
    },
    /// The job could not start (set-up, planning or matching); nothing ran. The reason is
    /// the `SessionError`'s message, as the views show it and `voxdeck run` exits with it.
    SetupFailed(String),
}

impl RunRecord {
    /// Moves the run to its next working phase; a cancel asked for stays visible until the
    /// run ends, whatever step it was taken in.
    pub(crate) fn advance(&mut self, phase: RunPhase) {
        if self.phase != RunPhase::Cancelling {
            self.phase = phase;
        }
    }
}

impl RunPhase {
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            RunPhase::Queued
                | RunPhase::Matching { .. }
                | RunPhase::Loading { .. }
                | RunPhase::Running
                | RunPhase::Cancelling
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FinishedRun {
    pub id: u64,
    pub wall_seconds: f64,
    pub cancelled: bool,
}

/// A voice ranking asked for on its own (the console's `V`).
#[derive(Debug, Clone)]
pub struct Ranking {
    /// Counts up from 1, so a reader can tell which rankings it has not seen yet.
    pub id: u64,
    pub code: String,
    /// Why there is no ranking is the rendered message, as the views and report.json show it (the function that failed returned a typed error).
    pub result: Result<MatchResult, String>,
}

impl SessionState {
    pub fn language(&self, code: &str) -> Option<&LanguageRecord> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub(crate) fn language_mut(&mut self, code: &str) -> Option<&mut LanguageRecord> {
        self.languages.iter_mut().find(|l| l.code == code)
    }

    /// The languages of the current (or last) run, in its order.
    pub fn run_languages(&self) -> impl Iterator<Item = &LanguageRecord> {
        self.run.codes.iter().filter_map(|code| self.language(code))
    }

    /// Whether every language of the last run finished and was written.
    pub fn run_all_done(&self) -> bool {
        self.run_languages()
            .all(|l| l.progress.status == crate::engine::outcome::Status::Done)
    }
}
