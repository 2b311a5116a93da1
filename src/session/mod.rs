//! One session core for the console and headless runs. A `Session` owns a thread that
//! keeps the engine warm between runs, runs jobs (whole, or one language again with a new
//! voice, speed or text), matches voices, keeps and scores every take, and writes the
//! report. Drivers send it commands and read its published state; they never see engine
//! internals. The same job therefore gives the same report from either driver.

mod error;
mod folder;
mod live;
mod observer;
pub mod published;
pub mod report;
mod runner;
pub mod state;
mod takes;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;

use crate::engine::progress::LanguageProgress;
use crate::job::{Device, JobSpec};
use published::{Notice, Published};
use state::{LanguageRecord, RunPhase, SessionState};

pub use crate::report::Report;
pub use error::{NoScorer, SessionError};

/// The voice shown for a take another system made.
pub const OUTSIDE_VOICE: &str = "outside";
pub use folder::KeptOutput;
pub use live::{CacheCounters, LiveCounters, Watch};

#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// The ONNX Runtime library to load (else `ORT_DYLIB_PATH`, else the fetched copy).
    pub ort_lib: Option<PathBuf>,
    /// Wait for another run to release the output folder instead of refusing to start.
    pub wait_for_folder: bool,
    /// Where voice matching keeps probe embeddings (default: the assets' probe cache).
    pub probe_cache: Option<PathBuf>,
    /// Synthesise every sentence, neither reading nor writing the result cache (which is
    /// on by default: `engine::cache`).
    pub no_cache: bool,
    /// Which result cache (disk or Redis) and the disk one's bound; unset: the settings
    /// file's `[cache]`, else the disk defaults.
    pub cache: crate::engine::cache::CacheOptions,
    /// Transcribe neither the source clip nor the results (also `[qa] transcribe = false`).
    pub no_transcribe: bool,
}

enum Command {
    Run {
        id: u64,
        job: JobSpec,
        out_dir: PathBuf,
    },
    Match {
        code: String,
        source: PathBuf,
        device: Device,
    },
    TranscribeSource {
        clip: PathBuf,
        device: Device,
    },
}

/// What the handle and the session thread both see.
struct Control {
    state: Published<SessionState>,
    /// The cancel switch of the command being carried out.
    current: Mutex<Arc<AtomicBool>>,
    /// Runs numbered up to this one are cancelled, even before they start.
    cancelled_up_to: AtomicU64,
    /// Set when the session shuts down: queued commands are skipped.
    shutdown: AtomicBool,
    /// The warm engine's load and the result cache's counters, for `Watch::live`.
    live: Mutex<live::LiveSources>,
}

pub struct Session {
    control: Arc<Control>,
    commands: Option<mpsc::Sender<Command>>,
    thread: Option<JoinHandle<()>>,
}

impl Session {
    /// Starts the session thread. `waker` is called when state changes after the readers
    /// took the last notices (at most once per batch); the console wakes its loop with it.
    pub fn start(options: SessionOptions, waker: impl Fn() + Send + Sync + 'static) -> Session {
        let tag = format!(
            "{}-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            std::process::id()
        );
        let state = SessionState {
            tag,
            ..SessionState::default()
        };
        let control = Arc::new(Control {
            state: Published::new(state, waker),
            current: Mutex::new(Arc::new(AtomicBool::new(false))),
            cancelled_up_to: AtomicU64::new(0),
            shutdown: AtomicBool::new(false),
            live: Mutex::default(),
        });
        let (tx, rx) = mpsc::channel::<Command>();
        let shared = control.clone();
        let thread = std::thread::Builder::new()
            .name("voxdeck-session".into())
            .spawn(move || runner::serve(options, &shared, rx))
            .expect("spawning the session thread");
        Session {
            control,
            commands: Some(tx),
            thread: Some(thread),
        }
    }

    /// Runs `job`, writing `<out_dir>/<lang>.wav`, its takes and report.json. Languages of
    /// earlier runs that are not in `job` keep their results. Returns the run's number.
    pub fn run(&self, job: JobSpec, out_dir: PathBuf) -> u64 {
        // Absolute, so the paths report.json holds are true from any working directory.
        let out_dir = std::path::absolute(&out_dir).unwrap_or(out_dir);
        let id = self.control.state.update(Notice::Session, |s| {
            s.run.id += 1;
            s.run.phase = RunPhase::Queued;
            s.run.codes = job.languages.iter().map(|l| l.code.clone()).collect();
            s.run.settings = None;
            s.run.out_dir = Some(out_dir.clone());
            s.run.report = None;
            s.run.id
        });
        for language in &job.languages {
            // A family whose default voice is known now shows it queued; one whose voice is
            // its installed model (Piper) shows it once planning has read the config.
            let voice = language.voice.clone().or_else(|| {
                crate::languages::find(&language.code)
                    .and_then(|l| crate::engine::family::family(language.model).default_voice(l))
            });
            let voice = voice.unwrap_or_default();
            let queued = LanguageProgress::new(&language.code, language.model, &voice);
            self.control
                .state
                .update(Notice::Language(language.code.clone()), |s| {
                    match s.language_mut(&language.code) {
                        Some(record) => {
                            record.run = id;
                            record.progress = queued;
                            // A new fit replaces the last one's figures.
                            if (language.voice.as_deref())
                                .and_then(crate::fit::FitRequest::parse)
                                .is_some()
                            {
                                record.voice_fit = None;
                            }
                        }
                        None => s.languages.push(LanguageRecord::new(id, queued)),
                    }
                });
        }
        self.send(Command::Run { id, job, out_dir });
        id
    }

