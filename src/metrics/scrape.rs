//! What one scrape reports, gathered in one short read of the session's state so the
//! figures of a language agree with each other.

use crate::engine::progress::LanguageProgress;
use crate::gpu::GpuSample;
use crate::qa::scores::TakeScores;
use crate::session::state::{RunPhase, SessionState};
use crate::session::LiveCounters;

#[derive(Debug, Clone, PartialEq)]
pub struct Scrape {
    /// 0 before the first run.
    pub run_id: u64,
    pub run_phase: &'static str,
    /// The run's worker count, once its engine is ready.
    pub workers: Option<usize>,
    /// Every language of the session, in the order each was first run.
    pub languages: Vec<LanguageSeries>,
    pub live: LiveCounters,
    /// Memory and GPUs; None when not sampled.
    pub sample: Option<GpuSample>,
}

/// A language as the session published it: its latest run's progress and, once that run
/// made a take, the take's scores.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageSeries {
    pub progress: LanguageProgress,
    pub scores: Option<TakeScores>,
}

/// Every run phase by its label, in the order a run goes through them.
pub const RUN_PHASES: [&str; 8] = [
    "idle",
    "queued",
    "matching",
    "loading",
    "running",
    "cancelling",
    "finished",
    "setup_failed",
];

impl Scrape {
    pub fn of(state: &SessionState, live: LiveCounters, sample: Option<GpuSample>) -> Scrape {
        Scrape {
            run_id: state.run.id,
            run_phase: phase_label(&state.run.phase),
            workers: state.run.settings.as_ref().map(|s| s.workers),
            languages: state
                .languages
                .iter()
                .map(|l| LanguageSeries {
                    progress: l.progress.clone(),
                    scores: l.scores().cloned(),
                })
                .collect(),
            live,
            sample,
        }
    }
}

fn phase_label(phase: &RunPhase) -> &'static str {
    match phase {
        RunPhase::Idle => RUN_PHASES[0],
        RunPhase::Queued => RUN_PHASES[1],
        RunPhase::Matching { .. } => RUN_PHASES[2],
        RunPhase::Loading { .. } => RUN_PHASES[3],
        RunPhase::Running => RUN_PHASES[4],
        RunPhase::Cancelling => RUN_PHASES[5],
        RunPhase::Finished { .. } => RUN_PHASES[6],
        RunPhase::SetupFailed(_) => RUN_PHASES[7],
    }
}
