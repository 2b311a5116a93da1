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

/// The checkpoint at `path`, if one reads, is for `key`, is whole and has spent no more
/// than `budget`. One of another search is left for a fresh search to overwrite; one that
/// does not read or is damaged is set aside (renamed, never deleted) and named.
pub fn read(path: &Path, key: &SearchKey, budget: usize) -> Option<Checkpoint<SearchState>> {
    let text = std::fs::read_to_string(path).ok()?;
    let damaged = |why: String| {
        let kept = set_aside(path);
        log::warn!(
            "fit: the checkpoint {} {why}; {}searching from the start",
            path.display(),
            kept.map(|k| format!("set aside as {}; ", k.display()))
                .unwrap_or_default()
        )
    };
    // The key first: a checkpoint of an earlier version may hold a state of another shape.
    let saved: Checkpoint<serde_json::Value> = serde_json::from_str(&text)
        .map_err(|e| damaged(format!("does not read ({e})")))
        .ok()?;
    if saved.key != *key {
        log::info!(
            "fit: the checkpoint {} is of another search (another clip, settings or version); searching from the start",
            path.display()
        );
        return None;
    }
    let state: SearchState = serde_json::from_value(saved.state)
        .map_err(|e| damaged(format!("does not read ({e})")))
        .ok()?;
    // The space's own dimension is checked again where the space is known (`fit`).
    if let Err(why) = state.check(state.strategy.dimensions(), key.population) {
        damaged(format!("is damaged ({why})"));
        return None;
    }
    if !saved.seconds.is_finite() || saved.seconds < 0.0 {
        damaged(format!("is damaged (seconds = {})", saved.seconds));
        return None;
    }
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

/// Renames a damaged checkpoint to `<name>.damaged-<unix seconds>`, out of the way of the
/// next search and kept for a look; returns its new path.
pub fn set_aside(path: &Path) -> Option<PathBuf> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut name = path.file_name()?.to_os_string();
    name.push(format!(".damaged-{seconds}"));
    let aside = path.with_file_name(name);
    std::fs::rename(path, &aside).ok().map(|()| aside)
}

/// Writes the checkpoint whole (temp file, then rename).
pub fn write(path: &Path, checkpoint: &Checkpoint<&SearchState>) -> std::io::Result<()> {
    let text = serde_json::to_vec(checkpoint)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    crate::atomic_file::write(path, &text)
}

/// Removes the checkpoint of `name`, whose voice is saved; one that is not there is fine.
pub fn remove(dir: &Path, name: &str) {
    let _ = std::fs::remove_file(path(dir, name));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::cmaes::Cmaes;
    use crate::fit::Scored;

    fn key(version: u32) -> SearchKey {
        SearchKey {
            version,
            source_clip_sha256: "ab".repeat(32),
            language: "en-us".into(),
            seed: 1,
            population: Some(4),
            dims: 3,
            probe_text: "probe".into(),
            held_out_text: "held out".into(),
            judges: vec!["ge2e".into(), "d-vector".into()],
            stock: vec!["af_heart".into(), "am_adam".into()],
            space: vec!["af_heart".into(), "am_adam".into()],
        }
    }

    fn state(evaluations: usize) -> SearchState {
        let scored = Scored {
            voice: "af_heart".into(),
            held_out: vec![0.7, 0.6],
            probe: 0.75,
        };
        SearchState {
            best_stock: scored.clone(),
            best_blend: None,
            fitted: scored,
            origin: "af_heart".into(),
            fitted_offsets: Some(vec![0.1, -0.2, 0.3]),
            best_probe: 0.75,
            stale: 1,
            evaluations,
            generations: Vec::new(),
            strategy: Cmaes::new(vec![0.0; 3], 0.25, Some(4), 1),
        }
    }

    #[test]
    fn only_a_checkpoint_of_this_search_and_version_within_the_budget_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = path(dir.path(), "voice");
        let saved = state(12);
        let checkpoint = Checkpoint {
            key: key(VERSION),
            seconds: 3.5,
            state: &saved,
        };
        write(&file, &checkpoint).unwrap();
        let back = read(&file, &key(VERSION), 40).expect("the same search");
        assert_eq!(back.state.fitted_offsets, saved.fitted_offsets);
        // Through serde_json's Value too, every float reads back exactly.
        let text = |s: &SearchState| serde_json::to_string(&s.strategy).unwrap();
        assert_eq!(text(&back.state), text(&saved));
        assert_eq!(back.seconds, 3.5);
        // Spent more than this budget: searched again.
        assert!(read(&file, &key(VERSION), 8).is_none());
        // Another seed: another search.
        let mut other = key(VERSION);
        other.seed = 2;
        assert!(read(&file, &other, 40).is_none());
        // Version 1 kept coordinates rather than offsets from an origin: its state has
        // another shape, and its key says so before the state is read.
        let old = serde_json::json!({
            "key": key(1),
            "seconds": 1.0,
            "state": {"fitted_coordinates": [0.5, 0.1, 0.0], "evaluations": 12},
        });
        std::fs::write(&file, old.to_string()).unwrap();
        assert!(read(&file, &key(VERSION), 40).is_none());
        // Text that is no checkpoint at all.
        std::fs::write(&file, "{ not json").unwrap();
        assert!(read(&file, &key(VERSION), 40).is_none());
    }
}
