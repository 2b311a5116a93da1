//! `voxdeck voices`: which models are installed, the languages they speak, their voices.

use serde::Serialize;
use voxdeck::assets::Assets;
use voxdeck::engine::piper::PiperVoice;
use voxdeck::languages::LANGUAGES;

use super::Finished;
use crate::cli::VoicesArgs;

#[derive(Serialize)]
struct LanguageVoices {
    code: &'static str,
    name: &'static str,
    model: &'static str,
    default_voice: String,
    trained: bool,
    voices: Vec<String>,
}

pub fn execute(args: VoicesArgs) -> anyhow::Result<Finished> {
    let assets = Assets::locate();
    let kokoro = assets.kokoro_voice_names();
    let mut rows = Vec::new();
    for language in LANGUAGES {
        rows.push(LanguageVoices {
            code: language.code,
            name: language.name,
            model: "kokoro",
            default_voice: language.kokoro_default_voice.to_string(),
            trained: language.kokoro_trained,
            voices: language.kokoro_voices(&kokoro),
        });
    }
    let dir = assets.path(voxdeck::assets::PIPER_DIR);
    for name in assets.piper_voice_names() {
        let Ok(voice) = PiperVoice::load(&dir, &name) else {
            continue;
        };
        let espeak = voice.config.espeak.voice.clone();
        if let Some(language) = voxdeck::languages::for_espeak_language(&espeak) {
            rows.push(LanguageVoices {
                code: language.code,
                name: language.name,
                model: "piper",
                default_voice: name.clone(),
                trained: true,
                voices: vec![name],
            });
        }
    }
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(Finished::AllDone);
    }
    if kokoro.is_empty() {
        outln!(
            "no Kokoro voices in {}: run scripts/setup",
            assets.root.display()
        );
    }
    for row in &rows {
        let note = if row.trained {
            ""
        } else {
            " (model not trained for this language)"
        };
        outln!(
            "{:<6} {:<20} {:<7} default {:<18}{}",
            row.code,
            row.name,
            row.model,
            row.default_voice,
            note
        );
        outln!("       voices: {}", row.voices.join(", "));
    }
    Ok(Finished::AllDone)
}
