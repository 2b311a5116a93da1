//! What the engine tells its reader, through a queue that coalesces progress so a fast
//! run can never flood a slow reader: a queued `Progress` for a language is replaced by
//! the newer one instead of queueing behind it.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use super::languages::ModelKind;

#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub language: String,
    pub sentences_done: usize,
    pub sentences_total: usize,
    /// Seconds of audio synthesised so far.
    pub audio_seconds: f64,
    /// Wall seconds since the language's first sentence started.
    pub elapsed_seconds: f64,
    /// Synthesis seconds per audio second (lower is faster; below 1 is faster than real time).
    pub rtf: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EngineEvent {
    Started {
        language: String,
        model: ModelKind,
        voice: String,
        sentences_total: usize,
    },
    Progress(Progress),
    LanguageDone {
        language: String,
        output: std::path::PathBuf,
        audio_seconds: f64,
    },
    LanguageFailed {
        language: String,
        error: String,
    },
    LanguageCancelled {
        language: String,
    },
    RunDone {
        wall_seconds: f64,
        cancelled: bool,
    },
}

#[derive(Default)]
struct Queue {
    events: VecDeque<EngineEvent>,
    closed: bool,
}

/// `recv_timeout` found nothing before its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// Sending half, cloned into every worker.
#[derive(Clone)]
pub struct EventSender {
    shared: Arc<(Mutex<Queue>, Condvar)>,
}

/// Receiving half, held by whoever drives the display (headless printer or console).
pub struct EventReceiver {
    shared: Arc<(Mutex<Queue>, Condvar)>,
}

pub fn channel() -> (EventSender, EventReceiver) {
    let shared = Arc::new((Mutex::new(Queue::default()), Condvar::new()));
    (
        EventSender {
            shared: shared.clone(),
        },
        EventReceiver { shared },
    )
}

impl EventSender {
    pub fn send(&self, event: EngineEvent) {
        let (lock, ready) = &*self.shared;
        let mut queue = lock.lock().unwrap_or_else(|p| p.into_inner());
        if let EngineEvent::Progress(new) = &event {
            let queued = queue.events.iter_mut().rev().find_map(|e| match e {
                EngineEvent::Progress(p) if p.language == new.language => Some(p),
                _ => None,
            });
            if let Some(old) = queued {
                *old = new.clone();
                return;
            }
        }
        queue.events.push_back(event);
        ready.notify_all();
    }

    /// Marks the stream finished: readers drain what is queued, then get `None`.
    pub fn close(&self) {
        let (lock, ready) = &*self.shared;
        lock.lock().unwrap_or_else(|p| p.into_inner()).closed = true;
        ready.notify_all();
    }
}

impl EventReceiver {
    /// Waits up to `timeout` for the next event. `Ok(None)`: stream closed and drained;
    /// `Err(TimedOut)`: nothing arrived in time.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<Option<EngineEvent>, TimedOut> {
        let (lock, ready) = &*self.shared;
        let queue = lock.lock().unwrap_or_else(|p| p.into_inner());
        let (mut queue, _) = ready
            .wait_timeout_while(queue, timeout, |q| q.events.is_empty() && !q.closed)
            .unwrap_or_else(|p| p.into_inner());
        match queue.events.pop_front() {
            Some(event) => Ok(Some(event)),
            None if queue.closed => Ok(None),
            None => Err(TimedOut),
        }
    }

    /// Blocks until the next event; `None` once the stream is closed and drained.
    pub fn recv(&self) -> Option<EngineEvent> {
        loop {
            if let Ok(next) = self.recv_timeout(Duration::from_secs(3600)) {
                return next;
            }
        }
    }

    /// Everything queued right now, without waiting.
    pub fn drain(&self) -> Vec<EngineEvent> {
        let (lock, _) = &*self.shared;
        lock.lock()
            .unwrap_or_else(|p| p.into_inner())
            .events
            .drain(..)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(lang: &str, done: usize) -> EngineEvent {
        EngineEvent::Progress(Progress {
            language: lang.into(),
            sentences_done: done,
            sentences_total: 10,
            audio_seconds: 0.0,
            elapsed_seconds: 0.0,
            rtf: 0.0,
        })
    }

    #[test]
    fn progress_is_coalesced_per_language_and_other_events_kept() {
        let (tx, rx) = channel();
        for done in 1..=100 {
            tx.send(progress("fr", done));
            tx.send(progress("es", done));
        }
        tx.send(EngineEvent::LanguageFailed {
            language: "es".into(),
            error: "x".into(),
        });
        tx.close();
        let events: Vec<_> = std::iter::from_fn(|| rx.recv()).collect();
        assert_eq!(events.len(), 3);
        assert_eq!(events[0], progress("fr", 100));
        assert_eq!(events[1], progress("es", 100));
        assert!(matches!(events[2], EngineEvent::LanguageFailed { .. }));
    }

    #[test]
    fn times_out_when_empty_and_open() {
        let (_tx, rx) = channel();
        assert_eq!(rx.recv_timeout(Duration::from_millis(5)), Err(TimedOut));
    }
}
