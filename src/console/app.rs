//! The console's event loop: one `tokio::select!` over key presses, session notices, GPU
//! samples and playback status, with a tick only while something animates.
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
use voxdeck_ui::snapshot::{Playback, Popup, Transcript};

use super::action::Action;

use super::apply::apply;
use super::config::ConsoleConfig;
use super::model::Model;
use super::update::{update, Effect};
use super::wake::{PlayRequest, Wake};
use super::{logging, snapshot, sync, terminal};
use crate::audio::decode;
use crate::audio::playback::{LabelledClip, Player};
use crate::audio::resample::resample;
use crate::gpu::{GpuSampler, SamplerOptions};
use crate::session::{Session, SessionOptions};

const FRAME: Duration = Duration::from_millis(16);

pub struct Options {
    pub ort_lib: Option<PathBuf>,
    /// `--cache`, `--cache-size`.
    pub cache: crate::engine::cache::CacheOptions,
    /// Where to serve the session's metrics (bound already, so a bad address never got here).
    pub metrics: Option<crate::metrics::Listener>,
    /// Files `voxdeck qa` scored, taken into the session as their languages' first takes.
    pub adopt: Option<crate::report::Report>,
}

/// Runs the console until the operator quits (or a signal asks it to). `Ok(true)` when
/// every language of the last run was done, or nothing ran: the exit code headless uses.
pub fn run(mut model: Model, options: Options) -> anyhow::Result<bool> {
    // The one settings file (read once per process; its own warnings are logged then), and
    // what only the console checks in it: `[keys]` and `[theme]`.
    let settings = crate::config::current_loaded();
    let (config, warnings) =
        ConsoleConfig::from_settings(&settings.config, settings.path.as_deref());
    for warning in &warnings {
        log::warn!("{warning}");
    }
    // The first problem in the status bar too: the log pane may be scrolled away.
    let problems = settings.warnings.len() + warnings.len();
    if let Some(first) = settings.warnings.iter().chain(&warnings).next() {
        model.status = Some(if problems == 1 {
            first.clone()
        } else {
            format!("{first} (and {} more in the log)", problems - 1)
        });
    }
    model.score_rules.similarity_threshold = config.similarity_threshold;
    model.fit_request = config.fit;
    model.key_labels = config.keymap.labels().clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let mut guard = terminal::TerminalGuard::enter()?;
    let result = runtime.block_on(event_loop(&mut model, &config, options, guard.terminal()));
    drop(guard);
    result
}

