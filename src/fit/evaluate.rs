//! Speaking a voice and scoring it: what the start and every generation of a search do
//! with a candidate.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::{FitError, Judge, PackSpeaker};
use crate::engine::kokoro::VoicePack;
use crate::languages::Language;

/// Mean held-out score over the judges: what the kept voice is chosen by.
pub(super) fn held_out_mean(scores: &[f32]) -> f32 {
    scores.iter().sum::<f32>() / scores.len().max(1) as f32
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
