//! The encoder's input features, computed as Resemblyzer's `wav_to_mel_spectrogram` does with
//! `librosa.feature.melspectrogram(y, sr=16000, n_fft=400, hop_length=160, n_mels=40)`: a power
//! spectrogram (|STFT|², periodic Hann window of 400 samples, frames centred on multiples of the
//! hop) through librosa's Slaney mel filterbank (htk=False, norm='slaney', 0 to 8 kHz), no log.
//!
//! Centring pads 200 samples each side by reflection (`pad_mode='reflect'`, librosa's default
//! before 0.10; 0.10 pads with zeros). Only the first and last two frames can differ between the
//! two, and those frames are either speech edges or the zero padding of the last partial.
//!
//! The STFT is an exact 400-point FFT in f64 (`fft`), two frames per transform.

use std::f64::consts::PI;
use std::sync::OnceLock;

use super::fft::Fft;

pub const SAMPLE_RATE: u32 = 16_000;
pub const N_FFT: usize = 400;
pub const HOP: usize = 160;
pub const N_MELS: usize = 40;
const BINS: usize = N_FFT / 2 + 1;

/// One band of the filterbank: its first FFT bin and its non-zero weights from there.
struct Band {
    first_bin: usize,
    weights: Vec<f64>,
}

struct Tables {
    window: Vec<f64>,
    bands: Vec<Band>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        window: (0..N_FFT)
            .map(|n| 0.5 - 0.5 * (2.0 * PI * n as f64 / N_FFT as f64).cos())
            .collect(),
        bands: slaney_filterbank(),
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

/// `librosa.filters.mel(sr=16000, n_fft=400, n_mels=40)`: triangles between adjacent mel
/// points, each scaled by 2 / (its width in Hz) so every band has the same area.
fn slaney_filterbank() -> Vec<Band> {
    let top = hz_to_mel(SAMPLE_RATE as f64 / 2.0);
    let points: Vec<f64> = (0..N_MELS + 2)
        .map(|i| mel_to_hz(top * i as f64 / (N_MELS + 1) as f64))
        .collect();
    let bin_hz = |k: usize| k as f64 * SAMPLE_RATE as f64 / N_FFT as f64;
    (0..N_MELS)
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
    if wav.is_empty() {
        return Vec::new();
    }
    let t = tables();
    let frames = 1 + wav.len() / HOP;
    let windowed = |f: usize| -> Vec<f64> {
        let start = (f * HOP) as isize - (N_FFT / 2) as isize;
        (0..N_FFT)
            .map(|n| wav[reflect(start + n as isize, wav.len())] as f64 * t.window[n])
            .collect()
    };
    let mut fft = Fft::new(N_FFT);
    let (mut power_a, mut power_b) = (vec![0f64; BINS], vec![0f64; BINS]);
    let mut out = Vec::with_capacity(frames);
    for f in (0..frames).step_by(2) {
        // An odd count's last frame is paired with a copy of itself.
        let second = (f + 1).min(frames - 1);
        fft.power_pair(&windowed(f), &windowed(second), &mut power_a, &mut power_b);
        out.push(to_mel(&t.bands, &power_a));
        if second != f {
            out.push(to_mel(&t.bands, &power_b));
        }
    }
    out
}

fn to_mel(bands: &[Band], power: &[f64]) -> [f32; N_MELS] {
    let mut mels = [0f32; N_MELS];
    for (mel, band) in mels.iter_mut().zip(bands) {
        let bins = &power[band.first_bin..band.first_bin + band.weights.len()];
        *mel = bins
            .iter()
            .zip(&band.weights)
            .map(|(p, w)| p * w)
            .sum::<f64>() as f32;
    }
    mels
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
        let bands = slaney_filterbank();
        assert_eq!((bands[0].first_bin, bands[0].weights.len()), (1, 3));
        let last = bands.last().unwrap();
        assert_eq!(
            (last.first_bin, last.first_bin + last.weights.len() - 1),
            (172, 199)
        );
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
