//! Takes: every finished language is copied to `<out>/takes/<lang>-take<N>-<session>.wav`
//! and recorded with the settings that made it, then scored against the source clip.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::runner::RunnerEvent;
use crate::assets::Assets;
use crate::engine::runtime::Runtime;
use crate::job::JobSpec;
use crate::qa::scoring::SourceScorer;
use crate::report::Take;

/// Copies a finished language's WAV to `<out>/takes/<code>-take<N>.wav` and records it.
pub(super) fn keep_take(
    all_takes: &mut HashMap<String, Vec<Take>>,
    session: &str,
    job: &JobSpec,
    out_dir: &Path,
    language: &str,
    output: &Path,
) -> Option<(String, Take, PathBuf)> {
    let takes = all_takes.entry(language.to_string()).or_default();
    let take = takes.len() + 1;
    let dir = out_dir.join("takes");
    let path = dir.join(format!("{language}-take{take}-{session}.wav"));
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|_| std::fs::copy(output, &path)) {
        log::error!(
            "cannot keep take {take} of {language} at {}: {e}",
            path.display()
        );
        return None;
    }
    let spec = job.languages.iter().find(|l| l.code == language)?;
    let kept = Take {
        take,
        voice: spec.voice.clone().unwrap_or_default(),
        speed: spec.speed,
        text: spec.text.clone(),
        output: Some(path.clone()),
        similarity: None,
    };
    takes.push(kept.clone());
    Some((language.to_string(), kept, path))
}

pub(super) fn score_takes(
    all_takes: &mut HashMap<String, Vec<Take>>,
    runtime: &Runtime,
    assets: &Assets,
    source: Option<&Path>,
    new_takes: &[(String, usize)],
    sink: &impl Fn(RunnerEvent),
) {
    if new_takes.is_empty() {
        return;
    }
    let mut scorer = match source {
        Some(source) => SourceScorer::new(runtime, assets, source),
        None => Err("no source clip to compare with (press o to open one)".to_string()),
    };
    for (language, take) in new_takes {
        let Some(entry) = all_takes
            .get_mut(language)
            .and_then(|t| t.get_mut(take - 1))
        else {
            continue;
        };
        let similarity = match (&mut scorer, &entry.output) {
            (Ok(scorer), Some(path)) => scorer.score(path),
            (Err(e), _) => Err(e.clone()),
            (Ok(_), None) => continue,
        };
        entry.similarity = similarity.as_ref().ok().copied();
        sink(RunnerEvent::Scored {
            language: language.clone(),
            take: *take,
            similarity,
        });
    }
}
