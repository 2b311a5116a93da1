//! Kokoro-82M: phoneme string -> token ids (vocab.json) -> audio at 24 kHz, styled by a
//! voice pack row chosen by the utterance's token count.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ort::session::Session;
use ort::value::Tensor;

use super::ModelError;

pub const SAMPLE_RATE: u32 = 24_000;
/// Kokoro's context is 512 positions, two of them the pads around every utterance; its
/// pipeline applies the limit to the phoneme string's length in code points.
pub const MAX_PHONEMES: usize = 510;
const STYLE_DIM: usize = 256;
const VOICE_ROWS: usize = 510;

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
        let rows = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Ok(VoicePack {
            name: name.to_string(),
            rows,
        })
    }

    /// A stock voice by name, or a blend of stock voices written `a:0.6+b:0.4` (the style
    /// vectors mixed row by row with the weights, normalised to sum to one).
    pub fn load_named(name: &str, voices_dir: &Path) -> Result<VoicePack, ModelError> {
        let Some(parts) = parse_blend(name) else {
            return VoicePack::load(name, &voices_dir.join(format!("{name}.bin")));
        };
        let total: f32 = parts.iter().map(|(_, w)| w).sum();
        let mut rows = vec![0.0f32; VOICE_ROWS * STYLE_DIM];
        for (voice, weight) in &parts {
            let pack = VoicePack::load(voice, &voices_dir.join(format!("{voice}.bin")))?;
            for (mixed, value) in rows.iter_mut().zip(&pack.rows) {
                *mixed += value * weight / total;
            }
        }
        Ok(VoicePack {
            name: name.to_string(),
            rows,
        })
    }

    /// Kokoro's pipeline indexes the pack by the phoneme string's length (in code points,
    /// characters the vocab drops included) minus one.
    pub fn style_for(&self, phoneme_count: usize) -> &[f32] {
        let row = phoneme_count.saturating_sub(1).min(VOICE_ROWS - 1);
        &self.rows[row * STYLE_DIM..(row + 1) * STYLE_DIM]
    }
}

/// The parts of a blend name `voice:weight+voice:weight`; `None` for a plain voice name or a
/// malformed blend (which then fails as an unknown voice).
pub fn parse_blend(name: &str) -> Option<Vec<(String, f32)>> {
    if !name.contains(':') {
        return None;
    }
    let parts: Option<Vec<(String, f32)>> = name
        .split('+')
        .map(|part| {
            let (voice, weight) = part.split_once(':')?;
            let weight: f32 = weight
                .trim()
                .parse()
                .ok()
                .filter(|w: &f32| w.is_finite() && *w > 0.0)?;
            Some((voice.trim().to_string(), weight))
        })
        .collect();
    parts.filter(|p| p.len() >= 2)
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
        assert_eq!(parse_blend("af_heart"), None);
        assert_eq!(
            parse_blend("am_adam:0.6+am_liam:0.4"),
            Some(vec![
                ("am_adam".to_string(), 0.6),
                ("am_liam".to_string(), 0.4)
            ])
        );
        assert_eq!(
            parse_blend("am_adam:0.6"),
            None,
            "a blend has two voices or more"
        );
        assert_eq!(parse_blend("am_adam:-1+am_liam:2"), None);
        assert_eq!(parse_blend("am_adam:x+am_liam:1"), None);
    }
}
