//! Kokoro-82M: phoneme string -> token ids (vocab.json) -> audio at 24 kHz, styled by a
//! voice pack row chosen by the utterance's token count.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ort::session::Session;
use ort::value::Tensor;

use super::ModelError;

pub const SAMPLE_RATE: u32 = 24_000;
/// Kokoro's context is 512 positions, two of them the pads around every utterance; its
/// pipeline applies the limit to the phoneme string's length in code points (which is at
/// least the number of token ids). Past it ONNX Runtime fails with "invalid expand shape",
/// so the plan never hands the model more.
pub const MAX_PHONEMES: usize = 510;
pub const STYLE_DIM: usize = 256;
pub const VOICE_ROWS: usize = 510;

/// The character -> id map the model was trained with.
#[derive(Debug, Clone)]
pub struct Vocab {
    ids: HashMap<char, i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tokens {
    pub ids: Vec<i64>,
    /// Phoneme characters the vocab does not know; dropped, as Kokoro's own pipeline does.
    pub skipped: Vec<char>,
}

impl Vocab {
    pub fn load(path: &Path) -> Result<Vocab, ModelError> {
        let text = std::fs::read_to_string(path).map_err(|e| ModelError::missing(path, e))?;
        // The file is `{"vocab": {"<char>": id, ...}}`, as Kokoro's config.json has it.
        #[derive(serde::Deserialize)]
        struct VocabFile {
            vocab: HashMap<String, i64>,
        }
        let raw: VocabFile = serde_json::from_str(&text).map_err(|e| ModelError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let ids = raw
            .vocab
            .into_iter()
            .filter_map(|(k, v)| single_char(&k).map(|c| (c, v)))
            .collect();
        Ok(Vocab { ids })
    }

    pub fn tokenize(&self, phonemes: &str) -> Tokens {
        let mut ids = Vec::with_capacity(phonemes.len());
        let mut skipped = Vec::new();
        for c in phonemes.chars() {
            match self.ids.get(&c) {
                Some(&id) => ids.push(id),
                None => skipped.push(c),
            }
        }
        Tokens { ids, skipped }
    }
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// One voice: `VOICE_ROWS` style vectors, row n for utterances of n+1 tokens.
#[derive(Debug, Clone)]
pub struct VoicePack {
    pub name: String,
    rows: Vec<f32>,
}

impl VoicePack {
    pub fn load(name: &str, path: &Path) -> Result<VoicePack, ModelError> {
        let bytes = std::fs::read(path).map_err(|e| ModelError::missing(path, e))?;
        if bytes.len() != VOICE_ROWS * STYLE_DIM * 4 {
            return Err(ModelError::Corrupt {
                path: path.to_path_buf(),
                detail: format!(
                    "{} bytes, expected {} (float32 [510,256])",
                    bytes.len(),
                    VOICE_ROWS * STYLE_DIM * 4
                ),
            });
        }
        let rows: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        if let Some(bad) = rows.iter().position(|v| !v.is_finite()) {
            return Err(ModelError::Corrupt {
                path: path.to_path_buf(),
                detail: format!("value {bad} is {}", rows[bad]),
            });
        }
        Ok(VoicePack {
            name: name.to_string(),
            rows,
        })
    }

    /// A stock voice by name, or a blend of stock voices written `a:0.6+b:0.4` (mixed by
    /// `mix`).
    pub fn load_named(name: &str, voices_dir: &Path) -> Result<VoicePack, VoiceError> {
        let Some(parts) = parse_blend(name)? else {
            return Ok(VoicePack::load(
                name,
                &voices_dir.join(format!("{name}.bin")),
            )?);
        };
        let packs = parts
            .iter()
            .map(|(voice, weight)| {
                VoicePack::load(voice, &voices_dir.join(format!("{voice}.bin")))
                    .map(|p| (p, *weight))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let parts: Vec<(&VoicePack, f64)> = packs.iter().map(|(p, w)| (p, *w)).collect();
        VoicePack::mix(name, &parts)
    }

    /// `parts`' style vectors mixed row by row, the weights normalised to sum to one (in
    /// f64, so any finite positive weights do). A mix that is not finite is refused.
    pub fn mix(name: &str, parts: &[(&VoicePack, f64)]) -> Result<VoicePack, VoiceError> {
        let weights = normalised(&parts.iter().map(|(_, w)| *w).collect::<Vec<_>>());
        let mut mixed = vec![0.0f64; VOICE_ROWS * STYLE_DIM];
        for ((pack, _), weight) in parts.iter().zip(weights) {
            for (m, value) in mixed.iter_mut().zip(&pack.rows) {
                *m += f64::from(*value) * weight;
            }
        }
        let rows: Vec<f32> = mixed.into_iter().map(|v| v as f32).collect();
        if !rows.iter().all(|v| v.is_finite()) {
            return Err(VoiceError::NotFinite {
                voice: name.to_string(),
            });
        }
        Ok(VoicePack {
            name: name.to_string(),
            rows,
        })
    }

    /// A pack made in memory (a fitted voice): `rows` is float32 [510, 256], row-major.
    pub fn from_rows(name: &str, rows: Vec<f32>) -> Result<VoicePack, VoiceError> {
        if rows.len() != VOICE_ROWS * STYLE_DIM || !rows.iter().all(|v| v.is_finite()) {
            return Err(VoiceError::NotFinite {
                voice: name.to_string(),
            });
        }
        Ok(VoicePack {
            name: name.to_string(),
            rows,
        })
    }

    /// The style rows, float32 [510, 256], row-major.
    pub fn rows(&self) -> &[f32] {
        &self.rows
    }

    /// The pack in the stock voice files' layout: little-endian float32 [510, 256].
    pub fn to_bytes(&self) -> Vec<u8> {
        self.rows.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Kokoro's pipeline indexes the pack by the phoneme string's length (in code points,
    /// characters the vocab drops included) minus one.
    pub fn style_for(&self, phoneme_count: usize) -> &[f32] {
        let row = phoneme_count.saturating_sub(1).min(VOICE_ROWS - 1);
        &self.rows[row * STYLE_DIM..(row + 1) * STYLE_DIM]
    }
}

/// Weights scaled to sum to one. They are first divided by the largest, so the sum cannot
/// overflow (3e38 + 3e38) and tiny weights (1e-45) keep their ratio.
fn normalised(weights: &[f64]) -> Vec<f64> {
    let largest = weights.iter().copied().fold(0.0f64, f64::max);
    let scaled: Vec<f64> = weights.iter().map(|w| w / largest).collect();
    let total: f64 = scaled.iter().sum();
    scaled.into_iter().map(|w| w / total).collect()
}

/// Why a voice could not be made.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VoiceError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Blend(#[from] BlendError),
    #[error("the voice blend `{voice}` mixes to a style that is not finite; check the voice files (run scripts/setup) and the weights")]
    NotFinite { voice: String },
}

/// A blend name that does not parse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BlendError {
    #[error("`{part}` in the blend `{blend}` has no weight: write voice:weight+voice:weight, e.g. af_heart:0.6+am_michael:0.4")]
    NoWeight { blend: String, part: String },
    #[error("`{part}` in the blend `{blend}` names no voice: write voice:weight+voice:weight, e.g. af_heart:0.6+am_michael:0.4")]
    NoVoice { blend: String, part: String },
    #[error("the weight of `{part}` in the blend `{blend}` must be a finite number above 0")]
    BadWeight { blend: String, part: String },
    #[error("the blend `{blend}` has one voice: a blend mixes two or more, e.g. af_heart:0.6+am_michael:0.4")]
    OneVoice { blend: String },
}

/// The parts of a blend name `voice:weight+voice:weight`; `None` for a plain voice name
/// (no `:` and no `+`). Weights must be finite and above zero; they are returned as
/// written, not normalised.
pub fn parse_blend(name: &str) -> Result<Option<Vec<(String, f64)>>, BlendError> {
    if !name.contains([':', '+']) {
        return Ok(None);
    }
    let blend = || name.to_string();
    let mut parts = Vec::new();
    for part in name.split('+') {
        let Some((voice, weight)) = part.split_once(':') else {
            return Err(BlendError::NoWeight {
                blend: blend(),
                part: part.to_string(),
            });
        };
        let voice = voice.trim();
        if voice.is_empty() {
            return Err(BlendError::NoVoice {
                blend: blend(),
                part: part.to_string(),
            });
        }
        let weight = weight
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|w| w.is_finite() && *w > 0.0)
            .ok_or_else(|| BlendError::BadWeight {
                blend: blend(),
                part: part.to_string(),
            })?;
        parts.push((voice.to_string(), weight));
    }
    if parts.len() < 2 {
        return Err(BlendError::OneVoice { blend: blend() });
    }
    Ok(Some(parts))
}

/// Files that make up the Kokoro bundle.
#[derive(Debug, Clone)]
pub struct KokoroFiles {
    pub model: PathBuf,
    pub vocab: PathBuf,
    pub voices_dir: PathBuf,
}

/// Runs one utterance. `tokens` are phoneme ids without padding.
pub fn synthesize(
    session: &mut Session,
    tokens: &[i64],
    style: &[f32],
    speed: f32,
) -> Result<Vec<f32>, ort::Error> {
    let mut padded = Vec::with_capacity(tokens.len() + 2);
    padded.push(0);
    padded.extend_from_slice(tokens);
    padded.push(0);
    let ids = Tensor::from_array(([1usize, padded.len()], padded))?;
    let style = Tensor::from_array(([1usize, STYLE_DIM], style.to_vec()))?;
    let speed = Tensor::from_array(([1usize], vec![speed]))?;
    let outputs = session.run(ort::inputs![ids, style, speed])?;
    let (_, audio) = outputs[0].try_extract_tensor::<f32>()?;
    Ok(audio.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blends_parse_and_reject_nonsense() {
        assert_eq!(parse_blend("af_heart"), Ok(None));
        assert_eq!(
            parse_blend("am_adam:0.6+am_liam:0.4"),
            Ok(Some(vec![
                ("am_adam".to_string(), 0.6),
                ("am_liam".to_string(), 0.4)
            ]))
        );
        assert_eq!(
            parse_blend("am_adam:3e38+am_liam:1e-45").unwrap().unwrap()[0].1,
            3e38
        );
        let err = |name: &str| parse_blend(name).unwrap_err().to_string();
        assert!(err("am_adam:0.6").contains("has one voice"));
        for bad in ["0", "-1", "x", "NaN", "inf", "1e400", ""] {
            let message = err(&format!("am_adam:{bad}+am_liam:2"));
            assert!(
                message.contains(&format!("`am_adam:{bad}`"))
                    && message.contains("finite number above 0"),
                "{bad}: {message}"
            );
        }
        assert!(err("am_adam:1+am_liam").contains("`am_liam` in the blend"));
        assert!(err("am_adam+am_liam").contains("has no weight"));
        assert!(err(":1+am_liam:1").contains("names no voice"));
    }

    #[test]
    fn weights_normalise_without_overflow_or_underflow() {
        for weights in [[3e38, 3e38], [1e-45, 1e-45], [1e308, 1e308], [0.6, 0.4]] {
            let n = normalised(&weights);
            assert!(
                (n.iter().sum::<f64>() - 1.0).abs() < 1e-12,
                "{weights:?}: {n:?}"
            );
            assert!((n[0] / n[1] - weights[0] / weights[1]).abs() < 1e-9);
        }
    }

    #[test]
    fn a_blend_of_two_equal_weights_is_the_mean_whatever_their_size() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, value: f32| {
            let bytes: Vec<u8> = std::iter::repeat_n(value.to_le_bytes(), VOICE_ROWS * STYLE_DIM)
                .flatten()
                .collect();
            std::fs::write(dir.path().join(format!("{name}.bin")), bytes).unwrap();
        };
        write("a", 0.2);
        write("b", 0.4);
        for weight in ["3e38", "1e-45", "1"] {
            let pack =
                VoicePack::load_named(&format!("a:{weight}+b:{weight}"), dir.path()).unwrap();
            assert!(pack.rows.iter().all(|v| (v - 0.3).abs() < 1e-6), "{weight}");
        }
        let pack = VoicePack::load_named("a:3+b:1", dir.path()).unwrap();
        assert!((pack.style_for(1)[0] - 0.25).abs() < 1e-6);
        write("huge", f32::MAX);
        // A convex mix of finite values stays finite, even at the edge of f32.
        let pack = VoicePack::load_named("huge:1+huge:1e-300", dir.path()).unwrap();
        assert_eq!(pack.style_for(1)[0], f32::MAX);
        write("nan", f32::NAN);
        assert!(VoicePack::load_named("nan", dir.path())
            .unwrap_err()
            .to_string()
            .contains("damaged"));
    }
}
