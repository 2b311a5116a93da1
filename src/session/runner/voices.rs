//! Voice matching on the session thread: `voice = "match"` in a job, and rankings asked
//! for on their own.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::Context;
use crate::assets::PROBE_CACHE;
use crate::engine::runtime::Runtime;
use crate::job::{Device, JobSpec};
use crate::qa::cache::EmbeddingCache;
use crate::qa::matching::{self, MatchResult};
use crate::session::published::Notice;
use crate::session::state::RunPhase;
use crate::session::Control;

impl Context {
    /// Replaces `voice = "match"` with the stock voice (or blend) closest to the source.
    pub(super) fn match_job_voices(
        &mut self,
        control: &Control,
        job: &mut JobSpec,
        runtime: &Runtime,
        cancel: &AtomicBool,
    ) -> Result<(), String> {
        for i in 0..job.languages.len() {
            if job.languages[i].voice.as_deref() != Some(matching::MATCH) {
                continue;
            }
            let code = job.languages[i].code.clone();
            let Some(source) = job.source_clip.clone() else {
                return Err(format!(
                    "{code}: voice = \"match\" needs a source clip to match against: add [source] clip = \"...\" to the job"
                ));
            };
            control.state.update(Notice::Session, |s| {
                s.run.phase = RunPhase::Matching { code: code.clone() }
            });
            log::info!("matching a {code} voice to {}", source.display());
            let result = self.rank_with(runtime, &code, &source, job.device, cancel)?;
            let chosen = result
                .chosen()
                .ok_or("no voice could be scored")?
                .voice
                .clone();
            log::info!("{code}: using {chosen}, the closest to the source");
            job.languages[i].voice = Some(chosen.clone());
            control.state.update(Notice::Language(code.clone()), |s| {
                if let Some(record) = s.language_mut(&code) {
                    record.progress.voice = chosen;
                    record.voice_match = Some(result);
                }
            });
        }
        Ok(())
    }

    pub(super) fn rank(
        &mut self,
        code: &str,
        source: &Path,
        device: Device,
        cancel: &AtomicBool,
    ) -> Result<MatchResult, String> {
        let runtime = self.runtime()?;
        self.rank_with(&runtime, code, source, device, cancel)
    }

    fn rank_with(
        &mut self,
        runtime: &Runtime,
        code: &str,
        source: &Path,
        device: Device,
        cancel: &AtomicBool,
    ) -> Result<MatchResult, String> {
        let language =
            crate::languages::find(code).ok_or_else(|| format!("unknown language {code}"))?;
        let cache =
            EmbeddingCache::open(self.assets.path(PROBE_CACHE)).map_err(|e| e.to_string())?;
        let assets = self.assets.clone();
        let scorer = self
            .scorer
            .for_source(runtime, &assets, Some(source))
            .map_err(|e| format!("cannot match voices: {e}"))?;
        let started = std::time::Instant::now();
        let result =
            matching::rank_voices(runtime, &assets, scorer, &cache, language, device, cancel)
                .map_err(|e| e.to_string())?;
        if let Some(best) = result.best() {
            log::info!(
                "{code}: closest stock voice {} ({:.3}); {} probe(s) from cache; {} ms",
                best.voice,
                best.similarity,
                result.cached,
                started.elapsed().as_millis()
            );
        }
        Ok(result)
    }
}
