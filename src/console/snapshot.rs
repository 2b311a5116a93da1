//! Model -> the plain snapshot the views draw. Called only when the model changed.

use std::time::Instant;

use voxdeck_ui::snapshot::{Controls, Header, LanguageRow, Snapshot, SourcePane};

use super::model::Model;

pub fn snapshot(model: &Model, now: Instant) -> Snapshot {
    let wall_seconds = match model.run.started {
        Some(started) => now.duration_since(started).as_secs_f64(),
        None => model.run.wall_seconds,
    };
    let concurrency = (wall_seconds > 0.0 && model.run.synthesis_seconds > 0.0)
        .then(|| model.run.synthesis_seconds / wall_seconds);
    Snapshot {
        header: Header {
            job_name: model.job_name.clone(),
            device: model.device.to_string(),
            provider: model.run.provider.clone(),
            workers: model.workers,
            mode: model.mode.name().to_string(),
            state: model.run.state,
            wall_seconds,
            concurrency,
        },
        source: SourcePane {
            path: model.source.path.as_ref().map(|p| p.display().to_string()),
            duration_seconds: model.source.duration_seconds,
            sample_rate: model.source.sample_rate,
            channels: model.source.channels,
            envelope: model.source.envelope.clone(),
            error: model.source.error.clone(),
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
                audio_seconds: entry.progress.audio_seconds,
                elapsed_seconds: entry.progress.elapsed_seconds,
                rtf: entry.progress.rtf,
                provider: entry.progress.provider.clone(),
                error: entry.progress.error.clone(),
                similarity: entry.similarity,
                takes: entry.takes.len(),
                warning: (!entry.language.kokoro_trained
                    && entry.model == crate::languages::ModelKind::Kokoro)
                    .then(|| "Kokoro not trained for this language".to_string()),
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
        popup: model.popup.clone(),
        similarity_threshold: model.similarity_threshold,
        editing_inline: model.editing_inline,
    }
}
