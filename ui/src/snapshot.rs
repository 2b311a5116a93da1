//! The plain data every view draws from. The console builds a `Snapshot` from its model
//! after each change; views never see the engine, the GPU sampler or the audio thread.

pub use crate::table::{Align, CellView, ColumnHead, Part, TableView, Tone, Width};

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    Source,
    #[default]
    Languages,
    Controls,
    Progress,
    Log,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunState {
    #[default]
    Idle,
    Running,
    Cancelling,
    Done,
    /// Finished with at least one failed language.
    DoneWithFailures,
    Cancelled,
}

impl RunState {
    /// A run holds the workers (cancel, not run, is what the keys offer).
    pub fn is_active(self) -> bool {
        matches!(self, RunState::Running | RunState::Cancelling)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub job_name: String,
    /// What the operator asked for: `auto`, `cpu`, `cuda:0`.
    pub device: String,
    /// The execution provider that really ran the last run, once known.
    pub provider: Option<String>,
    pub workers: usize,
    pub mode: String,
    pub state: RunState,
    pub wall_seconds: f64,
    /// Summed synthesis time / wall time of the current or last run.
    pub concurrency: Option<f64>,
    /// The current or last run's own languages: (done, failed, total). Without it the
    /// progress title counts every row the table shows.
    pub run_counts: Option<(usize, usize, usize)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourcePane {
    pub path: Option<String>,
    pub duration_seconds: f64,
    pub sample_rate: u32,
    pub channels: u16,
    /// Peak level per column bucket, 0.0..=1.0, for the waveform envelope.
    pub envelope: Vec<f32>,
    pub error: Option<String>,
    /// What the speech recogniser heard in the clip, or why it heard nothing.
    pub transcript: Option<Transcript>,
}

/// The source clip's transcript as the pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Transcript {
    /// The clip is being transcribed.
    Pending,
    /// Whisper's text and the language code it detected ("en").
    Heard { language: String, text: String },
    /// Why there is none (transcription off, recogniser missing, nothing said).
    None(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LanguageState {
    #[default]
    Idle,
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LanguageRow {
    pub code: String,
    pub name: String,
    pub voice: String,
    /// Ticked for the next run.
    pub checked: bool,
    pub text: String,
    pub state: LanguageState,
    /// A warning shown next to the row (e.g. model not trained for the language).
    pub warning: Option<String>,
}

impl LanguageRow {
    /// Rows the progress table shows: ticked for the next run, or touched by a run.
    pub fn in_progress_table(&self) -> bool {
        self.checked || self.state != LanguageState::Idle
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Controls {
    pub workers: usize,
    pub mode: String,
    pub device: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct GpuDevice {
    pub index: u32,
    pub name: String,
    pub memory_used_bytes: u64,
    pub memory_total_bytes: u64,
    pub utilization_percent: Option<u32>,
    pub temperature_celsius: Option<u32>,
    pub power_watts: Option<f64>,
    /// GPU memory held by this process on the device, from the running-process list.
    pub own_process_bytes: Option<u64>,
    /// That memory over the workers of the last run, when it ran on CUDA.
    pub own_per_worker_bytes: Option<u64>,
    /// (seconds relative to now, negative into the past; memory used fraction 0..=1).
    pub history: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum GpuPane {
    /// NVML answered.
    Devices(Vec<GpuDevice>),
    /// No NVML: why, and host memory in its place.
    Unavailable {
        reason: String,
        process_rss_bytes: u64,
        system_used_bytes: u64,
        system_total_bytes: u64,
        /// (seconds relative to now, system memory used fraction 0..=1).
        history: Vec<(f64, f64)>,
    },
    /// The sampler has not reported yet.
    #[default]
    Waiting,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum Playback {
    #[default]
    Stopped,
    Playing {
        /// What is playing: `fr result`, `source`, `A/B fr: source`.
        what: String,
        position_seconds: f64,
        duration_seconds: f64,
    },
    /// No output device: the reason, shown once in the status bar.
    Unavailable(String),
}

/// One voice in a matching ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedVoice {
    pub voice: String,
    pub similarity: f32,
    /// At or above the similarity threshold (the console judges it: one rule for every
    /// view).
    pub good: bool,
}

/// A voice being fitted to the source clip, or the fit just ended: the closest voice
/// Kokoro's voice space offers, not a cloning model.
#[derive(Debug, Clone, PartialEq)]
pub struct FitView {
    pub code: String,
    pub evaluations: usize,
    pub budget: usize,
    pub elapsed_seconds: f64,
    /// The judges of each point's `held_out`, in order (the search's encoder first).
    pub judges: Vec<String>,
    /// One per generation: the evaluations so far and the best scores yet.
    pub points: Vec<FitPoint>,
    pub outcome: FitOutcome,
}

impl FitView {
    /// A fit just begun: nothing evaluated yet.
    pub fn starting(code: &str, budget: usize, judges: &[&str]) -> FitView {
        FitView {
            code: code.to_string(),
            evaluations: 0,
            budget,
            elapsed_seconds: 0.0,
            judges: judges.iter().map(|j| j.to_string()).collect(),
            points: Vec::new(),
            outcome: FitOutcome::Searching,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FitPoint {
    pub evaluations: usize,
    /// Best similarity on the probe text (the one searched on).
    pub probe: f32,
    /// Best similarity on the held-out text, one per judge.
    pub held_out: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FitOutcome {
    Searching,
    /// The fitted voice (`fit:NAME`), the best stock voice and the best of the fixed blends
    /// the fit started from, all on the held-out text.
    Fitted {
        voice: String,
        stock_voice: String,
        stock: Vec<f32>,
        /// The best blend's name (`a:0.5+b:0.5`) and scores; None when no blend was scored.
        blend: Option<(String, Vec<f32>)>,
        fitted: Vec<f32>,
        /// Found saved from an earlier fit of the same clip, seed and budget.
        reused: bool,
    },
    /// Cancelled or failed: why.
    Stopped(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Popup {
    Help,
    ConfirmCancel,
    ConfirmQuit,
    EditText {
        code: String,
        text: String,
    },
    OpenClip {
        input: String,
    },
    /// Nearest-voice matching result for a language: stock voices ranked by similarity of a
    /// probe to the source clip (not cloning). Enter uses the selected voice.
    VoiceRanking {
        code: String,
        probe_text: String,
        ranking: Vec<RankedVoice>,
        selected: usize,
        /// Probes that came from the cache.
        cached: usize,
    },
    /// Every take of a language: play one, A/B one against the source, or A/B two takes.
    Takes {
        code: String,
        /// The takes as the console words them, oldest first (filled in as the snapshot is
        /// made, so scores that arrive while the popup is open appear in it).
        table: TableView,
        /// What the selected take was heard to say, or why it was not.
        heard: Vec<Part>,
        selected: usize,
        /// The take marked as the "A" side for an A/B between two takes.
        marked: Option<usize>,
    },
    /// A voice fit's live chart of best similarity against evaluations, then its result.
    Fitting(FitView),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub header: Header,
    pub source: SourcePane,
    pub languages: Vec<LanguageRow>,
    /// The progress table: the rows `LanguageRow::in_progress_table` keeps, in order.
    pub progress: TableView,
    /// Index of the highlighted language row.
    pub cursor: usize,
    pub focus: Focus,
    pub controls: Controls,
    pub gpu: GpuPane,
    pub playback: Playback,
    /// One line for the status bar (last notable event or error).
    pub status: Option<String>,
    pub popup: Option<Popup>,
    /// Similarity at or above this is shown as a good match.
    pub similarity_threshold: f32,
    /// The cursor row's text is being edited inline (`e`): its `text` is the edit buffer,
    /// drawn with a cursor marker at the end.
    pub editing_inline: bool,
    /// The live key bindings, for the footer and the help.
    pub keys: crate::keymap::KeyLabels,
}
