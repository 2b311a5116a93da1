//! The console's state. Changed only by `update` (operator actions), `sync` (the session's
//! published state) and `apply` (GPU samples, playback status, decoded clips); drawn only
//! through `snapshot`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use voxdeck_ui::snapshot::{Focus, GpuPane, LanguageState, Playback, Popup, RunState, Transcript};

use super::table::scores::ScoreRules;
use crate::engine::outcome::Status;
use crate::qa::scores::TakeScores;
use crate::report::Take;
use crate::session::state::LanguageRecord;

use crate::engine::family::{family, ModelFamily, DEFAULT_FAMILY};
use crate::job::{Device, JobSpec, LanguageJob, Mode, WorkerDefaults, MAX_WORKERS, MIN_WORKERS};
use crate::languages::{Language, LANGUAGES};
use crate::session::state::RunPhase;

#[derive(Debug, Clone)]
pub struct LanguageEntry {
    pub language: &'static Language,
    pub checked: bool,
    pub text: String,
    pub voice: String,
    /// The family that speaks the row, asked what the row's keys may do (match, fit,
    /// cycle stock voices).
    pub family: &'static dyn ModelFamily,
    pub speed: f32,
    /// The session's record of the language as last published (its progress, takes and
    /// scores); none until the session runs it.
    pub record: Option<LanguageRecord>,
    /// Asked to run after the session's run of this number: shown queued until the
    /// session publishes a later run of it.
    pub queued_after: Option<u64>,
}

impl LanguageEntry {
    pub fn state(&self) -> LanguageState {
        if self.queued_after.is_some() {
            return LanguageState::Queued;
        }
        match self.record.as_ref().map(|r| r.progress.status) {
            None => LanguageState::Idle,
            Some(Status::Queued) => LanguageState::Queued,
            Some(Status::Running) => LanguageState::Running,
            Some(Status::Done) => LanguageState::Done,
            Some(Status::Failed) => LanguageState::Failed,
            Some(Status::Cancelled) => LanguageState::Cancelled,
        }
    }

    /// The takes of this session whose audio was kept, oldest first.
    pub fn takes(&self) -> Vec<&Take> {
        (self.record.iter())
            .flat_map(|r| &r.takes)
            .filter(|t| t.output.is_some())
            .collect()
    }

    /// The language's WAV as the latest run left it.
    pub fn output(&self) -> Option<&Path> {
        self.record.as_ref()?.progress.output.as_deref()
    }

    /// The latest run's take's scores, once it made a take.
    pub fn scores(&self) -> Option<&TakeScores> {
        self.record.as_ref()?.scores()
    }
}

#[derive(Debug, Clone, Default)]
pub struct SourceInfo {
    pub path: Option<PathBuf>,
    pub duration_seconds: f64,
    pub sample_rate: u32,
    pub channels: u16,
    pub envelope: Vec<f32>,
    pub error: Option<String>,
    /// What the recogniser heard in the clip (asked for when the clip is opened).
    pub transcript: Option<Transcript>,
}

#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    /// The session's latest run (0 before the first).
    pub id: u64,
    pub state: RunState,
    pub started: Option<Instant>,
    pub wall_seconds: f64,
    pub synthesis_seconds: f64,
    pub provider: Option<String>,
    pub out_dir: Option<PathBuf>,
    /// The languages in the current (or last) run; other rows keep older results.
    pub codes: Vec<String>,
    /// The session's phase as last synced, to tell what changed.
    pub phase: RunPhase,
    /// What the current (or last) run runs on, once its engine is ready.
    pub settings: Option<crate::report::RunSettings>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub job_name: String,
    pub languages: Vec<LanguageEntry>,
    pub cursor: usize,
    pub focus: Focus,
    pub workers: usize,
    pub mode: Mode,
    pub device: Device,
    pub intra_threads: Option<usize>,
    /// The job's pause between sentences.
    pub sentence_silence: f64,
    /// The job's budget for gathering sentences into one Kokoro utterance.
    pub utterance_tokens: usize,
    /// The job's `run.output`, if it set one.
    pub output_dir: Option<PathBuf>,
    pub source: SourceInfo,
    pub run: RunInfo,
    pub gpu: GpuPane,
    pub playback: Playback,
    /// Which side of an A/B comparison is audible: false = result, true = source.
    pub ab_on_source: bool,
    pub popup: Option<Popup>,
    /// Popups that arrived while another was open (e.g. a voice ranking), shown in turn.
    pub pending_popups: std::collections::VecDeque<Popup>,
    /// Languages whose job asked for `voice = "match"`: matched when the console opens.
    pub match_on_open: Vec<String>,
    /// The cursor row's text is being edited in place; `inline_backup` restores it on Esc.
    pub editing_inline: bool,
    pub inline_backup: String,
    pub status: Option<String>,
    /// Kokoro voices installed, for cycling.
    pub kokoro_voices: Vec<String>,
    /// What the score cells are judged against (`[qa] similarity_threshold`).
    pub score_rules: ScoreRules,
    /// The scores both tables show, in order (`table::scores::score_columns`).
    pub score_columns: Vec<super::table::scores::ScoreColumn>,
    /// Fitted voices saved in the voices folder, (language, `fit:NAME`), for cycling.
    pub fitted_voices: Vec<(String, String)>,
    /// The voice fit going on, or the last one (its popup can be hidden and shown again).
    pub fit: Option<voxdeck_ui::snapshot::FitView>,
    /// The fit key's search (`[fit]` in the config file).
    pub fit_request: crate::fit::FitRequest,
    /// Voice rankings up to this id have been shown.
    pub rankings_seen: u64,
    /// The live key bindings, as the footer and the help show them.
    pub key_labels: voxdeck_ui::KeyLabels,
    pub quit: bool,
}

