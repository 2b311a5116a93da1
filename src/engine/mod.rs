//! Everything that turns text into audio. Knows nothing of terminals.

pub mod cache;
pub mod english;
pub mod espeak;
pub mod family;
pub mod join;
pub mod kokoro;
pub mod library_check;
pub mod load;
pub mod outcome;
pub mod phonemize;
pub mod piper;
pub mod plan;
pub mod pool;
pub mod progress;
pub mod run;
pub mod runtime;
mod schedule;
mod sessions;
pub mod text;
mod vram_guard;
pub mod weights;

use std::path::{Path, PathBuf};

/// A model file that is missing or unreadable.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ModelError {
    #[error(
        "model file {path} is missing or unreadable ({detail}): run scripts/setup to fetch it"
    )]
    Missing { path: PathBuf, detail: String },
    #[error("model file {path} is damaged ({detail}): delete it and run scripts/setup to fetch it again")]
    Corrupt { path: PathBuf, detail: String },
}

impl ModelError {
    pub fn missing(path: &Path, error: std::io::Error) -> ModelError {
        ModelError::Missing {
            path: path.to_path_buf(),
            detail: error.to_string(),
        }
    }
}
