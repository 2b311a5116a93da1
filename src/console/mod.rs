//! The interactive console: model, actions, update, keymap, event loop. It draws through
//! the pure views of `voxdeck-ui` and drives the same session core as the headless commands.

pub mod action;
pub mod app;
pub mod apply;
pub mod config;
pub mod effect;
pub mod keymap;
pub mod logging;
pub mod model;
pub mod popups;
pub mod snapshot;
pub mod sync;
pub mod terminal;
pub mod update;
pub mod wake;

use std::path::PathBuf;
use std::time::Duration;

use crate::assets::Assets;
use crate::job::JobSpec;

/// Opens the console on `job` (the demo job when it exists and none is given).
/// `Ok(true)` when every language of the last run was done, or nothing ran.
/// `metrics`, when given, serves the session's metrics while the console is open.
pub fn open(
    job: Option<JobSpec>,
    ort_lib: Option<PathBuf>,
    cache: crate::engine::cache::CacheOptions,
    metrics: Option<crate::metrics::Listener>,
) -> anyhow::Result<bool> {
    logging::init();
    let voices = Assets::locate().kokoro_voice_names();
    let model = model::Model::new(job.as_ref(), voices);
    let gpu_interval = std::env::var("VOXDECK_GPU_INTERVAL_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&ms: &u64| ms > 0)
        .map(Duration::from_millis);
    app::run(
        model,
        app::Options {
            ort_lib,
            cache,
            gpu_interval,
            metrics,
        },
    )
}
