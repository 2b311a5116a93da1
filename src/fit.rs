//! Voice fitting: the Kokoro voice closest to a source clip that Kokoro's own style space
//! offers, found by search. This is not a cloning model: it can only reach voices between
//! and around the stock ones.
//!
//! The search runs CMA-ES (`cmaes`) over offsets along the leading principal components of
//! the stock voices (`space`), moving from the best stock voice or from the best of voice
//! matching's fixed blends of the best three, whichever the probe text scores higher (the
//! origin, reached at offset zero). Each generation's candidates speak a
//! probe text together, as one batch on the worker pool (N workers synthesise N candidates
//! at once), and are scored by the search encoder against the source. The candidate kept is
//! chosen differently, so the search cannot simply learn to fool its own encoder: each
//! generation's best is also spoken on a held-out text and scored there by the judges
//! (`Judge`; the search encoder, and a second, independent one when one is given), and the
//! voice with the best held-out score wins; the search stops early when the held-out score
//! has not improved for `patience` generations. After every generation the search's whole
//! state (`SearchState`) goes to a checkpoint, from which a cancelled search goes on as if
//! it had never stopped.

pub mod checkpoint;
pub mod clip;
pub mod cmaes;
mod eigen;
mod evaluate;
mod request;
pub mod saved;
mod search;
pub mod space;
mod start;
mod state;

pub use request::{
    check_budget, FitRequest, FitRequestError, DEFAULT_BUDGET, DEFAULT_SEED, FIT, MAX_BUDGET,
    MIN_BUDGET,
};
pub use saved::VoiceFit;
pub use search::fit;
pub use state::SearchState;

use std::sync::Arc;

use crate::audio::wav::Clip;
use crate::engine::kokoro::VoicePack;
use crate::languages::Language;

/// A job names a fitted voice `fit:NAME`.
pub const FITTED_PREFIX: &str = "fit:";
/// Overrides where fitted voices are kept.
pub const ENV_VOICES: &str = "VOXDECK_VOICES";

/// `$VOXDECK_VOICES`, else `voxdeck/voices` in the XDG data folder (~/.local/share).
pub fn voices_dir() -> Option<std::path::PathBuf> {
    std::env::var_os(ENV_VOICES)
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| {
            crate::assets::xdg_dir("XDG_DATA_HOME", ".local/share").map(|d| d.join("voices"))
        })
}

/// The voice file of the fitted voice `name`.
pub fn voice_path(name: &str) -> Option<std::path::PathBuf> {
    voices_dir().map(|d| d.join(format!("{name}.bin")))
}

/// Principal components searched.
pub const DEFAULT_DIMS: usize = 10;
/// Starting step, in the stock voices' standard deviations. Small, because the search
/// starts at a good voice and wide steps mostly land worse than it. Measured once, on one
/// Piper clip: 0.5 had held-out scores of 0.772 / 0.618 after 106 evaluations, 0.25 had
/// 0.779 / 0.624 after 66.
pub const START_SIGMA: f64 = 0.25;
/// Generations without a better held-out score before the search stops.
pub const DEFAULT_PATIENCE: usize = 6;

#[derive(Debug, thiserror::Error)]
pub enum FitError {
    #[error("voice fitting needs at least two stock voices; found {0}: run scripts/setup")]
    TooFewVoices(usize),
    #[error("cannot speak the candidates: {0}")]
    Speak(String),
    #[error("cannot score the candidates: {0}")]
    Score(#[source] crate::qa::QaError),
    #[error("no stock voice could be scored against the source clip")]
    NothingScored,
    #[error("cancelled")]
    Cancelled,
    /// A checkpoint that reads but cannot go on (its caller sets it aside and starts afresh).
    #[error("the search's checkpoint is damaged: {0}")]
    DamagedCheckpoint(String),
    /// The source clip, an encoder or a stock voice cannot be used.
    #[error("{0}")]
    Setup(String),
}

/// Speaks one text in several voices at once (the worker pool, in the product).
pub trait PackSpeaker {
    /// One clip per pack, in order; a pack that cannot be spoken is an error of its own.
    fn speak(
        &mut self,
        language: &Language,
        text: &str,
        packs: &[Arc<VoicePack>],
    ) -> Result<Vec<Result<Clip, String>>, FitError>;
}

/// How close a clip's speaker is to the source's, higher being closer (a cosine).
pub trait Judge {
    fn name(&self) -> &str;
    fn score(&mut self, clip: &Clip) -> Result<f32, crate::qa::QaError>;
}

pub struct FitOptions<'a> {
    pub language: &'a Language,
    /// The text candidates are searched on.
    pub probe_text: &'a str,
    /// The text the kept voice is chosen on; never searched on.
    pub held_out_text: &'a str,
    /// Most candidate evaluations (probe syntheses) of the search; the stock voices and the
    /// blends it starts from are evaluated whatever the budget, and count.
    pub budget: usize,
    pub seed: u64,
    /// Candidates per generation; default: CMA-ES's own, at least the worker count.
    pub population: Option<usize>,
    pub dims: usize,
    pub patience: usize,
}

/// A voice and its held-out scores, one per judge (the search encoder first).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scored {
    pub voice: String,
    pub held_out: Vec<f32>,
    /// The search encoder's score on the probe text.
    pub probe: f32,
}

/// One generation, for progress displays.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Generation {
    pub generation: usize,
    pub evaluations: usize,
    /// Best probe score so far.
    pub best_probe: f32,
    /// Best held-out scores so far, one per judge.
    pub best_held_out: Vec<f32>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FitOutcome {
    /// The best stock voice on the probe text, scored on the held-out text.
    pub best_stock: Scored,
    /// The best of matching's fixed blends of the best stock voices, scored the same way
    /// (None when fewer than two stock voices could be scored).
    pub best_blend: Option<Scored>,
    /// The kept voice (the best stock voice or the best blend, if nothing beat them).
    pub fitted: Scored,
    pub judges: Vec<String>,
    pub evaluations: usize,
    pub generations: Vec<Generation>,
    #[serde(skip)]
    pub voice: Option<Arc<VoicePack>>,
}
