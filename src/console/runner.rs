//! The console's engine controller: a std thread that plans jobs, keeps an `Engine` warm
//! between runs with the same settings, forwards engine events, keeps every take of every
//! language, scores takes against the source clip, matches voices, and writes a report
//! (with all takes) after each run. The event loop only sends it commands.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use crate::assets::Assets;
use crate::engine::events::EngineEvent;
use crate::engine::languages::Language;
use crate::engine::plan;
use crate::engine::pool::{Engine, EngineOptions};
use crate::engine::runtime::{self, Runtime};
use crate::job::{Device, JobSpec};
use crate::qa::cache::EmbeddingCache;
use crate::qa::matching::{rank_voices, MatchResult};
use crate::qa::scoring::SourceScorer;
use crate::report::{self, RunSettings, Take};

#[derive(Debug, Clone)]
pub enum RunnerEvent {
    /// Models are being loaded for a new worker configuration.
    Loading {
        workers: usize,
    },
    Engine(EngineEvent),
    /// A finished language was kept as take `take` at `path`, made with these settings.
    TakeSaved {
        language: String,
        take: usize,
        path: PathBuf,
        voice: String,
        speed: f32,
        text: String,
    },
    /// Similarity of a take to the source clip, or why it could not be scored.
    Scored {
        language: String,
        take: usize,
        similarity: Result<f32, String>,
    },
    /// The run ended and its report was written.
    Finished {
        provider: Option<String>,
        report: Option<PathBuf>,
        synthesis_seconds: f64,
    },
    /// The job could not start (set-up or planning error); nothing ran.
    SetupFailed(String),
    /// Voice matching finished for a language.
    Matched {
        language: String,
        result: Result<MatchResult, String>,
    },
}

enum Command {
    Run {
        job: JobSpec,
        out_dir: PathBuf,
    },
    Match {
        language: &'static Language,
        source: PathBuf,
        device: Device,
    },
}

pub struct Runner {
    commands: Option<mpsc::Sender<Command>>,
    cancel: Arc<AtomicBool>,
    /// Set on drop: queued commands are skipped and matching stops between voices.
    shutdown: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What the runner thread keeps between commands.
struct State {
    ort_lib: Option<PathBuf>,
    warm: Option<(EngineOptions, Engine)>,
    /// Every take of every language this session, by language code.
    takes: HashMap<String, Vec<Take>>,
    /// The latest report entry of every language run this session, so the report written
    /// after rerunning one language still lists the others.
    latest: Vec<report::LanguageReport>,
    /// Names this session's take files apart from earlier sessions' in the same folder.
    session: String,
}

impl Runner {
    pub fn start(ort_lib: Option<PathBuf>, sink: impl Fn(RunnerEvent) + Send + 'static) -> Runner {
        let (tx, rx) = mpsc::channel::<Command>();
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let shutdown = Arc::new(AtomicBool::new(false));
        let stop = shutdown.clone();
        let thread = std::thread::Builder::new()
            .name("voxdeck-runner".into())
            .spawn(move || {
                let session = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
                    .to_string();
                let mut state = State {
                    ort_lib,
                    warm: None,
                    takes: HashMap::new(),
                    latest: Vec::new(),
                    session,
                };
                while let Ok(command) = rx.recv() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    match command {
                        Command::Run { job, out_dir } => {
                            if let Err(message) = run(&mut state, job, out_dir, &flag, &sink) {
                                sink(RunnerEvent::SetupFailed(message));
                            }
                        }
                        Command::Match {
                            language,
                            source,
                            device,
                        } => {
                            let result = match_voice(&state, language, &source, device, &stop);
                            sink(RunnerEvent::Matched {
                                language: language.code.to_string(),
                                result,
                            });
                        }
                    }
                }
            })
            .expect("spawning the runner thread");
        Runner {
            commands: Some(tx),
            cancel,
            shutdown,
            thread: Some(thread),
        }
    }

    pub fn run(&self, job: JobSpec, out_dir: PathBuf) {
        self.cancel.store(false, Ordering::SeqCst);
        self.send(Command::Run { job, out_dir });
    }

    /// Ranks the language's stock voices against the source clip.
    pub fn match_voice(&self, language: &'static Language, source: PathBuf, device: Device) {
        self.send(Command::Match {
            language,
            source,
            device,
        });
    }

