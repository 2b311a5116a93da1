//! A language's `voice = "fit"` and its `fit_budget`/`fit_seed`, checked as the job is read.

use super::{JobError, LanguageSection, RunSection};

/// The fit a language asks for, its settings taken from the language, else `[run]`; None
/// when its voice is no fit. Fit settings on a language that fits nothing are refused.
pub(super) fn fit_request(
    entry: &LanguageSection,
    run: &RunSection,
) -> Result<Option<crate::fit::FitRequest>, JobError> {
    let code = &entry.code;
    let Some(parsed) = entry
        .voice
        .as_deref()
        .and_then(crate::fit::FitRequest::parse)
    else {
        let (field, value) = match (entry.fit_budget, entry.fit_seed) {
            (Some(b), _) => ("fit_budget", b.to_string()),
            (None, Some(s)) => ("fit_seed", s.to_string()),
            (None, None) => return Ok(None),
        };
        return Err(JobError::BadSetting {
            field,
            value: format!("{value} in language `{code}`"),
            fix: "it sets up a fit: add voice = \"fit\" to that language, or remove it".into(),
        });
    };
    let mut request = parsed.map_err(|fix| JobError::BadSetting {
        field: "voice",
        value: format!(
            "{:?} in language `{code}`",
            entry.voice.as_deref().unwrap_or("")
        ),
        fix: fix.to_string(),
    })?;
    if let Some(budget) = entry.fit_budget.or(run.fit_budget) {
        request.budget = crate::fit::check_budget(budget).map_err(|fix| JobError::BadSetting {
            field: "fit_budget",
            value: format!("{budget} in language `{code}`"),
            fix: fix.to_string(),
        })?;
    }
    if let Some(seed) = entry.fit_seed.or(run.fit_seed) {
        request.seed = seed;
    }
    Ok(Some(request))
}
