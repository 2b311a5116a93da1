//! The console's event loop: one `tokio::select!` over key presses, engine events, GPU
//! samples, playback status and log activity, with a tick only while something animates.
//! It draws only when the model changed, at most every ~16 ms, inside a synchronized
//! update so the terminal never shows half a frame.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
use voxdeck_ui::snapshot::{GpuDevice, GpuPane, Playback};

use super::keymap::Keymap;
use super::model::Model;
use super::runner::{Runner, RunnerEvent};
use super::update::{apply_engine_event, update, Effect};
use super::{logging, snapshot, terminal};
use crate::audio::decode;
use crate::audio::envelope::envelope;
use crate::audio::playback::{LabelledClip, PlaybackStatus, Player};
use crate::audio::resample::resample;
use crate::gpu::{GpuSample, GpuSampler, SamplerOptions};

const FRAME: Duration = Duration::from_millis(16);
const ENVELOPE_BUCKETS: usize = 120;

/// Everything that can wake the loop besides a key.
pub enum Wake {
    Runner(RunnerEvent),
    Gpu(Box<GpuSample>),
    Playback(PlaybackStatus),
    ClipLoaded(PathBuf, Result<decode::DecodedClip, String>),
    /// Decoded audio ready to play (or why it cannot be).
    PlayReady(Result<PlayRequest, String>),
}

pub enum PlayRequest {
    One(LabelledClip),
    Ab(LabelledClip, LabelledClip),
}

pub struct Options {
    pub ort_lib: Option<PathBuf>,
    pub gpu_interval: Duration,
}

