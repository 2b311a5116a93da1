//! Model -> the plain snapshot the views draw. Called only when the model changed.

use std::time::Instant;

use voxdeck_ui::snapshot::{
    Controls, Header, LanguageRow, LanguageState, Popup, Snapshot, SourcePane,
};

use super::model::Model;

pub fn snapshot(model: &Model, now: Instant) -> Snapshot {
    let wall_seconds = match model.run.started {
        Some(started) => now.duration_since(started).as_secs_f64(),
        None => model.run.wall_seconds,
    };
    let concurrency = (wall_seconds > 0.0 && model.run.synthesis_seconds > 0.0)
        .then(|| model.run.synthesis_seconds / wall_seconds);
    let in_run: Vec<_> = model.languages.iter().filter(|l| model.in_run(l)).collect();
    let count = |state| in_run.iter().filter(|l| l.progress.state == state).count();
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
        languages: model
            .languages
            .iter()
            .map(|entry| LanguageRow {
                code: entry.language.code.to_string(),
                name: entry.language.name.to_string(),
                voice: entry.voice.clone(),
                checked: entry.checked,
                text: entry.text.clone(),
                state: entry.progress.state,
                sentences_done: entry.progress.done,
                sentences_total: entry.progress.total,
                cache_hits: entry.progress.cache_hits,
                audio_seconds: entry.progress.audio_seconds,
                elapsed_seconds: entry.progress.elapsed_seconds,
                rtf: entry.progress.rtf,
                provider: entry.progress.provider.clone(),
                error: entry.progress.error.clone(),
                similarity: entry.similarity,
                heard: entry.heard.clone(),
                takes: entry.takes.len(),
                warning: (!entry.model.trained_for(entry.language))
                    .then(|| format!("{} not trained for this language", entry.model.label())),
            })
            .collect(),
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
        similarity_threshold: model.similarity_threshold,
        editing_inline: model.editing_inline,
        keys: model.key_labels.clone(),
    }
}

/// The popup as drawn now. The takes popup shows the model's takes, not a copy made when it
/// opened, so a score that arrives while it is open appears in it.
fn popup(model: &Model, popup: &Popup) -> Popup {
    match popup {
        Popup::Takes {
            code,
            selected,
            marked,
            ..
        } => {
            let takes: Vec<_> = model
                .languages
                .iter()
                .find(|l| l.language.code == code)
                .map(|l| l.takes.iter().map(|t| t.row.clone()).collect())
                .unwrap_or_default();
            Popup::Takes {
                code: code.clone(),
                selected: (*selected).min(takes.len().saturating_sub(1)),
                marked: *marked,
                takes,
            }
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::model::Take;
    use voxdeck_ui::snapshot::TakeRow;

    /// A model of a job with French, and French's row.
    fn model() -> (Model, usize) {
        let text = "[[language]]\ncode = \"fr\"\ntext = \"Bonjour.\"\n";
        let job = crate::job::JobSpec::parse(
            text,
            std::path::Path::new("t.toml"),
            std::path::Path::new("."),
            "seam".into(),
        )
        .unwrap();
        let model = Model::new(Some(&job), vec![], Default::default());
        let fr = model
            .languages
            .iter()
            .position(|l| l.language.code == "fr")
            .unwrap();
        (model, fr)
    }

    #[test]
    fn rows_carry_the_models_progress_and_scores() {
        let (mut m, fr) = model();
        m.languages[fr].progress.state = LanguageState::Running;
        (
            m.languages[fr].progress.done,
            m.languages[fr].progress.total,
        ) = (1, 3);
        m.languages[fr].similarity = Some(0.8);
        m.run.codes = vec!["fr".into()];
        m.run.synthesis_seconds = 3.0;
        m.run.wall_seconds = 2.0;
        let snap = snapshot(&m, Instant::now());
        let row = &snap.languages[fr];
        assert_eq!(
            (row.state, row.sentences_done, row.sentences_total),
            (LanguageState::Running, 1, 3)
        );
        assert_eq!(
            (row.code.as_str(), row.similarity, row.checked),
            ("fr", Some(0.8), true)
        );
        assert_eq!(snap.header.concurrency, Some(1.5));
        assert_eq!(
            snap.header.run_counts,
            Some((0, 0, 1)),
            "counts this run's rows only"
        );
    }

    #[test]
    fn the_takes_popup_shows_scores_that_arrive_while_it_is_open() {
        let (mut m, fr) = model();
        let row = TakeRow {
            take: 1,
            voice: "ff_siwis".into(),
            speed: 1.0,
            text: "Bonjour.".into(),
            similarity: None,
            heard: Default::default(),
        };
        m.languages[fr].takes.push(Take {
            row,
            path: "fr-take1.wav".into(),
        });
        m.popup = Some(Popup::Takes {
            code: "fr".into(),
            takes: Vec::new(),
            selected: 0,
            marked: None,
        });
        m.languages[fr].takes[0].row.similarity = Some(0.7);
        match snapshot(&m, Instant::now()).popup {
            Some(Popup::Takes { takes, .. }) => assert_eq!(takes[0].similarity, Some(0.7)),
            other => panic!("{other:?}"),
        }
    }
}
