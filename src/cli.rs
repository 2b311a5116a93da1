//! Command line: `voxdeck [JOB]` (console), `run`, `bench`, `doctor`, `voices`.

use std::path::PathBuf;

use clap::builder::RangedU64ValueParser;
use clap::{ArgAction, Args, Parser, Subcommand};

use voxdeck::engine::cache::{CacheOptions, StoreSetting};
use voxdeck::job::{Device, Mode, MAX_WORKERS, MIN_WORKERS};

/// A worker count, `MIN_WORKERS..=MAX_WORKERS`; clap refuses anything else (exit code 2).
fn workers_parser() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(MIN_WORKERS as u64..=MAX_WORKERS as u64)
}

/// A count of one or more (threads, repeats).
fn at_least_one() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..)
}

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
    #[command(flatten)]
    pub cache: CacheArgs,
    #[command(flatten)]
    pub log: LogArgs,
    #[command(flatten)]
    pub metrics: MetricsArgs,
}

/// Live metrics for the console and `run`.
#[derive(Debug, Args, Clone, Default)]
pub struct MetricsArgs {
    /// Serve Prometheus metrics at http://ADDR/metrics; a bare port means 127.0.0.1:PORT
    /// (default: the settings file's [metrics] addr, else none).
    #[arg(long, value_name = "ADDR")]
    pub metrics: Option<String>,
    /// Keep serving metrics this long after the run ends, so a scraper sees its last figures.
    #[arg(long, hide = true, value_name = "MS")]
    pub metrics_linger_ms: Option<u64>,
}

/// How much is logged: `-v` debug, `-vv` trace, `-q` warnings and errors only.
#[derive(Debug, Args, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogArgs {
    /// Log more: -v debug, -vv (or more) trace.
    #[arg(short, long, global = true, action = ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Log warnings and errors only.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

impl LogArgs {
    /// Info by default, Debug with -v, Trace with -vv, Warn with -q.
    pub fn level(&self) -> log::LevelFilter {
        match (self.quiet, self.verbose) {
            (true, _) => log::LevelFilter::Warn,
            (false, 0) => log::LevelFilter::Info,
            (false, 1) => log::LevelFilter::Debug,
            (false, _) => log::LevelFilter::Trace,
        }
    }
}

#[derive(Debug, Args, Clone, Default)]
pub struct RuntimeArgs {
    /// ONNX Runtime library to load (else $ORT_DYLIB_PATH, else the copy scripts/setup fetched).
    #[arg(long, global = true, value_name = "PATH")]
    pub ort_lib: Option<PathBuf>,
}

/// Which result cache: on the console (`voxdeck [JOB]`) and on `voxdeck run`.
#[derive(Debug, Args, Clone, Default)]
pub struct CacheArgs {
    /// The result cache: `disk` (this box's folder) or redis://HOST:PORT, one cache for
    /// several boxes (default: the settings file's [cache] url, else disk).
    #[arg(long, value_name = "disk|redis://HOST:PORT")]
    pub cache: Option<StoreSetting>,
    /// The disk cache's size bound in MiB, 1 to 1048576 (default: the settings file's
    /// [cache] max_size_mb, else 512).
    #[arg(long, value_name = "MB", value_parser = RangedU64ValueParser::<u64>::new().range(1..=1 << 20))]
    pub cache_size: Option<u64>,
}

