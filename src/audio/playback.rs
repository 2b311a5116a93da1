//! Playback on a thread of its own. The output stream is `!Send` on some platforms, so it is
//! opened, used and dropped on that thread only; the rest of voxdeck talks to it through
//! commands and hears back through a status callback. Without an output device playback reports
//! `Unavailable` and everything else keeps working.

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rodio::{DeviceSinkBuilder, MixerDeviceSink};

mod voice;

use self::voice::{Shared, Voice};
use super::resample::resample;
use super::wav::Clip;

/// How often `Playing` is reported while something plays.
const REPORT_EVERY: Duration = Duration::from_millis(100);

/// What the playback thread reports.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaybackStatus {
    /// `label` is the clip being heard (for A/B, the side now audible).
    Playing {
        label: String,
        position_seconds: f64,
        duration_seconds: f64,
    },
    Stopped,
    /// No output could be opened or the device went away; the reason is meant for the operator.
    Unavailable(String),
}

/// A clip with the name the console shows for it ("source", "ja result", ...).
#[derive(Debug, Clone)]
pub struct LabelledClip {
    pub label: String,
    pub clip: Arc<Clip>,
}

impl LabelledClip {
    pub fn new(label: impl Into<String>, clip: Arc<Clip>) -> Self {
        Self {
            label: label.into(),
            clip,
        }
    }
}

enum Command {
    Play(LabelledClip),
    PlayAb(LabelledClip, LabelledClip),
    ToggleAb,
    Stop,
    DeviceError(String),
    Shutdown,
}

/// Handle to the playback thread; dropping it stops playback and joins the thread.
pub struct Player {
    commands: mpsc::Sender<Command>,
    thread: Option<JoinHandle<()>>,
}

impl Player {
    /// Starts the playback thread, which opens the default output device at once and reports
    /// `Unavailable` through `on_status` if it cannot.
    pub fn spawn<F>(on_status: F) -> std::io::Result<Player>
    where
        F: FnMut(PlaybackStatus) + Send + 'static,
    {
        let (commands, inbox) = mpsc::channel();
        let device_errors = commands.clone();
        let thread = std::thread::Builder::new()
            .name("voxdeck-playback".into())
            .spawn(move || PlaybackThread::new(on_status, device_errors).run(inbox))?;
        Ok(Player {
            commands,
            thread: Some(thread),
        })
    }

    pub fn play(&self, clip: LabelledClip) {
        self.send(Command::Play(clip));
    }

    /// Plays `a` and `b` in lockstep with `a` audible; `toggle_ab` switches sides in place.
    pub fn play_ab(&self, a: LabelledClip, b: LabelledClip) {
        self.send(Command::PlayAb(a, b));
    }

    pub fn toggle_ab(&self) {
        self.send(Command::ToggleAb);
    }

    pub fn stop(&self) {
        self.send(Command::Stop);
    }

