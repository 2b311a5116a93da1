//! The binary's commands. Every error that reaches `main` is bad input or set-up (exit 2);
//! a run whose languages did not all finish returns `Finished::SomeFailed` (exit 1).

pub mod bench;
pub mod doctor;
pub mod gpu;
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

/// `voxdeck [JOB]` with no subcommand: the console on a terminal; without one, the job
/// runs headless (there is nobody to press keys) and its report is printed.
pub fn console_or_headless(
    job: Option<std::path::PathBuf>,
    runtime: &crate::cli::RuntimeArgs,
) -> anyhow::Result<Finished> {
    use std::io::IsTerminal;
    let demo = std::path::PathBuf::from("assets/demo/job.toml");
    let job_path = job.or_else(|| demo.exists().then_some(demo));
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        let spec = job_path.as_deref().map(JobSpec::load).transpose()?;
        voxdeck::console::open(spec, runtime.ort_lib.clone())?;
        return Ok(Finished::AllDone);
    }
    let Some(job) = job_path else {
        anyhow::bail!(
            "no terminal and no job file: give one, e.g. `voxdeck run assets/demo/job.toml`"
        );
    };
    eprintln!("voxdeck: no terminal, so {} runs headless", job.display());
    let args = crate::cli::RunArgs {
        job,
        workers: None,
        mode: None,
        device: None,
        intra_threads: None,
        out: None,
        json: true,
        cancel_after: None,
    };
    run::execute(args, runtime)
}
