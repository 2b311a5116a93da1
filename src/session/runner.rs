//! The session thread: carries out commands one at a time, keeping the ORT runtime, a warm
//! engine and the source clip's scorer between them.

use std::cell::OnceCell;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

use super::folder;
use super::observer::{RunNote, SessionObserver};
use super::published::Notice;
use super::state::{FinishedRun, Ranking, RunPhase, Settled};
use super::takes::Scorer;
use super::{Command, Control, SessionError, SessionOptions};
use transcribing::{Job, TranscribeThread};

mod fitting;
mod take;
mod transcribing;
mod voices;
mod warm;
use crate::assets::Assets;
use crate::engine::cache::ResultCache;
use crate::engine::outcome::RunOutcome;
use crate::engine::plan::{self, Plan};
use crate::engine::pool::Engine;
use crate::engine::runtime::{self, Runtime, RuntimeError};
use crate::job::JobSpec;
use crate::qa::matching;
use crate::report::{self, RunSettings};

/// Why nothing is transcribed, when the operator turned it off.
pub(crate) const TRANSCRIPTION_OFF: &str =
    "transcription is off (--no-transcribe or [qa] transcribe = false)";

struct Context {
    options: SessionOptions,
    assets: Assets,
    warm: Option<Engine>,
    scorer: Scorer,
    transcribe: TranscribeThread,
    /// The result cache, opened at the first run (None: `no_cache`, or it cannot be opened).
    cache: OnceCell<Option<Arc<ResultCache>>>,
    /// Why the result cache asked for could not be opened, for the report.
    cache_unavailable: OnceCell<String>,
}

pub(super) fn serve(
    options: SessionOptions,
    control: &Arc<Control>,
    commands: mpsc::Receiver<Command>,
) {
    let mut context = Context {
        options,
        assets: Assets::locate(),
        warm: None,
        scorer: Scorer::default(),
        transcribe: TranscribeThread::start(control.clone(), Assets::locate()),
        cache: OnceCell::new(),
        cache_unavailable: OnceCell::new(),
    };
    while let Ok(command) = commands.recv() {
        if control.shutdown.load(Ordering::SeqCst) {
            break;
        }
        let cancel = Arc::new(AtomicBool::new(false));
        *control.current.lock().unwrap_or_else(|p| p.into_inner()) = cancel.clone();
        match command {
            Command::Run { id, job, out_dir } => {
                if id <= control.cancelled_up_to.load(Ordering::SeqCst) {
                    cancel.store(true, Ordering::SeqCst);
                }
                if let Err(e) = context.run(control, id, job, &out_dir, &cancel) {
                    setup_failed(control, id, e.to_string());
                }
            }
            Command::Match {
                code,
                source,
                device,
            } => {
                let ranked = context.rank(control, &code, &source, device, &cancel);
                if let Err(e) = &ranked {
                    log::error!("{code}: voice matching failed: {e}");
                }
                let result = ranked.map_err(|e| e.to_string());
                control.state.update(Notice::Session, |s| {
                    let id = s.rankings.len() as u64 + 1;
                    s.rankings.push(Ranking { id, code, result });
                });
            }
            Command::TranscribeSource { clip, device } => {
                // The source's transcript field holds the message it shows.
                let runtime = if context.transcribing() {
                    context.runtime().map_err(|e| e.to_string())
                } else {
                    Err(TRANSCRIPTION_OFF.to_string())
                };
                match runtime {
                    Ok(runtime) => context.transcribe.send(Job::Source {
                        clip,
                        device,
                        runtime,
                    }),
                    Err(e) => control.state.update(Notice::Session, |s| {
                        s.source = Some(super::state::SourceTranscript {
                            clip,
                            result: Err(e),
                        });
                    }),
                }
            }
        }
        // What the command freed goes back to the system, so the console idles at what
        // it holds, not at what its busiest run once needed.
        runtime::release_freed_heap();
    }
}

/// Nothing ran: the run's languages go back to what they were before it.
fn setup_failed(control: &Control, id: u64, message: String) {
    let codes: Vec<String> = control.state.read(|s| {
        s.languages
            .iter()
            .filter(|l| l.run == id)
            .map(|l| l.code.clone())
            .collect()
    });
    for code in codes {
        control.state.update(Notice::Language(code), |_| {});
    }
    control.state.update(Notice::Session, |s| {
        if s.run.id == id {
            s.run.phase = RunPhase::SetupFailed(message);
        }
        s.languages.retain_mut(|record| {
            if record.run != id {
                return true;
            }
            match record.settled.clone() {
                Some(settled) => {
                    record.run = settled.run;
                    record.progress = settled.progress;
                    record.report = Some(settled.report);
                    true
                }
                None => false,
            }
        });
    });
}

impl Context {
    fn runtime(&self) -> Result<Arc<Runtime>, RuntimeError> {
        runtime::load(self.options.ort_lib.as_deref(), &self.assets)
    }

