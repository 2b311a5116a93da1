//! The session's published state into the model: rows of the languages noticed, and the
//! run's phase, totals and voice rankings. The one way engine progress reaches the screen.

use voxdeck_ui::snapshot::{
    FitOutcome, FitPoint, FitView, Popup, RankedVoice, RunState, Transcript,
};

use super::model::Model;
use crate::qa::scores::{loudness_flags, loudness_spread_limit, similarity_match, Loudness, Match};
use crate::session::published::Notice;
use crate::session::state::{LanguageRecord, RunPhase, SessionState};

pub fn sync(model: &mut Model, state: &SessionState, notices: &[Notice]) {
    for notice in notices {
        match notice {
            Notice::Language(code) => {
                let record = state.language(code);
                sync_language(model, code, record);
                if let Some(record) = record {
                    sync_fitted(model, record);
                }
                sync_fitting(model, state);
            }
            Notice::Session => {
                sync_run(model, state);
                sync_source(model, state);
                sync_rankings(model, state);
                sync_fitting(model, state);
                if let Some(p) = &state.probes {
                    model.status = Some(format!(
                        "ranking {} voices: {}/{} probes spoken on the pool",
                        p.code, p.done, p.total
                    ));
                }
            }
        }
    }
    // The fit popup, when open, shows the fit as it is now.
    if let (Some(Popup::Fitting(shown)), Some(fit)) = (&mut model.popup, &model.fit) {
        *shown = fit.clone();
    }
    model.run.synthesis_seconds = state
        .run_languages()
        .map(|l| l.progress.synthesis_seconds)
        .sum();
    model.run.provider = state
        .run_languages()
        .find_map(|l| l.progress.execution_provider.clone())
        .or(model.run.provider.take());
}

/// A language's record as the session published it, taken whole: the console keeps no
/// copy of its fields. A record the session dropped (a run that could not start, with no
/// earlier run to go back to) leaves the row as it was before that run.
fn sync_language(model: &mut Model, code: &str, record: Option<&LanguageRecord>) {
    let Some(entry) = model.languages.iter_mut().find(|l| l.language.code == code) else {
        return;
    };
    if let (Some(after), Some(record)) = (entry.queued_after, record) {
        if record.run > after {
            entry.queued_after = None;
        }
    }
    entry.record = record.cloned();
}

/// The session's transcript of the source clip, once it is of the clip the console shows.
fn sync_source(model: &mut Model, state: &SessionState) {
    let Some(source) = &state.source else { return };
    if model.source.path.as_deref() != Some(source.clip.as_path()) {
        return;
    }
    model.source.transcript = Some(match &source.result {
        Ok(t) => Transcript::Heard {
            language: t.language.clone(),
            text: t.text.clone(),
        },
        Err(e) => Transcript::None(e.clone()),
    });
}

fn sync_run(model: &mut Model, state: &SessionState) {
    let phase = &state.run.phase;
    model.run.id = state.run.id;
    model.run.codes = state.run.codes.clone();
    model.run.out_dir = state.run.out_dir.clone();
    model.run.settings = state.run.settings.clone();
    if *phase == model.run.phase {
        return;
    }
    model.run.phase = phase.clone();
    model.run.state = match phase {
        RunPhase::Idle | RunPhase::SetupFailed(_) => RunState::Idle,
        RunPhase::Queued
        | RunPhase::Matching { .. }
        | RunPhase::Loading { .. }
        | RunPhase::Running => RunState::Running,
        RunPhase::Cancelling => RunState::Cancelling,
        RunPhase::Finished {
            cancelled: true, ..
        } => RunState::Cancelled,
        RunPhase::Finished { .. } if state.run_all_done() => RunState::Done,
        RunPhase::Finished { .. } => RunState::DoneWithFailures,
    };
    if phase.is_active() {
        model
            .run
            .started
            .get_or_insert_with(std::time::Instant::now);
    }
    match phase {
        RunPhase::Matching { code } => {
            model.status = Some(format!(
                "the job asks to match voices: ranking {code} voices..."
            ))
        }
        RunPhase::Loading { workers } => {
            model.status = Some(format!("loading models into {workers} worker(s)..."))
        }
        RunPhase::Finished {
            wall_seconds,
            cancelled,
        } => {
            model.run.started = None;
            model.run.wall_seconds = *wall_seconds;
            // Rows the run never reached are no longer waiting for it.
            for entry in &mut model.languages {
                entry.queued_after = None;
            }
            let how = if *cancelled { "cancelled" } else { "finished" };
            stop_fit(
                model,
                &format!("the run {how} without a fitted voice: see the log"),
            );
            model.status = Some(format!("run {how} after {wall_seconds:.1} s"));
            // Every take of the run is measured by now (takes are kept before the run ends).
            let flags = loudness_flags_of(state);
            for flag in &flags {
                log::warn!("{flag}");
            }
            if let Some(first) = flags.first() {
                model.status = Some(format!("run {how} after {wall_seconds:.1} s; {first}"));
            }
        }
        RunPhase::SetupFailed(message) => {
            log::error!("{message}");
            stop_fit(model, message);
            model.run.started = None;
            model.status = Some(message.clone());
            for entry in &mut model.languages {
                entry.queued_after = None;
            }
        }
        RunPhase::Idle | RunPhase::Queued | RunPhase::Running | RunPhase::Cancelling => {}
    }
}

