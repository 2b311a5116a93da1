//! Kokoro: one model, 54 stock voices a language picks from or blends, a voice space a
//! voice can be fitted in.

use super::ModelFamily;
use crate::engine::plan::{LanguagePlan, PlanError, PlanFailure, Planner};
use crate::job::LanguageJob;
use crate::languages::{Language, ModelKind};

#[derive(Debug)]
pub struct Kokoro;

impl ModelFamily for Kokoro {
    fn kind(&self) -> ModelKind {
        ModelKind::Kokoro
    }

    fn label(&self) -> &'static str {
        "Kokoro"
    }

    fn trained_for(&self, language: &Language) -> bool {
        language.kokoro_trained
    }

    fn default_voice(&self, language: &Language) -> Option<String> {
        Some(language.kokoro_default_voice.to_string())
    }

    fn has_stock_voices(&self) -> bool {
        true
    }

    /// Matching ranks the stock voices (and blends of them) against the source.
    fn can_match(&self) -> bool {
        self.has_stock_voices()
    }

    fn can_fit(&self) -> bool {
        true
    }

    fn plan_language(
        &self,
        planner: &mut Planner<'_>,
        language: &'static Language,
        job: &LanguageJob,
    ) -> Result<Result<LanguagePlan, PlanFailure>, PlanError> {
        planner.plan_kokoro(language, job)
    }
}
