//! A language's voice may ask its family for something (a match, a fit). Whether it can
//! is the family's answer, asked here as the job is read, so the job parser and the
//! console refuse the same thing.

use super::JobError;
use crate::engine::family::{FamilyOf, ModelFamily, FAMILIES};

/// What a voice can ask of a family besides speaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wish {
    Match,
    Fit,
}

impl Wish {
    fn granted_by(self, family: &dyn ModelFamily) -> bool {
        match self {
            Wish::Match => family.can_match(),
            Wish::Fit => family.can_fit(),
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Wish::Match => "matched",
            Wish::Fit => "fitted",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Wish::Match => "voice = \"match\"",
            Wish::Fit => "voice = \"fit\"",
        }
    }
}

/// Refuses `wish` on a language of `family`, naming the families that would grant it.
pub(super) fn check_wish(
    code: &str,
    wish: Wish,
    family: &dyn ModelFamily,
    family_of: FamilyOf,
) -> Result<(), JobError> {
    if wish.granted_by(family) {
        return Ok(());
    }
    // Asked through the caller's lookup too, so the fix never names a family that the
    // lookup would refuse in turn.
    let others: Vec<String> = FAMILIES
        .iter()
        .map(|f| family_of(f.kind()))
        .filter(|f| wish.granted_by(*f))
        .map(|f| format!("model = \"{}\" for a {} voice", f.kind().name(), f.label()))
        .collect();
    let instead = match others.is_empty() {
        true => String::new(),
        false => format!(", or use {}", others.join(" or ")),
    };
    Err(JobError::ModelNotForLanguage {
        code: code.to_string(),
        model: family.kind().name(),
        fix: format!(
            "a {} voice cannot be {}: remove {}{instead}",
            family.label(),
            wish.verb(),
            wish.key()
        ),
    })
}
