//! Piper (VITS) voices: `<name>.onnx` plus `<name>.onnx.json`, which carries the phoneme
//! id map, the espeak voice, the sample rate and the inference scales.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ort::session::Session;
use ort::value::Tensor;
use serde::Deserialize;

use super::ModelError;

#[derive(Debug, Clone, Deserialize)]
pub struct PiperConfig {
    pub audio: AudioConfig,
    pub espeak: EspeakConfig,
    #[serde(default)]
    pub inference: InferenceConfig,
    pub phoneme_id_map: HashMap<String, Vec<i64>>,
    #[serde(default = "one")]
    pub num_speakers: u32,
    /// Runs of phonemes that count as one (["a", "ɪ"] -> "aɪ"), for voices trained so.
    #[serde(default)]
    pub vowel_clusters: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AudioConfig {
    pub sample_rate: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EspeakConfig {
    pub voice: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InferenceConfig {
    pub noise_scale: f32,
    pub length_scale: f32,
    pub noise_w: f32,
}

impl Default for InferenceConfig {
    fn default() -> Self {
        InferenceConfig {
            noise_scale: 0.667,
            length_scale: 1.0,
            noise_w: 0.8,
        }
    }
}

fn one() -> u32 {
    1
}

/// A Piper voice on disk.
#[derive(Debug, Clone)]
pub struct PiperVoice {
    pub name: String,
    pub model: PathBuf,
    pub config: PiperConfig,
}

/// The most phoneme ids one Piper utterance may have. VITS has no fixed context, but
/// memory and time grow with the length, so utterances are cut under this.
pub const MAX_IDS: usize = 1000;

const PAD: &str = "_";
const BOS: &str = "^";
const EOS: &str = "$";

impl PiperVoice {
    pub fn load(dir: &Path, name: &str) -> Result<PiperVoice, ModelError> {
        let model = dir.join(format!("{name}.onnx"));
        let json = dir.join(format!("{name}.onnx.json"));
        if !model.exists() {
            return Err(ModelError::missing(
                &model,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        }
        let text = std::fs::read_to_string(&json).map_err(|e| ModelError::missing(&json, e))?;
        let config: PiperConfig = serde_json::from_str(&text).map_err(|e| ModelError::Corrupt {
            path: json.clone(),
            detail: e.to_string(),
        })?;
        Ok(PiperVoice {
            name: name.to_string(),
            model,
            config,
        })
    }

    /// Piper's id layout (piper-tts `phonemes_to_ids`): BOS, then every phoneme followed
    /// by the pad id, then EOS. Each code point of `phonemes` is a phoneme, except runs the
    /// config names as vowel clusters. Phonemes the map lacks are dropped and returned so
    /// the report can show them.
    pub fn phoneme_ids(&self, phonemes: &str) -> (Vec<i64>, Vec<char>) {
        let map = &self.config.phoneme_id_map;
        let id = |key: &str| map.get(key).cloned().unwrap_or_default();
        let pad = id(PAD);
        let mut ids = id(BOS);
        ids.extend_from_slice(&pad);
        let mut skipped = Vec::new();
        for phoneme in merge_vowel_clusters(phonemes, &self.config.vowel_clusters) {
            match map.get(&phoneme) {
                Some(found) => {
                    ids.extend_from_slice(found);
                    ids.extend_from_slice(&pad);
                }
                None => skipped.extend(phoneme.chars()),
            }
        }
        ids.extend(id(EOS));
        (ids, skipped)
    }
}

/// piper-tts `_merge_known_vowel_clusters`: at each code point, the longest cluster that
/// starts there becomes one phoneme.
fn merge_vowel_clusters(phonemes: &str, clusters: &[Vec<String>]) -> Vec<String> {
    let chars: Vec<String> = phonemes.chars().map(String::from).collect();
    let longest = clusters.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let found = (2..=longest.min(chars.len() - i))
            .rev()
            .find(|&n| clusters.iter().any(|c| c[..] == chars[i..i + n]));
        let n = found.unwrap_or(1);
        out.push(chars[i..i + n].concat());
        i += n;
    }
    out
}

/// Runs one utterance through a Piper session; `speed` divides the length scale.
pub fn synthesize(
    session: &mut Session,
    config: &PiperConfig,
    ids: &[i64],
    speed: f32,
) -> Result<Vec<f32>, ort::Error> {
    let inf = &config.inference;
    let input = Tensor::from_array(([1usize, ids.len()], ids.to_vec()))?;
    let lengths = Tensor::from_array(([1usize], vec![ids.len() as i64]))?;
    let scales = Tensor::from_array((
        [3usize],
        vec![inf.noise_scale, inf.length_scale / speed, inf.noise_w],
    ))?;
    let outputs = if config.num_speakers > 1 {
        let sid = Tensor::from_array(([1usize], vec![0i64]))?;
        session.run(ort::inputs![input, lengths, scales, sid])?
    } else {
        session.run(ort::inputs![input, lengths, scales])?
    };
    let (_, audio) = outputs[0].try_extract_tensor::<f32>()?;
    Ok(audio.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vowel_clusters_merge_longest_first() {
        let clusters = vec![
            vec!["a".to_string(), "ɪ".to_string()],
            vec!["a".to_string(), "ɪ".to_string(), "ə".to_string()],
        ];
        assert_eq!(
            merge_vowel_clusters("maɪəaɪx", &clusters),
            ["m", "aɪə", "aɪ", "x"]
        );
        assert_eq!(merge_vowel_clusters("aɪ", &[]), ["a", "ɪ"]);
    }
}
