//! Model -> the plain snapshot the views draw. Called only when the model changed.

use std::time::Instant;

use voxdeck_ui::snapshot::{
    Controls, Header, LanguageRow, LanguageState, Popup, Snapshot, SourcePane, TableView,
};

use super::model::Model;
use super::table::{self, progress::LanguageLine, scores::heard_line, takes::TakeLine};

pub fn snapshot(model: &Model, now: Instant) -> Snapshot {
    let wall_seconds = match model.run.started {
        Some(started) => now.duration_since(started).as_secs_f64(),
        None => model.run.wall_seconds,
    };
    let concurrency = (wall_seconds > 0.0 && model.run.synthesis_seconds > 0.0)
        .then(|| model.run.synthesis_seconds / wall_seconds);
    let in_run: Vec<_> = model.languages.iter().filter(|l| model.in_run(l)).collect();
    let count = |state| in_run.iter().filter(|l| l.state() == state).count();
    let run_counts = (!in_run.is_empty()).then(|| {
        (
            count(LanguageState::Done),
            count(LanguageState::Failed),
            in_run.len(),
        )
    });
    // The header states what the current (or last) run runs on; settings changed since
    // then are the next run's and show in the controls pane.
    let (workers, mode, device) = match &model.run.settings {
        Some(s) => (s.workers, s.mode.clone(), s.device.clone()),
        None => (
            model.workers,
            model.mode.name().to_string(),
            model.device.to_string(),
        ),
    };
    let languages: Vec<LanguageRow> = model
        .languages
        .iter()
        .map(|entry| LanguageRow {
            code: entry.language.code.to_string(),
            name: entry.language.name.to_string(),
            voice: entry.voice.clone(),
            checked: entry.checked,
            text: entry.text.clone(),
            state: entry.state(),
            warning: (!entry.family.trained_for(entry.language))
                .then(|| format!("{} not trained for this language", entry.family.label())),
        })
        .collect();
    Snapshot {
        header: Header {
            job_name: model.job_name.clone(),
            device,
            provider: model.run.provider.clone(),
            workers,
            mode,
            state: model.run.state,
            wall_seconds,
            concurrency,
            run_counts,
        },
        source: SourcePane {
            path: model.source.path.as_ref().map(|p| p.display().to_string()),
            duration_seconds: model.source.duration_seconds,
            sample_rate: model.source.sample_rate,
            channels: model.source.channels,
            envelope: model.source.envelope.clone(),
            error: model.source.error.clone(),
            transcript: model.source.transcript.clone(),
        },
        progress: progress_table(model, &languages),
        languages,
        cursor: model.cursor,
        focus: model.focus,
        controls: Controls {
            workers: model.workers,
            mode: model.mode.name().to_string(),
            device: model.device.to_string(),
        },
        gpu: model.gpu.clone(),
        playback: model.playback.clone(),
        status: model.status.clone(),
        popup: model.popup.as_ref().map(|p| popup(model, p)),
        similarity_threshold: model.score_rules.similarity_threshold,
        editing_inline: model.editing_inline,
        keys: model.key_labels.clone(),
    }
}

/// The rows the progress table shows (ticked, or touched by a run) under its columns.
fn progress_table(model: &Model, rows: &[LanguageRow]) -> TableView {
    let shown: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].in_progress_table())
        .collect();
    let lines: Vec<LanguageLine<'_>> = (shown.iter())
        .map(|&i| {
            let entry = &model.languages[i];
            let state = rows[i].state;
            let run = entry
                .record
                .as_ref()
                .filter(|_| state != LanguageState::Idle);
            LanguageLine {
                code: entry.language.code,
                voice: &entry.voice,
                state,
                progress: run.map(|r| &r.progress),
                takes: entry.takes().len(),
                scores: entry.scores().filter(|_| state != LanguageState::Queued),
            }
        })
        .collect();
    let selected = shown.iter().position(|&i| i == model.cursor);
    let columns = table::progress::columns(&model.score_columns);
    table::build(&columns, &lines, &model.score_rules, selected)
}

/// The popup as drawn now. The takes popup shows the session's takes, not a copy made when
/// it opened, so a score that arrives while it is open appears in it.
fn popup(model: &Model, popup: &Popup) -> Popup {
    match popup {
        Popup::Takes {
            code,
            selected,
            marked,
            ..
        } => {
            let entry = model.languages.iter().find(|l| l.language.code == code);
            let takes = entry.map(|e| e.takes()).unwrap_or_default();
            let selected = (*selected).min(takes.len().saturating_sub(1));
            let lines: Vec<TakeLine<'_>> = (takes.iter().enumerate())
                .map(|(i, take)| TakeLine {
                    take,
                    marked: *marked == Some(i),
                })
                .collect();
            let columns = table::takes::columns(&model.score_columns);
            let heard = takes.get(selected).map(|t| heard_line(&t.scores));
            Popup::Takes {
                code: code.clone(),
                table: table::build(&columns, &lines, &model.score_rules, Some(selected)),
                heard: heard.unwrap_or_default(),
                selected,
                marked: *marked,
            }
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests;
