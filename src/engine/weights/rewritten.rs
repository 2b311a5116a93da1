//! Which of a model's initializers ORT's optimizer rewrites, so a pool shares only the
//! others (see the module above for why).
//!
//! The probe opens one throwaway session with the real sessions' settings and has ORT
//! write the graph it optimized; an initializer is shareable when the optimized graph
//! still holds it, byte for byte, under its name. That costs about one session's opening
//! (0.9 s for Piper, 1.7 s for Kokoro here), so the answer is remembered on disk per model
//! file and ORT version: the optimizer is deterministic for both.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::{stored_initializers, TensorProto, WeightsError};
use crate::assets::Assets;
use crate::engine::runtime::{OrtOptions, Runtime};

/// Where the answers are kept, under the assets folder.
const MEMO_DIR: &str = "cache/ort-rewritten";
/// Bumped when what is remembered, or how it is found, changes.
const MEMO_VERSION: u32 = 1;

/// Why the optimizer probe could not tell which initializers ORT rewrites.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("{}: {source}", model.display())]
    Model {
        model: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Ort(#[from] ort::Error),
    #[error(transparent)]
    Weights(#[from] WeightsError),
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Memo {
    version: u32,
    model: PathBuf,
    ort: String,
    rewritten: Vec<String>,
}

impl Runtime {
    /// The names of `model`'s initializers that sessions opened with `options` must keep
    /// their own copy of.
    pub(crate) fn rewritten_initializers(
        &self,
        model: &Path,
        options: &OrtOptions,
    ) -> Result<HashSet<String>, ProbeError> {
        let memo_path = memo_path(model, &self.info.version)?;
        if let Some(names) = read_memo(&memo_path, model, &self.info.version) {
            return Ok(names);
        }
        let names = self.probe_optimizer(model, options)?;
        let mut sorted: Vec<String> = names.iter().cloned().collect();
        sorted.sort();
        let memo = Memo {
            version: MEMO_VERSION,
            model: model.to_path_buf(),
            ort: self.info.version.clone(),
            rewritten: sorted,
        };
        let saved =
            std::fs::create_dir_all(memo_path.parent().unwrap_or(Path::new("."))).and_then(|()| {
                let json = serde_json::to_vec_pretty(&memo).map_err(std::io::Error::other)?;
                crate::atomic_file::write(&memo_path, &json)
            });
        if let Err(e) = saved {
            // Only a cost: the next pool probes again.
            log::debug!("cannot remember the probe in {}: {e}", memo_path.display());
        }
        Ok(names)
    }

    fn probe_optimizer(
        &self,
        model: &Path,
        options: &OrtOptions,
    ) -> Result<HashSet<String>, ProbeError> {
        let log_id = self.next_log_id("optimizer-probe");
        let optimized = std::env::temp_dir().join(format!("{log_id}-{}.onnx", std::process::id()));
        let unshared = OrtOptions {
            shared_weights: None,
            ..options.clone()
        };
        let opened = self
            .builder(&unshared, None, &log_id)
            .and_then(|b| {
                b.with_optimized_model_path(&optimized)
                    .map_err(ort::Error::from)
            })
            .and_then(|mut b| b.commit_from_file(model));
        self.forget_placement(&log_id);
        let compared = opened.map_err(ProbeError::from).and_then(|session| {
            drop(session);
            let original = stored_initializers(model)?;
            let after = stored_initializers(&optimized)?;
            Ok(rewritten(original, after))
        });
        let _ = std::fs::remove_file(&optimized);
        compared
    }
}

/// The names in `original` that `optimized` does not hold unchanged.
fn rewritten(original: Vec<TensorProto>, optimized: Vec<TensorProto>) -> HashSet<String> {
    let kept: HashMap<String, TensorProto> =
        optimized.into_iter().map(|t| (t.name.clone(), t)).collect();
    original
        .into_iter()
        .filter(|t| kept.get(&t.name) != Some(t))
        .map(|t| t.name)
        .collect()
}

/// The memo's file: one per model file (path, size, modification time) and ORT version.
fn memo_path(model: &Path, ort_version: &str) -> Result<PathBuf, ProbeError> {
    let meta = std::fs::metadata(model).map_err(|source| ProbeError::Model {
        model: model.to_path_buf(),
        source,
    })?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let canonical = std::fs::canonicalize(model).unwrap_or_else(|_| model.to_path_buf());
    let key = format!(
        "{MEMO_VERSION}\n{ort_version}\n{}\n{}\n{modified}",
        canonical.display(),
        meta.len()
    );
    let digest = crate::digest::sha256_hex(key.as_bytes());
    Ok(Assets::locate()
        .path(MEMO_DIR)
        .join(format!("{digest}.json")))
}

/// A memo that is whole and about this model and ORT; anything else is probed again.
fn read_memo(path: &Path, model: &Path, ort_version: &str) -> Option<HashSet<String>> {
    let bytes = std::fs::read(path).ok()?;
    let memo: Memo = serde_json::from_slice(&bytes).ok()?;
    (memo.version == MEMO_VERSION && memo.model == model && memo.ort == ort_version)
        .then(|| memo.rewritten.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn tensor(name: &str, dims: Vec<i64>, raw: &'static [u8]) -> TensorProto {
        TensorProto {
            name: name.into(),
            dims,
            data_type: 2,
            raw_data: Bytes::from_static(raw),
            ..Default::default()
        }
    }

    #[test]
    fn reshaped_changed_and_folded_initializers_are_not_shared() {
        let original = vec![
            tensor("kept", vec![2], &[1, 2]),
            tensor("reshaped", vec![2], &[1, 2]),
            tensor("changed", vec![2], &[1, 2]),
            tensor("folded", vec![1], &[9]),
        ];
        let optimized = vec![
            tensor("kept", vec![2], &[1, 2]),
            tensor("reshaped", vec![1, 2, 1], &[1, 2]),
            tensor("changed", vec![2], &[2, 1]),
            tensor("new", vec![1], &[0]),
        ];
        let mut names: Vec<String> = rewritten(original, optimized).into_iter().collect();
        names.sort();
        assert_eq!(names, ["changed", "folded", "reshaped"]);
    }
}
