//! Voice fitting on the session thread: `voice = "fit"` in a job. Before the run, each such
//! language gets a voice fitted to the job's source clip (the search of `voxdeck fit`, on
//! the warm engine the run then uses), saved in the voices folder like `voxdeck fit` saves
//! it, and speaks with it as `fit:NAME`. A voice fitted before to the same clip, language,
//! seed and budget is used again instead of searched for.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use super::Context;
use crate::assets;
use crate::engine::plan::ModelId;
use crate::fit::clip::{self, ClipFit};
use crate::fit::{saved, FitError, FitRequest, VoiceFit, FITTED_PREFIX};
use crate::job::JobSpec;
use crate::session::published::Notice;
use crate::session::state::{FitProgress, RunPhase};
use crate::session::{Control, SessionError};

impl Context {
    /// Replaces each `voice = "fit"` with `fit:NAME`, the voice fitted to the source.
    pub(super) fn fit_job_voices(
        &mut self,
        control: &Arc<Control>,
        job: &mut JobSpec,
        cancel: &Arc<AtomicBool>,
    ) -> Result<(), SessionError> {
        for i in 0..job.languages.len() {
            let code = job.languages[i].code.clone();
            let Some(request) = job.languages[i]
                .voice
                .as_deref()
                .and_then(FitRequest::parse)
            else {
                continue;
            };
            let request = request.map_err(|source| SessionError::BadFitRequest {
                code: code.clone(),
                source,
            })?;
            let Some(source) = job.source_clip.clone() else {
                return Err(SessionError::FitNeedsSource { code });
            };
            let language = crate::languages::find(&code)
                .ok_or_else(|| SessionError::UnknownLanguage(code.clone()))?;
            let dir = crate::fit::voices_dir().ok_or(SessionError::NoVoicesFolder)?;
            let sha256 = crate::digest::sha256_file(&source)
                .map_err(|e| SessionError::ReadSourceClip {
                    path: source.clone(),
                    source: e,
                })?
                .0;
            let started = Instant::now();
            let fit = match saved::find(&dir, &sha256, language.code, &request) {
                Some((sidecar, file)) => {
                    log::info!(
                        "{code}: using the fitted voice {} again ({}): the same source clip, language, seed {} and budget {}, so no search",
                        sidecar.name,
                        file.display(),
                        request.seed,
                        request.budget
                    );
                    VoiceFit::new(&sidecar, file, true, started.elapsed().as_secs_f64())
                }
                None => {
                    let name = saved::free_name(&dir, &sha256, language.code, &request);
                    let fit = ClipFit {
                        clip: &source,
                        language,
                        request,
                        population: None,
                        patience: crate::fit::DEFAULT_PATIENCE,
                        name: Some(name),
                        checkpoints: Some(crate::fit::checkpoint::dir(&dir)),
                    };
                    let searched = self.search(control, job, &fit, &dir, cancel, started);
                    if searched.is_err() {
                        control.state.update(Notice::Session, |s| s.fitting = None);
                    }
                    searched?
                }
            };
            let voice = format!("{FITTED_PREFIX}{}", fit.name);
            job.languages[i].voice = Some(voice.clone());
            // The fit's line gives way to the language's, which names the voice.
            control.state.update(Notice::Language(code.clone()), |s| {
                s.fitting = None;
                if let Some(record) = s.language_mut(&code) {
                    record.progress.voice = voice;
                    record.voice_fit = Some(fit);
                }
            });
        }
        Ok(())
    }

    /// Searches for the voice on the engine the job will run on, and saves it.
    fn search(
        &mut self,
        control: &Arc<Control>,
        job: &JobSpec,
        fit: &ClipFit,
        dir: &Path,
        cancel: &Arc<AtomicBool>,
        started: Instant,
    ) -> Result<VoiceFit, SessionError> {
        let code = fit.language.code.to_string();
        let phase = || {
            control.state.update(Notice::Session, |s| {
                s.run.advance(RunPhase::Matching { code: code.clone() })
            })
        };
        phase();
        let runtime = self.runtime()?;
        // Kept warm, so the run that follows the fit finds it ready.
        let preload = [(ModelId::Kokoro, self.assets.path(assets::KOKORO_MODEL))];
        self.warm_engine(control, &runtime, job, &preload, " for the fit")?;
        phase();
        log::info!(
            "{code}: fitting a voice to {} (budget {}, seed {}): the closest voice Kokoro's voice space offers, not a clone",
            fit.clip.display(),
            fit.request.budget,
            fit.request.seed
        );
        let engine = self.warm.as_ref().expect("started above");
        let budget = fit.request.budget;
        let searching = Instant::now();
        let mut history = Vec::new();
        let result = clip::fit_clip(engine, &self.assets, fit, cancel, |g| {
            history.push(g.clone());
            let progress = FitProgress {
                code: code.clone(),
                generation: g.generation,
                evaluations: g.evaluations,
                budget,
                best_probe: g.best_probe,
                best_held_out: g.best_held_out.clone(),
                history: history.clone(),
                elapsed_seconds: searching.elapsed().as_secs_f64(),
            };
            control.state.update(Notice::Language(code.clone()), |s| {
                s.fitting = Some(progress)
            });
        });
        let fitted = result.map_err(|e| match e {
            FitError::Cancelled => SessionError::FitCancelled { code: code.clone() },
            source => SessionError::Fit {
                code: code.clone(),
                source,
            },
        })?;
        let file = saved::save(dir, &fitted.sidecar, &fitted.voice)?;
        let s = &fitted.sidecar;
        log::info!(
            "{code}: fitted voice {}: held-out similarity {} (best stock voice {}: {}), {} evaluations in {:.1} s; saved {}",
            s.name,
            scores(&s.fitted.held_out),
            s.best_stock.voice,
            scores(&s.best_stock.held_out),
            s.evaluations,
            s.seconds,
            file.display()
        );
        Ok(VoiceFit::new(
            s,
            file,
            false,
            started.elapsed().as_secs_f64(),
        ))
    }
}

/// Held-out scores, GE2E first: `0.912 / 0.853`.
pub(crate) fn scores(s: &[f32]) -> String {
    s.iter()
        .map(|v| format!("{v:.3}"))
        .collect::<Vec<_>>()
        .join(" / ")
}
