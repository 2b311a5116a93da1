//! The binary's commands. Every error that reaches `main` is bad input or set-up (exit 2);
//! a run whose languages did not all finish returns `Finished::SomeFailed` (exit 1).

/// `println!` that returns an error where `println!` would panic (a full disk, a closed
/// pipe behind `--json`): the command ends with a message and exit 2, not a panic (101).
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::commands::stdout_line(format_args!($($arg)*))?
    };
}

pub mod bench;
pub mod doctor;
pub mod fit;
pub mod gpu;
pub mod metrics;
pub mod progress;
pub mod qa;
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
    /// Stopped by a second Ctrl-C (or a cancelled fit): exit 130, as shells report SIGINT.
    Interrupted,
}

/// A job ready to time: parsed, its source clip checked, planned against the assets, with
/// ORT loaded. (`run` and the console go through the session instead.)
pub struct Prepared {
    pub job: JobSpec,
    pub plan: Plan,
    pub runtime: Arc<Runtime>,
}

pub fn prepare(job_path: &Path, ort_lib: Option<&Path>) -> anyhow::Result<Prepared> {
    let job = load_job(job_path)?;
    if let Some(l) = job.languages.iter().find(|l| {
        l.voice.as_deref().is_some_and(|v| {
            v == voxdeck::qa::matching::MATCH || voxdeck::fit::FitRequest::parse(v).is_some()
        })
    }) {
        anyhow::bail!(
            "{}: bench times synthesis with a fixed voice, and this job asks to match or fit one; run `voxdeck run` once and put the voice it chose in the job",
            l.code
        );
    }
    let assets = Assets::locate();
    // Model files are checked before ORT is loaded, so a fresh box hears about both in
    // the order it must fix them.
    let plan = plan::plan(&job, &assets)
        .with_context(|| format!("cannot prepare job {}", job_path.display()))?;
    let runtime = runtime::load(ort_lib, &assets)?;
    Ok(Prepared { job, plan, runtime })
}

/// Parses a job and refuses it if the source clip it names cannot be used: the operator
/// named a clip, so a missing or broken one is bad input, found before any synthesis.
pub fn load_job(job_path: &Path) -> anyhow::Result<JobSpec> {
    let job = JobSpec::load(job_path)?;
    if let Some(clip) = &job.source_clip {
        if let Err(e) = voxdeck::audio::decode::decode(clip) {
            anyhow::bail!(
                "the job's source clip cannot be used: {e}; fix `[source] clip` in {} or remove it to run without one",
                job_path.display()
            );
        }
    }
    Ok(job)
}

/// The console needs a terminal for input and output.
pub fn console_can_open() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// `voxdeck [JOB]` with no subcommand: the console on a terminal; without one, the job
/// runs headless (there is nobody to press keys) and its report is printed.
pub fn console_or_headless(
    job: Option<std::path::PathBuf>,
    runtime: &crate::cli::RuntimeArgs,
    cache: &crate::cli::CacheArgs,
    metrics: crate::cli::MetricsArgs,
) -> anyhow::Result<Finished> {
    let demo = std::path::PathBuf::from("assets/demo/job.toml");
    let job_path = job.or_else(|| demo.exists().then_some(demo));
    if console_can_open() {
        let spec = job_path.as_deref().map(JobSpec::load).transpose()?;
        let listener = metrics::bind(&metrics)?;
        // The same exit codes as headless: 1 when the last run left a language undone.
        return Ok(
            if voxdeck::console::open(spec, runtime.ort_lib.clone(), cache.options(), listener)? {
                Finished::AllDone
            } else {
                Finished::SomeFailed
            },
        );
    }
    let Some(job) = job_path else {
        anyhow::bail!(
            "no terminal and no job file: give one, e.g. `voxdeck run assets/demo/job.toml`"
        );
    };
    log::info!("no terminal, so {} runs headless", job.display());
    let args = crate::cli::RunArgs {
        job,
        workers: None,
        mode: None,
        device: None,
        intra_threads: None,
        sentence_silence: None,
        utterance_tokens: None,
        out: None,
        json: true,
        wait: false,
        no_cache: false,
        no_transcribe: false,
        cache: cache.clone(),
        cancel_after: None,
        metrics,
    };
    run::execute(args, runtime)
}

/// One line on standard output, flushed, or the error that says where it could not go.
pub fn stdout_line(line: std::fmt::Arguments) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .map_err(|e| anyhow::anyhow!("cannot write to standard output: {e}; check where it is sent (a full disk, a closed pipe)"))
}
