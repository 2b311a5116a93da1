//! A small exact FFT for the mel front end's 400-point frames (400 = 2⁴·5²; padding to 512
//! would change the bins). Recursive decimation in time over the length's prime factors, in f64,
//! two real frames per complex transform. No dependency: the crate's FFT libraries are only
//! pulled in by rubato, not declared.

use std::f64::consts::PI;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Complex {
    pub re: f64,
    pub im: f64,
}

impl Complex {
    fn mul(self, o: Complex) -> Complex {
        Complex {
            re: self.re * o.re - self.im * o.im,
            im: self.re * o.im + self.im * o.re,
        }
    }
}

pub struct Fft {
    len: usize,
    /// exp(-2πi k / len) for k in 0..len.
    twiddles: Vec<Complex>,
    scratch: Vec<Complex>,
    out: Vec<Complex>,
}

fn smallest_factor(n: usize) -> usize {
    (2..=n).find(|&p| n.is_multiple_of(p)).unwrap_or(n)
}

impl Fft {
    pub fn new(len: usize) -> Fft {
        let twiddles = (0..len)
            .map(|k| {
                let angle = -2.0 * PI * k as f64 / len as f64;
                Complex {
                    re: angle.cos(),
                    im: angle.sin(),
                }
            })
            .collect();
        Fft {
            len,
            twiddles,
            scratch: vec![Complex::default(); len],
            out: vec![Complex::default(); len],
        }
    }

    /// The DFT of `input` (length `len`): X[k] = Σ x[n]·exp(-2πikn/len).
    pub fn forward(&mut self, input: &[Complex]) -> &[Complex] {
        assert_eq!(input.len(), self.len);
        self.scratch.copy_from_slice(input);
        transform(&self.twiddles, &self.scratch, 1, &mut self.out);
        &self.out
    }

    /// Power spectra |X[k]|² for k in 0..=len/2 of two real frames at once: `a` rides in the
    /// real part, `b` in the imaginary part, and conjugate symmetry separates them.
    pub fn power_pair(&mut self, a: &[f64], b: &[f64], power_a: &mut [f64], power_b: &mut [f64]) {
        let packed: Vec<Complex> = a
            .iter()
            .zip(b)
            .map(|(&re, &im)| Complex { re, im })
            .collect();
        let n = self.len;
        let z = self.forward(&packed);
        for k in 0..=n / 2 {
            let (zk, zn) = (z[k], z[(n - k) % n]);
            // A[k] = (Z[k] + conj Z[n-k]) / 2, B[k] = (Z[k] - conj Z[n-k]) / 2i
            let (ar, ai) = ((zk.re + zn.re) / 2.0, (zk.im - zn.im) / 2.0);
            let (br, bi) = ((zk.im + zn.im) / 2.0, (zn.re - zk.re) / 2.0);
            power_a[k] = ar * ar + ai * ai;
            power_b[k] = br * br + bi * bi;
        }
    }
}

/// `out` = DFT of x[0], x[stride], x[2·stride], ... (`out.len()` of them).
fn transform(twiddles: &[Complex], x: &[Complex], stride: usize, out: &mut [Complex]) {
    let n = out.len();
    if n == 1 {
        out[0] = x[0];
        return;
    }
    let p = smallest_factor(n);
    let m = n / p;
    for r in 0..p {
        transform(
            twiddles,
            &x[r * stride..],
            stride * p,
            &mut out[r * m..(r + 1) * m],
        );
    }
    // Butterflies: X[k + q·m] = Σ_r W_n^(r(k + q·m)) · Sub_r[k].
    let full = twiddles.len();
    let step = full / n;
    let mut column = vec![Complex::default(); p];
    for k in 0..m {
        for (r, c) in column.iter_mut().enumerate() {
            *c = out[r * m + k];
        }
        for q in 0..p {
            let j = k + q * m;
            let mut acc = Complex::default();
            for (r, c) in column.iter().enumerate() {
                let t = c.mul(twiddles[(r * j * step) % full]);
                acc.re += t.re;
                acc.im += t.im;
            }
            out[j] = acc;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn direct(x: &[Complex]) -> Vec<Complex> {
        let n = x.len();
        (0..n)
            .map(|k| {
                x.iter()
                    .enumerate()
                    .fold(Complex::default(), |acc, (i, v)| {
                        let angle = -2.0 * PI * ((k * i) % n) as f64 / n as f64;
                        let t = v.mul(Complex {
                            re: angle.cos(),
                            im: angle.sin(),
                        });
                        Complex {
                            re: acc.re + t.re,
                            im: acc.im + t.im,
                        }
                    })
            })
            .collect()
    }

    #[test]
    fn equals_the_direct_dft() {
        for n in [1, 2, 5, 12, 400] {
            let x: Vec<Complex> = (0..n)
                .map(|i| Complex {
                    re: ((i * 37) % 11) as f64 - 5.0,
                    im: ((i * 13) % 7) as f64 * 0.5,
                })
                .collect();
            let want = direct(&x);
            let mut fft = Fft::new(n);
            for (g, w) in fft.forward(&x).iter().zip(&want) {
                assert!(
                    (g.re - w.re).abs() < 1e-9 && (g.im - w.im).abs() < 1e-9,
                    "n={n}"
                );
            }
        }
    }

    #[test]
    fn two_real_frames_separate() {
        let n = 400;
        let a: Vec<f64> = (0..n).map(|i| (i as f64 * 0.3).sin()).collect();
        let b: Vec<f64> = (0..n).map(|i| ((i * 7) % 13) as f64).collect();
        let (mut pa, mut pb) = (vec![0.0; n / 2 + 1], vec![0.0; n / 2 + 1]);
        Fft::new(n).power_pair(&a, &b, &mut pa, &mut pb);
        for (signal, power) in [(&a, &pa), (&b, &pb)] {
            let x: Vec<Complex> = signal.iter().map(|&re| Complex { re, im: 0.0 }).collect();
            for (k, w) in direct(&x).iter().take(n / 2 + 1).enumerate() {
                let want = w.re * w.re + w.im * w.im;
                assert!((power[k] - want).abs() <= 1e-9 * want.max(1.0), "bin {k}");
            }
        }
    }
}
