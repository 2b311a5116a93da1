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
use crate::engine::plan::kokoro_utterances;
use crate::engine::runtime::{Runtime, SessionOptions};
use crate::job::Device;
use crate::languages::Language;

use super::cache::{EmbeddingCache, ProbeKey};
use super::scoring::SourceScorer;
use super::QaError;

/// The voice name that asks for matching (job file `voice = "match"`).
pub const MATCH: &str = "match";

pub use crate::engine::plan::KOKORO_MODEL_NAME;

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
    /// A blend of the best voices, kept only when it scores above the best single voice.
    pub blend: Option<VoiceScore>,
    /// Probes (single voices and blends) that came from the cache rather than being synthesised.
    pub cached: usize,
}

impl MatchResult {
    /// The best single stock voice.
    pub fn best(&self) -> Option<&VoiceScore> {
        self.ranking.first()
    }

    /// What to use: the blend when it beat the best single voice, else that voice.
    pub fn chosen(&self) -> Option<&VoiceScore> {
        self.blend.as_ref().or(self.best())
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
    language.kokoro_voices(&assets.kokoro_voice_names())
}

/// Weights tried for blends of the best two or three voices (zero-weight parts left out).
pub const BLEND_WEIGHTS: &[[f32; 3]] = &[
    [0.7, 0.3, 0.0],
    [0.5, 0.5, 0.0],
    [0.7, 0.0, 0.3],
    [0.5, 0.0, 0.5],
    [0.6, 0.2, 0.2],
    [0.4, 0.3, 0.3],
];

/// Ranks the language's voices against `source`, then tries blends of the best ones.
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
    let mut prober = Prober {
        runtime,
        assets,
        scorer,
        cache,
        language,
        device,
        synthesiser: None,
        cached: 0,
    };
    let mut ranking = Vec::new();
    for voice in voices {
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(MatchError::Stopped);
        }
        let similarity = prober.similarity(&voice)?;
        ranking.push(VoiceScore { voice, similarity });
    }
    ranking.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    let mut blend: Option<VoiceScore> = None;
    if ranking.len() >= 2 {
        let best = ranking[0].similarity;
        let top: Vec<&str> = ranking.iter().take(3).map(|v| v.voice.as_str()).collect();
        for weights in BLEND_WEIGHTS {
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(MatchError::Stopped);
            }
            let parts: Vec<String> = top
                .iter()
                .zip(weights)
                .filter(|(_, &w)| w > 0.0)
                .map(|(voice, w)| format!("{voice}:{w}"))
                .collect();
            if parts.len() < 2 {
                continue;
            }
            let voice = parts.join("+");
            let similarity = prober.similarity(&voice)?;
            if similarity > best && blend.as_ref().is_none_or(|b| similarity > b.similarity) {
                blend = Some(VoiceScore { voice, similarity });
            }
        }
    }
    Ok(MatchResult {
        language: language.code.to_string(),
        probe_text: probe_text(language).to_string(),
        ranking,
        blend,
        cached: prober.cached,
    })
}

/// Probe embeddings, from the cache or synthesised and cached.
struct Prober<'a> {
    runtime: &'a Runtime,
    assets: &'a Assets,
    scorer: &'a mut SourceScorer,
    cache: &'a EmbeddingCache,
    language: &'a Language,
    device: Device,
    synthesiser: Option<ProbeSynthesiser>,
    cached: usize,
}

impl Prober<'_> {
    fn similarity(&mut self, voice: &str) -> Result<f32, MatchError> {
        let key = ProbeKey {
            model: KOKORO_MODEL_NAME.to_string(),
            voice: voice.to_string(),
            probe_text: probe_text(self.language).to_string(),
            encoder_sha256: self.scorer.encoder.sha256().to_string(),
        };
        let embedding = match self.cache.get(&key) {
            Some(embedding) => {
                self.cached += 1;
                embedding
            }
            None => {
                if self.synthesiser.is_none() {
                    self.synthesiser = Some(ProbeSynthesiser::open(
                        self.runtime,
                        self.assets,
                        self.language,
                        self.device,
                    )?);
                }
                let synthesiser = self.synthesiser.as_mut().expect("opened above");
                let clip =
                    synthesiser
                        .speak(self.assets, voice)
                        .map_err(|detail| MatchError::Probe {
                            voice: voice.to_string(),
                            detail,
                        })?;
                let embedding = self.scorer.encoder.embed(&clip)?;
                self.cache.put(&key, &embedding)?;
                embedding
            }
        };
        Ok(self.scorer.source.cosine(&embedding))
    }
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
            VoicePack::load_named(voice, &assets.path(assets::KOKORO_VOICES))
                .map_err(|e| e.to_string())?,
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
