//! `voice = "fit"` in a job: fit a voice to the job's source clip before the run. The
//! job file's `fit_budget` and `fit_seed` (in the `[[language]]`, else `[run]`) travel in
//! the voice itself, `fit budget=N seed=S`, so a job keeps one voice field per language.

/// The voice that asks for a fit (job file `voice = "fit"`).
pub const FIT: &str = "fit";
/// `voxdeck fit --budget` and a job's `fit_budget`, when neither says.
pub const DEFAULT_BUDGET: usize = 240;
/// `voxdeck fit --seed` and a job's `fit_seed`, when neither says.
pub const DEFAULT_SEED: u64 = 1;
/// The fewest and most evaluations a fit may be given.
pub const MIN_BUDGET: usize = 8;
pub const MAX_BUDGET: usize = 100_000;

/// Why a fit request or budget is refused; the message says what would work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FitRequestError {
    #[error("a fit budget of {0} evaluations is out of range: use {MIN_BUDGET} to {MAX_BUDGET}")]
    BudgetOutOfRange(usize),
    #[error("`{0}` is not a count")]
    NotACount(String),
    #[error("`{0}` is not a seed (a whole number)")]
    NotASeed(String),
    #[error(
        "`{0}` is not understood: write `fit budget=N seed=S`, or use fit_budget and fit_seed"
    )]
    NotUnderstood(String),
}

/// A fit asked for by a job: the search's budget and seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FitRequest {
    pub budget: usize,
    pub seed: u64,
}

impl Default for FitRequest {
    fn default() -> Self {
        FitRequest {
            budget: DEFAULT_BUDGET,
            seed: DEFAULT_SEED,
        }
    }
}

/// The one check for a fit budget, for the job file and the command line.
pub fn check_budget(budget: usize) -> Result<usize, FitRequestError> {
    if (MIN_BUDGET..=MAX_BUDGET).contains(&budget) {
        Ok(budget)
    } else {
        Err(FitRequestError::BudgetOutOfRange(budget))
    }
}

impl FitRequest {
    /// The request a voice stands for: `fit`, or `fit budget=N seed=S` (either part may be
    /// left out); None when the voice is no fit request (`fit:NAME` names a fitted voice).
    /// A malformed request is an error that says what would work.
    pub fn parse(voice: &str) -> Option<Result<FitRequest, FitRequestError>> {
        let mut words = voice.split_whitespace();
        if words.next() != Some(FIT) {
            return None;
        }
        let mut request = FitRequest::default();
        for word in words {
            let parsed = match word.split_once('=') {
                Some(("budget", n)) => n
                    .parse()
                    .map_err(|_| FitRequestError::NotACount(n.to_string()))
                    .and_then(check_budget)
                    .map(|b| request.budget = b),
                Some(("seed", s)) => s
                    .parse()
                    .map(|s| request.seed = s)
                    .map_err(|_| FitRequestError::NotASeed(s.to_string())),
                _ => Err(FitRequestError::NotUnderstood(word.to_string())),
            };
            if let Err(e) = parsed {
                return Some(Err(e));
            }
        }
        Some(Ok(request))
    }

    /// The voice that carries this request: `fit` when both are the defaults.
    pub fn voice(&self) -> String {
        if *self == FitRequest::default() {
            FIT.to_string()
        } else {
            format!("{FIT} budget={} seed={}", self.budget, self.seed)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_reads_back_from_its_voice() {
        assert_eq!(FitRequest::parse("fit"), Some(Ok(FitRequest::default())));
        assert_eq!(FitRequest::parse("fit:blend"), None);
        assert_eq!(FitRequest::parse("af_heart"), None);
        let request = FitRequest {
            budget: 16,
            seed: 3,
        };
        assert_eq!(request.voice(), "fit budget=16 seed=3");
        assert_eq!(FitRequest::parse(&request.voice()), Some(Ok(request)));
        assert_eq!(FitRequest::default().voice(), "fit");
        assert_eq!(
            FitRequest::parse("fit seed=9"),
            Some(Ok(FitRequest {
                budget: DEFAULT_BUDGET,
                seed: 9
            }))
        );
        assert!(FitRequest::parse("fit budget=2").unwrap().is_err());
        assert!(FitRequest::parse("fit speed=2")
            .unwrap()
            .unwrap_err()
            .to_string()
            .contains("fit_budget"));
    }
}
