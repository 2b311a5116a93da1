//! Worker threads that synthesise utterances. In `pool` mode every worker owns its own
//! session per model, so N workers really run N inferences at once. In `shared-lock` mode
//! all workers share one session per model behind a mutex: the baseline that shows what
//! a single locked model costs.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::cache::ResultCache;
use super::load::PoolLoad;
use super::plan::{ModelId, Plan};
use super::progress::RunObserver;
use super::run::{RunCache, RunOutcome, RunWork};
use super::runtime::{OrtOptions, Runtime, RuntimeError};
pub use super::sessions::OpenSession;
use super::sessions::{SessionFactory, Sessions};
use super::vram_guard::VramGuard;
use super::weights::SharedWeights;
use crate::job::{Device, Mode};

#[derive(Debug, Clone)]
pub struct EngineOptions {
    pub workers: usize,
    pub mode: Mode,
    pub device: Device,
    /// ORT intra-op threads per session; default max(1, cores / workers).
    pub intra_threads: Option<usize>,
    /// The workers' CPU sessions share one copy of each model's weights (pool mode, two
    /// workers or more; `engine::weights`).
    pub share_weights: bool,
}

/// A running set of workers, ready to take runs one after another with warm sessions.
pub struct Engine {
    options: EngineOptions,
    intra_threads: usize,
    senders: Vec<mpsc::Sender<Arc<RunWork>>>,
    handles: Vec<JoinHandle<()>>,
    runtime: Arc<Runtime>,
    cache: Option<Arc<ResultCache>>,
    /// sha256 of each model file the engine has run, for the cache keys: computed once
    /// per engine (None: the file could not be read, so its utterances bypass the cache).
    model_digests: Mutex<HashMap<PathBuf, Option<String>>>,
    /// Units queued and workers busy, for readers on other threads (metrics).
    load: Arc<PoolLoad>,
}

/// A submitted run: its cancel switch and its outcome.
pub struct RunHandle {
    cancel: Arc<AtomicBool>,
    state: Arc<RunWork>,
}

impl RunHandle {
    /// Stops the run: utterances in flight finish, the rest are dropped, and languages
    /// left unfinished get no output file.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    /// Blocks until every worker has finished with this run.
    pub fn wait(&self) -> RunOutcome {
        self.state.wait()
    }
}

pub fn default_intra_threads(workers: usize) -> usize {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    (cores / workers.max(1)).max(1)
}

impl Engine {
    /// Starts `options.workers` threads and opens `preload` models in each (pool) or once
    /// (shared-lock) before returning, so timing a run never includes model loading.
    /// Every utterance is synthesised: there is no result cache.
    pub fn start(
        runtime: Arc<Runtime>,
        options: EngineOptions,
        preload: &[(ModelId, PathBuf)],
    ) -> Result<Engine, RuntimeError> {
        Engine::start_with_cache(runtime, options, preload, None)
    }

    /// `start`, with utterance audio looked up in `cache` before synthesis (a hit skips
    /// ORT) and stored there after it. The preloaded models' files are hashed for the
    /// cache keys while the workers open their sessions.
    pub fn start_with_cache(
        runtime: Arc<Runtime>,
        options: EngineOptions,
        preload: &[(ModelId, PathBuf)],
        cache: Option<Arc<ResultCache>>,
    ) -> Result<Engine, RuntimeError> {
        let workers = options.workers.max(1);
        let intra_threads = options
            .intra_threads
            .unwrap_or_else(|| default_intra_threads(workers));
        // One worker has nobody to share with: alone it keeps ORT's own loading, prepacking
        // included.
        let shared_weights = (options.share_weights && options.mode == Mode::Pool && workers > 1)
            .then(|| Arc::new(SharedWeights::new()));
        let factory = Arc::new(SessionFactory {
            runtime: runtime.clone(),
            options: OrtOptions {
                device: options.device,
                intra_threads,
                shared_weights,
                arena: true,
            },
        });
        let shared = Arc::new(Mutex::new(HashMap::new()));
        if options.mode == Mode::SharedLock {
            let mut map = shared.lock().unwrap_or_else(|p| p.into_inner());
            for (model, path) in preload {
                map.insert(model.clone(), Arc::new(Mutex::new(factory.open(path)?)));
            }
        }
        let (ready_tx, ready_rx) = mpsc::channel();
        let mut senders = Vec::new();
        let mut handles = Vec::new();
        // On CUDA, workers start one after another, each only while the device has room.
        let mut vram_guard = (options.mode == Mode::Pool
            && options.device != Device::Cpu
            && runtime.info.cuda_provider_available
            && workers > 1)
            .then(VramGuard::new);
        let mut ready_seen = 0;
        let mut startup_error = None;
        for index in 0..workers {
            if let (Some(guard), true) = (vram_guard.as_mut(), index > 0) {
                match ready_rx.recv() {
                    Ok(Ok(())) => ready_seen += 1,
                    Ok(Err(e)) => {
                        ready_seen += 1;
                        startup_error = Some(e);
                        break;
                    }
                    Err(_) => break,
                }
                if index == 1 {
                    guard.first_worker_ready();
                }
                if let Err(why) = guard.room_for_another() {
                    log::warn!("{why}: running {index} of the {workers} workers asked for");
                    break;
                }
            }
            let (tx, rx) = mpsc::channel::<Arc<RunWork>>();
            let factory = factory.clone();
            let ready_tx = ready_tx.clone();
            let preload = preload.to_vec();
            let sessions = match options.mode {
                Mode::Pool => None,
                Mode::SharedLock => Some(shared.clone()),
            };
            let handle = std::thread::Builder::new()
                .name(format!("voxdeck-worker-{index}"))
                .spawn(move || {
                    let mut sessions = match sessions {
                        Some(shared) => Sessions::Shared(shared),
                        None => {
                            let mut own = HashMap::new();
                            for (model, path) in &preload {
                                match factory.open(path) {
                                    Ok(s) => {
                                        own.insert(model.clone(), s);
                                    }
                                    Err(e) => {
                                        let _ = ready_tx.send(Err(e));
                                        return;
                                    }
                                }
                            }
                            Sessions::Owned(own)
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    drop(ready_tx);
                    while let Ok(run) = rx.recv() {
                        run.work(&mut sessions, &factory);
                    }
                })
                .expect("spawning a worker thread");
            senders.push(tx);
            handles.push(handle);
        }
        drop(ready_tx);
        let mut options = options;
        options.workers = senders.len();
        let mut engine = Engine {
            options,
            intra_threads,
            senders,
            handles,
            runtime,
            cache,
            model_digests: Mutex::new(HashMap::new()),
            load: Arc::default(),
        };
        if engine.cache.is_some() {
            for (_, path) in preload {
                engine.model_digest(path);
            }
        }
        if let Some(e) = startup_error {
            engine.shutdown();
            return Err(e);
        }
        for _ in ready_seen..engine.senders.len() {
            match ready_rx.recv() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    engine.shutdown();
                    return Err(e);
                }
                Err(_) => break,
            }
        }
        Ok(engine)
    }

