//! The search loop of `fit`: from its start (`start`), CMA-ES generations until the budget or the held-out patience runs out, with a
//! checkpoint of its whole state after each generation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::evaluate::{held_out_mean, held_out_scores, speak};
use super::space::{self, VoiceSpace};
use super::start::{begin, named_pack};
use super::state::SearchState;
use super::{FitError, FitOptions, FitOutcome, Generation, Judge, PackSpeaker, Scored};
use crate::engine::kokoro::VoicePack;

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

#[cfg(test)]
mod tests;
