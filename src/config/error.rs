//! What can go wrong saving a setting (reading one never fails: see `read`).

use std::path::PathBuf;

use super::ENV_FILE;

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
