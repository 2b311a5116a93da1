//! Voice matching on the session thread: `voice = "match"` in a job, and rankings asked
//! for on their own. Probes are spoken on the worker pool, a batch of voices at once, with
//! their progress published.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use super::Context;
use crate::assets::{self, Assets, PROBE_CACHE};
use crate::audio::wav::{self, Clip};
use crate::engine::outcome::{RunOutcome, Status};
use crate::engine::plan;
use crate::engine::pool::{Engine, EngineOptions};
use crate::engine::progress::{LanguageProgress, RunObserver};
use crate::engine::runtime::Runtime;
use crate::job::{Device, JobSpec, Mode};
use crate::languages::Language;
use crate::qa::cache::EmbeddingCache;
use crate::qa::matching::{self, MatchError, MatchResult, ProbeSpeaker};
use crate::session::published::Notice;
use crate::session::state::{ProbeProgress, RunPhase};
use crate::session::{Control, SessionError};

impl Context {
    /// Replaces `voice = "match"` with the stock voice (or blend) closest to the source.
    pub(super) fn match_job_voices(
        &mut self,
        control: &Arc<Control>,
        job: &mut JobSpec,
        runtime: &Arc<Runtime>,
        cancel: &Arc<AtomicBool>,
    ) -> Result<(), SessionError> {
        for i in 0..job.languages.len() {
            if job.languages[i].voice.as_deref() != Some(matching::MATCH) {
                continue;
            }
            let code = job.languages[i].code.clone();
            let Some(source) = job.source_clip.clone() else {
                return Err(SessionError::MatchNeedsSource { code });
            };
            control.state.update(Notice::Session, |s| {
                s.run.advance(RunPhase::Matching { code: code.clone() })
            });
            log::info!("matching a {code} voice to {}", source.display());
            let result = self.rank_with(control, runtime, &code, &source, job.device, cancel)?;
            let chosen = result
                .chosen()
                .ok_or(SessionError::NoVoiceScored)?
                .voice
                .clone();
            log::info!("{code}: using {chosen}, the closest to the source");
            job.languages[i].voice = Some(chosen.clone());
            control.state.update(Notice::Language(code.clone()), |s| {
                if let Some(record) = s.language_mut(&code) {
                    record.progress.voice = chosen;
                    record.voice_match = Some(result);
                }
            });
        }
        Ok(())
    }

    pub(super) fn rank(
        &mut self,
        control: &Arc<Control>,
        code: &str,
        source: &Path,
        device: Device,
        cancel: &Arc<AtomicBool>,
    ) -> Result<MatchResult, SessionError> {
        let runtime = self.runtime()?;
        self.rank_with(control, &runtime, code, source, device, cancel)
    }

    fn rank_with(
        &mut self,
        control: &Arc<Control>,
        runtime: &Arc<Runtime>,
        code: &str,
        source: &Path,
        device: Device,
        cancel: &Arc<AtomicBool>,
    ) -> Result<MatchResult, SessionError> {
        let language = crate::languages::find(code)
            .ok_or_else(|| SessionError::UnknownLanguage(code.to_string()))?;
        let cache_dir =
            (self.options.probe_cache.clone()).unwrap_or_else(|| self.assets.path(PROBE_CACHE));
        let cache = EmbeddingCache::open(cache_dir)?;
        self.engine_for_probes(runtime, device)?;
        if let Some(engine) = &self.warm {
            crate::session::live::engine_started(control, engine);
        }
        let assets = self.assets.clone();
        let scorer = self
            .scorer
            .for_source(runtime, &assets, Some(source))
            .map_err(SessionError::CannotMatch)?;
        let mut speaker = PoolSpeaker {
            engine: self.warm.as_ref().expect("started above"),
            assets: &assets,
            control,
            cancel,
        };
        let started = std::time::Instant::now();
        let result = matching::rank_voices(&mut speaker, &assets, scorer, &cache, language, cancel);
        control.state.update(Notice::Session, |s| s.probes = None);
        let result = result?;
        if let Some(best) = result.best() {
            log::info!(
                "{code}: closest stock voice {} ({:.3}); {} probe(s) from cache; {} ms",
                best.voice,
                best.similarity,
                result.cached,
                started.elapsed().as_millis()
            );
        }
        Ok(result)
    }

    /// The warm engine when it runs on `device`, else a pool engine started for the probes
    /// (and kept warm).
    fn engine_for_probes(
        &mut self,
        runtime: &Arc<Runtime>,
        device: Device,
    ) -> Result<(), SessionError> {
        if self
            .warm
            .as_ref()
            .is_some_and(|e| e.options().device == device)
        {
            return Ok(());
        }
        self.warm = None;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let options = EngineOptions {
            workers: cores.clamp(1, 4),
            mode: Mode::Pool,
            device,
            intra_threads: None,
            share_weights: true,
        };
        log::info!(
            "loading models into {} worker(s) for the probes",
            options.workers
        );
        let preload = [(
            plan::ModelId::Kokoro,
            self.assets.path(assets::KOKORO_MODEL),
        )];
        let engine =
            Engine::start_with_cache(runtime.clone(), options, &preload, self.result_cache())?;
        self.warm = Some(engine);
        Ok(())
    }
}

/// Speaks a batch of probes as one run on the pool: one plan language per voice.
struct PoolSpeaker<'a> {
    engine: &'a Engine,
    assets: &'a Assets,
    control: &'a Arc<Control>,
    cancel: &'a Arc<AtomicBool>,
}

impl ProbeSpeaker for PoolSpeaker<'_> {
    fn speak(
        &mut self,
        language: &Language,
        voices: &[String],
    ) -> Result<Vec<Result<Clip, String>>, MatchError> {
        let probe_failed = |detail: String| MatchError::Probe {
            voice: String::new(),
            detail,
        };
        let text = matching::probe_text(language);
        let plan = plan::probe_plan(language, text, voices, self.assets)
            .map_err(|e| probe_failed(e.to_string()))?;
        static BATCH: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "voxdeck-probes-{}-{}",
            std::process::id(),
            BATCH.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir)
            .map_err(|e| probe_failed(format!("cannot create {}: {e}", dir.display())))?;
        let observer = Arc::new(ProbeObserver {
            control: self.control.clone(),
            code: language.code.to_string(),
            done: AtomicUsize::new(0),
            total: voices.len(),
        });
        let outcome = self
            .engine
            .submit(plan, dir.clone(), observer, self.cancel.clone())
            .wait();
        let clips = outcome
            .languages
            .iter()
            .map(|probe| match (&probe.status, &probe.output) {
                (Status::Done, Some(path)) => wav::read(path).map_err(|e| e.to_string()),
                _ => Err(probe
                    .error
                    .clone()
                    .unwrap_or_else(|| "the probe was cancelled".to_string())),
            })
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        if outcome.cancelled {
            return Err(MatchError::Stopped);
        }
        Ok(clips)
    }
}

/// Counts finished probes into the session's state.
struct ProbeObserver {
    control: Arc<Control>,
    code: String,
    done: AtomicUsize,
    total: usize,
}

impl RunObserver for ProbeObserver {
    fn language_changed(&self, _: usize, progress: &LanguageProgress) {
        if !progress.is_finished() {
            return;
        }
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        let probes = ProbeProgress {
            code: self.code.clone(),
            done,
            total: self.total,
        };
        self.control
            .state
            .update(Notice::Session, |s| s.probes = Some(probes));
    }

    fn run_finished(&self, _: &RunOutcome) {}
}
