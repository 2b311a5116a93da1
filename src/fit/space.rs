//! The space a fitted voice is searched in: the principal components of the stock voices'
//! style tensors. A Kokoro voice is 510 x 256 floats; its stock voices span a few dozen
//! directions of that, and a search in a handful of those (units: the stock voices' own
//! spread along each) converges in hundreds of evaluations where a walk in the raw
//! 130,560 dimensions would not, and stays among voices the model knows how to speak.

use crate::engine::kokoro::VoicePack;

/// How far from the stock voices' mean a coordinate may go, in their standard deviations.
pub const MAX_COORDINATE: f64 = 3.0;

pub struct VoiceSpace {
    mean: Vec<f64>,
    /// Unit principal directions, each as long as a voice.
    components: Vec<Vec<f64>>,
    /// The stock voices' standard deviation along each direction.
    spread: Vec<f64>,
}

impl VoiceSpace {
    /// The `dims` leading principal components of `voices` (at least two voices; `dims`
    /// is capped at one less than their number). Computed through the voices' Gram
    /// matrix, which is small (voices x voices) where the covariance would be 130,560².
    pub fn from_voices(voices: &[&VoicePack], dims: usize) -> VoiceSpace {
        let v = voices.len();
        assert!(v >= 2, "a space needs two voices");
        let len = voices[0].rows().len();
        let mut mean = vec![0.0f64; len];
        for pack in voices {
            for (m, x) in mean.iter_mut().zip(pack.rows()) {
                *m += f64::from(*x) / v as f64;
            }
        }
        let centred: Vec<Vec<f64>> = voices
            .iter()
            .map(|p| {
                p.rows()
                    .iter()
                    .zip(&mean)
                    .map(|(x, m)| f64::from(*x) - m)
                    .collect()
            })
            .collect();
        let mut gram = vec![0.0; v * v];
        for i in 0..v {
            for j in 0..=i {
                let dot: f64 = centred[i].iter().zip(&centred[j]).map(|(a, b)| a * b).sum();
                gram[i * v + j] = dot;
                gram[j * v + i] = dot;
            }
        }
        let (values, vectors) = super::eigen::jacobi_eigen(&gram, v);
        let mut order: Vec<usize> = (0..v).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
        let dims = dims.min(v - 1);
        let mut components = Vec::with_capacity(dims);
        let mut spread = Vec::with_capacity(dims);
        for &k in order.iter().take(dims) {
            let lambda = values[k].max(1e-30);
            // Direction in voice space: X^T u / sqrt(lambda), a unit vector.
            let mut direction = vec![0.0; len];
            for (i, row) in centred.iter().enumerate() {
                let u = vectors[i * v + k];
                for (d, x) in direction.iter_mut().zip(row) {
                    *d += u * x;
                }
            }
            let norm = lambda.sqrt();
            direction.iter_mut().for_each(|d| *d /= norm);
            // A fixed sign (largest entry positive), so the space does not depend on the
            // eigen solver's.
            let largest =
                direction
                    .iter()
                    .copied()
                    .fold(0.0f64, |a, b| if b.abs() > a.abs() { b } else { a });
            if largest < 0.0 {
                direction.iter_mut().for_each(|d| *d = -*d);
            }
            components.push(direction);
            spread.push((lambda / (v - 1) as f64).sqrt());
        }
        VoiceSpace {
            mean,
            components,
            spread,
        }
    }

    pub fn dims(&self) -> usize {
        self.components.len()
    }

    /// A voice's coordinates (in spreads along each direction).
    pub fn coordinates(&self, pack: &VoicePack) -> Vec<f64> {
        self.components
            .iter()
            .zip(&self.spread)
            .map(|(c, s)| {
                let dot: f64 = pack
                    .rows()
                    .iter()
                    .zip(&self.mean)
                    .zip(c)
                    .map(|((x, m), d)| (f64::from(*x) - m) * d)
                    .sum();
                dot / s
            })
            .collect()
    }

    /// `origin` moved by `offsets` (in spreads along each direction, each first clamped to
    /// +-MAX_COORDINATE). The search moves its start voice this way rather than rebuilding
    /// voices from their coordinates: the few leading directions hold only part of a voice,
    /// and a candidate rebuilt from them would lose the rest, so every candidate would start
    /// out worse than the voice it was drawn around. An offset of zero is the origin itself.
    pub fn offset(&self, name: &str, origin: &VoicePack, offsets: &[f64]) -> VoicePack {
        let mut rows: Vec<f64> = origin.rows().iter().map(|&x| f64::from(x)).collect();
        for ((c, s), direction) in offsets.iter().zip(&self.spread).zip(&self.components) {
            let step = c.clamp(-MAX_COORDINATE, MAX_COORDINATE) * s;
            for (r, d) in rows.iter_mut().zip(direction) {
                *r += step * d;
            }
        }
        let rows: Vec<f32> = rows.into_iter().map(|r| r as f32).collect();
        VoicePack::from_rows(name, rows).expect("finite voice plus finite steps")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::kokoro::{STYLE_DIM, VOICE_ROWS};

    fn pack(name: &str, f: impl Fn(usize) -> f32) -> VoicePack {
        VoicePack::from_rows(name, (0..VOICE_ROWS * STYLE_DIM).map(f).collect()).unwrap()
    }

    #[test]
    fn offsets_move_a_voice_along_the_stock_voices_directions() {
        let voices = [
            pack("a", |i| (i as f32 * 0.001).sin()),
            pack("b", |i| (i as f32 * 0.002).cos()),
            pack("c", |i| ((i % 97) as f32) * 0.01),
            pack("d", |i| (i as f32 * 0.0005).sin() * 0.5),
        ];
        let refs: Vec<&VoicePack> = voices.iter().collect();
        // Four voices span three directions around their mean: a full space.
        let space = VoiceSpace::from_voices(&refs, 8);
        assert_eq!(space.dims(), 3);
        let (a, b) = (&voices[0], &voices[1]);
        // No offset is the voice itself, bit for bit.
        assert_eq!(space.offset("a", a, &[0.0; 3]).rows(), a.rows());
        // The difference of two voices' coordinates carries one to the other.
        let step: Vec<f64> = (space.coordinates(b).iter())
            .zip(space.coordinates(a))
            .map(|(b, a)| b - a)
            .collect();
        let moved = space.offset("a->b", a, &step);
        let worst = (moved.rows().iter())
            .zip(b.rows())
            .map(|(x, y)| (x - y).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-4, "{worst}");
        // Offsets are clamped.
        let far = space.offset("f", a, &[100.0, 0.0, 0.0]);
        let edge = space.offset("e", a, &[MAX_COORDINATE, 0.0, 0.0]);
        assert_eq!(far.rows(), edge.rows());
    }
}
