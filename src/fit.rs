//! Voice fitting: the Kokoro voice closest to a source clip that Kokoro's own style space
//! offers, found by search. This is not a cloning model: it can only reach voices between
//! and around the stock ones.
//!
//! The search runs CMA-ES (`cmaes`) over the leading principal components of the stock
//! voices (`space`), starting at the best stock voice. Each generation's candidates speak a
//! probe text together, as one batch on the worker pool (N workers synthesise N candidates
//! at once), and are scored by the search encoder against the source. The candidate kept is
//! chosen differently, so the search cannot simply learn to fool its own encoder: each
//! generation's best is also spoken on a held-out text and scored there by the judges
//! (`Judge`; the search encoder, and a second, independent one when one is given), and the
//! voice with the best held-out score wins; the search stops early when the held-out score
//! has not improved for `patience` generations.

pub mod clip;
pub mod cmaes;
mod request;
pub mod saved;
pub mod space;

pub use request::{
    check_budget, FitRequest, DEFAULT_BUDGET, DEFAULT_SEED, FIT, MAX_BUDGET, MIN_BUDGET,
};
pub use saved::VoiceFit;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::audio::wav::Clip;
use crate::engine::kokoro::VoicePack;
use crate::languages::Language;

use cmaes::Cmaes;
use space::VoiceSpace;

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
/// Starting step, in the stock voices' standard deviations.
pub const START_SIGMA: f64 = 0.5;
/// Generations without a better held-out score before the search stops.
pub const DEFAULT_PATIENCE: usize = 6;

#[derive(Debug, thiserror::Error)]
pub enum FitError {
    #[error("voice fitting needs at least two stock voices; found {0}: run scripts/setup")]
    TooFewVoices(usize),
    #[error("cannot speak the candidates: {0}")]
    Speak(String),
    #[error("cannot score the candidates: {0}")]
    Score(String),
    #[error("no stock voice could be scored against the source clip")]
    NothingScored,
    #[error("cancelled")]
    Cancelled,
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
    fn score(&mut self, clip: &Clip) -> Result<f32, String>;
}

pub struct FitOptions<'a> {
    pub language: &'a Language,
    /// The text candidates are searched on.
    pub probe_text: &'a str,
    /// The text the kept voice is chosen on; never searched on.
    pub held_out_text: &'a str,
    /// Most candidate evaluations (probe syntheses), stock voices included.
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
    /// The stock voice the search started from, scored the same way.
    pub best_stock: Scored,
    /// The kept voice (it may be the best stock voice, if nothing beat it).
    pub fitted: Scored,
    pub judges: Vec<String>,
    pub evaluations: usize,
    pub generations: Vec<Generation>,
    #[serde(skip)]
    pub voice: Option<Arc<VoicePack>>,
}

/// Mean held-out score over the judges: what the kept voice is chosen by.
fn held_out_mean(scores: &[f32]) -> f32 {
    scores.iter().sum::<f32>() / scores.len().max(1) as f32
}

