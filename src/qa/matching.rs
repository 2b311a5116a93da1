//! Nearest-voice matching with stock voices: each voice that can speak the target
//! language says a short probe sentence, and the voices are ranked by how close the probe
//! sounds to the source clip. This picks the closest *existing* voice; it is not cloning
//! (no speaker-conditioned model can be had from the package registries), and the encoder
//! interface leaves room for such a model later.
//! Probe embeddings are cached on disk, keyed by model, voice, probe text and encoder, so
//! a second match costs only the source embedding.

use std::sync::Arc;

use crate::assets::{self, Assets};
use crate::audio::wav::Clip;
use crate::engine::kokoro::{self, Vocab, VoicePack};
use crate::engine::languages::Language;
use crate::engine::plan::kokoro_utterances;
use crate::engine::runtime::{Runtime, SessionOptions};
use crate::job::Device;

use super::cache::{EmbeddingCache, ProbeKey};
use super::scoring::SourceScorer;
use super::QaError;

/// The voice name that asks for matching (job file `voice = "match"`).
pub const MATCH: &str = "match";

/// The model name used in cache keys and reports.
pub const KOKORO_MODEL_NAME: &str = "kokoro-82m-v1.0-int8";

#[derive(Debug, Clone, serde::Serialize)]
pub struct VoiceScore {
    pub voice: String,
    pub similarity: f32,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MatchResult {
    pub language: String,
    pub probe_text: String,
    /// Best first.
    pub ranking: Vec<VoiceScore>,
    /// Probes that came from the cache rather than being synthesised.
    pub cached: usize,
}

impl MatchResult {
    pub fn best(&self) -> Option<&VoiceScore> {
        self.ranking.first()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error("no Kokoro voices installed for {0}: run scripts/setup")]
    NoVoices(String),
    #[error("probe for voice {voice}: {detail}")]
    Probe { voice: String, detail: String },
    #[error(transparent)]
    Qa(#[from] QaError),
    #[error("voice matching was stopped")]
    Stopped,
}

/// A sentence of a few seconds in the language, long enough for a stable embedding.
pub fn probe_text(language: &Language) -> &'static str {
    match language.code {
        "fr" => "Bonjour, je vous lis ce petit texte pour écouter ma voix avec attention.",
        "es" => "Hola, les leo este pequeño texto para escuchar mi voz con atención.",
        "it" => "Ciao, vi leggo questo piccolo testo per ascoltare la mia voce con attenzione.",
        "pt-br" => "Olá, eu leio este pequeno texto para ouvir a minha voz com atenção.",
        "hi" => "नमस्ते, मैं अपनी आवाज़ सुनाने के लिए यह छोटा सा पाठ पढ़ रहा हूँ।",
        "de" => "Hallo, ich lese diesen kleinen Text vor, damit man meine Stimme hören kann.",
        _ => "Hello, I am reading this short passage so that you can listen to my voice.",
    }
}

/// Kokoro voices made for the language (by Kokoro's naming), or all of them for a
/// language Kokoro was not trained on.
pub fn candidate_voices(language: &Language, assets: &Assets) -> Vec<String> {
    let all = assets.kokoro_voice_names();
    let own: Vec<String> = all
        .iter()
        .filter(|v| v.starts_with(language.kokoro_voice_prefix))
        .cloned()
        .collect();
    if own.is_empty() || !language.kokoro_trained {
        all
    } else {
        own
    }
}

/// Ranks the language's voices against `source`.
pub fn rank_voices(
    runtime: &Runtime,
    assets: &Assets,
    scorer: &mut SourceScorer,
    cache: &EmbeddingCache,
    language: &Language,
    device: Device,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<MatchResult, MatchError> {
    let voices = candidate_voices(language, assets);
    if voices.is_empty() {
        return Err(MatchError::NoVoices(language.code.to_string()));
    }
    let text = probe_text(language);
    let mut synthesiser: Option<ProbeSynthesiser> = None;
    let mut ranking = Vec::new();
    let mut cached = 0;
    for voice in voices {
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(MatchError::Stopped);
        }
        let key = ProbeKey {
            model: KOKORO_MODEL_NAME.to_string(),
            voice: voice.clone(),
            probe_text: text.to_string(),
            encoder_sha256: scorer.encoder.sha256().to_string(),
        };
        let embedding = match cache.get(&key) {
            Some(embedding) => {
                cached += 1;
                embedding
            }
            None => {
                if synthesiser.is_none() {
                    synthesiser = Some(ProbeSynthesiser::open(runtime, assets, language, device)?);
                }
                let probe_error = |detail: String| MatchError::Probe {
                    voice: voice.clone(),
                    detail,
                };
                let clip = synthesiser
                    .as_mut()
                    .expect("opened above")
                    .speak(assets, &voice)
                    .map_err(probe_error)?;
                let embedding = scorer.encoder.embed(&clip)?;
                cache.put(&key, &embedding)?;
                embedding
            }
        };
        ranking.push(VoiceScore {
            voice,
            similarity: scorer.source.cosine(&embedding),
        });
    }
    ranking.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    Ok(MatchResult {
        language: language.code.to_string(),
        probe_text: text.to_string(),
        ranking,
        cached,
    })
}

/// One Kokoro session and the probe's tokens, reused for every voice.
struct ProbeSynthesiser {
    session: ort::session::Session,
    utterances: Vec<crate::engine::plan::Utterance>,
}

impl ProbeSynthesiser {
    fn open(
        runtime: &Runtime,
        assets: &Assets,
        language: &Language,
        device: Device,
    ) -> Result<Self, MatchError> {
        let fail = |detail: String| MatchError::Probe {
            voice: String::new(),
            detail,
        };
        let vocab =
            Vocab::load(&assets.path(assets::KOKORO_VOCAB)).map_err(|e| fail(e.to_string()))?;
        let utterances = kokoro_utterances(language, probe_text(language), &vocab).map_err(fail)?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let options = SessionOptions {
            device,
            intra_threads: cores,
            prepacked: None,
        };
        let (session, _, _) = runtime
            .open(&assets.path(assets::KOKORO_MODEL), &options)
            .map_err(QaError::from)?;
        Ok(ProbeSynthesiser {
            session,
            utterances,
        })
    }

    fn speak(&mut self, assets: &Assets, voice: &str) -> Result<Clip, String> {
        let pack = Arc::new(
            VoicePack::load(voice, &assets.kokoro_voice(voice)).map_err(|e| e.to_string())?,
        );
        let mut samples = Vec::new();
        for utterance in &self.utterances {
            let style = pack.style_for(utterance.phonemes.chars().count());
            let audio = kokoro::synthesize(&mut self.session, &utterance.token_ids, style, 1.0)
                .map_err(|e| e.to_string())?;
            samples.extend(audio);
        }
        Ok(Clip {
            sample_rate: kokoro::SAMPLE_RATE,
            samples,
        })
    }
}