impl CacheArgs {
    pub fn options(&self) -> CacheOptions {
        CacheOptions {
            store: self.cache.clone(),
            max_mb: self.cache_size,
        }
    }
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
    /// Fit a Kokoro voice to a source clip: the closest voice Kokoro's voice space offers
    /// (not a cloning model), searched on the worker pool, saved for jobs as `fit:NAME`.
    Fit(FitArgs),
    /// Score audio voxdeck did not make, as it scores its own: speaker similarity to a
    /// source clip, Whisper's transcript and its error rates against the text.
    Qa(QaArgs),
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
    /// Worker threads, 1 to 64 (default: the job's, else min(languages, $TTS_MAX_WORKERS or 4)).
    #[arg(long, value_name = "N", value_parser = workers_parser())]
    pub workers: Option<usize>,
    /// pool: one session per worker; shared-lock: one session behind a mutex (baseline).
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,
    /// Where the models run: auto (CUDA when usable, else CPU), cpu, cuda (device 0) or cuda:N.
    #[arg(long, value_name = "auto|cpu|cuda|cuda:N", value_parser = clap::value_parser!(Device))]
    pub device: Option<Device>,
    /// ORT intra-op threads per session, 1 to four per core (default: max(1, cores / workers)).
    #[arg(long, value_name = "N", value_parser = intra_threads)]
    pub intra_threads: Option<usize>,
    /// Seconds of silence between sentences, 0 to 5 (default: the job's
    /// `run.sentence_silence`, else 0.3). Each sentence's own edge silence is trimmed first.
    #[arg(long, value_name = "SECONDS", value_parser = sentence_silence)]
    pub sentence_silence: Option<f64>,
    /// Kokoro: synthesise consecutive sentences together up to N phonemes, 0 (each sentence
    /// alone) to 510 (default: the job's `run.utterance_tokens`, else 0).
    #[arg(long, value_name = "N", value_parser = utterance_tokens)]
    pub utterance_tokens: Option<usize>,
    /// Output folder (default: the job's `run.output`, else out/<job name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the report as JSON on stdout (progress still goes to stderr).
    #[arg(long)]
    pub json: bool,
    /// If another run is using the output folder, wait for it instead of refusing (exit 2).
    #[arg(long)]
    pub wait: bool,
    /// Synthesise every sentence: neither read nor write the result cache
    /// ($VOXDECK_RESULT_CACHE, else ~/.cache/voxdeck/results, or --cache's Redis).
    #[arg(long)]
    pub no_cache: bool,
    /// Do not transcribe the source clip and the results with Whisper (no CER/WER); also
    /// `[qa] transcribe = false` in the settings file.
    #[arg(long)]
    pub no_transcribe: bool,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Stop after this many utterances have finished (for testing cancellation).
    #[arg(long, hide = true)]
    pub cancel_after: Option<usize>,
    #[command(flatten)]
    pub metrics: MetricsArgs,
}

/// `--utterance-tokens`: the job file's rule and message (`job::check_utterance_tokens`).
fn utterance_tokens(text: &str) -> Result<usize, String> {
    let tokens = text
        .parse::<usize>()
        .map_err(|_| format!("`{text}` is not a token count: give a whole number such as 400"))?;
    voxdeck::job::check_utterance_tokens(tokens)
}

/// `--sentence-silence`: the job file's rule and message (`job::check_sentence_silence`).
fn sentence_silence(text: &str) -> Result<f64, String> {
    let seconds = text
        .parse::<f64>()
        .map_err(|_| format!("`{text}` is not a number of seconds: give one such as 0.3"))?;
    voxdeck::job::check_sentence_silence(seconds)
}

/// `--intra-threads`: the job file's rule and message (`job::check_intra_threads`).
fn intra_threads(text: &str) -> Result<usize, String> {
    let threads = text
        .parse::<usize>()
        .map_err(|_| format!("`{text}` is not a thread count: give a whole number such as 2"))?;
    voxdeck::job::check_intra_threads(threads)
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    pub job: PathBuf,
    /// Worker counts to time in pool mode, comma-separated, each 1 to 64.
    #[arg(
        long,
        value_name = "N,...",
        value_delimiter = ',',
        default_value = "1,2,3,4",
        value_parser = workers_parser()
    )]
    pub workers: Vec<usize>,
    /// Timed repetitions per configuration (after one warm-up run), 1 or more; the median is
    /// reported.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = at_least_one())]
    pub repeat: usize,
    /// ORT intra-op threads for every configuration, 1 to four per core (default: max(1,
    /// cores / workers)).
    #[arg(long, value_name = "N", value_parser = intra_threads)]
    pub intra_threads: Option<usize>,
    /// Extra shared-lock baseline rows at these intra-op thread counts, comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = intra_threads)]
    pub baseline_intra: Vec<usize>,
    /// Where the models run: auto, cpu, cuda or cuda:N.
    #[arg(long, value_name = "auto|cpu|cuda|cuda:N", value_parser = clap::value_parser!(Device))]
    pub device: Option<Device>,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Time pool mode at each count of --workers and pick the knee: the smallest count
    /// within 5% of the best throughput (audio seconds per wall second).
    #[arg(long)]
    pub auto: bool,
    /// With --auto: save the chosen count as `[pool] workers` in the settings file
    /// ($VOXDECK_CONFIG, else ~/.config/voxdeck/config.toml).
    #[arg(long, requires = "auto")]
    pub save: bool,
    /// Give each pool worker its own copy of the weights (to compare memory with sharing).
    #[arg(long)]
    pub no_shared_weights: bool,
}

