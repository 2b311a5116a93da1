//! Planning a language on a Piper voice: which installed voice serves it, and its utterances.

use super::piper_utterances::piper_utterances;
use super::*;

pub(super) fn resolve_piper_voice(
    language: &Language,
    job: &LanguageJob,
    assets: &Assets,
) -> Result<PiperVoice, PlanError> {
    let dir = assets.path(assets::PIPER_DIR);
    let present = assets.piper_voice_names();
    if let Some(name) = &job.voice {
        if !present.contains(name) {
            return Err(PlanError::UnknownVoice {
                code: job.code.clone(),
                model: "Piper",
                voice: name.clone(),
                choices: if present.is_empty() {
                    "(none installed: run scripts/setup)".into()
                } else {
                    present.join(", ")
                },
            });
        }
        return Ok(PiperVoice::load(&dir, name)?);
    }
    for name in &present {
        let voice = PiperVoice::load(&dir, name)?;
        if languages::for_espeak_language(&voice.config.espeak.voice)
            .is_some_and(|l| l.code == language.code)
        {
            return Ok(voice);
        }
    }
    Err(PlanError::NoPiperVoice {
        code: job.code.clone(),
        dir,
    })
}

pub(super) fn plan_piper(
    job: &LanguageJob,
    voice: PiperVoice,
) -> Result<LanguagePlan, PlanFailure> {
    let result = piper_utterances(&job.code, &job.text, &voice);
    let voice = Arc::new(voice);
    match result {
        Ok(Prepared {
            utterances,
            warnings,
        }) => Ok(LanguagePlan {
            code: job.code.clone(),
            text: job.text.clone(),
            model: ModelId::Piper(voice.name.clone()),
            voice: voice.name.clone(),
            sample_rate: voice.config.audio.sample_rate,
            voice_data: VoiceData::Piper(voice),
            speed: job.speed,
            utterances,
            warnings,
        }),
        Err(error) => Err(PlanFailure {
            code: job.code.clone(),
            text: job.text.clone(),
            model: ModelId::Piper(voice.name.clone()),
            voice: voice.name.clone(),
            error,
        }),
    }
}