    fn run(
        &mut self,
        control: &Arc<Control>,
        id: u64,
        mut job: JobSpec,
        out_dir: &Path,
        cancel: &Arc<AtomicBool>,
    ) -> Result<(), SessionError> {
        if job
            .languages
            .iter()
            .any(|l| l.voice.as_deref() == Some(matching::MATCH))
        {
            let runtime = self.runtime()?;
            self.match_job_voices(control, &mut job, &runtime, cancel)?;
        }
        self.fit_job_voices(control, &mut job, cancel)?;
        // Model files are checked before ORT is loaded, so a fresh box hears about both in
        // the order it must fix them.
        let plan = plan::plan(&job, &self.assets)?;
        for (code, warning) in plan
            .languages
            .iter()
            .flatten()
            .flat_map(|l| l.warnings.iter().map(move |w| (&l.code, w)))
        {
            log::warn!("{code}: {warning}");
        }
        let _folder = self.open_folder(control, out_dir)?;
        self.record_planned(control, id, &plan);
        let runtime = self.runtime()?;
        let preload: Vec<_> = plan.models.clone().into_iter().collect();
        self.warm_engine(control, &runtime, &job, &preload, "")?;
        let engine = self.warm.as_ref().expect("warm_engine keeps it");
        let mut settings = RunSettings::of(&job.name, engine);
        settings.cache.unavailable = settings
            .cache
            .unavailable
            .take()
            .or_else(|| self.cache_unavailable.get().cloned());
        control.state.update(Notice::Session, |s| {
            s.run.settings = Some(settings);
            s.run.advance(RunPhase::Running);
        });

        let (notes, heard) = mpsc::channel();
        let observer = Arc::new(SessionObserver {
            control: control.clone(),
            run: id,
            notes,
        });
        let handle = engine.submit(
            plan.clone(),
            out_dir.to_path_buf(),
            observer,
            cancel.clone(),
        );
        // The source is transcribed, and takes kept and scored, here on the session thread
        // while the workers go on.
        if let Some(clip) = job.source_clip.clone().filter(|_| self.transcribing()) {
            self.transcribe.send(Job::Source {
                clip,
                device: job.device,
                runtime: runtime.clone(),
            });
        }
        while let Ok(RunNote::Done(index)) = heard.recv() {
            self.keep_take(control, id, &job, &plan, index, out_dir, &runtime);
        }
        let outcome = handle.wait();
        // The run ends once its takes are transcribed too.
        self.transcribe.flush();
        if let Some(cache) = self.warm.as_ref().and_then(|e| e.cache()) {
            let sentences: usize = outcome.languages.iter().map(|l| l.utterances.len()).sum();
            log::info!(
                "{} of {sentences} sentence(s) came from the result cache {}",
                outcome.cache_hits(),
                cache.store().location()
            );
            // A store given up during the run says so in the report.
            let info = cache.info();
            control.state.update(Notice::Session, |s| {
                if let Some(settings) = s.run.settings.as_mut() {
                    settings.cache = info;
                }
            });
        }

        let entries = report::language_reports(&plan, &outcome, id);
        control.state.update(Notice::Session, |s| {
            for entry in entries {
                if let Some(record) = s.language_mut(&entry.code) {
                    record.settled = Some(Settled {
                        run: id,
                        progress: record.progress.clone(),
                        report: entry.clone(),
                    });
                    record.report = Some(entry);
                }
            }
            s.finished_runs.push(FinishedRun {
                id,
                wall_seconds: outcome.wall_seconds,
                cancelled: outcome.cancelled,
            });
        });
        let written = write_report(control, out_dir);
        match &written {
            Ok(path) => log::info!("report written to {}", path.display()),
            Err(e) => log::error!("{e}"),
        }
        control.state.update(Notice::Session, |s| {
            s.run.report = Some(written.map_err(|e| e.to_string()));
            s.run.phase = RunPhase::Finished {
                wall_seconds: outcome.wall_seconds,
                cancelled: outcome.cancelled,
            };
        });
        Ok(())
    }

    /// Whether results are transcribed: unless `--no-transcribe` or `[qa] transcribe = false`.
    fn transcribing(&self) -> bool {
        !self.options.no_transcribe && crate::config::current().transcribe != Some(false)
    }

    /// Creates and locks the output folder, removes what dead runs left, and reads what
    /// its earlier report says is there.
    fn open_folder(
        &self,
        control: &Control,
        out_dir: &Path,
    ) -> Result<folder::FolderLock, SessionError> {
        folder::refuse_shared_folder(out_dir)?;
        std::fs::create_dir_all(out_dir).map_err(|source| SessionError::CreateFolder {
            dir: out_dir.to_path_buf(),
            source,
        })?;
        let lock = folder::lock(out_dir, self.options.wait_for_folder)?;
        let removed = crate::atomic_file::remove_orphaned_temp_files(out_dir)
            + crate::atomic_file::remove_orphaned_temp_files(&out_dir.join("takes"));
        if removed > 0 {
            log::info!("removed {removed} temp file(s) left by runs that died");
        }
        let fresh = control
            .state
            .read(|s| s.previous_dir.as_deref() != Some(out_dir));
        if fresh {
            let previous = folder::previous_outputs(out_dir);
            control.state.update(Notice::Session, |s| {
                s.previous = previous;
                s.previous_dir = Some(out_dir.to_path_buf());
            });
        }
        Ok(lock)
    }

    /// The run's languages get their report entries as planned (queued, or failed at
    /// planning), and the file an earlier run left for them, if any.
    fn record_planned(&self, control: &Control, id: u64, plan: &Plan) {
        let entries = report::language_reports(plan, &RunOutcome::planned(plan), id);
        control.state.update(Notice::Session, |s| {
            for entry in entries {
                let previous = s.previous.get(&entry.code).cloned();
                if let Some(record) = s.language_mut(&entry.code) {
                    if record.kept.is_none() {
                        record.kept = previous;
                    }
                    record.report = Some(entry);
                }
            }
        });
    }
}

/// Writes report.json from the state as it is now.
pub(super) fn write_report(
    control: &Control,
    out_dir: &Path,
) -> Result<std::path::PathBuf, SessionError> {
    let path = out_dir.join("report.json");
    match control.state.read(super::report::report) {
        Some(report) => match report::write(&report, &path) {
            Ok(()) => Ok(path),
            Err(source) => Err(SessionError::WriteReport { path, source }),
        },
        None => Err(SessionError::NoReport),
    }
}