    /// Ranks the stock voices of the language `code` against `source`; the result is
    /// published in `SessionState::rankings`.
    /// Takes files another system made and `voxdeck qa` scored into the session, each as its
    /// language's first take (run 0, voice "outside"), so the console can play them, A/B
    /// them against the source and set voxdeck's own takes beside them. Languages voxdeck
    /// has no row for are left out (and named in the log).
    pub fn adopt(&self, scored: &Report) {
        for entry in &scored.languages {
            let Some(language) = crate::languages::find(&entry.code) else {
                log::warn!(
                    "{}: not a language voxdeck has; left out of the console",
                    entry.code
                );
                continue;
            };
            let code = language.code.to_string();
            // No family of voxdeck's made it: the row stands under the default one.
            let mut progress = crate::engine::progress::LanguageProgress::new(
                &code,
                crate::engine::family::DEFAULT_FAMILY.kind(),
                OUTSIDE_VOICE,
            );
            progress.status = entry.status;
            progress.error = entry.error.clone();
            progress.output = entry.output.clone();
            progress.audio_seconds = entry.audio_seconds;
            let mut record = state::LanguageRecord::new(0, progress);
            record.takes = entry
                .takes
                .iter()
                .cloned()
                .map(|take| crate::report::Take {
                    run: 0,
                    voice: OUTSIDE_VOICE.to_string(),
                    ..take
                })
                .collect();
            record.kept = entry
                .output
                .clone()
                .map(|path| KeptOutput { path, from: None });
            let mut report = entry.clone();
            report.code = code.clone();
            report.run = 0;
            record.report = Some(report);
            self.control
                .state
                .update(Notice::Language(code.clone()), |s| {
                    s.languages.retain(|l| l.code != code);
                    s.languages.push(record);
                });
        }
        if let Some(source) = &scored.source {
            let result = match (
                &source.transcript,
                &source.language,
                &source.transcript_error,
            ) {
                (Some(text), Some(language), _) => Ok(crate::asr::Transcript {
                    text: text.clone(),
                    language: language.clone(),
                    detected: true,
                    tokens: Vec::new(),
                    elapsed_seconds: 0.0,
                }),
                (_, _, Some(e)) => Err(e.clone()),
                _ => Err("not transcribed".to_string()),
            };
            self.control.state.update(Notice::Session, |s| {
                s.source = Some(state::SourceTranscript {
                    clip: source.clip.clone(),
                    result,
                });
            });
        }
    }

    /// Transcribes a source clip (the console does when it opens one); the transcript
    /// lands in the state's `source`. A run transcribes its job's clip itself.
    pub fn transcribe_source(&self, clip: PathBuf, device: Device) {
        self.send(Command::TranscribeSource { clip, device });
    }

    pub fn match_voice(&self, code: &str, source: PathBuf, device: Device) {
        self.send(Command::Match {
            code: code.to_string(),
            source,
            device,
        });
    }

    /// Cancels the run in progress or queued: sentences in flight finish, the rest stop,
    /// and unfinished languages get no output. Stops voice matching between voices.
    pub fn cancel(&self) {
        let id = self.control.state.update(Notice::Session, |s| {
            if s.run.phase.is_active() {
                s.run.phase = RunPhase::Cancelling;
            }
            s.run.id
        });
        self.control.cancelled_up_to.fetch_max(id, Ordering::SeqCst);
        let current = self
            .control
            .current
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        current.store(true, Ordering::SeqCst);
    }

    /// The published state: read it, take its notices, wait for the next one.
    pub fn state(&self) -> &Published<SessionState> {
        &self.control.state
    }

    /// A reader for other threads (metrics) that does not keep the session alive.
    pub fn watch(&self) -> Watch {
        Watch::new(self.control.clone())
    }

    /// The report of everything run so far, as report.json holds it.
    pub fn report(&self) -> Option<Report> {
        self.control.state.read(report::report)
    }

    fn send(&self, command: Command) {
        if let Some(tx) = &self.commands {
            let _ = tx.send(command);
        }
    }
}

impl Drop for Session {
    /// Shuts down: cancels what runs, skips what is queued, joins the thread (which closes
    /// the engine's workers).
    fn drop(&mut self) {
        self.control.shutdown.store(true, Ordering::SeqCst);
        self.cancel();
        self.commands.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
