//! CMA-ES, the covariance-matrix-adapting evolution strategy (Hansen's (mu/mu_w, lambda)
//! form, "The CMA Evolution Strategy: A Tutorial", 2016), in ask/tell shape: `ask` gives a
//! generation of candidates, the caller scores them however it likes (voxdeck: all at once
//! on the worker pool), `tell` takes the scores. The crates that implement CMA-ES call the
//! objective themselves, one point at a time, which would take batching away from the pool;
//! this one leaves evaluation to the caller.
//!
//! Minimises. Deterministic for a seed: the normal samples come from xoshiro256++ through
//! Box-Muller, both fixed algorithms, so the same seed gives the same candidates everywhere.

// The update equations index several vectors by the same coordinate; they read best as the
// tutorial writes them.
#![allow(clippy::needless_range_loop)]

use rand_xoshiro::rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The whole state serialises (the random stream's included), so a search saved between
/// generations goes on with the very candidates it would have drawn.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Cmaes {
    n: usize,
    lambda: usize,
    mu: usize,
    weights: Vec<f64>,
    mueff: f64,
    cc: f64,
    cs: f64,
    c1: f64,
    cmu: f64,
    damps: f64,
    chi_n: f64,
    mean: Vec<f64>,
    sigma: f64,
    /// Covariance, row-major n x n.
    c: Vec<f64>,
    /// Eigenvectors of `c` (columns), row-major n x n.
    b: Vec<f64>,
    /// Square roots of the eigenvalues of `c`.
    d: Vec<f64>,
    pc: Vec<f64>,
    ps: Vec<f64>,
    generation: usize,
    evaluations: usize,
    rng: Xoshiro256PlusPlus,
    spare_normal: Option<f64>,
}

impl Cmaes {
    /// A search around `mean` with step size `sigma` (in the units of the coordinates);
    /// `lambda` candidates per generation (default 4 + 3 ln n, at least 2).
    pub fn new(mean: Vec<f64>, sigma: f64, lambda: Option<usize>, seed: u64) -> Cmaes {
        let n = mean.len().max(1);
        let nf = n as f64;
        let lambda = lambda.unwrap_or(Cmaes::default_lambda(n)).max(2);
        let mu = lambda / 2;
        let raw: Vec<f64> = (0..mu)
            .map(|i| ((lambda as f64 + 1.0) / 2.0).ln() - ((i + 1) as f64).ln())
            .collect();
        let total: f64 = raw.iter().sum();
        let weights: Vec<f64> = raw.iter().map(|w| w / total).collect();
        let mueff = 1.0 / weights.iter().map(|w| w * w).sum::<f64>();
        let cc = (4.0 + mueff / nf) / (nf + 4.0 + 2.0 * mueff / nf);
        let cs = (mueff + 2.0) / (nf + mueff + 5.0);
        let c1 = 2.0 / ((nf + 1.3).powi(2) + mueff);
        let cmu = (1.0 - c1).min(2.0 * (mueff - 2.0 + 1.0 / mueff) / ((nf + 2.0).powi(2) + mueff));
        let damps = 1.0 + 2.0 * (((mueff - 1.0) / (nf + 1.0)).sqrt() - 1.0).max(0.0) + cs;
        let chi_n = nf.sqrt() * (1.0 - 1.0 / (4.0 * nf) + 1.0 / (21.0 * nf * nf));
        let mut identity = vec![0.0; n * n];
        for i in 0..n {
            identity[i * n + i] = 1.0;
        }
        Cmaes {
            n,
            lambda,
            mu,
            weights,
            mueff,
            cc,
            cs,
            c1,
            cmu,
            damps,
            chi_n,
            mean,
            sigma,
            c: identity.clone(),
            b: identity,
            d: vec![1.0; n],
            pc: vec![0.0; n],
            ps: vec![0.0; n],
            generation: 0,
            evaluations: 0,
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            spare_normal: None,
        }
    }

    pub fn lambda(&self) -> usize {
        self.lambda
    }

    /// Candidates per generation when none is asked for: 4 + 3 ln n (Hansen's default).
    pub fn default_lambda(n: usize) -> usize {
        4 + (3.0 * (n.max(1) as f64).ln()).floor() as usize
    }

    /// The search space's dimension.
    pub fn dimensions(&self) -> usize {
        self.n
    }