    pub fn options(&self) -> &EngineOptions {
        &self.options
    }

    pub fn intra_threads(&self) -> usize {
        self.intra_threads
    }

    pub fn runtime(&self) -> &Arc<Runtime> {
        &self.runtime
    }

    /// The result cache this engine reads and writes, if it has one.
    pub fn cache(&self) -> Option<&Arc<ResultCache>> {
        self.cache.as_ref()
    }

    /// Units queued and workers busy across this engine's runs, read without locks.
    pub fn load(&self) -> &Arc<PoolLoad> {
        &self.load
    }

    /// The model file's sha256, hashed the first time this engine needs it.
    fn model_digest(&self, path: &Path) -> Option<String> {
        let mut digests = self.model_digests.lock().unwrap_or_else(|p| p.into_inner());
        digests
            .entry(path.to_path_buf())
            .or_insert_with(|| match crate::digest::sha256_file(path) {
                Ok((sha256, _)) => Some(sha256),
                Err(e) => {
                    log::warn!(
                        "cannot hash {} for the result cache ({e}): its sentences are synthesised, not cached",
                        path.display()
                    );
                    None
                }
            })
            .clone()
    }

    /// Queues a planned job; results are written under `out_dir` as `<lang>.wav`. The
    /// observer hears every change of every language; setting `cancel` (or calling
    /// `RunHandle::cancel`) stops the run.
    pub fn submit(
        &self,
        plan: Plan,
        out_dir: PathBuf,
        observer: Arc<dyn RunObserver>,
        cancel: Arc<AtomicBool>,
    ) -> RunHandle {
        self.submit_with(plan, out_dir, observer, cancel, true)
    }

    /// `submit`, past the result cache: for audio never wanted again (voice fitting's
    /// candidates), which would only push real results out of it.
    pub fn submit_uncached(
        &self,
        plan: Plan,
        out_dir: PathBuf,
        observer: Arc<dyn RunObserver>,
        cancel: Arc<AtomicBool>,
    ) -> RunHandle {
        self.submit_with(plan, out_dir, observer, cancel, false)
    }

    fn submit_with(
        &self,
        plan: Plan,
        out_dir: PathBuf,
        observer: Arc<dyn RunObserver>,
        cancel: Arc<AtomicBool>,
        cached: bool,
    ) -> RunHandle {
        let cache = self
            .cache
            .as_ref()
            .filter(|_| cached)
            .map(|store| RunCache {
                store: store.clone(),
                models: plan
                    .models
                    .iter()
                    .filter_map(|(model, path)| {
                        self.model_digest(path).map(|sha| (model.clone(), sha))
                    })
                    .collect::<BTreeMap<_, _>>(),
            });
        let state = Arc::new(RunWork::new(
            plan,
            out_dir,
            observer,
            cancel.clone(),
            self.senders.len(),
            cache,
            self.load.clone(),
        ));
        state.announce();
        for sender in &self.senders {
            if sender.send(state.clone()).is_err() {
                state.worker_lost();
            }
        }
        RunHandle { cancel, state }
    }

    fn shutdown(&mut self) {
        self.senders.clear();
        for handle in self.handles.drain(..) {
            let _ = handle.join();
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.shutdown();
    }
}