/// Fits a voice to the source the judges hold. `stock` are the candidate stock voices (the
/// language's, best first is not required); `space_voices` span the search space (all
/// stock voices serve). `progress` hears every generation.
pub fn fit(
    speaker: &mut dyn PackSpeaker,
    judges: &mut [&mut dyn Judge],
    stock: &[Arc<VoicePack>],
    space_voices: &[Arc<VoicePack>],
    options: &FitOptions,
    stop: &AtomicBool,
    mut progress: impl FnMut(&Generation),
) -> Result<FitOutcome, FitError> {
    if space_voices.len() < 2 {
        return Err(FitError::TooFewVoices(space_voices.len()));
    }
    let stopped = || stop.load(Ordering::SeqCst);
    let lang = options.language;
    // 1. The stock voices on the probe text: the start.
    let clips = speaker.speak(lang, options.probe_text, stock)?;
    let mut evaluations = stock.len();
    let mut best_start: Option<(usize, f32)> = None;
    for (i, clip) in clips.iter().enumerate() {
        let Ok(clip) = clip else { continue };
        let Ok(score) = judges[0].score(clip) else {
            continue;
        };
        if best_start.is_none_or(|(_, s)| score > s) {
            best_start = Some((i, score));
        }
    }
    let (start_index, start_probe) = best_start.ok_or(FitError::NothingScored)?;
    if stopped() {
        return Err(FitError::Cancelled);
    }
    let start = stock[start_index].clone();
    let best_stock = Scored {
        voice: start.name.clone(),
        held_out: held_out_scores(speaker, judges, lang, options.held_out_text, &start)?,
        probe: start_probe,
    };
    let refs: Vec<&VoicePack> = space_voices.iter().map(|v| v.as_ref()).collect();
    let space = VoiceSpace::from_voices(&refs, options.dims);
    let mut es = Cmaes::new(
        space.coordinates(&start),
        START_SIGMA,
        options.population,
        options.seed,
    );
    let mut fitted = best_stock.clone();
    let mut fitted_voice = start.clone();
    let mut best_probe = start_probe;
    let mut stale = 0;
    let mut generations = Vec::new();
    while evaluations + es.lambda() <= options.budget && stale < options.patience {
        if stopped() {
            return Err(FitError::Cancelled);
        }
        let candidates: Vec<Vec<f64>> = es
            .ask()
            .into_iter()
            .map(|c| {
                c.iter()
                    .map(|x| x.clamp(-space::MAX_COORDINATE, space::MAX_COORDINATE))
                    .collect()
            })
            .collect();
        let generation = es.generation() + 1;
        let packs: Vec<Arc<VoicePack>> = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| Arc::new(space.voice(&format!("fit-g{generation}-c{i}"), c)))
            .collect();
        let clips = speaker.speak(lang, options.probe_text, &packs)?;
        evaluations += packs.len();
        // CMA-ES minimises: the score is a similarity, so its negative; a candidate that
        // could not be spoken or scored is the worst.
        let mut scores = Vec::with_capacity(clips.len());
        for clip in &clips {
            let s = match clip {
                Ok(clip) => judges[0].score(clip).ok(),
                Err(_) => None,
            };
            scores.push(s.map_or(f64::INFINITY, |s| -f64::from(s)));
        }
        if stopped() {
            return Err(FitError::Cancelled);
        }
        es.tell(&candidates, &scores);
        let (leader, leader_score) = scores
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, s)| (i, -*s as f32))
            .expect("a generation has candidates");
        best_probe = best_probe.max(leader_score);
        let held_out =
            held_out_scores(speaker, judges, lang, options.held_out_text, &packs[leader])?;
        if held_out_mean(&held_out) > held_out_mean(&fitted.held_out) {
            fitted = Scored {
                voice: packs[leader].name.clone(),
                held_out,
                probe: leader_score,
            };
            fitted_voice = packs[leader].clone();
            stale = 0;
        } else {
            stale += 1;
        }
        let record = Generation {
            generation,
            evaluations,
            best_probe,
            best_held_out: fitted.held_out.clone(),
        };
        progress(&record);
        generations.push(record);
    }
    Ok(FitOutcome {
        best_stock,
        fitted,
        judges: judges.iter().map(|j| j.name().to_string()).collect(),
        evaluations,
        generations,
        voice: Some(fitted_voice),
    })
}

/// A voice spoken on the held-out text, scored by every judge.
fn held_out_scores(
    speaker: &mut dyn PackSpeaker,
    judges: &mut [&mut dyn Judge],
    language: &Language,
    text: &str,
    voice: &Arc<VoicePack>,
) -> Result<Vec<f32>, FitError> {
    let clip = speaker
        .speak(language, text, std::slice::from_ref(voice))?
        .pop()
        .expect("one clip per pack")
        .map_err(FitError::Speak)?;
    judges
        .iter_mut()
        .map(|j| j.score(&clip).map_err(FitError::Score))
        .collect()
}
