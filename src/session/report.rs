//! report.json as a projection of the session's state: every language the session ran, in
//! its latest run, with all its takes; totals over exactly those languages.

use std::collections::BTreeSet;

use super::state::SessionState;
use crate::report::Report;

/// The report of everything the session has run so far; `None` before any run ended.
pub fn report(state: &SessionState) -> Option<Report> {
    let settings = state.run.settings.clone()?;
    let languages: Vec<_> = state
        .languages
        .iter()
        .filter_map(|record| {
            let mut entry = record.report.clone()?;
            entry.takes = record.takes.clone();
            entry.similarity = record.similarity();
            entry.similarity_error = record.similarity_error.clone();
            entry.voice_match = record.voice_match.clone();
            Some(entry)
        })
        .collect();
    if languages.is_empty() {
        return None;
    }
    let runs: BTreeSet<u64> = languages.iter().map(|l| l.run).collect();
    let wall_seconds = state
        .finished_runs
        .iter()
        .filter(|r| runs.contains(&r.id))
        .map(|r| r.wall_seconds)
        .sum();
    Some(Report::new(settings, languages, wall_seconds))
}