async fn event_loop(
    model: &mut Model,
    config: &ConsoleConfig,
    options: Options,
    terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
) -> anyhow::Result<bool> {
    let (tx, mut rx) = unbounded_channel::<Wake>();
    // SIGTERM, SIGHUP (and SIGINT, which raw mode does not send from the keyboard) quit
    // like `q`: cancel, write the report, restore the terminal.
    {
        let tx = tx.clone();
        if let Err(e) = ctrlc::set_handler(move || {
            let _ = tx.send(Wake::Signal);
        }) {
            log::warn!("signals will end the console without cleaning up: {e}");
        }
    }
    // The session's notices wake the loop through one stored permit: however much the
    // engine publishes, the loop finds one wake-up and the newest state.
    let session_changed = Arc::new(tokio::sync::Notify::new());
    let session = {
        let notify = session_changed.clone();
        let options = SessionOptions {
            ort_lib: options.ort_lib.clone(),
            wait_for_folder: false,
            no_cache: false,
            probe_cache: None,
            cache: options.cache.clone(),
            no_transcribe: false,
        };
        Session::start(options, move || notify.notify_one())
    };
    if let Some(scored) = &options.adopt {
        session.adopt(scored);
    }
    let _metrics = match options.metrics {
        Some(listener) => {
            let server = crate::metrics::serve_session(listener, session.watch())?;
            log::info!("metrics: serving {}", server.url());
            Some(server)
        }
        None => None,
    };
    let sampler = {
        let tx = tx.clone();
        let options = SamplerOptions {
            interval: config.gpu_interval,
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
        load_clip(path.clone(), tx.clone());
        model.source.transcript = Some(Transcript::Pending);
        session.transcribe_source(path, model.device);
    }
    for code in std::mem::take(&mut model.match_on_open) {
        match model.source.path.clone() {
            Some(source) => {
                model.status = Some(format!(
                    "the job asks to match voices: ranking {code} voices..."
                ));
                session.match_voice(&code, source, model.device);
            }
            None => {
                model.status = Some(format!(
                    "{code}: voice = \"match\" needs a source clip; using {}",
                    model.selected().voice
                ))
            }
        }
    }

    let mut keys = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let log_state = tui_logger::TuiWidgetState::new();
    while !model.quit {
        if dirty && last_draw.elapsed() >= FRAME {
            draw(terminal, model, &config.theme, &log_state)?;
            last_draw = Instant::now();
            dirty = false;
        }
        let animating = model.running() || matches!(model.playback, Playback::Playing { .. });
        let next_frame = tokio::time::Instant::from_std(last_draw + FRAME);
        tokio::select! {
            key = keys.next() => match key {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    if let Some(action) = config.keymap.action(key, model.popup.as_ref(), model.editing_inline) {
                        for effect in update(model, action) {
                            carry_out(effect, model, &session, player.as_ref(), &tx);
                        }
                        dirty = true;
                    }
                }
                Some(Ok(Event::Paste(text))) => {
                    // Pasted text is text, never commands: only where text is being typed,
                    // with line breaks as spaces.
                    if model.editing_inline || matches!(model.popup, Some(Popup::EditText { .. } | Popup::OpenClip { .. })) {
                        for c in text.chars() {
                            let c = if c.is_control() { ' ' } else { c };
                            let _ = update(model, Action::Input(c));
                        }
                        dirty = true;
                    }
                }
                Some(Ok(Event::Resize(..))) => dirty = true,
                Some(Ok(_)) => {}
                Some(Err(e)) => log::warn!("terminal input error: {e}"),
                None => break,
            },
            _ = session_changed.notified() => {
                session.state().take(|state, notices| sync::sync(model, state, &notices));
                dirty = true;
            }
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
    session.cancel();
    if session.state().read(|s| s.run.phase.is_active()) {
        model.status =
            Some("quitting: sentences in flight finish, then the report is written".into());
        draw(terminal, model, &config.theme, &log_state)?;
    }
    session.state().wait_until(|s| !s.run.phase.is_active());
    let all_done = session.state().read(|s| s.run.id == 0 || s.run_all_done());
    if let Some(sampler) = sampler {
        sampler.stop();
    }
    drop(player);
    drop(session);
    Ok(all_done)
}

fn draw(
    terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>,
    model: &Model,
    theme: &voxdeck_ui::Theme,
    log_state: &tui_logger::TuiWidgetState,
) -> anyhow::Result<()> {
    tui_logger::move_events();
    let snap = snapshot::snapshot(model, Instant::now());
    crossterm::execute!(
        terminal.backend_mut(),
        crossterm::terminal::BeginSynchronizedUpdate
    )?;
    terminal.draw(|frame| {
        // The log pane is drawn inside the views' frame, before popups, so popups stay on top.
        voxdeck_ui::view::draw_with(frame, &snap, theme, |frame, area| {
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
    session: &Session,
    player: Option<&Player>,
    tx: &UnboundedSender<Wake>,
) {
    match effect {
        Effect::StartRun(job) => {
            let out_dir = job.output_dir_or_default();
            log::info!(
                "run: {} language(s), {} worker(s), {}",
                job.languages.len(),
                model.workers,
                model.mode.name()
            );
            model.run.out_dir = Some(out_dir.clone());
            session.run(*job, out_dir);
        }
        Effect::CancelRun => {
            log::info!("cancelling the run: sentences in flight finish, the rest stop");
            session.cancel();
        }
        Effect::Play { label, path } => prepare_playback(tx.clone(), move || {
            let clip = decode::decode(&path).map_err(|e| e.to_string())?.clip;
            Ok(PlayRequest::One(LabelledClip::new(label, Arc::new(clip))))
        }),
        Effect::PlayAb {
            a_label,
            a,
            b_label,
            b,
        } => prepare_playback(tx.clone(), move || {
            let a = decode::decode(&a).map_err(|e| e.to_string())?.clip;
            let b = decode::decode(&b).map_err(|e| e.to_string())?.clip;
            // Both sides at one rate so the playhead means the same moment in each.
            let b = resample(&b, a.sample_rate).map_err(|e| e.to_string())?;
            Ok(PlayRequest::Ab(
                LabelledClip::new(format!("A/B {a_label}"), Arc::new(a)),
                LabelledClip::new(format!("A/B {b_label}"), Arc::new(b)),
            ))
        }),
        Effect::MatchVoice { code, source } => {
            log::info!("matching {code} voices to {}", source.display());
            session.match_voice(&code, source, model.device);
        }
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
        Effect::LoadClip(path) => {
            load_clip(path.clone(), tx.clone());
            // The transcript is matched to the clip it is of: the path is the new one now.
            model.source.path = Some(path.clone());
            model.source.transcript = Some(Transcript::Pending);
            session.transcribe_source(path, model.device);
        }
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
