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
mod start;
pub mod sync;
pub mod table;
pub mod terminal;
pub mod update;
pub mod wake;

use std::path::PathBuf;

use crate::assets::Assets;
use crate::job::JobSpec;

/// The fitted voices saved in the voices folder, as the voice cycle offers them.
fn fitted_voices() -> Vec<(String, String)> {
    crate::fit::voices_dir()
        .map(|dir| crate::fit::saved::listed(&dir))
        .unwrap_or_default()
        .into_iter()
        .map(|(language, name)| (language, format!("{}{name}", crate::fit::FITTED_PREFIX)))
        .collect()
}

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
    let workers = crate::config::current().worker_defaults();
    let mut model = model::Model::new(job.as_ref(), voices, workers);
    model.fitted_voices = fitted_voices();
    app::run(
        model,
        app::Options {
            ort_lib,
            cache,
            metrics,
            adopt: None,
        },
    )
}

/// The console on files `voxdeck qa` scored: each is its language's first take, to play,
/// A/B against the source and compare with voxdeck's own takes of the same texts (`r`).
pub fn open_scored(
    scored: crate::report::Report,
    ort_lib: Option<PathBuf>,
) -> anyhow::Result<bool> {
    logging::init();
    let job = scored_job(&scored)?;
    let voices = Assets::locate().kokoro_voice_names();
    let workers = crate::config::current().worker_defaults();
    let mut model = model::Model::new(Some(&job), voices, workers);
    model.fitted_voices = fitted_voices();
    app::run(
        model,
        app::Options {
            ort_lib,
            cache: Default::default(),
            metrics: None,
            adopt: Some(scored),
        },
    )
}

/// A job of the scored files' texts (voxdeck's languages only) and source clip, written
/// to `out/qa` when run.
fn scored_job(scored: &crate::report::Report) -> anyhow::Result<JobSpec> {
    let mut file = toml::Table::new();
    file.insert("name".into(), "qa".into());
    if let Some(source) = &scored.source {
        let mut table = toml::Table::new();
        table.insert("clip".into(), source.clip.display().to_string().into());
        file.insert("source".into(), table.into());
    }
    let languages: Vec<toml::Value> = scored
        .languages
        .iter()
        .filter(|l| crate::languages::find(&l.code).is_some())
        .map(|l| {
            let mut table = toml::Table::new();
            table.insert("code".into(), l.code.clone().into());
            table.insert("text".into(), l.text.clone().into());
            table.into()
        })
        .collect();
    file.insert("language".into(), languages.into());
    let text = toml::to_string(&file)?;
    Ok(JobSpec::parse(
        &text,
        std::path::Path::new("(voxdeck qa)"),
        std::path::Path::new("."),
        "qa".into(),
    )?)
}
