//! The binary's commands. Every error that reaches `main` is bad input or set-up (exit 2);
//! a run whose languages did not all finish returns `Finished::SomeFailed` (exit 1).

pub mod bench;
pub mod doctor;
pub mod progress;
pub mod run;
pub mod voices;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use voxdeck::assets::Assets;
use voxdeck::engine::plan::{self, Plan};
use voxdeck::engine::runtime::{self, Runtime};
use voxdeck::job::JobSpec;

pub enum Finished {
    AllDone,
    SomeFailed,
}

/// A job ready to run: parsed, planned against the assets, with ORT loaded.
pub struct Prepared {
    pub job: JobSpec,
    pub plan: Plan,
    pub runtime: Arc<Runtime>,
}

pub fn prepare(job_path: &Path, ort_lib: Option<&Path>) -> anyhow::Result<Prepared> {
    let job = JobSpec::load(job_path)?;
    let assets = Assets::locate();
    let plan = plan::plan(&job, &assets)
        .with_context(|| format!("cannot prepare job {}", job_path.display()))?;
    let runtime = runtime::load(ort_lib, &assets)?;
    Ok(Prepared { job, plan, runtime })
}

pub fn espeak_version() -> String {
    voxdeck::engine::espeak::Espeak::lock()
        .map(|e| e.version().to_string())
        .unwrap_or_else(|e| e.to_string())
}

/// `voxdeck [JOB]` with no subcommand. The interactive console is not built yet, so this
/// says so and runs the job headless instead of pretending.
pub fn console_fallback(
    job: Option<std::path::PathBuf>,
    runtime: &crate::cli::RuntimeArgs,
) -> anyhow::Result<Finished> {
    let job = job.unwrap_or_else(|| std::path::PathBuf::from("assets/demo/job.toml"));
    eprintln!(
        "voxdeck: the interactive console is not available in this build yet; running {} headless",
        job.display()
    );
    let args = crate::cli::RunArgs {
        job,
        workers: None,
        mode: None,
        device: None,
        intra_threads: None,
        out: None,
        json: false,
        cancel_after: None,
    };
    run::execute(args, runtime)
}
