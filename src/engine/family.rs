//! Model families behind one trait: what a family can do (match, fit, stock voices), what
//! it was trained for, its default voice and how it plans a language are asked of the
//! family, never decided by comparing `ModelKind` values, so a new family answers these
//! once and every refusal and path follows.

use crate::engine::plan::{LanguagePlan, PlanError, PlanFailure, Planner};
use crate::job::LanguageJob;
use crate::languages::{Language, ModelKind};

mod kokoro;
mod piper;

pub use kokoro::Kokoro;
pub use piper::Piper;

/// One synthesis model family.
pub trait ModelFamily: Sync + std::fmt::Debug {
    /// The identifier job files and reports name it by.
    fn kind(&self) -> ModelKind;

    /// The family's name in messages.
    fn label(&self) -> &'static str;

    /// Whether it was trained on `language` (an untrained one is accepted with a warning).
    fn trained_for(&self, language: &Language) -> bool;

    /// The voice a language speaks with when the job names none; None when it is known
    /// only once the family's files are read (a Piper voice is its installed model).
    fn default_voice(&self, language: &Language) -> Option<String>;

    /// A set of stock voices a language picks from (and blends of them), which the
    /// console's voice key cycles through.
    fn has_stock_voices(&self) -> bool;

    /// Whether its voices can be ranked against a source clip (`voice = "match"`).
    fn can_match(&self) -> bool;

    /// Whether a voice can be fitted to a source clip in its voice space (`voice = "fit"`).
    fn can_fit(&self) -> bool;

    /// Turns one language of a job into utterances with this family's front end, adding
    /// the model file it needs to `planner`.
    fn plan_language(
        &self,
        planner: &mut Planner<'_>,
        language: &'static Language,
        job: &LanguageJob,
    ) -> Result<Result<LanguagePlan, PlanFailure>, PlanError>;
}

/// How a caller finds the family behind a kind: `family` in voxdeck, another lookup in a
/// test that needs a family voxdeck does not ship.
pub type FamilyOf = fn(ModelKind) -> &'static dyn ModelFamily;

/// Every family voxdeck ships, the default first.
pub static FAMILIES: &[&dyn ModelFamily] = &[&Kokoro, &Piper];

/// The family a language uses when the job names none.
pub static DEFAULT_FAMILY: &dyn ModelFamily = &Kokoro;

/// The family behind `kind` (the match makes a kind without a family a compile error).
pub fn family(kind: ModelKind) -> &'static dyn ModelFamily {
    match kind {
        ModelKind::Kokoro => &Kokoro,
        ModelKind::Piper => &Piper,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_family_is_found_under_its_own_kind_once() {
        for shipped in FAMILIES {
            assert_eq!(family(shipped.kind()).kind(), shipped.kind());
            let same = FAMILIES.iter().filter(|f| f.kind() == shipped.kind());
            assert_eq!(same.count(), 1, "{shipped:?}");
        }
        assert_eq!(FAMILIES[0].kind(), DEFAULT_FAMILY.kind());
    }

    #[test]
    fn capabilities_are_the_familys() {
        let fr = crate::languages::find("fr").unwrap();
        let de = crate::languages::find("de").unwrap();
        assert!(Kokoro.can_fit() && Kokoro.can_match() && Kokoro.has_stock_voices());
        assert!(!Piper.can_fit() && !Piper.can_match() && !Piper.has_stock_voices());
        assert!(Kokoro.trained_for(fr) && !Kokoro.trained_for(de) && Piper.trained_for(de));
        assert_eq!(Kokoro.default_voice(fr).as_deref(), Some("ff_siwis"));
        assert_eq!(Piper.default_voice(fr), None);
    }
}
