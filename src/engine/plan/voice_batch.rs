//! One text spoken in many Kokoro voices, as one plan: a plan language per voice, named by
//! the voice, so voice matching's probes and fitting's candidates run as one batch on the
//! worker pool.

use super::*;

/// The probe `text` spoken in each Kokoro voice of `voices` (blends allowed). A voice that
/// cannot be loaded fails on its own.
pub fn probe_plan(
    language: &Language,
    text: &str,
    voices: &[String],
    assets: &Assets,
) -> Result<Plan, PlanError> {
    let files = kokoro_files(assets)?;
    let packs = voices
        .iter()
        .map(|voice| {
            VoicePack::load_named(voice, &files.voices_dir)
                .map(Arc::new)
                .map_err(|e| (voice.clone(), e.to_string()))
        })
        .collect();
    batch_plan(language, text, packs, files)
}

/// `text` spoken in each of `packs` (voices made in memory: fitting's candidates).
pub fn packs_plan(
    language: &Language,
    text: &str,
    packs: &[Arc<VoicePack>],
    assets: &Assets,
) -> Result<Plan, PlanError> {
    let files = kokoro_files(assets)?;
    batch_plan(
        language,
        text,
        packs.iter().cloned().map(Ok).collect(),
        files,
    )
}

/// The plan for `packs`, each loaded or (name, why not).
fn batch_plan(
    language: &Language,
    text: &str,
    packs: Vec<Result<Arc<VoicePack>, (String, String)>>,
    files: KokoroFiles,
) -> Result<Plan, PlanError> {
    let vocab = Vocab::load(&files.vocab)?;
    let utterances =
        kokoro_utterances(language, text, &vocab).map_err(|error| PlanError::Probe {
            code: language.code.to_string(),
            error,
        })?;
    let languages = packs
        .into_iter()
        .map(|pack| match pack {
            Ok(pack) => Ok(LanguagePlan {
                code: pack.name.clone(),
                text: text.to_string(),
                model: ModelId::Kokoro,
                voice: pack.name.clone(),
                voice_data: VoiceData::Kokoro(pack),
                speed: 1.0,
                sample_rate: kokoro::SAMPLE_RATE,
                utterances: utterances.clone(),
                warnings: Vec::new(),
            }),
            Err((voice, error)) => Err(PlanFailure {
                code: voice.clone(),
                text: text.to_string(),
                model: ModelId::Kokoro,
                voice,
                error,
            }),
        })
        .collect();
    Ok(Plan {
        languages,
        // A batch voice speaks one text; its one or few sentences keep the default pause.
        sentence_silence: super::super::join::DEFAULT_SENTENCE_SILENCE,
        models: BTreeMap::from([(ModelId::Kokoro, files.model)]),
    })
}
