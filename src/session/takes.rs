//! Takes: every finished language is copied to `<out>/takes/<lang>-take<N>-<session>.wav`,
//! recorded with the settings that made it, and scored against the source clip.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{NoScorer, SessionError};
use crate::assets::Assets;
use crate::engine::runtime::Runtime;
use crate::qa::scoring::SourceScorer;

/// Copies a finished language's WAV into `<out>/takes/` as take `take`.
pub(super) fn keep(
    out_dir: &Path,
    session_tag: &str,
    code: &str,
    take: usize,
    output: &Path,
) -> Result<PathBuf, SessionError> {
    let dir = out_dir.join("takes");
    let path = dir.join(format!("{code}-take{take}-{session_tag}.wav"));
    // Through a temp file, like every file voxdeck writes: on a full disk a take is
    // missing, never cut short under its final name.
    std::fs::create_dir_all(&dir)
        .and_then(|_| {
            crate::atomic_file::write_with(&path, |tmp| std::fs::copy(output, tmp).map(drop))
        })
        .map_err(|source| SessionError::KeepTake {
            take,
            code: code.to_string(),
            path: path.clone(),
            source,
        })?;
    Ok(path)
}

/// The speaker encoder with the source clip's embedding, kept while the source stays the
/// same so scoring a take costs one embedding, not an encoder load.
#[derive(Default)]
pub(super) struct Scorer {
    loaded: Option<(PathBuf, Result<SourceScorer, NoScorer>)>,
}

impl Scorer {
    pub(super) fn for_source(
        &mut self,
        runtime: &Runtime,
        assets: &Assets,
        source: Option<&Path>,
    ) -> Result<&mut SourceScorer, NoScorer> {
        let Some(source) = source else {
            return Err(NoScorer::NoSourceClip);
        };
        if self.loaded.as_ref().is_none_or(|(path, _)| path != source) {
            let scorer = SourceScorer::new(runtime, assets, source)
                .map_err(|e| NoScorer::Failed(Arc::new(e)));
            self.loaded = Some((source.to_path_buf(), scorer));
        }
        match &mut self.loaded {
            Some((_, Ok(scorer))) => Ok(scorer),
            Some((_, Err(e))) => Err(e.clone()),
            None => unreachable!("loaded above"),
        }
    }
}
