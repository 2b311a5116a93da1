//! Keeping a finished language as a take and scoring it, while the other languages go on;
//! its transcription goes to the transcription thread.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::transcribing::Job;
use super::{write_report, Context};
use crate::engine::plan::Plan;
use crate::engine::runtime::Runtime;
use crate::job::JobSpec;
use crate::qa::scores::TakeScores;
use crate::report::Take;
use crate::session::published::Notice;
use crate::session::takes;
use crate::session::{Control, SessionError};

impl Context {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn keep_take(
        &mut self,
        control: &Control,
        id: u64,
        job: &JobSpec,
        plan: &Plan,
        index: usize,
        out_dir: &Path,
        runtime: &Arc<Runtime>,
    ) {
        let Some(Ok(planned)) = plan.languages.get(index) else {
            return;
        };
        let code = planned.code.clone();
        let (output, number) = control.state.read(|s| {
            let record = s.language(&code);
            (
                record.and_then(|r| r.progress.output.clone()),
                record.map_or(0, |r| r.takes.len()) + 1,
            )
        });
        let Some(output) = output else { return };
        let tag = control.state.read(|s| s.tag.clone());
        let path = match takes::keep(out_dir, &tag, &code, number, &output) {
            Ok(path) => path,
            Err(e) => {
                // The language's own WAV is whole; the report says which take is missing.
                log::error!("{e}");
                control.state.update(Notice::Language(code.clone()), |s| {
                    if let Some(record) = s.language_mut(&code) {
                        record.take_errors.push((id, e.to_string()));
                    }
                });
                if let Err(e) = write_report(control, out_dir) {
                    log::error!("{e}");
                }
                return;
            }
        };
        // The take is recorded and report.json follows at once, before the scores (which
        // take a second or two), so a run killed meanwhile leaves a report that describes
        // the folder.
        let take = Take {
            take: number,
            run: id,
            voice: planned.voice.clone(),
            speed: planned.speed,
            text: planned.text.clone(),
            output: Some(path.clone()),
            scores: TakeScores::pending(),
        };
        control.state.update(Notice::Language(code.clone()), |s| {
            if let Some(record) = s.language_mut(&code) {
                record.takes.push(take);
            }
        });
        if let Err(e) = write_report(control, out_dir) {
            log::error!("{e}");
        }

        let assets = self.assets.clone();
        // The take read back once: its loudness and its similarity are measured on the
        // samples that were written.
        let clip = crate::audio::decode::decode(&path)
            .map(|d| d.clip)
            .map_err(|source| SessionError::ReadTakeBack {
                take: number,
                source,
            });
        // The scores hold messages, as report.json shows them.
        let loudness = match &clip {
            Ok(clip) => crate::qa::loudness::measure(clip).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Ok(l) = &loudness {
            log::info!("{code} take {number}: {}", l.describe());
        }
        // Shutting down: keep the take, do not make the operator wait for its scores.
        let similarity = if control.shutdown.load(Ordering::SeqCst) {
            Err(SessionError::NotScoredShuttingDown)
        } else {
            clip.and_then(|clip| {
                let scorer =
                    self.scorer
                        .for_source(runtime, &assets, job.source_clip.as_deref())?;
                Ok(scorer.score_clip(&clip)?)
            })
        };
        match &similarity {
            Ok(value) => log::info!("{code} take {number}: similarity to the source {value:.3}"),
            Err(reason) => log::warn!("{code} take {number} not scored: {reason}"),
        }
        let transcription_off = if control.shutdown.load(Ordering::SeqCst) {
            Some("not transcribed: the session was shutting down")
        } else if !self.transcribing() {
            Some(super::TRANSCRIPTION_OFF)
        } else {
            None
        };
        control.state.update(Notice::Language(code.clone()), |s| {
            let Some(record) = s.language_mut(&code) else {
                return;
            };
            if let Some(take) = record.takes.iter_mut().rev().find(|t| t.take == number) {
                take.scores.similarity = similarity.as_ref().ok().copied();
                take.scores.similarity_error = similarity.err().map(|e| e.to_string());
                take.scores.loudness = loudness.as_ref().ok().copied();
                take.scores.loudness_error = loudness.err();
                if let Some(why) = transcription_off {
                    take.scores.transcription_error = Some(why.to_string());
                }
            }
        });
        if let Err(e) = write_report(control, out_dir) {
            log::error!("{e}");
        }
        if transcription_off.is_none() {
            self.transcribe.send(Job::Take {
                code,
                number,
                path,
                text: planned.text.clone(),
                device: job.device,
                runtime: runtime.clone(),
                out_dir: out_dir.to_path_buf(),
            });
        }
    }
}
