//! Where a fit starts: every stock voice on the probe text, then voice matching's fixed
//! blends of the best three, the best of each scored on the held-out text.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::cmaes::Cmaes;
use super::evaluate::{held_out_mean, held_out_scores, speak};
use super::space::VoiceSpace;
use super::state::SearchState;
use super::{FitError, FitOptions, Judge, PackSpeaker, Scored};
use crate::engine::kokoro::{parse_blend, VoicePack};
use crate::languages::Language;

/// The start of a search: every stock voice on the probe text, then matching's blends of
/// the best three; the best of each scored on the held-out text; the strategy centred on
/// whichever of the two the probe scored higher, and the better on the held-out text kept.
pub(super) fn begin(
    speaker: &mut dyn PackSpeaker,
    judges: &mut [&mut dyn Judge],
    stock: &[Arc<VoicePack>],
    space: &VoiceSpace,
    options: &FitOptions,
    stop: &AtomicBool,
) -> Result<SearchState, FitError> {
    let lang = options.language;
    let mut evaluations = 0;
    let mut ranked = probe_scores(speaker, judges, lang, options.probe_text, stock, stop)?;
    evaluations += stock.len();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let &(best_index, best_probe) = ranked.first().ok_or(FitError::NothingScored)?;
    let best = stock[best_index].clone();
    let best_stock = Scored {
        voice: best.name.clone(),
        held_out: held_out_scores(speaker, judges, lang, options.held_out_text, &best, stop)?,
        probe: best_probe,
    };
    let top: Vec<&str> = ranked
        .iter()
        .map(|&(i, _)| stock[i].name.as_str())
        .collect();
    let blends: Vec<Arc<VoicePack>> = crate::qa::matching::blend_names(&top)
        .iter()
        .map(|name| named_pack(name, stock))
        .collect::<Result<_, _>>()?;
    let mut blend_ranked = probe_scores(speaker, judges, lang, options.probe_text, &blends, stop)?;
    evaluations += blends.len();
    blend_ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let best_blend = match blend_ranked.first() {
        Some(&(i, probe)) => Some((
            blends[i].clone(),
            Scored {
                voice: blends[i].name.clone(),
                held_out: held_out_scores(
                    speaker,
                    judges,
                    lang,
                    options.held_out_text,
                    &blends[i],
                    stop,
                )?,
                probe,
            },
        )),
        None => None,
    };
    let (start, fitted) = match &best_blend {
        Some((pack, scored)) => (
            if scored.probe > best_stock.probe {
                pack.clone()
            } else {
                best.clone()
            },
            if held_out_mean(&scored.held_out) > held_out_mean(&best_stock.held_out) {
                scored.clone()
            } else {
                best_stock.clone()
            },
        ),
        None => (best.clone(), best_stock.clone()),
    };
    // The strategy searches offsets from the start voice, so its centre is the origin.
    let strategy = Cmaes::new(
        vec![0.0; space.dims()],
        super::START_SIGMA,
        options.population,
        options.seed,
    );
    Ok(SearchState {
        best_probe: best_probe.max(best_blend.as_ref().map_or(f32::MIN, |b| b.1.probe)),
        best_stock,
        best_blend: best_blend.map(|(_, scored)| scored),
        fitted,
        origin: start.name.clone(),
        fitted_offsets: None,
        stale: 0,
        evaluations,
        generations: Vec::new(),
        strategy,
    })
}

/// A stock voice of `stock` by name, or a blend of them written `a:0.7+b:0.3`.
pub(super) fn named_pack(name: &str, stock: &[Arc<VoicePack>]) -> Result<Arc<VoicePack>, FitError> {
    let find = |voice: &str| {
        stock
            .iter()
            .find(|p| p.name == voice)
            .ok_or_else(|| FitError::Setup(format!("the voice {voice} is not a stock voice here")))
    };
    let Some(parts) = parse_blend(name).map_err(|e| FitError::Setup(e.to_string()))? else {
        return find(name).cloned();
    };
    let packs = parts
        .iter()
        .map(|(voice, weight)| find(voice).map(|p| (p.as_ref(), *weight)))
        .collect::<Result<Vec<_>, _>>()?;
    VoicePack::mix(name, &packs)
        .map(Arc::new)
        .map_err(|e| FitError::Setup(e.to_string()))
}

/// The packs that spoke and scored, by index, with their search-encoder score on `text`.
fn probe_scores(
    speaker: &mut dyn PackSpeaker,
    judges: &mut [&mut dyn Judge],
    language: &Language,
    text: &str,
    packs: &[Arc<VoicePack>],
    stop: &AtomicBool,
) -> Result<Vec<(usize, f32)>, FitError> {
    let clips = speak(speaker, language, text, packs, stop)?;
    if stop.load(Ordering::SeqCst) {
        return Err(FitError::Cancelled);
    }
    Ok(clips
        .iter()
        .enumerate()
        .filter_map(|(i, clip)| {
            let clip = clip.as_ref().ok()?;
            judges[0].score(clip).ok().map(|s| (i, s))
        })
        .collect())
}
