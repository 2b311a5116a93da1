//! The search loop of `fit`: from its start (`start`), CMA-ES generations until the budget or the held-out patience runs out, with a
//! checkpoint of its whole state after each generation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::cmaes::Cmaes;
use super::space::{self, VoiceSpace};
use super::start::{begin, named_pack};
use super::{FitError, FitOptions, FitOutcome, Generation, Judge, PackSpeaker, Scored};
use crate::engine::kokoro::VoicePack;
use crate::languages::Language;

/// Where a search stands after a whole generation: everything it needs to go on exactly as
/// it would have without stopping (the strategy's random stream included).
#[derive(Clone, Serialize, Deserialize)]
pub struct SearchState {
    pub best_stock: Scored,
    pub best_blend: Option<Scored>,
    pub fitted: Scored,
    /// The voice the search moves from (the best stock voice or the best blend, by name):
    /// candidates are this voice plus an offset along the space's directions.
    pub origin: String,
    /// The kept voice's offset from `origin`; None while it is the best stock voice or the
    /// best blend, which `fitted.voice` names.
    pub fitted_offsets: Option<Vec<f64>>,
    pub best_probe: f32,
    /// Generations since the held-out score last improved.
    pub stale: usize,
    pub evaluations: usize,
    pub generations: Vec<Generation>,
    pub strategy: Cmaes,
}

impl SearchState {
    /// Whether a state read back from a checkpoint can go on in a space of `dims`
    /// dimensions with `population` candidates a generation (None: the default): a whole
    /// strategy of that shape, kept offsets of that dimension, and finite scores. A state
    /// that passes cannot make the loop index out of bounds or outgrow its generations.
    pub fn check(&self, dims: usize, population: Option<usize>) -> Result<(), String> {
        self.strategy
            .check()
            .map_err(|why| format!("its strategy is damaged: {why}"))?;
        let lambda = population
            .unwrap_or(super::cmaes::Cmaes::default_lambda(dims))
            .max(2);
        if self.strategy.lambda() != lambda {
            return Err(format!(
                "its strategy draws {} candidates a generation, this search {lambda}",
                self.strategy.lambda()
            ));
        }
        if self.strategy.dimensions() != dims {
            return Err(format!(
                "its strategy searches {} dimensions, this space has {dims}",
                self.strategy.dimensions()
            ));
        }
        // The strategy's centre is a weighted mean of clamped candidates: inside the box.
        if self
            .strategy
            .mean()
            .iter()
            .any(|m| m.abs() > space::MAX_COORDINATE)
        {
            return Err("its strategy's centre lies outside the search box".into());
        }
        if let Some(offsets) = &self.fitted_offsets {
            if offsets.len() != dims || !offsets.iter().all(|x| x.is_finite()) {
                return Err(format!(
                    "the kept voice's offsets are not {dims} finite numbers"
                ));
            }
        }
        let scored = [
            Some(&self.best_stock),
            self.best_blend.as_ref(),
            Some(&self.fitted),
        ];
        let finite = scored
            .into_iter()
            .flatten()
            .all(|s| s.probe.is_finite() && s.held_out.iter().all(|x| x.is_finite()));
        if !finite || !self.best_probe.is_finite() {
            return Err("it holds a score that is not a finite number".into());
        }
        Ok(())
    }
}

/// Mean held-out score over the judges: what the kept voice is chosen by.
pub(super) fn held_out_mean(scores: &[f32]) -> f32 {
    scores.iter().sum::<f32>() / scores.len().max(1) as f32
}

