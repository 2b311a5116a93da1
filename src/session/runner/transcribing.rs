//! Transcription on a thread of its own at a lower CPU priority (nice 10), so Whisper uses
//! the cores the synthesis workers leave idle: results are heard as soon as the box has
//! room, and a take being transcribed never slows the languages still synthesising. The
//! session thread hands it jobs and, before a run is declared finished, waits for it to
//! drain, so the final report holds every transcript.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;

use super::write_report;
use crate::assets::Assets;
use crate::engine::runtime::Runtime;
use crate::job::Device;
use crate::qa::scores::OVER_ERROR_RATE_LIMITS;
use crate::qa::transcriber::Transcriber;
use crate::qa::ErrorRateLimits;
use crate::report::Transcription;
use crate::session::published::Notice;
use crate::session::state::SourceTranscript;
use crate::session::Control;

/// How much lower than the rest of the process the thread (and the ORT threads its
/// sessions start) runs: nice 10 gets a small share of a core that synthesis wants.
const NICE: i32 = 10;

pub(super) enum Job {
    Source {
        clip: PathBuf,
        device: Device,
        runtime: Arc<Runtime>,
    },
    Take {
        code: String,
        number: usize,
        path: PathBuf,
        text: String,
        device: Device,
        runtime: Arc<Runtime>,
        out_dir: PathBuf,
    },
    /// Answered once every job sent before it is done.
    Flush(mpsc::Sender<()>),
}

pub(super) struct TranscribeThread {
    jobs: Option<mpsc::Sender<Job>>,
    handle: Option<JoinHandle<()>>,
}

impl TranscribeThread {
    pub(super) fn start(control: Arc<Control>, assets: Assets) -> TranscribeThread {
        let (jobs, inbox) = mpsc::channel();
        let handle = std::thread::Builder::new()
            .name("voxdeck-transcribe".into())
            .spawn(move || serve(&control, &assets, inbox))
            .map_err(|e| log::error!("cannot start the transcription thread: {e}"))
            .ok();
        TranscribeThread {
            jobs: handle.as_ref().map(|_| jobs),
            handle,
        }
    }

    /// Queues a job; without the thread, it is dropped (a flush then returns at once).
    pub(super) fn send(&self, job: Job) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(job);
        }
    }

    /// Waits until every job sent so far is done.
    pub(super) fn flush(&self) {
        let (done, finished) = mpsc::channel();
        self.send(Job::Flush(done));
        let _ = finished.recv();
    }
}

impl Drop for TranscribeThread {
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

fn serve(control: &Control, assets: &Assets, inbox: mpsc::Receiver<Job>) {
    lower_priority();
    let mut transcriber = Transcriber::default();
    while let Some(job) = next_job(&inbox) {
        match job {
            Job::Source {
                clip,
                device,
                runtime,
            } => {
                let result = transcriber.source(&runtime, assets, device, &clip);
                match &result {
                    Ok(t) => log::info!("source clip ({}): \"{}\"", t.language, t.text),
                    Err(e) => log::warn!("source clip not transcribed: {e}"),
                }
                control.state.update(Notice::Session, |s| {
                    s.source = Some(SourceTranscript {
                        clip,
                        result: result.map_err(|e| e.to_string()),
                    });
                });
            }
            Job::Take {
                code,
                number,
                path,
                text,
                device,
                runtime,
                out_dir,
            } => {
                let limits = ErrorRateLimits::from_config(crate::config::current());
                let transcription = if control.shutdown.load(Ordering::SeqCst) {
                    Err("not transcribed: the session was shutting down".to_string())
                } else {
                    transcriber
                        .take(&runtime, assets, device, &path, &code, &text, limits)
                        .map_err(|e| e.to_string())
                };
                log_transcription(&code, number, &transcription, limits);
                control.state.update(Notice::Language(code.clone()), |s| {
                    let take = s
                        .language_mut(&code)
                        .and_then(|r| r.takes.iter_mut().rev().find(|t| t.take == number));
                    if let Some(take) = take {
                        take.scores.transcription_error = transcription.as_ref().err().cloned();
                        take.scores.transcription = transcription.ok();
                    }
                });
                if let Err(e) = write_report(control, &out_dir) {
                    log::error!("{e}");
                }
            }
            Job::Flush(done) => {
                let _ = done.send(());
            }
        }
    }
}

/// The next job, waiting for it if none is queued; None once the session hangs up.
/// Running dry hands back what the transcripts freed (Whisper's buffers are this thread's
/// heap): glibc would keep it resident until this thread needs it again.
fn next_job(inbox: &mpsc::Receiver<Job>) -> Option<Job> {
    match inbox.try_recv() {
        Ok(job) => Some(job),
        Err(mpsc::TryRecvError::Disconnected) => None,
        Err(mpsc::TryRecvError::Empty) => {
            crate::engine::runtime::release_freed_heap();
            inbox.recv().ok()
        }
    }
}

/// Lowers this thread's CPU priority; threads it starts (ORT's) inherit it. On Linux the
/// nice value is per thread, so the rest of the process keeps its own.
fn lower_priority() {
    // SAFETY: setpriority with who = 0 only changes the calling thread's nice value.
    let status = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, NICE) };
    if status != 0 {
        log::debug!(
            "transcription runs at normal priority: setpriority failed ({})",
            std::io::Error::last_os_error()
        );
    }
}

/// `transcription` holds the reason as the take's report keeps it (`transcription_error`).
fn log_transcription(
    code: &str,
    number: usize,
    transcription: &Result<Transcription, String>,
    limits: ErrorRateLimits,
) {
    let t = match transcription {
        Ok(t) => t,
        Err(reason) => {
            log::warn!("{code} take {number} not transcribed: {reason}");
            return;
        }
    };
    log::info!("{code} take {number}: heard \"{}\" ({})", t.text, t.rates());
    if t.flagged {
        log::warn!(
            "{code} take {number} is {OVER_ERROR_RATE_LIMITS}, {:.0} % and {:.0} %: listen to it",
            limits.max_cer * 100.0,
            limits.max_wer * 100.0
        );
    }
}
