//! Applying what woke the event loop besides the session (GPU samples, playback status,
//! decoded clips) to the model.

use voxdeck_ui::snapshot::{GpuDevice, GpuPane, Playback};

use super::model::Model;
use super::wake::{PlayRequest, Wake};
use crate::audio::envelope::envelope;
use crate::audio::playback::{PlaybackStatus, Player};
use crate::gpu::GpuSample;

const ENVELOPE_BUCKETS: usize = 120;

pub fn apply(model: &mut Model, wake: Wake, player: Option<&Player>) {
    match wake {
        Wake::Signal => {
            log::warn!("asked to stop by a signal: cancelling and quitting");
            model.quit = true;
        }
        Wake::Gpu(sample) => {
            // Pool workers on CUDA each hold their own copy of the weights in video memory.
            let cuda_workers = match (&model.run.provider, &model.run.settings) {
                (Some(provider), Some(settings)) if provider.starts_with("CUDA") => {
                    Some(settings.workers)
                }
                _ => None,
            };
            model.gpu = gpu_pane(&sample, cuda_workers)
        }
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

/// The GPU pane; `cuda_workers`: how many workers the last run had on CUDA, to show this
/// process's video memory per worker.
fn gpu_pane(sample: &GpuSample, cuda_workers: Option<usize>) -> GpuPane {
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
                    own_per_worker_bytes: match (d.own_process_bytes, cuda_workers) {
                        (Some(own), Some(workers)) if own > 0 && workers > 0 => {
                            Some(own / workers as u64)
                        }
                        _ => None,
                    },
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