    /// Whether a state read back from outside (a checkpoint) is one `new`, `ask` and `tell`
    /// can have made: sizes that agree, the constants `new` derives from n and lambda,
    /// finite numbers. Every index and loop bound of `ask` and `tell` rests on these.
    pub fn check(&self) -> Result<(), String> {
        const MAX_DIMENSIONS: usize = 1000;
        const MAX_LAMBDA: usize = 10_000;
        let n = self.n;
        if !(1..=MAX_DIMENSIONS).contains(&n) {
            return Err(format!("n = {n}, outside 1..={MAX_DIMENSIONS}"));
        }
        if !(2..=MAX_LAMBDA).contains(&self.lambda) {
            return Err(format!(
                "lambda = {}, outside 2..={MAX_LAMBDA}",
                self.lambda
            ));
        }
        let sizes = [
            ("mean", self.mean.len(), n),
            ("c", self.c.len(), n * n),
            ("b", self.b.len(), n * n),
            ("d", self.d.len(), n),
            ("pc", self.pc.len(), n),
            ("ps", self.ps.len(), n),
        ];
        if let Some((name, len, want)) = sizes.iter().find(|(_, len, want)| len != want) {
            return Err(format!("{name} has {len} numbers, not {want}"));
        }
        // The constants are fixed by n and lambda: recomputed, they must be the very same.
        let fresh = Cmaes::new(self.mean.clone(), self.sigma, Some(self.lambda), 0);
        let same = fresh.mu == self.mu
            && fresh.weights == self.weights
            && [
                fresh.mueff,
                fresh.cc,
                fresh.cs,
                fresh.c1,
                fresh.cmu,
                fresh.damps,
                fresh.chi_n,
            ] == [
                self.mueff, self.cc, self.cs, self.c1, self.cmu, self.damps, self.chi_n,
            ];
        if !same {
            return Err("its constants are not those of its n and lambda".into());
        }
        let numbers = [&self.mean, &self.c, &self.b, &self.d, &self.pc, &self.ps];
        if !numbers.iter().all(|v| v.iter().all(|x| x.is_finite()))
            || self.spare_normal.is_some_and(|x| !x.is_finite())
        {
            return Err("it holds a number that is not finite".into());
        }
        if !(self.sigma.is_finite() && self.sigma > 0.0) {
            return Err(format!("sigma = {}, not a positive number", self.sigma));
        }
        if self.d.iter().any(|&x| x <= 0.0) {
            return Err("an axis length (d) is not positive".into());
        }
        Ok(())
    }

    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    pub fn generation(&self) -> usize {
        self.generation
    }

    pub fn evaluations(&self) -> usize {
        self.evaluations
    }

    /// The next generation's candidates: mean + sigma * B D z, z standard normal.
    pub fn ask(&mut self) -> Vec<Vec<f64>> {
        (0..self.lambda)
            .map(|_| {
                let z: Vec<f64> = (0..self.n).map(|_| self.normal()).collect();
                let y = self.b_d(&z);
                self.mean
                    .iter()
                    .zip(&y)
                    .map(|(m, y)| m + self.sigma * y)
                    .collect()
            })
            .collect()
    }

