//! How a run ended: each language's status, timings and output, and the run's totals.

use std::path::PathBuf;

use super::plan::{LanguagePlan, Plan, PlanFailure};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Queued,
        Status::Running,
        Status::Done,
        Status::Failed,
        Status::Cancelled,
    ];

    /// The one word for the status, as report.json, the metrics, the headless lines and the
    /// console all spell it.
    pub fn label(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running => "running",
            Status::Done => "done",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct UtteranceTiming {
    pub audio_seconds: f64,
    /// Time inside the ORT `run()` call (0 when the audio came from the result cache).
    pub synthesis_seconds: f64,
    /// The audio came from the result cache: ORT did not run.
    pub cache_hit: bool,
}

/// How one language ended.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LanguageOutcome {
    pub code: String,
    pub status: Status,
    pub error: Option<String>,
    pub output: Option<PathBuf>,
    pub execution_provider: Option<String>,
    pub nodes_per_provider: std::collections::BTreeMap<String, usize>,
    pub cuda_fallback: Option<String>,
    pub utterances: Vec<UtteranceTiming>,
    pub audio_seconds: f64,
    pub synthesis_seconds: f64,
    pub elapsed_seconds: f64,
    /// Sentences whose audio came from the result cache.
    pub cache_hits: usize,
}

#[derive(Debug, Clone)]
pub struct RunOutcome {
    pub languages: Vec<LanguageOutcome>,
    pub wall_seconds: f64,
    pub cancelled: bool,
}

impl LanguageOutcome {
    /// A language as planned, before any synthesis: queued, or failed at planning.
    pub fn planned(planned: &Result<LanguagePlan, PlanFailure>) -> LanguageOutcome {
        let (code, status, error, sentences) = match planned {
            Ok(plan) => (&plan.code, Status::Queued, None, plan.utterances.len()),
            Err(failure) => (
                &failure.code,
                Status::Failed,
                Some(failure.error.clone()),
                0,
            ),
        };
        LanguageOutcome {
            code: code.clone(),
            status,
            error,
            output: None,
            execution_provider: None,
            nodes_per_provider: Default::default(),
            cuda_fallback: None,
            utterances: vec![UtteranceTiming::default(); sentences],
            audio_seconds: 0.0,
            synthesis_seconds: 0.0,
            elapsed_seconds: 0.0,
            cache_hits: 0,
        }
    }
}

impl RunOutcome {
    /// A plan's languages before any synthesis.
    pub fn planned(plan: &Plan) -> RunOutcome {
        RunOutcome {
            languages: plan
                .languages
                .iter()
                .map(LanguageOutcome::planned)
                .collect(),
            wall_seconds: 0.0,
            cancelled: false,
        }
    }

    pub fn synthesis_seconds(&self) -> f64 {
        self.languages.iter().map(|l| l.synthesis_seconds).sum()
    }

    pub fn audio_seconds(&self) -> f64 {
        self.languages.iter().map(|l| l.audio_seconds).sum()
    }

    pub fn cache_hits(&self) -> usize {
        self.languages.iter().map(|l| l.cache_hits).sum()
    }

    pub fn all_done(&self) -> bool {
        self.languages.iter().all(|l| l.status == Status::Done)
    }
}
