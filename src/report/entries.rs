//! A run's report entries, one per language: what the plan asked for and what the engine
//! made of it (status, timings, sentences), before the session adds takes and scores.

use super::{LanguageReport, SentenceReport};
use crate::engine::plan::{ModelId, Plan};
use crate::engine::run::RunOutcome;

/// The report entries of one run's languages; `run` numbers the run within its session.
/// Takes, similarity and voice matches are the session's to fill in.
pub fn language_reports(plan: &Plan, outcome: &RunOutcome, run: u64) -> Vec<LanguageReport> {
    plan.languages
        .iter()
        .zip(&outcome.languages)
        .map(|(planned, result)| language_report(planned, result, run))
        .collect()
}

fn language_report(
    planned: &Result<crate::engine::plan::LanguagePlan, crate::engine::plan::PlanFailure>,
    result: &crate::engine::outcome::LanguageOutcome,
    run: u64,
) -> LanguageReport {
    let (text, voice, model, warnings, utterances) = match planned {
        Ok(p) => (
            p.text.clone(),
            p.voice.clone(),
            &p.model,
            p.warnings.clone(),
            p.utterances.clone(),
        ),
        Err(f) => (
            f.text.clone(),
            f.voice.clone(),
            &f.model,
            Vec::new(),
            Vec::new(),
        ),
    };
    let sentences = utterances
        .into_iter()
        .zip(
            result
                .utterances
                .iter()
                .map(Some)
                .chain(std::iter::repeat(None)),
        )
        .map(|(u, timing)| SentenceReport {
            text: u.text,
            phonemes: u.phonemes,
            token_ids: u.token_ids,
            skipped_phonemes: u.skipped.into_iter().collect(),
            audio_seconds: timing.map(|t| t.audio_seconds).unwrap_or_default(),
            synthesis_seconds: timing.map(|t| t.synthesis_seconds).unwrap_or_default(),
            cache_hit: timing.is_some_and(|t| t.cache_hit),
        })
        .collect();
    LanguageReport {
        code: result.code.clone(),
        run,
        text,
        voice,
        model: model_name(model),
        execution_provider: result.execution_provider.clone(),
        nodes_per_provider: result.nodes_per_provider.clone(),
        cuda_fallback: result.cuda_fallback.clone(),
        status: result.status,
        error: result.error.clone(),
        output: result.output.clone(),
        output_from: None,
        audio_seconds: result.audio_seconds,
        synthesis_seconds: result.synthesis_seconds,
        rtf: crate::engine::progress::rtf(result.synthesis_seconds, result.audio_seconds),
        elapsed_seconds: result.elapsed_seconds,
        cache_hits: result.cache_hits,
        warnings,
        scores: Default::default(),
        voice_match: None,
        voice_fit: None,
        takes: Vec::new(),
        sentences,
    }
}

fn model_name(model: &ModelId) -> String {
    model.to_string()
}
