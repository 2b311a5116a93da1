//! A job planned language by language, each handed to its family, which plans it with
//! its own front end on the model files it adds.

use super::piper_plan::{plan_piper, resolve_piper_voice};
use super::*;
use crate::engine::family::family;

/// Prepares a job against the assets on disk.
pub fn plan(job: &JobSpec, assets: &Assets) -> Result<Plan, PlanError> {
    let mut planner = Planner {
        assets,
        utterance_tokens: job.utterance_tokens,
        models: BTreeMap::new(),
        kokoro_vocab: None,
    };
    let mut languages_out = Vec::new();
    for lang_job in &job.languages {
        let language =
            languages::find(&lang_job.code).expect("job validation admits only known languages");
        let prepared = family(lang_job.model).plan_language(&mut planner, language, lang_job)?;
        languages_out.push(prepared);
    }
    Ok(Plan {
        languages: languages_out,
        sentence_silence: job.sentence_silence,
        models: planner.models,
    })
}

/// What a job's languages share while each is planned by its family: the assets, the
/// job's settings, the model files gathered so far, and what is read once per job.
pub struct Planner<'a> {
    assets: &'a Assets,
    utterance_tokens: usize,
    models: BTreeMap<ModelId, PathBuf>,
    kokoro_vocab: Option<Vocab>,
}

impl Planner<'_> {
    /// A language on Kokoro's model, with its stock, blended or fitted voice.
    pub fn plan_kokoro(
        &mut self,
        language: &Language,
        job: &LanguageJob,
    ) -> Result<Result<LanguagePlan, PlanFailure>, PlanError> {
        let files = kokoro_files(self.assets)?;
        if self.kokoro_vocab.is_none() {
            self.kokoro_vocab = Some(Vocab::load(&files.vocab)?);
        }
        self.models.insert(ModelId::Kokoro, files.model.clone());
        plan_kokoro(
            language,
            job,
            self.kokoro_vocab.as_ref().expect("loaded above"),
            &files,
            self.assets,
            self.utterance_tokens,
        )
    }

    /// A language on the Piper voice the job names, else the installed one made for it.
    pub fn plan_piper(
        &mut self,
        language: &Language,
        job: &LanguageJob,
    ) -> Result<Result<LanguagePlan, PlanFailure>, PlanError> {
        let voice = resolve_piper_voice(language, job, self.assets)?;
        self.models
            .insert(ModelId::Piper(voice.name.clone()), voice.model.clone());
        Ok(plan_piper(job, voice))
    }
}
