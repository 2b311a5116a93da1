//! The user's settings file: `$VOXDECK_CONFIG`, else `voxdeck/config.toml` in the XDG config
//! folder. It holds what is true of the box rather than of a job: the worker count
//! `bench --auto` chose, where the result cache lives, where metrics are served.
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
//! ```
//!
//! The file is optional, and a bad one never stops a run: a value that cannot be used is
//! ignored with a warning that names the file, the key and the fix (a saved worker count
//! of 0 must not turn into a refusal to synthesise). Saving changes one key and keeps the
//! rest of the file, comments included.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::job::{MAX_WORKERS, MIN_WORKERS};

/// Overrides where the settings file is.
pub const ENV_FILE: &str = "VOXDECK_CONFIG";

/// The settings voxdeck reads. Every field is optional: absent means "use the default".
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

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no folder for the settings file: set {ENV_FILE}, XDG_CONFIG_HOME or HOME")]
    NoPath,
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid TOML ({detail}); fix or remove it, then save again")]
    Syntax { path: PathBuf, detail: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
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
    static CURRENT: OnceLock<Config> = OnceLock::new();
    CURRENT.get_or_init(|| {
        let loaded = load();
        for warning in &loaded.warnings {
            log::warn!("{warning}");
        }
        loaded.config
    })
}

/// Reads the settings file at `path()`. A missing file is no settings, without a warning.
pub fn load() -> Loaded {
    match path() {
        Some(path) => load_from(&path),
        None => Loaded::default(),
    }
}

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
                    "cannot read the settings file {}: {e}; running with the defaults",
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

/// Parses settings; `path` only names the file in the warnings.
pub fn parse(text: &str, path: &Path) -> (Config, Vec<String>) {
    let mut warnings = Vec::new();
    let table: toml::Table = match text.parse() {
        Ok(table) => table,
        Err(e) => {
            let detail = e.to_string().replace('\n', " ");
            warnings.push(format!(
                "the settings file {} is not valid TOML ({}); running with the defaults: fix or remove it",
                path.display(),
                detail.trim()
            ));
            return (Config::default(), warnings);
        }
    };
    let mut reader = Reader {
        table: &table,
        path,
        warnings: &mut warnings,
    };
    let config = Config {
        workers: reader
            .integer("pool", "workers")
            .and_then(|n| {
                reader.in_range("pool", "workers", n, MIN_WORKERS as i64, MAX_WORKERS as i64)
            })
            .map(|n| n as usize),
        cache_url: reader.string("cache", "url").and_then(|url| {
            if url == "disk" || url.starts_with("redis://") || url.starts_with("rediss://") {
                Some(url)
            } else {
                reader.ignore(
                    "cache",
                    "url",
                    &format!("`{url}` is neither \"disk\" nor a redis:// URL"),
                );
                None
            }
        }),
        cache_max_mb: reader
            .integer("cache", "max_size_mb")
            .and_then(|n| reader.in_range("cache", "max_size_mb", n, 1, 1 << 20))
            .map(|n| n as u64),
        metrics_addr: reader.string("metrics", "addr"),
        transcribe: reader.boolean("qa", "transcribe"),
        max_cer: reader.rate("qa", "max_cer"),
        max_wer: reader.rate("qa", "max_wer"),
    };
    (config, warnings)
}

/// Reads typed values out of the parsed file, turning each unusable one into a warning.
struct Reader<'a> {
    table: &'a toml::Table,
    path: &'a Path,
    warnings: &'a mut Vec<String>,
}

impl Reader<'_> {
    fn value(&mut self, section: &str, key: &str) -> Option<&toml::Value> {
        match self.table.get(section) {
            None => None,
            Some(toml::Value::Table(t)) => t.get(key),
            Some(_) => {
                self.ignore(section, "", "it is not a table");
                None
            }
        }
    }

    fn integer(&mut self, section: &str, key: &str) -> Option<i64> {
        match self.value(section, key)? {
            toml::Value::Integer(n) => Some(*n),
            other => {
                let shown = other.to_string();
                self.ignore(section, key, &format!("`{shown}` is not a whole number"));
                None
            }
        }
    }

    fn boolean(&mut self, section: &str, key: &str) -> Option<bool> {
        match self.value(section, key)? {
            toml::Value::Boolean(b) => Some(*b),
            other => {
                let shown = other.to_string();
                self.ignore(section, key, &format!("`{shown}` is not true or false"));
                None
            }
        }
    }

    /// An error rate: a number from 0 (0.15 is 15 %). Rates can pass 1 (more edits than
    /// reference characters), so a threshold may too.
    fn rate(&mut self, section: &str, key: &str) -> Option<f32> {
        let rate = match self.value(section, key)? {
            toml::Value::Float(f) => *f,
            toml::Value::Integer(n) => *n as f64,
            other => {
                let shown = other.to_string();
                self.ignore(section, key, &format!("`{shown}` is not a number"));
                return None;
            }
        };
        if rate.is_finite() && rate >= 0.0 {
            Some(rate as f32)
        } else {
            self.ignore(
                section,
                key,
                &format!("{rate} is not a rate of 0 or more (0.15 is 15 %)"),
            );
            None
        }
    }

    fn string(&mut self, section: &str, key: &str) -> Option<String> {
        match self.value(section, key)? {
            toml::Value::String(s) => Some(s.clone()),
            other => {
                let shown = other.to_string();
                self.ignore(section, key, &format!("`{shown}` is not a string"));
                None
            }
        }
    }

    fn in_range(&mut self, section: &str, key: &str, n: i64, min: i64, max: i64) -> Option<i64> {
        if (min..=max).contains(&n) {
            Some(n)
        } else {
            self.ignore(section, key, &format!("{n} is outside {min} to {max}"));
            None
        }
    }

    fn ignore(&mut self, section: &str, key: &str, why: &str) {
        let name = if key.is_empty() {
            format!("[{section}]")
        } else {
            format!("[{section}] {key}")
        };
        self.warnings.push(format!(
            "{name} in {} is ignored: {why}; fix or remove it",
            self.path.display()
        ));
    }
}

/// Sets `[section] key = value` in the settings file at `path` (created if absent), keeping
/// everything else in it, comments included. Written atomically.
pub fn save(
    path: &Path,
    section: &str,
    key: &str,
    value: toml_edit::Value,
) -> Result<(), ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let mut document: toml_edit::DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| ConfigError::Syntax {
                path: path.to_path_buf(),
                detail: e.to_string().replace('\n', " ").trim().to_string(),
            })?;
    if !document.contains_table(section) {
        document[section] = toml_edit::table();
    }
    document[section][key] = toml_edit::value(value);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| ConfigError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    }
    crate::atomic_file::write(path, document.to_string().as_bytes()).map_err(|source| {
        ConfigError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

#[cfg(test)]
mod tests;