pub fn run(mut model: Model, options: Options) -> anyhow::Result<()> {
    let keymap = match Keymap::config_path().map(|p| Keymap::load(&p)) {
        Some(Ok(keymap)) => keymap,
        Some(Err(e)) => {
            log::error!("{e}");
            model.status = Some(e.to_string());
            Keymap::default()
        }
        None => Keymap::default(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let mut guard = terminal::TerminalGuard::enter()?;
    let result = runtime.block_on(event_loop(&mut model, &keymap, options, guard.terminal()));
    drop(guard);
    result
}

async fn event_loop(
    model: &mut Model,
    keymap: &Keymap,
    options: Options,
    terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
) -> anyhow::Result<()> {
    let (tx, mut rx) = unbounded_channel::<Wake>();
    let runner = {
        let tx = tx.clone();
        Runner::start(options.ort_lib.clone(), move |e| {
            let _ = tx.send(Wake::Runner(e));
        })
    };
    let sampler = {
        let tx = tx.clone();
        let options = SamplerOptions {
            interval: options.gpu_interval,
            ..SamplerOptions::default()
        };
        GpuSampler::start(options, move |s| {
            let _ = tx.send(Wake::Gpu(Box::new(s)));
        })
        .ok()
    };
    let player = {
        let tx = tx.clone();
        Player::spawn(move |s| {
            let _ = tx.send(Wake::Playback(s));
        })
        .ok()
    };
    if let Some(path) = model.source.path.clone() {
        load_clip(path, tx.clone());
    }

    let mut keys = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let log_state = tui_logger::TuiWidgetState::new();
    while !model.quit {
        if dirty && last_draw.elapsed() >= FRAME {
            draw(terminal, model, &log_state)?;
            last_draw = Instant::now();
            dirty = false;
        }
        let animating = model.running() || matches!(model.playback, Playback::Playing { .. });
        let next_frame = tokio::time::Instant::from_std(last_draw + FRAME);
        tokio::select! {
            key = keys.next() => match key {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    if let Some(action) = keymap.action(key, model.popup.as_ref(), model.editing_inline) {
                        for effect in update(model, action) {
                            carry_out(effect, model, &runner, player.as_ref(), &tx);
                        }
                        dirty = true;
                    }
                }
                Some(Ok(Event::Resize(..))) => dirty = true,
                Some(Ok(_)) => {}
                Some(Err(e)) => log::warn!("terminal input error: {e}"),
                None => break,
            },
            Some(wake) = rx.recv() => {
                apply(model, wake, player.as_ref());
                while let Ok(more) = rx.try_recv() {
                    apply(model, more, player.as_ref());
                }
                dirty = true;
            }
            _ = tick.tick(), if animating => dirty = true,
            _ = tokio::time::sleep_until(next_frame), if dirty => {}
        }
    }
    runner.cancel();
    if let Some(sampler) = sampler {
        sampler.stop();
    }
    drop(player);
    drop(runner);
    Ok(())
}

fn draw(
    terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
    model: &Model,
    log_state: &tui_logger::TuiWidgetState,
) -> anyhow::Result<()> {
    tui_logger::move_events();
    let snap = snapshot::snapshot(model, Instant::now());
    let theme = voxdeck_ui::theme::Theme::default();
    crossterm::execute!(
        terminal.backend_mut(),
        crossterm::terminal::BeginSynchronizedUpdate
    )?;
    terminal.draw(|frame| {
        // The log pane is drawn inside the views' frame, before popups, so popups stay on top.
        voxdeck_ui::view::draw_with(frame, &snap, &theme, |frame, area| {
            let logs = tui_logger::TuiLoggerWidget::default()
                .output_separator(' ')
                .output_timestamp(Some("%H:%M:%S".into()))
                .output_target(false)
                .output_file(false)
                .output_line(false)
                .state(log_state);
            frame.render_widget(logs, area);
        });
    })?;
    crossterm::execute!(
        terminal.backend_mut(),
        crossterm::terminal::EndSynchronizedUpdate
    )?;
    terminal.backend_mut().flush()?;
    Ok(())
}

fn carry_out(
    effect: Effect,
    model: &mut Model,
    runner: &Runner,
    player: Option<&Player>,
    tx: &UnboundedSender<Wake>,
) {
    match effect {
        Effect::StartRun(job) => {
            let out_dir = PathBuf::from("out").join(&job.name);
            log::info!(
                "run: {} language(s), {} worker(s), {}",
                job.languages.len(),
                model.workers,
                model.mode.name()
            );
            model.run.out_dir = Some(out_dir.clone());
            runner.run(*job, out_dir);
        }
        Effect::CancelRun => {
            log::info!("cancelling the run: sentences in flight finish, the rest stop");
            runner.cancel();
        }
        Effect::Play { label, path } => prepare_playback(tx.clone(), move || {
            let clip = decode::decode(&path).map_err(|e| e.to_string())?.clip;
            Ok(PlayRequest::One(LabelledClip::new(label, Arc::new(clip))))
        }),
        Effect::PlayAb {
            label,
            result,
            source,
        } => prepare_playback(tx.clone(), move || {
            let result = decode::decode(&result).map_err(|e| e.to_string())?.clip;
            let source = decode::decode(&source).map_err(|e| e.to_string())?.clip;
            // Both sides at one rate so the playhead means the same moment in each.
            let source = resample(&source, result.sample_rate).map_err(|e| e.to_string())?;
            Ok(PlayRequest::Ab(
                LabelledClip::new(format!("A/B {label}"), Arc::new(result)),
                LabelledClip::new("A/B source", Arc::new(source)),
            ))
        }),
        Effect::ToggleAb => {
            if let Some(player) = player {
                player.toggle_ab();
            }
        }
        Effect::StopPlayback => {
            if let Some(player) = player {
                player.stop();
            }
        }
        Effect::LoadClip(path) => load_clip(path, tx.clone()),
        Effect::LogLevel(more) => logging::step_level(more),
    }
}

/// Decoding runs on a std thread so a long clip never stalls the loop.
fn prepare_playback(
    tx: UnboundedSender<Wake>,
    work: impl FnOnce() -> Result<PlayRequest, String> + Send + 'static,
) {
    std::thread::spawn(move || {
        let _ = tx.send(Wake::PlayReady(work()));
    });
}

fn load_clip(path: PathBuf, tx: UnboundedSender<Wake>) {
    std::thread::spawn(move || {
        let decoded = decode::decode(&path).map_err(|e| e.to_string());
        let _ = tx.send(Wake::ClipLoaded(path, decoded));
    });
}

fn apply(model: &mut Model, wake: Wake, player: Option<&Player>) {
    match wake {
        Wake::Runner(RunnerEvent::Loading { workers }) => {
            model.status = Some(format!("loading models into {workers} worker(s)..."));
            log::info!("loading models into {workers} worker(s)");
        }
        Wake::Runner(RunnerEvent::Engine(event)) => {
            log_engine_event(&event);
            apply_engine_event(model, &event);
        }
        Wake::Runner(RunnerEvent::Finished {
            provider,
            report,
            synthesis_seconds,
        }) => {
            model.run.provider = provider.clone();
            model.run.synthesis_seconds = synthesis_seconds;
            for entry in model
                .languages
                .iter_mut()
                .filter(|l| l.progress.state == voxdeck_ui::snapshot::LanguageState::Done)
            {
                entry.progress.provider = provider.clone();
            }
            if let Some(report) = report {
                log::info!("report written to {}", report.display());
            }
        }
        Wake::Runner(RunnerEvent::SetupFailed(message)) => {
            log::error!("{message}");
            model.status = Some(message);
            model.run.state = voxdeck_ui::snapshot::RunState::Idle;
            model.run.started = None;
            for entry in &mut model.languages {
                if entry.progress.state == voxdeck_ui::snapshot::LanguageState::Queued {
                    entry.progress.state = voxdeck_ui::snapshot::LanguageState::Idle;
                }
            }
        }
        Wake::Gpu(sample) => model.gpu = gpu_pane(&sample),
        Wake::Playback(status) => {
            model.playback = match status {
                PlaybackStatus::Playing {
                    label,
                    position_seconds,
                    duration_seconds,
                } => Playback::Playing {
                    what: label,
                    position_seconds,
                    duration_seconds,
                },
                PlaybackStatus::Stopped => Playback::Stopped,
                PlaybackStatus::Unavailable(reason) => {
                    // The playback thread logs the reason itself.
                    model.status = Some(format!("playback unavailable: {reason}"));
                    Playback::Unavailable(reason)
                }
            }
        }
        Wake::PlayReady(Ok(request)) => match (player, request) {
            (Some(player), PlayRequest::One(clip)) => player.play(clip),
            (Some(player), PlayRequest::Ab(a, b)) => player.play_ab(a, b),
            (None, _) => {
                model.status =
                    Some("playback is unavailable: the audio thread could not start".into())
            }
        },
        Wake::PlayReady(Err(message)) => {
            log::error!("cannot play: {message}");
            model.status = Some(format!("cannot play: {message}"));
        }
        Wake::ClipLoaded(path, Ok(decoded)) => {
            log::info!(
                "source clip {}: {:.2} s, {} Hz, {} channel(s)",
                path.display(),
                decoded.duration_seconds,
                decoded.original_rate,
                decoded.channels
            );
            model.source.path = Some(path);
            model.source.duration_seconds = decoded.duration_seconds;
            model.source.sample_rate = decoded.original_rate;
            model.source.channels = decoded.channels;
            model.source.envelope = envelope(&decoded.clip.samples, ENVELOPE_BUCKETS);
            model.source.error = None;
        }
        Wake::ClipLoaded(path, Err(message)) => {
            log::error!("cannot open {}: {message}", path.display());
            model.source.error = Some(message.clone());
            model.status = Some(message);
        }
    }
}

fn log_engine_event(event: &crate::engine::events::EngineEvent) {
    use crate::engine::events::EngineEvent as E;
    match event {
        E::LanguageDone {
            language,
            output,
            audio_seconds,
        } => {
            log::info!(
                "{language}: done, {audio_seconds:.2} s of audio -> {}",
                output.display()
            )
        }
        E::LanguageFailed { language, error } => log::error!("{language}: failed: {error}"),
        E::LanguageCancelled { language } => log::warn!("{language}: cancelled"),
        E::RunDone {
            wall_seconds,
            cancelled,
        } => {
            log::info!(
                "run {} after {wall_seconds:.2} s",
                if *cancelled { "cancelled" } else { "finished" }
            )
        }
        E::Started { .. } | E::Progress(_) => {}
    }
}

fn gpu_pane(sample: &GpuSample) -> GpuPane {
    if sample.status.is_available() {
        GpuPane::Devices(
            sample
                .devices
                .iter()
                .map(|d| GpuDevice {
                    index: d.index,
                    name: d.name.clone(),
                    memory_used_bytes: d.memory_used_bytes,
                    memory_total_bytes: d.memory_total_bytes,
                    utilization_percent: d.utilization_percent,
                    temperature_celsius: d.temperature_celsius,
                    power_watts: d.power_watts,
                    own_process_bytes: d.own_process_bytes,
                    history: d.history_fractions(),
                })
                .collect(),
        )
    } else {
        let reason = match &sample.status {
            crate::gpu::GpuStatus::Unavailable { reason } => reason.clone(),
            _ => String::new(),
        };
        GpuPane::Unavailable {
            reason,
            process_rss_bytes: sample.host.process_rss_bytes,
            system_used_bytes: sample.host.system_used_bytes,
            system_total_bytes: sample.host.system_total_bytes,
            history: sample.host.history_fractions(),
        }
    }
}
