//! The encoder's input features, computed as Resemblyzer's `wav_to_mel_spectrogram` does with
//! `librosa.feature.melspectrogram(y, sr=16000, n_fft=400, hop_length=160, n_mels=40)`: a power
//! spectrogram (|STFT|², periodic Hann window of 400 samples, frames centred on multiples of the
//! hop) through librosa's Slaney mel filterbank (htk=False, norm='slaney', 0 to 8 kHz), no log.
//!
//! Centring pads 200 samples each side by reflection (`pad_mode='reflect'`, librosa's default
//! before 0.10; 0.10 pads with zeros). Only the first and last two frames can differ between the
//! two, and those frames are either speech edges or the zero padding of the last partial.
//!
//! The STFT is an exact 400-point real FFT in f64 (`realfft`; padding to 512 would change the
//! bins), planned once and shared by every call.

use std::f64::consts::PI;
use std::sync::{Arc, OnceLock};

use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};

pub const SAMPLE_RATE: u32 = 16_000;
pub const N_FFT: usize = 400;
pub const HOP: usize = 160;
pub const N_MELS: usize = 40;
const BINS: usize = N_FFT / 2 + 1;

/// One band of the filterbank: its first FFT bin and its non-zero weights from there.
pub(crate) struct Band {
    first_bin: usize,
    weights: Vec<f64>,
}

impl Band {
    /// This band's energy in a power spectrum of `BINS` bins.
    pub(crate) fn apply(&self, power: &[f64]) -> f64 {
        let bins = &power[self.first_bin..self.first_bin + self.weights.len()];
        bins.iter().zip(&self.weights).map(|(p, w)| p * w).sum()
    }
}

struct Tables {
    window: Vec<f64>,
    bands: Vec<Band>,
    /// The `N_FFT`-point forward plan, made once.
    fft: Arc<dyn RealToComplex<f64>>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        window: (0..N_FFT)
            .map(|n| 0.5 - 0.5 * (2.0 * PI * n as f64 / N_FFT as f64).cos())
            .collect(),
        bands: slaney_filterbank(N_MELS),
        fft: RealFftPlanner::<f64>::new().plan_fft_forward(N_FFT),
    })
}

