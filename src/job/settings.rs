//! The run settings a job file and the command line share: mode, device and the worker count's
//! bounds, with the spelling users type and the error that says what would work.

use serde::{Deserialize, Serialize};

/// The fewest worker threads a run takes.
pub const MIN_WORKERS: usize = 1;
/// The most worker threads a run takes (job file and command line alike).
pub const MAX_WORKERS: usize = 64;

/// What a job that names no worker count falls back on, passed in by the caller (the settings
/// file and environment: `config::Config::worker_defaults`) so parsing and sizing a job read
/// no global state.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WorkerDefaults {
    /// The count `bench --auto --save` measured on this box (`[pool] workers`).
    pub saved: Option<usize>,
    /// `$TTS_MAX_WORKERS`: the cap on one worker per language.
    pub tts_max_workers: Option<usize>,
}

/// The most ORT intra-op threads a session may take: four per core. More only adds threads
/// that wait for a core (and, past a few thousand, minutes of start-up and shut-down).
pub fn max_intra_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()) * 4
}

/// The one check for an intra-op thread count, for the job file and the command line.
pub fn check_intra_threads(threads: usize) -> Result<usize, String> {
    let max = max_intra_threads();
    if (1..=max).contains(&threads) {
        Ok(threads)
    } else {
        Err(format!(
            "{threads} intra-op threads is out of range: use 1 to {max} (four per core on this machine)"
        ))
    }
}

/// Kokoro utterances gather consecutive sentences up to this many phonemes by default.
pub const DEFAULT_UTTERANCE_TOKENS: usize = 0;

/// The one check for an utterance budget, for the job file and the command line.
pub fn check_utterance_tokens(tokens: usize) -> Result<usize, String> {
    let max = crate::engine::kokoro::MAX_PHONEMES;
    if tokens <= max {
        Ok(tokens)
    } else {
        Err(format!(
            "{tokens} tokens per utterance is more than Kokoro takes: use 0 (each sentence alone) to {max}"
        ))
    }
}

/// The one check for a sentence pause, for the job file and the command line.
pub fn check_sentence_silence(seconds: f64) -> Result<f64, String> {
    let max = crate::engine::join::MAX_SENTENCE_SILENCE;
    if (0.0..=max).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(format!(
            "{seconds} s of silence between sentences is out of range: use 0 to {max} seconds"
        ))
    }
}

/// On the command line a `clap::ValueEnum` (`pool`, `shared-lock`, listed by `--help`); in a
/// job file parsed with `FromStr`, the same spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
#[value(rename_all = "kebab-case")]
pub enum Mode {
    /// Each worker owns its model sessions: real parallelism.
    #[default]
    Pool,
    /// One session per model behind a mutex: the measured baseline.
    SharedLock,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Pool => "pool",
            Mode::SharedLock => "shared-lock",
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "pool" => Ok(Mode::Pool),
            "shared-lock" => Ok(Mode::SharedLock),
            other => Err(format!(
                "unknown mode `{other}`: use `pool` or `shared-lock`"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Device {
    /// CUDA when a GPU and a CUDA-enabled ORT are present, CPU otherwise.
    #[default]
    Auto,
    Cpu,
    Cuda(u32),
}

impl std::str::FromStr for Device {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("unknown device `{s}`: use `auto`, `cpu`, `cuda` or `cuda:N`");
        match s {
            "auto" => Ok(Device::Auto),
            "cpu" => Ok(Device::Cpu),
            "cuda" => Ok(Device::Cuda(0)),
            _ => {
                let index = s.strip_prefix("cuda:").ok_or_else(bad)?;
                index.parse().map(Device::Cuda).map_err(|_| bad())
            }
        }
    }
}

impl std::fmt::Display for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Device::Auto => f.write_str("auto"),
            Device::Cpu => f.write_str("cpu"),
            Device::Cuda(n) => write!(f, "cuda:{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn mode_spellings_agree_everywhere() {
        for mode in Mode::value_variants() {
            let value = mode.to_possible_value().unwrap();
            assert_eq!(value.get_name(), mode.name());
            assert_eq!(mode.name().parse::<Mode>(), Ok(*mode));
            assert_eq!(<Mode as ValueEnum>::from_str(mode.name(), false), Ok(*mode));
        }
        assert_eq!(Mode::value_variants().len(), 2);
    }

    #[test]
    fn devices_parse_and_print_back() {
        for text in ["auto", "cpu", "cuda:0", "cuda:3"] {
            assert_eq!(text.parse::<Device>().unwrap().to_string(), text);
        }
        assert_eq!("cuda".parse::<Device>(), Ok(Device::Cuda(0)));
        assert!("gpu".parse::<Device>().unwrap_err().contains("`cuda:N`"));
    }
}
