//! report.json as a projection of the session's state: every language the session ran, in
//! its latest run (live while that run goes on), with all its takes and the file on disk
//! for it; totals over exactly those languages; other WAV files in the folder listed apart.

use std::collections::BTreeSet;

use super::folder;
use super::state::{LanguageRecord, SessionState};
use crate::report::{LanguageReport, Report, SourceReport};

/// The report of everything the session has run so far; `None` before a run reached the
/// engine.
pub fn report(state: &SessionState) -> Option<Report> {
    let settings = state.run.settings.clone()?;
    let languages: Vec<LanguageReport> = state.languages.iter().filter_map(entry).collect();
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
    let mut report = Report::new(settings, state.tag.clone(), languages, wall_seconds);
    report.source = state.source.as_ref().map(|s| SourceReport {
        clip: s.clip.clone(),
        transcript: s.result.as_ref().ok().map(|t| t.text.clone()),
        language: s.result.as_ref().ok().map(|t| t.language.clone()),
        transcript_error: s.result.as_ref().err().cloned(),
    });
    if let Some(out_dir) = &state.run.out_dir {
        let owned: Vec<_> = report
            .languages
            .iter()
            .filter_map(|l| l.output.clone())
            .collect();
        report.other_files = folder::other_files(out_dir, &owned, &state.previous);
    }
    Some(report)
}

fn entry(record: &LanguageRecord) -> Option<LanguageReport> {
    let mut entry = record.report.clone()?;
    let settled = record.settled.as_ref().is_some_and(|s| s.run == record.run);
    if !settled {
        // Its run is still going: the entry as planned, with the progress so far.
        let p = &record.progress;
        entry.status = p.status;
        entry.error = p.error.clone();
        entry.audio_seconds = p.audio_seconds;
        entry.synthesis_seconds = p.synthesis_seconds;
        entry.elapsed_seconds = p.elapsed_seconds;
        entry.rtf = p.rtf();
        entry.execution_provider = p.execution_provider.clone();
    }
    entry.output = record.kept.as_ref().map(|k| k.path.clone());
    entry.output_from = record.kept.as_ref().and_then(|k| k.from.clone());
    entry.takes = record.takes.clone();
    entry.warnings.extend(
        (record.take_errors.iter())
            .filter(|(run, _)| *run == record.run)
            .map(|(_, e)| e.clone()),
    );
    // A language's scores are its latest take's: a run that made no take has none, so
    // no view shows an older take's scores beside this run's settings.
    entry.scores = record
        .latest_take()
        .map(|take| take.scores.clone())
        .unwrap_or_default();
    entry.voice_match = record.voice_match.clone();
    entry.voice_fit = record.voice_fit.clone();
    Some(entry)
}
