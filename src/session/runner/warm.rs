//! The session's warm engine (workers and their sessions, kept between runs while the job
//! asks for the same one) and its result cache, opened once.

use std::path::PathBuf;
use std::sync::Arc;

use super::Context;
use crate::engine::cache::{ResultCache, StoreSetting};
use crate::engine::plan::ModelId;
use crate::engine::pool::{Engine, EngineOptions};
use crate::engine::runtime::Runtime;
use crate::job::JobSpec;
use crate::session::published::Notice;
use crate::session::state::RunPhase;
use crate::session::{Control, SessionError};

impl Context {
    /// Makes the warm engine the one `job` runs on: kept when it is the same, else started
    /// anew with `preload`'s models (the run's phase says so while it loads), and kept
    /// warm for the commands that follow. `purpose` ends the log line ("for the fit").
    pub(super) fn warm_engine(
        &mut self,
        control: &Arc<Control>,
        runtime: &Arc<Runtime>,
        job: &JobSpec,
        preload: &[(ModelId, PathBuf)],
        purpose: &str,
    ) -> Result<(), SessionError> {
        let options = engine_options(job);
        let cache = self.result_cache();
        if let Some(cache) = &cache {
            cache.retry();
        }
        let same = (self.warm.as_ref()).is_some_and(|e| same_engine(e, &options, cache.is_some()));
        if same {
            return Ok(());
        }
        self.warm = None;
        control.state.update(Notice::Session, |s| {
            s.run.advance(RunPhase::Loading {
                workers: options.workers,
            });
        });
        log::info!("loading models into {} worker(s){purpose}", options.workers);
        let engine = Engine::start_with_cache(runtime.clone(), options, preload, cache)?;
        crate::session::live::engine_started(control, &engine);
        self.warm = Some(engine);
        Ok(())
    }

    /// The session's result cache: opened once, at the first run, unless `no_cache`. One
    /// that cannot be opened (an unreachable Redis server, an unwritable folder) is a
    /// warning, and the session runs without it: a cache only saves time.
    pub(super) fn result_cache(&self) -> Option<Arc<ResultCache>> {
        self.cache
            .get_or_init(|| {
                if self.options.no_cache {
                    return None;
                }
                let config = crate::config::current();
                let (setting, max_bytes) = self
                    .options
                    .cache
                    .resolve(config.cache_url.as_deref(), config.cache_max_mb);
                match ResultCache::open(&setting, max_bytes) {
                    Ok(cache) => {
                        log::debug!(
                            "result cache: {} {}",
                            cache.store().kind(),
                            cache.store().location()
                        );
                        Some(Arc::new(cache))
                    }
                    Err(e) => {
                        // A Redis error names its own cause and fix (unreachable, password).
                        let fix = match setting {
                            StoreSetting::Redis(_) => "",
                            StoreSetting::Disk => {
                                "; set VOXDECK_RESULT_CACHE to a writable folder, or pass --no-cache"
                            }
                        };
                        log::warn!("running without the result cache: {e}{fix}");
                        let _ = self.cache_unavailable.set(e.to_string());
                        None
                    }
                }
            })
            .clone()
    }
}

/// The engine a job runs on.
fn engine_options(job: &JobSpec) -> EngineOptions {
    EngineOptions {
        workers: job
            .workers
            .unwrap_or_else(|| job.default_workers(crate::config::current().worker_defaults())),
        mode: job.mode,
        device: job.device,
        intra_threads: job.intra_threads,
        share_weights: true,
    }
}

/// Whether the warm engine is the one `b` (with or without the result cache) asks for.
fn same_engine(engine: &Engine, b: &EngineOptions, cached: bool) -> bool {
    let a = engine.options();
    engine.cache().is_some() == cached
        && a.workers == b.workers
        && a.mode == b.mode
        && a.device == b.device
        && a.intra_threads == b.intra_threads
}