    fn send(&self, command: Command) {
        // The thread only ends on Shutdown (or a panic, which the log already shows).
        if self.commands.send(command).is_err() {
            log::warn!("playback thread is gone; command dropped");
        }
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Current {
    shared: Arc<Shared>,
    labels: (String, Option<String>),
    rate: u32,
    frames: usize,
}

impl Current {
    fn status(&self) -> PlaybackStatus {
        let showing_b = self.shared.show_b.load(Ordering::Relaxed);
        let label = match (&self.labels.1, showing_b) {
            (Some(b), true) => b.clone(),
            _ => self.labels.0.clone(),
        };
        let consumed = self.shared.frames_consumed.load(Ordering::Relaxed);
        PlaybackStatus::Playing {
            label,
            position_seconds: consumed.min(self.frames) as f64 / self.rate as f64,
            duration_seconds: self.frames as f64 / self.rate as f64,
        }
    }
}

struct PlaybackThread<F> {
    on_status: F,
    device_errors: mpsc::Sender<Command>,
    output: Option<MixerDeviceSink>,
    current: Option<Current>,
}

impl<F: FnMut(PlaybackStatus)> PlaybackThread<F> {
    fn new(on_status: F, device_errors: mpsc::Sender<Command>) -> Self {
        let mut thread = Self {
            on_status,
            device_errors,
            output: None,
            current: None,
        };
        thread.ensure_output();
        thread
    }

    fn run(mut self, inbox: mpsc::Receiver<Command>) {
        let mut next_report = Instant::now();
        loop {
            let command = if self.current.is_some() {
                let wait = next_report.saturating_duration_since(Instant::now());
                match inbox.recv_timeout(wait) {
                    Ok(command) => Some(command),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match inbox.recv() {
                    Ok(command) => Some(command),
                    Err(_) => break,
                }
            };
            match command {
                Some(Command::Shutdown) => break,
                Some(command) => self.handle(command),
                None => {}
            }
            if Instant::now() >= next_report {
                self.report_progress();
                next_report = Instant::now() + REPORT_EVERY;
            }
        }
        self.stop_current();
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Play(clip) => self.start(clip, None),
            Command::PlayAb(a, b) => self.start(a, Some(b)),
            Command::ToggleAb => {
                if let Some(current) = &self.current {
                    current.shared.show_b.fetch_xor(true, Ordering::Relaxed);
                    (self.on_status)(current.status());
                }
            }
            Command::Stop => {
                self.stop_current();
                (self.on_status)(PlaybackStatus::Stopped);
            }
            Command::DeviceError(reason) => {
                self.stop_current();
                self.output = None;
                (self.on_status)(PlaybackStatus::Unavailable(reason));
            }
            Command::Shutdown => {}
        }
    }

    fn report_progress(&mut self) {
        let Some(current) = &self.current else { return };
        if current.shared.finished.load(Ordering::Acquire) {
            self.current = None;
            (self.on_status)(PlaybackStatus::Stopped);
        } else {
            (self.on_status)(current.status());
        }
    }

    fn stop_current(&mut self) {
        if let Some(current) = self.current.take() {
            current.shared.stop.store(true, Ordering::Release);
        }
    }

    fn start(&mut self, a: LabelledClip, b: Option<LabelledClip>) {
        self.stop_current();
        if !self.ensure_output() {
            return;
        }
        let Some(output) = &self.output else { return };
        let device_rate = output.config().sample_rate().get();
        let a_samples = at_rate(&a.clip, device_rate);
        let b_samples = b.as_ref().map(|b| at_rate(&b.clip, device_rate));
        let frames = a_samples.len().max(b_samples.as_ref().map_or(0, Vec::len));
        let shared = Arc::new(Shared::default());
        let voice = Voice::new(a_samples, b_samples, device_rate, shared.clone());
        output.mixer().add(voice);
        let current = Current {
            shared,
            labels: (a.label, b.map(|b| b.label)),
            rate: device_rate,
            frames,
        };
        (self.on_status)(current.status());
        self.current = Some(current);
    }

    /// Opens the default output if it is not open; reports `Unavailable` and returns false if
    /// that fails. Retried on every play, so a device that appears later is picked up.
    fn ensure_output(&mut self) -> bool {
        if self.output.is_some() {
            return true;
        }
        match open_output(self.device_errors.clone()) {
            Ok(output) => {
                log::info!("audio output open: {:?}", output.config());
                self.output = Some(output);
                true
            }
            Err(reason) => {
                log::warn!("{reason}");
                (self.on_status)(PlaybackStatus::Unavailable(reason.to_string()));
                false
            }
        }
    }
}

/// Opens and closes the default output device: `Ok` when playback would work (for doctor).
pub fn probe_output() -> Result<(), NoOutput> {
    let (tx, _rx) = mpsc::channel();
    open_output(tx).map(drop)
}

/// No audio output device could be opened. The message spells out rodio's whole chain of
/// causes, so the error is not also given as a source (which would print it twice).
#[derive(Debug, thiserror::Error)]
#[error("no audio output device: {}", chain(.0))]
pub struct NoOutput(rodio::DeviceSinkError);

fn open_output(device_errors: mpsc::Sender<Command>) -> Result<MixerDeviceSink, NoOutput> {
    let on_error = move |e: rodio::cpal::Error| {
        use rodio::cpal::ErrorKind;
        let lost = matches!(
            e.kind(),
            ErrorKind::DeviceNotAvailable | ErrorKind::HostUnavailable
        );
        if lost {
            let reason = format!("audio output lost: {}", chain(&e));
            let _ = device_errors.send(Command::DeviceError(reason));
        } else {
            log::warn!("audio output: {}", chain(&e));
        }
    };
    let mut output = DeviceSinkBuilder::from_default_device()
        .map_err(NoOutput)?
        .with_error_callback(on_error)
        .open_sink_or_fallback()
        .map_err(NoOutput)?;
    output.log_on_drop(false);
    Ok(output)
}

fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The clip's samples at the device rate: resampled here with rubato, because the mixer's own
/// conversion is a plain interpolation.
fn at_rate(clip: &Clip, rate: u32) -> Vec<f32> {
    match resample(clip, rate) {
        Ok(resampled) => resampled.samples,
        Err(e) => {
            log::warn!("playing without resampling: {e}");
            clip.samples.clone()
        }
    }
}