impl Model {
    /// Every supported language as a row; those in the job are ticked with its texts.
    /// `workers` sizes a job that names no worker count (the settings', passed in).
    pub fn new(
        job: Option<&JobSpec>,
        kokoro_voices: Vec<String>,
        workers: WorkerDefaults,
    ) -> Model {
        let languages = LANGUAGES
            .iter()
            .map(|language| {
                let from_job: Option<&LanguageJob> =
                    job.and_then(|j| j.languages.iter().find(|l| l.code == language.code));
                let family = from_job.map_or(DEFAULT_FAMILY, |l| family(l.model));
                LanguageEntry {
                    language,
                    checked: from_job.is_some(),
                    text: from_job.map(|l| l.text.clone()).unwrap_or_default(),
                    voice: from_job
                        .and_then(|l| l.voice.clone())
                        .filter(|v| v != crate::qa::matching::MATCH)
                        .or_else(|| family.default_voice(language))
                        .unwrap_or_default(),
                    family,
                    speed: from_job.map_or(1.0, |l| l.speed),
                    record: None,
                    queued_after: None,
                }
            })
            .collect();
        // `voice = "match"` starts on the default voice; the console matches on open.
        let match_on_open: Vec<String> = job
            .into_iter()
            .flat_map(|j| &j.languages)
            .filter(|l| l.voice.as_deref() == Some(crate::qa::matching::MATCH))
            .map(|l| l.code.clone())
            .collect();
        let workers = job.map_or(2, |j| {
            j.workers.unwrap_or_else(|| j.default_workers(workers))
        });
        Model {
            job_name: job.map_or_else(|| "untitled".to_string(), |j| j.name.clone()),
            languages,
            cursor: 0,
            focus: Focus::Languages,
            workers: workers.clamp(MIN_WORKERS, MAX_WORKERS),
            mode: job.map_or(Mode::Pool, |j| j.mode),
            device: job.map_or(Device::Auto, |j| j.device),
            intra_threads: job.and_then(|j| j.intra_threads),
            utterance_tokens: job
                .map_or(crate::job::DEFAULT_UTTERANCE_TOKENS, |j| j.utterance_tokens),
            sentence_silence: job.map_or(crate::engine::join::DEFAULT_SENTENCE_SILENCE, |j| {
                j.sentence_silence
            }),
            output_dir: job.and_then(|j| j.output_dir.clone()),
            source: SourceInfo {
                path: job.and_then(|j| j.source_clip.clone()),
                ..SourceInfo::default()
            },
            run: RunInfo::default(),
            gpu: GpuPane::Waiting,
            playback: Playback::Stopped,
            ab_on_source: false,
            popup: None,
            pending_popups: Default::default(),
            match_on_open,
            editing_inline: false,
            inline_backup: String::new(),
            status: None,
            kokoro_voices,
            score_rules: ScoreRules::default(),
            score_columns: super::table::scores::score_columns(),
            fitted_voices: Vec::new(),
            fit: None,
            fit_request: crate::fit::FitRequest::default(),
            rankings_seen: 0,
            key_labels: voxdeck_ui::KeyLabels::default(),
            quit: false,
        }
    }

    /// Whether a row belongs to the current (or last) run.
    pub fn in_run(&self, entry: &LanguageEntry) -> bool {
        self.run.codes.iter().any(|c| c == entry.language.code)
    }

    pub fn running(&self) -> bool {
        matches!(self.run.state, RunState::Running | RunState::Cancelling)
    }

    pub fn selected(&self) -> &LanguageEntry {
        &self.languages[self.cursor]
    }

    /// A job for the given rows, with the console's run settings.
    pub fn job_for(&self, rows: &[usize]) -> JobSpec {
        JobSpec {
            name: self.job_name.clone(),
            // A clip that could not be opened is shown as such and left out of runs.
            source_clip: self
                .source
                .path
                .clone()
                .filter(|_| self.source.error.is_none()),
            workers: Some(self.workers),
            mode: self.mode,
            device: self.device,
            output_dir: self.output_dir.clone(),
            intra_threads: self.intra_threads,
            sentence_silence: self.sentence_silence,
            utterance_tokens: self.utterance_tokens,
            languages: rows
                .iter()
                .map(|&i| {
                    let entry = &self.languages[i];
                    LanguageJob {
                        code: entry.language.code.to_string(),
                        text: entry.text.clone(),
                        voice: entry.family.has_stock_voices().then(|| entry.voice.clone()),
                        model: entry.family.kind(),
                        speed: entry.speed,
                    }
                })
                .collect(),
        }
    }
}
