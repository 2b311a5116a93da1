//! One language of a run: its plan, the audio of its finished utterances, and its outcome.

use super::*;

pub(super) struct LanguageWork {
    pub(super) plan: Option<LanguagePlan>,
    pub(super) model: ModelKind,
    pub(super) voice: String,
    pub(super) audio: Vec<Option<Vec<f32>>>,
    pub(super) done: usize,
    pub(super) started: Option<Instant>,
    pub(super) outcome: LanguageOutcome,
}

impl LanguageWork {
    pub(super) fn new(planned: Result<LanguagePlan, PlanFailure>) -> LanguageWork {
        let outcome = LanguageOutcome::planned(&planned);
        match planned {
            Ok(plan) => LanguageWork {
                model: plan.model.kind(),
                voice: plan.voice.clone(),
                audio: vec![None; plan.utterances.len()],
                plan: Some(plan),
                done: 0,
                started: None,
                outcome,
            },
            Err(failure) => LanguageWork {
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

impl LanguageWork {
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

impl LanguageWork {
    /// Joins a complete language's utterances (edge silence trimmed, the run's pause
    /// between them) and writes `<out>/<code>.wav` (temp, rename).
    pub(super) fn finish(&mut self, out_dir: &std::path::Path, sentence_silence: f64) {
        let rate = self.plan.as_ref().map(|p| p.sample_rate).unwrap_or(24_000);
        let parts: Vec<Vec<f32>> = self
            .audio
            .iter_mut()
            .map(|part| part.take().unwrap_or_default())
            .collect();
        let samples = crate::engine::join::join(&parts, rate, sentence_silence);
        // The language's audio is the file's, trimmed and paused, not the raw utterances'.
        self.outcome.audio_seconds = samples.len() as f64 / rate as f64;
        let dest = out_dir.join(format!("{}.wav", self.outcome.code));
        let written = std::fs::create_dir_all(out_dir)
            .map_err(|e| format!("cannot create output folder {}: {e}", out_dir.display()))
            .and_then(|_| {
                wav::write_atomic(
                    &dest,
                    &Clip {
                        sample_rate: rate,
                        samples,
                    },
                )
                .map_err(|e| e.to_string())
            });
        match written {
            Ok(()) => {
                self.outcome.status = Status::Done;
                self.outcome.output = Some(dest);
            }
            Err(error) => {
                self.outcome.status = Status::Failed;
                self.outcome.error = Some(error);
            }
        }
    }
}
