//! The user's settings file, read in one place for the console and headless alike:
//! `$VOXDECK_CONFIG`, else `voxdeck/config.toml` in the XDG config folder. It holds what is
//! true of the box rather than of a job, and the console's preferences:
//!
//! ```toml
//! [pool]
//! workers = 2              # written by `voxdeck bench --auto --save`
//!
//! [cache]
//! url = "redis://127.0.0.1:6379"   # or "disk" (the default)
//! max_size_mb = 512                # the disk cache's bound
//!
//! [metrics]
//! addr = "127.0.0.1:9187"
//!
//! [qa]
//! transcribe = true        # Whisper transcribes every result (false: similarity only)
//! max_cer = 0.15           # error rates over which a result is flagged
//! max_wer = 0.30
//! similarity_threshold = 0.8   # the console: a voice match at or above it is good
//! max_loudness_spread_lu = 3.0 # a job's languages further apart than this are flagged
//!
//! [gpu]
//! interval_ms = 250        # the console's GPU sampling ($VOXDECK_GPU_INTERVAL_MS wins)
//!
//! [fit]                    # the console's fit key (a job's fit_budget/fit_seed are its own)
//! budget = 240
//! seed = 1
//!
//! [keys]                   # action = "key", interpreted by the console
//! run = "F5"
//! [theme]                  # style = "colour", interpreted by the console
//! ok = "lightgreen"
//! ```
//!
//! The file is optional, and a bad one never stops a run: each value that cannot be used,
//! and each key voxdeck does not know, is ignored with a warning that names the file, the
//! key and the fix, and the rest of the file is kept (a saved worker count of 0 must not
//! turn into a refusal to synthesise, nor a typo in `[theme]` cost the `[pool]` count).
//! Environment overrides are applied here too (`env`), so every setting has one reader.
//! Saving changes one key and keeps the rest of the file, comments included.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod env;
mod error;
mod read;
mod save;

pub use env::{apply_env, ENV_GPU_INTERVAL_MS, ENV_TTS_MAX_WORKERS};
pub use error::ConfigError;
pub use read::parse;
pub use save::save;

/// Overrides where the settings file is.
pub const ENV_FILE: &str = "VOXDECK_CONFIG";

/// The settings voxdeck reads. Every value is optional: absent means "use the default".
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Config {
    /// `[pool] workers`: the worker count for jobs that name none.
    pub workers: Option<usize>,
    /// `[cache] url`: `redis://HOST:PORT` for a shared cache; `disk` or absent: the folder.
    pub cache_url: Option<String>,
    /// `[cache] max_size_mb`: the disk cache's size bound, in MiB.
    pub cache_max_mb: Option<u64>,
    /// `[metrics] addr`: where Prometheus metrics are served.
    pub metrics_addr: Option<String>,
    /// `[qa] transcribe`: whether every result is transcribed (absent: yes).
    pub transcribe: Option<bool>,
    /// `[qa] max_cer`: the character error rate over which a result is flagged.
    pub max_cer: Option<f32>,
    /// `[qa] max_wer`: the word error rate over which a result is flagged.
    pub max_wer: Option<f32>,
    /// `[qa] similarity_threshold`: the cosine at or above which the console calls a voice
    /// match good (-1 to 1).
    pub similarity_threshold: Option<f32>,
    /// `[qa] max_loudness_spread_lu`: how far apart (LU) a job's languages' loudness may be
    /// before the run warns.
    pub max_loudness_spread_lu: Option<f64>,
    /// `[gpu] interval_ms`, or `$VOXDECK_GPU_INTERVAL_MS` over it: the console's GPU sampling.
    pub gpu_interval_ms: Option<u64>,
    /// `[fit] budget`: the console's fit key's evaluations.
    pub fit_budget: Option<usize>,
    /// `[fit] seed`: the console's fit key's seed.
    pub fit_seed: Option<u64>,
    /// `[keys]`: action name -> key name. Only the console knows the names, so it checks them.
    pub keys: BTreeMap<String, String>,
    /// `[theme]`: style name -> colour. Only the console knows the colours, so it checks them.
    pub theme: BTreeMap<String, String>,
    /// `$TTS_MAX_WORKERS` (no key in the file): the cap on one worker per language.
    pub tts_max_workers: Option<usize>,
}

impl Config {
    /// What a job that names no worker count falls back on (`JobSpec::default_workers`).
    pub fn worker_defaults(&self) -> crate::job::WorkerDefaults {
        crate::job::WorkerDefaults {
            saved: self.workers,
            tts_max_workers: self.tts_max_workers,
        }
    }
}

/// A settings file as read: what could be used, and why the rest could not.
#[derive(Debug, Default, Clone)]
pub struct Loaded {
    pub config: Config,
    /// The file read (or that would be read: it may not exist).
    pub path: Option<PathBuf>,
    /// One line per ignored value or unreadable file.
    pub warnings: Vec<String>,
}

/// `$VOXDECK_CONFIG`, else `config.toml` in `$XDG_CONFIG_HOME/voxdeck` (or `~/.config/voxdeck`).
pub fn path() -> Option<PathBuf> {
    std::env::var_os(ENV_FILE)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            crate::assets::xdg_dir("XDG_CONFIG_HOME", ".config").map(|d| d.join("config.toml"))
        })
}

/// The settings of this process, read once at first use; their warnings are logged then.
pub fn current() -> &'static Config {
    &current_loaded().config
}

/// `current()` with its file and warnings, for the console's status bar.
pub fn current_loaded() -> &'static Loaded {
    static CURRENT: OnceLock<Loaded> = OnceLock::new();
    CURRENT.get_or_init(|| {
        let loaded = load();
        for warning in &loaded.warnings {
            log::warn!("{warning}");
        }
        loaded
    })
}

/// Reads the settings file at `path()`, then the environment's overrides. A missing file
/// is no settings, without a warning.
pub fn load() -> Loaded {
    let mut loaded = match path() {
        Some(path) => load_from(&path),
        None => Loaded::default(),
    };
    apply_env(&mut loaded, |name| std::env::var_os(name));
    loaded
}

/// Reads the settings file at `path` alone (no environment overrides).
pub fn load_from(path: &Path) -> Loaded {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Loaded {
                path: Some(path.to_path_buf()),
                ..Loaded::default()
            }
        }
        Err(e) => {
            return Loaded {
                path: Some(path.to_path_buf()),
                warnings: vec![format!(
                    "cannot read the settings file {}: {e}; running with the defaults (fix its permissions or remove it)",
                    path.display()
                )],
                ..Loaded::default()
            }
        }
    };
    let (config, warnings) = parse(&text, path);
    Loaded {
        config,
        path: Some(path.to_path_buf()),
        warnings,
    }
}

/// The one wording of an ignored setting: `name` (`[section] key`) in `file`, why, and the fix.
/// The console words its own checks of `[keys]` and `[theme]` with it too.
pub fn ignored(name: &str, file: Option<&Path>, why: &str) -> String {
    let file = file.map_or_else(
        || "the settings file".to_string(),
        |p| p.display().to_string(),
    );
    format!("{name} in {file} is ignored: {why}; fix or remove it")
}

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;
