//! What an operator action asks the event loop to do, so `update` stays pure.

use std::path::PathBuf;

use crate::job::JobSpec;

#[derive(Debug, Clone)]
pub enum Effect {
    StartRun(Box<JobSpec>),
    CancelRun,
    Play {
        label: String,
        path: PathBuf,
    },
    /// Play two clips in lockstep, hearing one at a time (A/B): a result and the source,
    /// or two takes.
    PlayAb {
        a_label: String,
        a: PathBuf,
        b_label: String,
        b: PathBuf,
    },
    /// Rank the stock voices for a language against the source clip.
    MatchVoice {
        code: String,
        source: PathBuf,
    },
    ToggleAb,
    StopPlayback,
    LoadClip(PathBuf),
    /// More (true) or less (false) detail in the log pane.
    LogLevel(bool),
}