/// The loudness flags of the run's languages' latest takes, as headless logs them.
fn loudness_flags_of(state: &SessionState) -> Vec<String> {
    let levels: Vec<(&str, Loudness)> = (state.run_languages())
        .filter_map(|l| Some((l.code.as_str(), l.scores()?.loudness?)))
        .collect();
    loudness_flags(&levels, loudness_spread_limit(crate::config::current()))
}

/// A fit in progress (the fit key's, or a job's `voice = "fit"`): its chart's points and
/// pace; with its popup hidden, the status line says how far it is.
fn sync_fitting(model: &mut Model, state: &SessionState) {
    let Some(p) = &state.fitting else { return };
    let searching = |f: &FitView| f.code == p.code && f.outcome == FitOutcome::Searching;
    if !model.fit.as_ref().is_some_and(searching) {
        model.fit = Some(FitView::starting(
            &p.code,
            p.budget,
            &crate::fit::clip::JUDGES,
        ));
    }
    let fit = model.fit.as_mut().expect("set above");
    fit.evaluations = p.evaluations;
    fit.budget = p.budget;
    fit.elapsed_seconds = p.elapsed_seconds;
    fit.points = (p.history.iter())
        .map(|g| FitPoint {
            evaluations: g.evaluations,
            probe: g.best_probe,
            held_out: g.best_held_out.clone(),
        })
        .collect();
    if !matches!(model.popup, Some(Popup::Fitting(_))) {
        let key = model.key_labels.first("fit_voice").unwrap_or("F");
        model.status = Some(format!(
            "fitting a voice for {}: {}/{} evaluations ({key} shows the chart)",
            p.code, p.evaluations, p.budget
        ));
    }
}

/// A language's voice fitted: the fit shows its result, the row speaks with the fitted
/// voice from now on, and the voice cycle offers it.
fn sync_fitted(model: &mut Model, record: &LanguageRecord) {
    let Some(done) = &record.voice_fit else {
        return;
    };
    let voice = format!("{}{}", crate::fit::FITTED_PREFIX, done.name);
    let ours = (model.fit.as_mut())
        .filter(|f| f.code == record.code && f.outcome == FitOutcome::Searching);
    if let Some(fit) = ours {
        fit.evaluations = done.evaluations;
        fit.budget = done.budget;
        fit.elapsed_seconds = done.search_seconds;
        fit.judges = done.judges.clone();
        fit.outcome = FitOutcome::Fitted {
            voice: voice.clone(),
            stock_voice: done.best_stock.voice.clone(),
            stock: done.best_stock.held_out.clone(),
            blend: (done.best_blend.as_ref()).map(|b| (b.voice.clone(), b.held_out.clone())),
            fitted: done.fitted.held_out.clone(),
            reused: done.reused,
        };
        model.status = Some(format!(
            "{}: fitted voice {voice}, speaking the text now",
            record.code
        ));
    } else if (model.languages.iter())
        .find(|l| l.language.code == record.code)
        .is_none_or(|l| crate::fit::FitRequest::parse(&l.voice).is_none())
    {
        // Neither the fit key's fit nor a row that asks for one: nothing changes.
        return;
    }
    let fitted = (record.code.clone(), voice.clone());
    if !model.fitted_voices.contains(&fitted) {
        model.fitted_voices.push(fitted);
    }
    if let Some(entry) = (model.languages.iter_mut()).find(|l| l.language.code == record.code) {
        entry.voice = voice;
    }
}

/// A fit that ended without a voice says why.
fn stop_fit(model: &mut Model, why: &str) {
    if let Some(fit) = model
        .fit
        .as_mut()
        .filter(|f| f.outcome == FitOutcome::Searching)
    {
        fit.outcome = FitOutcome::Stopped(why.to_string());
    }
}

/// A ranking that arrives waits with a notice until the operator opens it (the match key),
/// so it never takes keys typed for something else.
fn sync_rankings(model: &mut Model, state: &SessionState) {
    let seen = model.rankings_seen;
    let threshold = model.score_rules.similarity_threshold;
    for ranking in state.rankings.iter().filter(|r| r.id > seen) {
        model.rankings_seen = ranking.id;
        let code = &ranking.code;
        match &ranking.result {
            Ok(result) => {
                let key = model.key_labels.first("match_voice").unwrap_or("V");
                model.status = Some(format!(
                    "{code}: voices ranked; press {key} to see the ranking"
                ));
                model.pending_popups.push_back(Popup::VoiceRanking {
                    code: code.clone(),
                    probe_text: result.probe_text.clone(),
                    ranking: result
                        .blend
                        .iter()
                        .chain(&result.ranking)
                        .map(|v| RankedVoice {
                            voice: v.voice.clone(),
                            similarity: v.similarity,
                            good: similarity_match(Some(v.similarity), threshold) == Match::Good,
                        })
                        .collect(),
                    selected: 0,
                    cached: result.cached,
                });
            }
            Err(message) => model.status = Some(format!("voice matching failed: {message}")),
        }
    }
}
