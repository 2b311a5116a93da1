//! One language of a run: its plan, the audio of its finished utterances, and its outcome.

use super::*;

pub(super) struct LanguageState {
    pub(super) plan: Option<LanguagePlan>,
    pub(super) model: ModelKind,
    pub(super) voice: String,
    pub(super) audio: Vec<Option<Vec<f32>>>,
    pub(super) done: usize,
    pub(super) started: Option<Instant>,
    pub(super) outcome: LanguageOutcome,
}

impl LanguageState {
    pub(super) fn new(planned: Result<LanguagePlan, PlanFailure>) -> LanguageState {
        let outcome = LanguageOutcome::planned(&planned);
        match planned {
            Ok(plan) => LanguageState {
                model: plan.model.kind(),
                voice: plan.voice.clone(),
                audio: vec![None; plan.utterances.len()],
                plan: Some(plan),
                done: 0,
                started: None,
                outcome,
            },
            Err(failure) => LanguageState {
                model: failure.model.kind(),
                voice: failure.voice,
                plan: None,
                audio: Vec::new(),
                done: 0,
                started: None,
                outcome,
            },
        }
    }
}

impl LanguageState {
    pub(super) fn progress(&self) -> LanguageProgress {
        let outcome = &self.outcome;
        LanguageProgress {
            code: outcome.code.clone(),
            model: self.model,
            voice: self.voice.clone(),
            status: outcome.status,
            sentences_done: self.done,
            sentences_total: self.audio.len(),
            audio_seconds: outcome.audio_seconds,
            synthesis_seconds: outcome.synthesis_seconds,
            elapsed_seconds: outcome.elapsed_seconds,
            cache_hits: outcome.cache_hits,
            execution_provider: outcome.execution_provider.clone(),
            output: outcome.output.clone(),
            error: outcome.error.clone(),
        }
    }
}
