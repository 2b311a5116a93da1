//! The console's engine controller: a std thread that plans jobs, keeps an `Engine` warm
//! between runs with the same settings, forwards engine events and writes each run's
//! report. The event loop only sends it commands and never waits on it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use crate::assets::Assets;
use crate::engine::events::EngineEvent;
use crate::engine::plan;
use crate::engine::pool::{Engine, EngineOptions};
use crate::engine::runtime::{self, Runtime};
use crate::job::JobSpec;
use crate::report::{self, RunSettings};

#[derive(Debug, Clone)]
pub enum RunnerEvent {
    /// Models are being loaded for a new worker configuration.
    Loading {
        workers: usize,
    },
    Engine(EngineEvent),
    /// The run ended and its report was written.
    Finished {
        provider: Option<String>,
        report: Option<PathBuf>,
        synthesis_seconds: f64,
    },
    /// The job could not start (set-up or planning error); nothing ran.
    SetupFailed(String),
}

struct RunCommand {
    job: JobSpec,
    out_dir: PathBuf,
}

pub struct Runner {
    commands: Option<mpsc::Sender<RunCommand>>,
    cancel: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Runner {
    pub fn start(ort_lib: Option<PathBuf>, sink: impl Fn(RunnerEvent) + Send + 'static) -> Runner {
        let (tx, rx) = mpsc::channel::<RunCommand>();
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let thread = std::thread::Builder::new()
            .name("voxdeck-runner".into())
            .spawn(move || {
                let mut warm: Option<(EngineOptions, Engine)> = None;
                while let Ok(command) = rx.recv() {
                    if let Err(message) =
                        execute(command, ort_lib.as_deref(), &mut warm, &flag, &sink)
                    {
                        sink(RunnerEvent::SetupFailed(message));
                    }
                }
            })
            .expect("spawning the runner thread");
        Runner {
            commands: Some(tx),
            cancel,
            thread: Some(thread),
        }
    }

    pub fn run(&self, job: JobSpec, out_dir: PathBuf) {
        self.cancel.store(false, Ordering::SeqCst);
        if let Some(tx) = &self.commands {
            let _ = tx.send(RunCommand { job, out_dir });
        }
    }

    /// Cancels the current run (in-flight sentences finish), or the one being set up.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
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

fn execute(
    command: RunCommand,
    ort_lib: Option<&std::path::Path>,
    warm: &mut Option<(EngineOptions, Engine)>,
    cancel: &AtomicBool,
    sink: &impl Fn(RunnerEvent),
) -> Result<(), String> {
    let assets = Assets::locate();
    let job = command.job;
    let runtime: Arc<Runtime> = runtime::load(ort_lib, &assets).map_err(|e| e.to_string())?;
    let plan = plan::plan(&job, &assets).map_err(|e| e.to_string())?;
    let options = EngineOptions {
        workers: job.workers.unwrap_or_else(|| job.default_workers()),
        mode: job.mode,
        device: job.device,
        intra_threads: job.intra_threads,
        share_prepacked: true,
    };
    if !warm.as_ref().is_some_and(|(o, _)| same_engine(o, &options)) {
        *warm = None;
        sink(RunnerEvent::Loading {
            workers: options.workers,
        });
        let preload: Vec<_> = plan.models.clone().into_iter().collect();
        let engine =
            Engine::start(runtime.clone(), options.clone(), &preload).map_err(|e| e.to_string())?;
        *warm = Some((options.clone(), engine));
    }
    let (_, engine) = warm.as_ref().expect("engine started above");
    std::fs::create_dir_all(&command.out_dir)
        .map_err(|e| format!("cannot create {}: {e}", command.out_dir.display()))?;
    let handle = engine.submit(plan.clone(), command.out_dir.clone());
    loop {
        if cancel.load(Ordering::SeqCst) {
            handle.cancel();
        }
        match handle.events.recv_timeout(Duration::from_millis(50)) {
            Ok(Some(event)) => sink(RunnerEvent::Engine(event)),
            Ok(None) => break,
            Err(_) => {}
        }
    }
    let outcome = handle.wait();
    let settings = RunSettings {
        job: job.name.clone(),
        mode: options.mode.name().to_string(),
        workers: options.workers,
        intra_threads: engine.intra_threads(),
        device: options.device.to_string(),
        ort_library: runtime.info.library.clone(),
        ort_version: runtime.info.version.clone(),
        espeak_version: crate::engine::espeak::Espeak::lock()
            .map(|e| e.version().to_string())
            .unwrap_or_default(),
    };
    let report = report::build(settings, &plan, &outcome);
    let path = command.out_dir.join("report.json");
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
