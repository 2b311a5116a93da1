//! The session's published state into the model: rows of the languages noticed, and the
//! run's phase, totals and voice rankings. The one way engine progress reaches the screen.

use voxdeck_ui::snapshot::{
    Heard, LanguageState, Popup, RankedVoice, RunState, TakeRow, Transcript,
};

use super::model::{LanguageProgress, Model, Take};
use crate::engine::outcome::Status;
use crate::report::NOT_TRANSCRIBED_YET;
use crate::session::published::Notice;
use crate::session::state::{LanguageRecord, RunPhase, SessionState};

pub fn sync(model: &mut Model, state: &SessionState, notices: &[Notice]) {
    for notice in notices {
        match notice {
            Notice::Language(code) => {
                if let Some(record) = state.language(code) {
                    sync_language(model, record);
                }
            }
            Notice::Session => {
                sync_run(model, state);
                sync_source(model, state);
                sync_rankings(model, state);
                if let Some(p) = &state.probes {
                    model.status = Some(format!(
                        "ranking {} voices: {}/{} probes spoken on the pool",
                        p.code, p.done, p.total
                    ));
                }
            }
        }
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

fn sync_language(model: &mut Model, record: &LanguageRecord) {
    let Some(entry) = model
        .languages
        .iter_mut()
        .find(|l| l.language.code == record.code)
    else {
        return;
    };
    let p = &record.progress;
    entry.progress = LanguageProgress {
        state: match p.status {
            Status::Queued => LanguageState::Queued,
            Status::Running => LanguageState::Running,
            Status::Done => LanguageState::Done,
            Status::Failed => LanguageState::Failed,
            Status::Cancelled => LanguageState::Cancelled,
        },
        done: p.sentences_done,
        total: p.sentences_total,
        cache_hits: p.cache_hits,
        audio_seconds: p.audio_seconds,
        elapsed_seconds: p.elapsed_seconds,
        rtf: p.rtf(),
        provider: p.execution_provider.clone(),
        error: p.error.clone(),
        output: p.output.clone(),
    };
    entry.takes = record
        .takes
        .iter()
        .filter_map(|t| {
            let path = t.output.clone()?;
            let row = TakeRow {
                take: t.take,
                voice: t.voice.clone(),
                speed: t.speed,
                text: t.text.clone(),
                similarity: t.similarity,
                heard: heard(t),
            };
            Some(Take { row, path })
        })
        .collect();
    entry.similarity = record.similarity();
    entry.heard = record.latest_take().map_or(Heard::Nothing, heard);
}

/// A take's transcription as the table shows it.
fn heard(take: &crate::report::Take) -> Heard {
    match (&take.transcription, &take.transcription_error) {
        (Some(t), _) => Heard::Scored {
            cer: t.cer,
            wer: t.wer,
            flagged: t.flagged,
            text: t.text.clone(),
        },
        (None, Some(e)) if e == NOT_TRANSCRIBED_YET => Heard::Pending,
        (None, Some(e)) => Heard::Unscored(e.clone()),
        (None, None) => Heard::Nothing,
    }
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
            let how = if *cancelled { "cancelled" } else { "finished" };
            model.status = Some(format!("run {how} after {wall_seconds:.1} s"));
        }
        RunPhase::SetupFailed(message) => {
            log::error!("{message}");
            model.run.started = None;
            model.status = Some(message.clone());
            for entry in &mut model.languages {
                if entry.progress.state == LanguageState::Queued {
                    entry.progress.state = LanguageState::Idle;
                }
            }
        }
        RunPhase::Idle | RunPhase::Queued | RunPhase::Running | RunPhase::Cancelling => {}
    }
}

/// A ranking that arrives waits with a notice until the operator opens it (the match key),
/// so it never takes keys typed for something else.
fn sync_rankings(model: &mut Model, state: &SessionState) {
    let seen = model.rankings_seen;
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
