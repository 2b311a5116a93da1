//! Applying what woke the event loop (runner, GPU, playback, decoded clips) to the model.

use voxdeck_ui::snapshot::{GpuDevice, GpuPane, Playback, Popup, RankedVoice, TakeRow};

use super::app::{PlayRequest, Wake};
use super::model::{Model, Take};
use super::runner::RunnerEvent;
use super::update::apply_engine_event;
use crate::audio::envelope::envelope;
use crate::audio::playback::{PlaybackStatus, Player};
use crate::gpu::GpuSample;

const ENVELOPE_BUCKETS: usize = 120;

pub fn apply(model: &mut Model, wake: Wake, player: Option<&Player>) {
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
            let codes = model.run.codes.clone();
            model.run.synthesis_seconds = synthesis_seconds;
            for entry in model
                .languages
                .iter_mut()
                .filter(|l| codes.iter().any(|c| c == l.language.code))
                .filter(|l| l.progress.state == voxdeck_ui::snapshot::LanguageState::Done)
            {
                entry.progress.provider = provider.clone();
            }
            if let Some(report) = report {
                log::info!("report written to {}", report.display());
            }
        }
        Wake::Runner(RunnerEvent::TakeSaved {
            language,
            take,
            path,
            voice,
            speed,
            text,
        }) => {
            if let Some(entry) = model
                .languages
                .iter_mut()
                .find(|l| l.language.code == language)
            {
                let row = TakeRow {
                    take,
                    voice,
                    speed,
                    text,
                    similarity: None,
                };
                entry.takes.push(Take { row, path });
            }
        }
        Wake::Runner(RunnerEvent::Scored {
            language,
            take,
            similarity,
        }) => match similarity {
            Ok(value) => {
                if let Some(entry) = model
                    .languages
                    .iter_mut()
                    .find(|l| l.language.code == language)
                {
                    if let Some(kept) = entry.takes.get_mut(take - 1) {
                        kept.row.similarity = Some(value);
                    }
                    entry.similarity = Some(value);
                }
                log::info!("{language} take {take}: similarity to the source {value:.3}");
            }
            Err(reason) => log::warn!("{language} take {take} not scored: {reason}"),
        },
        Wake::Runner(RunnerEvent::Matched { language, result }) => match result {
            Ok(result) => {
                if let Some(best) = result.best() {
                    log::info!(
                        "{language}: closest stock voice {} ({:.3})",
                        best.voice,
                        best.similarity
                    );
                }
                model.status = Some(format!(
                    "{language}: voices ranked; Enter uses the selected one"
                ));
                model.pending_popups.push_back(Popup::VoiceRanking {
                    code: language,
                    probe_text: result.probe_text.clone(),
                    ranking: result
                        .blend
                        .iter()
                        .chain(&result.ranking)
                        .map(|v| RankedVoice {
                            voice: v.voice.clone(),
                            similarity: v.similarity,
                        })
                        .collect(),
                    selected: 0,
                    cached: result.cached,
                });
            }
            Err(message) => {
                log::error!("{language}: voice matching failed: {message}");
                model.status = Some(format!("voice matching failed: {message}"));
            }
        },
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
