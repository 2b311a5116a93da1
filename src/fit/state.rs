//! Where a search stands after a whole generation: what a checkpoint holds, and the check
//! a state read back must pass before a search goes on from it.

use serde::{Deserialize, Serialize};

use super::cmaes::Cmaes;
use super::space;
use super::{Generation, Scored};

/// Where a search stands after a whole generation: everything it needs to go on exactly as
/// it would have without stopping (the strategy's random stream included).
#[derive(Clone, Serialize, Deserialize)]
pub struct SearchState {
    pub best_stock: Scored,
    pub best_blend: Option<Scored>,
    pub fitted: Scored,
    /// The voice the search moves from (the best stock voice or the best blend, by name):
    /// candidates are this voice plus an offset along the space's directions.
    pub origin: String,
    /// The kept voice's offset from `origin`; None while it is the best stock voice or the
    /// best blend, which `fitted.voice` names.
    pub fitted_offsets: Option<Vec<f64>>,
    pub best_probe: f32,
    /// Generations since the held-out score last improved.
    pub stale: usize,
    pub evaluations: usize,
    pub generations: Vec<Generation>,
    pub strategy: Cmaes,
}

impl SearchState {
    /// Whether a state read back from a checkpoint can go on in a space of `dims`
    /// dimensions with `population` candidates a generation (None: the default): a whole
    /// strategy of that shape, kept offsets of that dimension, and finite scores. A state
    /// that passes cannot make the loop index out of bounds or outgrow its generations.
    pub fn check(&self, dims: usize, population: Option<usize>) -> Result<(), String> {
        self.strategy
            .check()
            .map_err(|why| format!("its strategy is damaged: {why}"))?;
        let lambda = population
            .unwrap_or(super::cmaes::Cmaes::default_lambda(dims))
            .max(2);
        if self.strategy.lambda() != lambda {
            return Err(format!(
                "its strategy draws {} candidates a generation, this search {lambda}",
                self.strategy.lambda()
            ));
        }
        if self.strategy.dimensions() != dims {
            return Err(format!(
                "its strategy searches {} dimensions, this space has {dims}",
                self.strategy.dimensions()
            ));
        }
        // The strategy's centre is a weighted mean of clamped candidates: inside the box.
        if self
            .strategy
            .mean()
            .iter()
            .any(|m| m.abs() > space::MAX_COORDINATE)
        {
            return Err("its strategy's centre lies outside the search box".into());
        }
        if let Some(offsets) = &self.fitted_offsets {
            if offsets.len() != dims || !offsets.iter().all(|x| x.is_finite()) {
                return Err(format!(
                    "the kept voice's offsets are not {dims} finite numbers"
                ));
            }
        }
        let scored = [
            Some(&self.best_stock),
            self.best_blend.as_ref(),
            Some(&self.fitted),
        ];
        let finite = scored
            .into_iter()
            .flatten()
            .all(|s| s.probe.is_finite() && s.held_out.iter().all(|x| x.is_finite()));
        if !finite || !self.best_probe.is_finite() {
            return Err("it holds a score that is not a finite number".into());
        }
        Ok(())
    }
}