    /// Updates the distribution from a generation's candidates (as `ask` gave them, or
    /// repaired) and their scores, lower being better. Non-finite scores count as worst.
    pub fn tell(&mut self, candidates: &[Vec<f64>], scores: &[f64]) {
        assert_eq!(candidates.len(), scores.len(), "a score per candidate");
        assert!(candidates.len() >= self.mu, "at least mu candidates");
        let n = self.n;
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        let key = |s: f64| if s.is_finite() { s } else { f64::INFINITY };
        order.sort_by(|&a, &b| key(scores[a]).total_cmp(&key(scores[b])).then(a.cmp(&b)));
        let old = self.mean.clone();
        let ys: Vec<Vec<f64>> = order[..self.mu]
            .iter()
            .map(|&i| {
                candidates[i]
                    .iter()
                    .zip(&old)
                    .map(|(x, m)| (x - m) / self.sigma)
                    .collect()
            })
            .collect();
        let mut y_w = vec![0.0; n];
        for (w, y) in self.weights.iter().zip(&ys) {
            for k in 0..n {
                y_w[k] += w * y[k];
            }
        }
        for k in 0..n {
            self.mean[k] = old[k] + self.sigma * y_w[k];
        }
        // C^-1/2 y_w = B D^-1 B^T y_w.
        let bt_y: Vec<f64> = (0..n)
            .map(|j| (0..n).map(|i| self.b[i * n + j] * y_w[i]).sum::<f64>() / self.d[j])
            .collect();
        let c_inv_sqrt_y: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| self.b[i * n + j] * bt_y[j]).sum())
            .collect();
        let cs_norm = (self.cs * (2.0 - self.cs) * self.mueff).sqrt();
        for k in 0..n {
            self.ps[k] = (1.0 - self.cs) * self.ps[k] + cs_norm * c_inv_sqrt_y[k];
        }
        self.generation += 1;
        self.evaluations += candidates.len();
        let ps_norm = self.ps.iter().map(|v| v * v).sum::<f64>().sqrt();
        let decay = 1.0 - (1.0 - self.cs).powi(2 * self.generation as i32);
        let hsig = ps_norm / decay.sqrt() / self.chi_n < 1.4 + 2.0 / (n as f64 + 1.0);
        let cc_norm = (self.cc * (2.0 - self.cc) * self.mueff).sqrt();
        for k in 0..n {
            self.pc[k] = (1.0 - self.cc) * self.pc[k] + if hsig { cc_norm * y_w[k] } else { 0.0 };
        }
        let delta_hsig = if hsig { 0.0 } else { self.cc * (2.0 - self.cc) };
        for i in 0..n {
            for j in 0..n {
                let rank_mu: f64 = self
                    .weights
                    .iter()
                    .zip(&ys)
                    .map(|(w, y)| w * y[i] * y[j])
                    .sum();
                self.c[i * n + j] = (1.0 - self.c1 - self.cmu) * self.c[i * n + j]
                    + self.c1 * (self.pc[i] * self.pc[j] + delta_hsig * self.c[i * n + j])
                    + self.cmu * rank_mu;
            }
        }
        self.sigma *= ((self.cs / self.damps) * (ps_norm / self.chi_n - 1.0)).exp();
        self.decompose();
    }

    /// B D z.
    fn b_d(&self, z: &[f64]) -> Vec<f64> {
        let n = self.n;
        (0..n)
            .map(|i| (0..n).map(|j| self.b[i * n + j] * self.d[j] * z[j]).sum())
            .collect()
    }

    /// B and D from C (symmetric), by cyclic Jacobi rotations: exact enough for the small
    /// dimensions searched here, and free of a linear-algebra dependency.
    fn decompose(&mut self) {
        let n = self.n;
        // Keep C exactly symmetric against rounding.
        for i in 0..n {
            for j in 0..i {
                let v = 0.5 * (self.c[i * n + j] + self.c[j * n + i]);
                self.c[i * n + j] = v;
                self.c[j * n + i] = v;
            }
        }
        let (values, vectors) = super::eigen::jacobi_eigen(&self.c, n);
        self.d = values.iter().map(|v| v.max(1e-20).sqrt()).collect();
        self.b = vectors;
    }

    fn normal(&mut self) -> f64 {
        if let Some(v) = self.spare_normal.take() {
            return v;
        }
        // Box-Muller on two uniforms in (0, 1].
        let uniform = |rng: &mut Xoshiro256PlusPlus| {
            ((rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
        };
        let u1 = uniform(&mut self.rng);
        let u2 = uniform(&mut self.rng);
        let r = (-2.0 * u1.ln()).sqrt();
        let theta = 2.0 * std::f64::consts::PI * u2;
        self.spare_normal = Some(r * theta.sin());
        r * theta.cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimise(
        f: impl Fn(&[f64]) -> f64,
        start: Vec<f64>,
        sigma: f64,
        evals: usize,
        seed: u64,
    ) -> (Vec<f64>, f64) {
        let mut es = Cmaes::new(start, sigma, None, seed);
        let mut best = (Vec::new(), f64::INFINITY);
        while es.evaluations() < evals {
            let xs = es.ask();
            let fs: Vec<f64> = xs.iter().map(|x| f(x)).collect();
            for (x, &fx) in xs.iter().zip(&fs) {
                if fx < best.1 {
                    best = (x.clone(), fx);
                }
            }
            es.tell(&xs, &fs);
        }
        best
    }

    #[test]
    fn it_finds_the_minimum_of_a_shifted_sphere_and_of_rosenbrock() {
        let target = [1.0, -2.0, 0.5, 3.0, -1.0, 0.0];
        let sphere = |x: &[f64]| x.iter().zip(&target).map(|(a, b)| (a - b).powi(2)).sum();
        let (x, fx) = minimise(sphere, vec![0.0; 6], 1.0, 3000, 7);
        assert!(fx < 1e-8, "{fx} at {x:?}");
        let rosenbrock = |x: &[f64]| {
            x.windows(2)
                .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
                .sum()
        };
        let (x, fx) = minimise(rosenbrock, vec![-1.0; 4], 0.5, 8000, 3);
        assert!(fx < 1e-6, "{fx} at {x:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_candidates() {
        let run = |seed| {
            let mut es = Cmaes::new(vec![0.0; 5], 0.3, Some(6), seed);
            let first = es.ask();
            let scores: Vec<f64> = first.iter().map(|x| x[0].abs()).collect();
            es.tell(&first, &scores);
            es.ask()
        };
        assert_eq!(run(11), run(11));
        assert_ne!(run(11), run(12));
    }
}
