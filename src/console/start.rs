//! Starting a run from the console: the rows asked for, queued at once on screen, as one
//! job with the console's settings. The keys and the popups both start runs through it.

use voxdeck_ui::snapshot::RunState;

use super::effect::Effect;
use super::model::Model;

pub(super) fn start_run(model: &mut Model, rows: Vec<usize>) -> Vec<Effect> {
    start_run_voiced(model, rows, None)
}

/// A run of `rows`; `voice`, when given, is the voice of this run's rows in place of each
/// row's own (a fit, or the best stock voice for an A/B with a fitted one).
pub(super) fn start_run_voiced(
    model: &mut Model,
    rows: Vec<usize>,
    voice: Option<String>,
) -> Vec<Effect> {
    if model.running() {
        model.status = Some("a run is going: wait for it, or cancel it with c".into());
        return Vec::new();
    }
    let rows: Vec<usize> = rows
        .into_iter()
        .filter(|&i| !model.languages[i].text.trim().is_empty())
        .collect();
    if rows.is_empty() {
        model.status = Some("nothing to run: tick a language (Space) and give it text (e)".into());
        return Vec::new();
    }
    for &i in &rows {
        model.languages[i].queued_after = Some(model.run.id);
    }
    model.run.codes = rows
        .iter()
        .map(|&i| model.languages[i].language.code.to_string())
        .collect();
    model.run.state = RunState::Running;
    model.run.started = Some(std::time::Instant::now());
    model.run.wall_seconds = 0.0;
    model.run.synthesis_seconds = 0.0;
    model.status = Some(format!(
        "starting {} language(s) on {} worker(s), {}",
        rows.len(),
        model.workers,
        model.mode.name()
    ));
    let mut job = model.job_for(&rows);
    if let Some(voice) = voice {
        job.languages
            .iter_mut()
            .for_each(|l| l.voice = Some(voice.clone()));
    }
    vec![Effect::StartRun(Box::new(job))]
}