/// Fits a voice to the source the judges hold. `stock` are the candidate stock voices (the
/// language's, in any order); `space_voices` span the search space (all stock voices
/// serve). `resume` goes on from a checkpoint of the same search (the same source, judges,
/// language, texts, seed, population and dimensions: the caller checks). `progress` hears
/// every generation, a resumed search's earlier ones first; `checkpoint` gets the state
/// after every generation, before `progress` does.
#[allow(clippy::too_many_arguments)]
pub fn fit(
    speaker: &mut dyn PackSpeaker,
    judges: &mut [&mut dyn Judge],
    stock: &[Arc<VoicePack>],
    space_voices: &[Arc<VoicePack>],
    options: &FitOptions,
    resume: Option<SearchState>,
    stop: &AtomicBool,
    mut checkpoint: impl FnMut(&SearchState),
    mut progress: impl FnMut(&Generation),
) -> Result<FitOutcome, FitError> {
    if space_voices.len() < 2 {
        return Err(FitError::TooFewVoices(space_voices.len()));
    }
    let stopped = || stop.load(Ordering::SeqCst);
    let lang = options.language;
    let refs: Vec<&VoicePack> = space_voices.iter().map(|v| v.as_ref()).collect();
    let space = VoiceSpace::from_voices(&refs, options.dims);
    let mut state = match resume {
        Some(state) => {
            state
                .check(space.dims(), options.population)
                .map_err(FitError::DamagedCheckpoint)?;
            state.generations.iter().for_each(&mut progress);
            state
        }
        None => begin(speaker, judges, stock, &space, options, stop)?,
    };
    let origin = named_pack(&state.origin, stock)?;
    let mut fitted_voice = match &state.fitted_offsets {
        Some(c) => Arc::new(space.offset(&state.fitted.voice, &origin, c)),
        None => named_pack(&state.fitted.voice, stock)?,
    };
    while state.evaluations + state.strategy.lambda() <= options.budget
        && state.stale < options.patience
    {
        if stopped() {
            return Err(FitError::Cancelled);
        }
        let candidates: Vec<Vec<f64>> = state
            .strategy
            .ask()
            .into_iter()
            .map(|c| {
                // A coordinate that is not a number (only a damaged strategy draws one)
                // goes to the centre; the rest are kept inside the box.
                c.iter()
                    .map(|x| {
                        let x = if x.is_nan() { 0.0 } else { *x };
                        x.clamp(-space::MAX_COORDINATE, space::MAX_COORDINATE)
                    })
                    .collect()
            })
            .collect();
        let generation = state.strategy.generation() + 1;
        let packs: Vec<Arc<VoicePack>> = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| Arc::new(space.offset(&format!("fit-g{generation}-c{i}"), &origin, c)))
            .collect();
        let clips = speak(speaker, lang, options.probe_text, &packs, stop)?;
        // CMA-ES minimises: the score is a similarity, so its negative; a candidate that
        // could not be spoken or scored is the worst.
        let scores: Vec<f64> = clips
            .iter()
            .map(|clip| {
                let s = clip.as_ref().ok().and_then(|c| judges[0].score(c).ok());
                s.map_or(f64::INFINITY, |s| -f64::from(s))
            })
            .collect();
        if stopped() {
            return Err(FitError::Cancelled);
        }
        let (leader, leader_score) = scores
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, s)| (i, -*s as f32))
            .expect("a generation has candidates");
        let held_out = held_out_scores(
            speaker,
            judges,
            lang,
            options.held_out_text,
            &packs[leader],
            stop,
        )?;
        // Nothing of this generation is kept before here, so a cancel above leaves the
        // state of the generation before, whole.
        state.strategy.tell(&candidates, &scores);
        state.evaluations += packs.len();
        state.best_probe = state.best_probe.max(leader_score);
        if held_out_mean(&held_out) > held_out_mean(&state.fitted.held_out) {
            state.fitted = Scored {
                voice: packs[leader].name.clone(),
                held_out,
                probe: leader_score,
            };
            state.fitted_offsets = Some(candidates[leader].clone());
            fitted_voice = packs[leader].clone();
            state.stale = 0;
        } else {
            state.stale += 1;
        }
        let record = Generation {
            generation,
            evaluations: state.evaluations,
            best_probe: state.best_probe,
            best_held_out: state.fitted.held_out.clone(),
        };
        state.generations.push(record.clone());
        checkpoint(&state);
        progress(&record);
    }
    Ok(FitOutcome {
        best_stock: state.best_stock,
        best_blend: state.best_blend,
        fitted: state.fitted,
        judges: judges.iter().map(|j| j.name().to_string()).collect(),
        evaluations: state.evaluations,
        generations: state.generations,
        voice: Some(fitted_voice),
    })
}

/// A voice spoken on the held-out text, scored by every judge.
pub(super) fn held_out_scores(
    speaker: &mut dyn PackSpeaker,
    judges: &mut [&mut dyn Judge],
    language: &Language,
    text: &str,
    voice: &Arc<VoicePack>,
    stop: &AtomicBool,
) -> Result<Vec<f32>, FitError> {
    let clip = speak(speaker, language, text, std::slice::from_ref(voice), stop)?
        .pop()
        .expect("one clip per pack");
    // A cancel interrupts the synthesis in flight: that is no failure to speak.
    if stop.load(Ordering::SeqCst) {
        return Err(FitError::Cancelled);
    }
    let clip = clip.map_err(FitError::Speak)?;
    judges
        .iter_mut()
        .map(|j| j.score(&clip).map_err(FitError::Score))
        .collect()
}

/// The speaker's clips, or Cancelled when a stop came while they were spoken.
pub(super) fn speak(
    speaker: &mut dyn PackSpeaker,
    language: &Language,
    text: &str,
    packs: &[Arc<VoicePack>],
    stop: &AtomicBool,
) -> Result<Vec<Result<crate::audio::wav::Clip, String>>, FitError> {
    match speaker.speak(language, text, packs) {
        Err(_) if stop.load(Ordering::SeqCst) => Err(FitError::Cancelled),
        other => other,
    }
}

#[cfg(test)]
mod tests;
