//! Piper: one model file per voice, made for its own language; its config says the
//! sample rate and the espeak voice its phonemes come from.

use super::ModelFamily;
use crate::engine::plan::{LanguagePlan, PlanError, PlanFailure, Planner};
use crate::job::LanguageJob;
use crate::languages::{Language, ModelKind};

#[derive(Debug)]
pub struct Piper;

impl ModelFamily for Piper {
    fn kind(&self) -> ModelKind {
        ModelKind::Piper
    }

    fn label(&self) -> &'static str {
        "Piper"
    }

    /// A Piper voice is chosen for the language it was made for.
    fn trained_for(&self, _language: &Language) -> bool {
        true
    }

    /// The installed voice made for the language, found when the job is planned.
    fn default_voice(&self, _language: &Language) -> Option<String> {
        None
    }

    /// A Piper voice is its model file: there is no set to pick from or blend.
    fn has_stock_voices(&self) -> bool {
        false
    }

    fn can_match(&self) -> bool {
        false
    }

    fn can_fit(&self) -> bool {
        false
    }

    fn plan_language(
        &self,
        planner: &mut Planner<'_>,
        language: &'static Language,
        job: &LanguageJob,
    ) -> Result<Result<LanguagePlan, PlanFailure>, PlanError> {
        planner.plan_piper(language, job)
    }
}