    /// Cancels the current run (in-flight sentences finish), or the one being set up.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    fn send(&self, command: Command) {
        if let Some(tx) = &self.commands {
            let _ = tx.send(command);
        }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.shutdown.store(true, Ordering::SeqCst);
        self.cancel();
        self.commands.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn same_engine(a: &EngineOptions, b: &EngineOptions) -> bool {
    a.workers == b.workers
        && a.mode == b.mode
        && a.device == b.device
        && a.intra_threads == b.intra_threads
}

fn run(
    state: &mut State,
    job: JobSpec,
    out_dir: PathBuf,
    cancel: &AtomicBool,
    sink: &impl Fn(RunnerEvent),
) -> Result<(), String> {
    let assets = Assets::locate();
    let runtime: Arc<Runtime> =
        runtime::load(state.ort_lib.as_deref(), &assets).map_err(|e| e.to_string())?;
    let plan = plan::plan(&job, &assets).map_err(|e| e.to_string())?;
    let options = EngineOptions {
        workers: job.workers.unwrap_or_else(|| job.default_workers()),
        mode: job.mode,
        device: job.device,
        intra_threads: job.intra_threads,
        share_prepacked: true,
    };
    if !state
        .warm
        .as_ref()
        .is_some_and(|(o, _)| same_engine(o, &options))
    {
        state.warm = None;
        sink(RunnerEvent::Loading {
            workers: options.workers,
        });
        let preload: Vec<_> = plan.models.clone().into_iter().collect();
        let engine =
            Engine::start(runtime.clone(), options.clone(), &preload).map_err(|e| e.to_string())?;
        state.warm = Some((options.clone(), engine));
    }
    let (_, engine) = state.warm.as_ref().expect("engine started above");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let handle = engine.submit(plan.clone(), out_dir.clone());
    let mut new_takes = Vec::new();
    loop {
        if cancel.load(Ordering::SeqCst) {
            handle.cancel();
        }
        match handle.events.recv_timeout(Duration::from_millis(50)) {
            Ok(Some(event)) => {
                let saved = match &event {
                    EngineEvent::LanguageDone {
                        language, output, ..
                    } => super::takes::keep_take(
                        &mut state.takes,
                        &state.session,
                        &job,
                        &out_dir,
                        language,
                        output,
                    ),
                    _ => None,
                };
                sink(RunnerEvent::Engine(event));
                if let Some((language, kept, path)) = saved {
                    new_takes.push((language.clone(), kept.take));
                    sink(RunnerEvent::TakeSaved {
                        language,
                        take: kept.take,
                        path,
                        voice: kept.voice,
                        speed: kept.speed,
                        text: kept.text,
                    });
                }
            }
            Ok(None) => break,
            Err(_) => {}
        }
    }
    let outcome = handle.wait();
    super::takes::score_takes(
        &mut state.takes,
        &runtime,
        &assets,
        job.source_clip.as_deref(),
        &new_takes,
        sink,
    );

    let settings = RunSettings::of(&job.name, engine);
    let mut report = report::build(settings, &plan, &outcome);
    for language in &mut report.languages {
        let takes = state.takes.get(&language.code).cloned().unwrap_or_default();
        if language.output.is_some() {
            language.similarity = takes.last().and_then(|t| t.similarity);
        }
        language.takes = takes;
    }
    for language in &report.languages {
        match state.latest.iter_mut().find(|l| l.code == language.code) {
            Some(previous) => *previous = language.clone(),
            None => state.latest.push(language.clone()),
        }
    }
    report.languages = state.latest.clone();
    let path = out_dir.join("report.json");
    let written = report::write(&report, &path).is_ok().then_some(path);
    let provider = outcome
        .languages
        .iter()
        .find_map(|l| l.execution_provider.clone());
    sink(RunnerEvent::Finished {
        provider,
        report: written,
        synthesis_seconds: outcome.synthesis_seconds(),
    });
    Ok(())
}

fn match_voice(
    state: &State,
    language: &'static Language,
    source: &Path,
    device: Device,
    stop: &AtomicBool,
) -> Result<MatchResult, String> {
    let assets = Assets::locate();
    let runtime = runtime::load(state.ort_lib.as_deref(), &assets).map_err(|e| e.to_string())?;
    let mut scorer = SourceScorer::new(&runtime, &assets, source)?;
    let cache =
        EmbeddingCache::open(assets.path(crate::assets::PROBE_CACHE)).map_err(|e| e.to_string())?;
    rank_voices(
        &runtime,
        &assets,
        &mut scorer,
        &cache,
        language,
        device,
        stop,
    )
    .map_err(|e| e.to_string())
}