/// librosa's Slaney mel scale: linear below 1 kHz, logarithmic above.
fn hz_to_mel(hz: f64) -> f64 {
    let (f_sp, min_log_hz, min_log_mel) = (200.0 / 3.0, 1000.0, 15.0);
    let logstep = 6.4f64.ln() / 27.0;
    if hz < min_log_hz {
        hz / f_sp
    } else {
        min_log_mel + (hz / min_log_hz).ln() / logstep
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    let (f_sp, min_log_hz, min_log_mel) = (200.0 / 3.0, 1000.0, 15.0);
    let logstep = 6.4f64.ln() / 27.0;
    if mel >= min_log_mel {
        min_log_hz * (logstep * (mel - min_log_mel)).exp()
    } else {
        f_sp * mel
    }
}

/// `librosa.filters.mel(sr=16000, n_fft=400, n_mels=bands)`: triangles between adjacent mel
/// points, each scaled by 2 / (its width in Hz) so every band has the same area. GE2E uses 40
/// bands, Whisper 80.
pub(crate) fn slaney_filterbank(bands: usize) -> Vec<Band> {
    let top = hz_to_mel(SAMPLE_RATE as f64 / 2.0);
    let points: Vec<f64> = (0..bands + 2)
        .map(|i| mel_to_hz(top * i as f64 / (bands + 1) as f64))
        .collect();
    let bin_hz = |k: usize| k as f64 * SAMPLE_RATE as f64 / N_FFT as f64;
    (0..bands)
        .map(|m| {
            let (lo, mid, hi) = (points[m], points[m + 1], points[m + 2]);
            let norm = 2.0 / (hi - lo);
            let weight = |k: usize| {
                let f = bin_hz(k);
                let rising = (f - lo) / (mid - lo);
                let falling = (hi - f) / (hi - mid);
                rising.min(falling).max(0.0) * norm
            };
            let nonzero: Vec<usize> = (0..BINS).filter(|&k| weight(k) > 0.0).collect();
            let first_bin = nonzero.first().copied().unwrap_or(0);
            let last_bin = nonzero.last().copied().unwrap_or(0);
            Band {
                first_bin,
                weights: (first_bin..=last_bin).map(weight).collect(),
            }
        })
        .collect()
}

/// numpy's `pad(mode='reflect')` index: mirrored about the ends without repeating them.
fn reflect(index: isize, len: usize) -> usize {
    if len == 1 {
        return 0;
    }
    let period = 2 * (len as isize - 1);
    let i = index.rem_euclid(period);
    (if i < len as isize { i } else { period - i }) as usize
}

/// Mel power spectrogram, one row of `N_MELS` per hop: `1 + wav.len() / HOP` rows.
pub fn mel_spectrogram(wav: &[f32]) -> Vec<[f32; N_MELS]> {
    let bands = &tables().bands;
    let mut out = Vec::with_capacity(1 + wav.len() / HOP);
    power_frames(wav, 1 + wav.len() / HOP, |power| {
        let mut mels = [0f32; N_MELS];
        for (mel, band) in mels.iter_mut().zip(bands) {
            *mel = band.apply(power) as f32;
        }
        out.push(mels);
    });
    out
}

/// Calls `each` with the power spectrum (`N_FFT / 2 + 1` bins) of the first `frames` frames:
/// |STFT|² with the periodic Hann window, frames centred on multiples of the hop, the signal
/// extended by reflection at both ends.
pub(crate) fn power_frames(wav: &[f32], frames: usize, mut each: impl FnMut(&[f64])) {
    if wav.is_empty() {
        return;
    }
    let t = tables();
    let mut frame = t.fft.make_input_vec();
    let mut spectrum = t.fft.make_output_vec();
    let mut scratch = t.fft.make_scratch_vec();
    let mut power = vec![0f64; BINS];
    for f in 0..frames {
        let start = (f * HOP) as isize - (N_FFT / 2) as isize;
        for (n, x) in frame.iter_mut().enumerate() {
            *x = wav[reflect(start + n as isize, wav.len())] as f64 * t.window[n];
        }
        power_spectrum(
            t.fft.as_ref(),
            &mut frame,
            &mut spectrum,
            &mut scratch,
            &mut power,
        );
        each(&power);
    }
}

/// |X[k]|² for k in 0..=N/2 of the real `frame` (used as scratch: garbage afterwards).
fn power_spectrum(
    fft: &dyn RealToComplex<f64>,
    frame: &mut [f64],
    spectrum: &mut [Complex<f64>],
    scratch: &mut [Complex<f64>],
    power: &mut [f64],
) {
    fft.process_with_scratch(frame, spectrum, scratch)
        .expect("buffers made by the plan itself");
    for (p, x) in power.iter_mut().zip(spectrum.iter()) {
        *p = x.norm_sqr();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflect_matches_numpy() {
        // np.pad([0, 1, 2, 3], 3, mode='reflect') == [3, 2, 1, 0, 1, 2, 3, 2, 1, 0]
        let got: Vec<usize> = (-3..7).map(|i| reflect(i, 4)).collect();
        assert_eq!(got, vec![3, 2, 1, 0, 1, 2, 3, 2, 1, 0]);
    }

    #[test]
    fn filterbank_matches_librosa_edges() {
        // librosa.filters.mel(sr=16000, n_fft=400, n_mels=40): band 0 covers bins 1..=3,
        // the last one 172..=199.
        let bands = slaney_filterbank(N_MELS);
        assert_eq!((bands[0].first_bin, bands[0].weights.len()), (1, 3));
        let last = bands.last().unwrap();
        assert_eq!(
            (last.first_bin, last.first_bin + last.weights.len() - 1),
            (172, 199)
        );
    }

    #[test]
    fn power_spectrum_equals_the_direct_dft() {
        let fft = &tables().fft;
        let signal: Vec<f64> = (0..N_FFT)
            .map(|i| (i as f64 * 0.3).sin() + ((i * 7) % 13) as f64 * 0.1)
            .collect();
        let mut frame = signal.clone();
        let (mut spectrum, mut scratch) = (fft.make_output_vec(), fft.make_scratch_vec());
        let mut power = vec![0f64; BINS];
        power_spectrum(
            fft.as_ref(),
            &mut frame,
            &mut spectrum,
            &mut scratch,
            &mut power,
        );
        for (k, got) in power.iter().enumerate() {
            let (re, im) = signal
                .iter()
                .enumerate()
                .fold((0.0, 0.0), |(re, im), (n, x)| {
                    let angle = -2.0 * PI * ((k * n) % N_FFT) as f64 / N_FFT as f64;
                    (re + x * angle.cos(), im + x * angle.sin())
                });
            let want = re * re + im * im;
            assert!(
                (got - want).abs() <= 1e-9 * want.max(1.0),
                "bin {k}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn a_tone_lands_in_its_band() {
        let wav: Vec<f32> = (0..16_000)
            .map(|n| (2.0 * std::f32::consts::PI * 1000.0 * n as f32 / 16_000.0).sin())
            .collect();
        let mel = mel_spectrogram(&wav);
        assert_eq!(mel.len(), 101);
        let row = &mel[50];
        let loudest = (0..N_MELS)
            .max_by(|&a, &b| row[a].total_cmp(&row[b]))
            .unwrap();
        // librosa puts the peak of a 1 kHz tone in band 13.
        assert_eq!(loudest, 13);
    }
}
