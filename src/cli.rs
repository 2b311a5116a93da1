//! Command line: `voxdeck [JOB]` (console), `run`, `bench`, `doctor`, `voices`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use voxdeck::job::{Device, Mode};

#[derive(Debug, Parser)]
#[command(
    name = "voxdeck",
    version,
    about = "Multilingual voice synthesis on a worker pool, with ONNX Runtime"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Job file to open when no subcommand is given (default: the demo job).
    pub job: Option<PathBuf>,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

#[derive(Debug, Args, Clone, Default)]
pub struct RuntimeArgs {
    /// ONNX Runtime library to load (else $ORT_DYLIB_PATH, else the copy scripts/setup fetched).
    #[arg(long, global = true, value_name = "PATH")]
    pub ort_lib: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Synthesise every language of a job headless; writes <out>/<lang>.wav and <out>/report.json.
    Run(RunArgs),
    /// Time the job in shared-lock mode and in pool mode at several worker counts.
    Bench(BenchArgs),
    /// Check the ORT library, execution providers, GPU, audio, espeak-ng and model files.
    Doctor(DoctorArgs),
    /// List the models, their languages and voices.
    Voices(VoicesArgs),
    /// Sample GPU memory, utilisation, temperature and power through NVML (host memory without it).
    Gpu(GpuArgs),
}

#[derive(Debug, Args)]
pub struct GpuArgs {
    /// Print one sample and exit.
    #[arg(long)]
    pub once: bool,
    /// JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Milliseconds between samples.
    #[arg(long, default_value_t = 500)]
    pub interval_ms: u64,
    /// Stop after this many samples.
    #[arg(long)]
    pub count: Option<usize>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Job file (TOML; see README).
    pub job: PathBuf,
    /// Worker threads (default: the job's, else min(languages, $TTS_MAX_WORKERS or 4)).
    #[arg(long)]
    pub workers: Option<usize>,
    /// pool: one session per worker; shared-lock: one session behind a mutex (baseline).
    #[arg(long)]
    pub mode: Option<Mode>,
    /// auto, cpu, cuda or cuda:N.
    #[arg(long)]
    pub device: Option<Device>,
    /// ORT intra-op threads per session (default: max(1, cores / workers)).
    #[arg(long)]
    pub intra_threads: Option<usize>,
    /// Output folder (default: the job's `run.output`, else out/<job name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the report as JSON on stdout (progress still goes to stderr).
    #[arg(long)]
    pub json: bool,
    /// Stop after this many utterances have finished (for testing cancellation).
    #[arg(long, hide = true)]
    pub cancel_after: Option<usize>,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    pub job: PathBuf,
    /// Worker counts to time in pool mode, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,2,3,4")]
    pub workers: Vec<usize>,
    /// Timed repetitions per configuration (after one warm-up run); the median is reported.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// ORT intra-op threads for every configuration (default: max(1, cores / workers)).
    #[arg(long)]
    pub intra_threads: Option<usize>,
    /// Extra shared-lock baseline rows at these intra-op thread counts, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub baseline_intra: Vec<usize>,
    #[arg(long)]
    pub device: Option<Device>,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct VoicesArgs {
    #[arg(long)]
    pub json: bool,
}