#[derive(Debug, Args)]
pub struct FitArgs {
    /// The source clip (WAV, FLAC, MP3, Ogg).
    pub clip: PathBuf,
    /// The language the voice will speak (en-us, en-gb, fr, es, it, pt-br, hi, de).
    #[arg(long)]
    pub lang: String,
    /// Most probe syntheses, stock voices included.
    #[arg(long, default_value_t = voxdeck::fit::DEFAULT_BUDGET, value_parser = RangedU64ValueParser::<usize>::new().range(voxdeck::fit::MIN_BUDGET as u64..=voxdeck::fit::MAX_BUDGET as u64))]
    pub budget: usize,
    /// The search's seed: the same seed, clip and budget give the same voice file.
    #[arg(long, default_value_t = voxdeck::fit::DEFAULT_SEED)]
    pub seed: u64,
    /// Worker threads, 1 to 64 (default: the settings file's, else 4).
    #[arg(long, value_name = "N", value_parser = workers_parser())]
    pub workers: Option<usize>,
    /// Where the models run: auto, cpu, cuda or cuda:N.
    #[arg(long, value_name = "auto|cpu|cuda|cuda:N", value_parser = clap::value_parser!(Device))]
    pub device: Option<Device>,
    /// ORT intra-op threads per session, 1 to four per core (default: max(1, cores / workers)).
    #[arg(long, value_name = "N", value_parser = intra_threads)]
    pub intra_threads: Option<usize>,
    /// Candidates per generation, 2 to 256 (default: twice the worker count, at least 4).
    #[arg(long, value_name = "N", value_parser = RangedU64ValueParser::<usize>::new().range(2..=256))]
    pub population: Option<usize>,
    /// Generations without a better held-out score before the search stops (default 6).
    #[arg(long, value_name = "N", default_value_t = voxdeck::fit::DEFAULT_PATIENCE, value_parser = at_least_one())]
    pub patience: usize,
    /// The fitted voice's name (default: <lang>-<clip sha256 prefix>-s<seed>).
    #[arg(long)]
    pub name: Option<String>,
    /// Print the voice's sidecar (scores, evaluations, seed) as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct QaArgs {
    /// The files to score, as LANG=FILE (WAV, FLAC, MP3, Ogg), e.g. fr=out/fr.wav.
    #[arg(required = true, value_name = "LANG=FILE", value_parser = lang_file)]
    pub files: Vec<(String, PathBuf)>,
    /// The source clip whose voice the files should have (default: the texts file's
    /// `[source] clip`, when it is a job file).
    #[arg(long, value_name = "CLIP")]
    pub source: Option<PathBuf>,
    /// What a file should say, as LANG=TEXT; once per language.
    #[arg(long = "text", value_name = "LANG=TEXT", value_parser = lang_text)]
    pub texts: Vec<(String, String)>,
    /// A TOML file of texts, `fr = "Bonjour."` lines, or a job file (its languages' texts
    /// and its source clip). --text wins over it.
    #[arg(long = "texts", value_name = "FILE")]
    pub texts_file: Option<PathBuf>,
    /// Where the recogniser and the speaker encoder run: auto, cpu, cuda or cuda:N.
    #[arg(long, default_value = "cpu", value_name = "auto|cpu|cuda|cuda:N", value_parser = clap::value_parser!(Device))]
    pub device: Device,
    /// ORT intra-op threads for the recogniser, 1 to four per core (default: one per core).
    #[arg(long, value_name = "N", value_parser = intra_threads)]
    pub intra_threads: Option<usize>,
    /// Also write the report (report.json's schema) to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Then open the console on the scored files: play them, A/B them against the source,
    /// and set voxdeck's own takes of the same texts beside them (needs a terminal).
    #[arg(long, conflicts_with = "json")]
    pub console: bool,
}

/// `LANG=FILE` for `voxdeck qa`.
fn lang_file(pair: &str) -> Result<(String, PathBuf), String> {
    let (code, path) = lang_pair(pair, "FILE", "fr=out/fr.wav")?;
    Ok((code, PathBuf::from(path)))
}

/// `LANG=TEXT` for `voxdeck qa --text`.
fn lang_text(pair: &str) -> Result<(String, String), String> {
    lang_pair(pair, "TEXT", "fr=\"Bonjour à tous.\"")
}

fn lang_pair(pair: &str, what: &str, example: &str) -> Result<(String, String), String> {
    match pair.split_once('=') {
        Some((code, rest)) if !code.trim().is_empty() && !rest.trim().is_empty() => {
            Ok((code.trim().to_string(), rest.to_string()))
        }
        _ => Err(format!("`{pair}` is not LANG={what}: give e.g. {example}")),
    }
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print the checks as JSON.
    #[arg(long)]
    pub json: bool,
    /// Optional parts that must be present on this box: absent, they fail (exit 1)
    /// instead of being reported as not available. Comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "PART")]
    pub require: Vec<DoctorPart>,
}

/// The parts `doctor` treats as optional unless `--require` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DoctorPart {
    /// The CUDA execution provider of the loaded ONNX Runtime.
    Cuda,
    /// NVML, the NVIDIA driver's library for GPU memory and utilisation.
    Nvml,
    /// The default audio output device, for playback.
    Audio,
}

#[derive(Debug, Args)]
pub struct VoicesArgs {
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests;
