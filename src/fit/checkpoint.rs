//! A search's checkpoint, `<voices>/.searches/NAME.json`: rewritten whole after every
//! generation, kept when a fit is cancelled (or its process dies), and removed once the
//! voice is saved. The next fit of the same name, clip and settings goes on from it, and
//! ends with the very voice an uninterrupted search would have (`SearchState` holds the
//! strategy's random stream; the floats read back exactly). A larger budget than the first
//! try's goes on further; the budget is not part of what must match.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::SearchState;

/// Bumped when a checkpoint of an earlier version could not go on the same way.
pub const VERSION: u32 = 2;

/// What a checkpoint is valid for: everything that shapes the search but its budget and
/// patience, which only say when it stops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchKey {
    /// `VERSION` when written.
    pub version: u32,
    pub source_clip_sha256: String,
    pub language: String,
    pub seed: u64,
    pub population: Option<usize>,
    pub dims: usize,
    pub probe_text: String,
    pub held_out_text: String,
    pub judges: Vec<String>,
    /// The candidate stock voices and the voices spanning the space, by name.
    pub stock: Vec<String>,
    pub space: Vec<String>,
}

#[derive(Serialize, Deserialize)]
pub struct Checkpoint<S> {
    pub key: SearchKey,
    /// Wall seconds searched up to this checkpoint, over every try.
    pub seconds: f64,
    pub state: S,
}

/// Where checkpoints are kept: a hidden folder, so the voices folder lists voices only.
pub fn dir(voices: &Path) -> PathBuf {
    voices.join(".searches")
}

/// The checkpoint of the fit named `name`.
pub fn path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.json"))
}

/// The checkpoint at `path`, if one reads, is for `key` and has spent no more than
/// `budget`; any other is left for a fresh search to overwrite.
pub fn read(path: &Path, key: &SearchKey, budget: usize) -> Option<Checkpoint<SearchState>> {
    let text = std::fs::read_to_string(path).ok()?;
    let unreadable = |e: serde_json::Error| {
        log::warn!(
            "fit: the checkpoint {} does not read ({e}); searching from the start",
            path.display()
        )
    };
    // The key first: a checkpoint of an earlier version may hold a state of another shape.
    let saved: Checkpoint<serde_json::Value> =
        serde_json::from_str(&text).map_err(unreadable).ok()?;
    if saved.key != *key {
        log::info!(
            "fit: the checkpoint {} is of another search (another clip, settings or version); searching from the start",
            path.display()
        );
        return None;
    }
    let state: SearchState = serde_json::from_value(saved.state)
        .map_err(unreadable)
        .ok()?;
    if state.evaluations > budget {
        log::info!(
            "fit: the checkpoint {} has spent {} evaluations, over this budget of {budget}; searching from the start",
            path.display(),
            state.evaluations
        );
        return None;
    }
    Some(Checkpoint {
        key: saved.key,
        seconds: saved.seconds,
        state,
    })
}

/// Writes the checkpoint whole (temp file, then rename).
pub fn write(path: &Path, checkpoint: &Checkpoint<&SearchState>) -> Result<(), String> {
    let text = serde_json::to_vec(checkpoint).map_err(|e| e.to_string())?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    crate::atomic_file::write(path, &text).map_err(|e| e.to_string())
}

/// Removes the checkpoint of `name`, whose voice is saved; one that is not there is fine.
pub fn remove(dir: &Path, name: &str) {
    let _ = std::fs::remove_file(path(dir, name));
}
