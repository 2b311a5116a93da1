//! Nearest-voice matching with stock voices: each voice that can speak the target
//! language says a short probe sentence, and the voices are ranked by how close the probe
//! sounds to the source clip. This picks the closest *existing* voice; it is not cloning
//! (no speaker-conditioned model can be had from the package registries), and the encoder
//! interface leaves room for such a model later.
//! Probe embeddings are cached on disk, keyed by model, voice, probe text and encoder, so
//! a second match costs only the source embedding.

use crate::assets::{self, Assets};
use crate::audio::wav::Clip;
use crate::engine::kokoro::{self, Vocab, VoicePack};
use crate::engine::plan::kokoro_utterances;
use crate::engine::runtime::{OrtOptions, Runtime};
use crate::job::Device;
use crate::languages::Language;

use super::cache::{EmbeddingCache, ProbeKey};
use super::scoring::SourceScorer;
use super::{Embedding, QaError};

/// The voice name that asks for matching: job syntax, so the job parser owns it.
pub use crate::job::MATCH;

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

/// The blends tried of the best voices `top` (best first; the first three are used), by
/// `BLEND_WEIGHTS`, written `a:0.7+b:0.3`; a weighting that leaves fewer than two voices
/// is skipped, and so is one that repeats another.
pub fn blend_names(top: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for weights in BLEND_WEIGHTS {
        let parts: Vec<String> = top
            .iter()
            .zip(weights)
            .filter(|(_, &w)| w > 0.0)
            .map(|(voice, w)| format!("{voice}:{w}"))
            .collect();
        let name = parts.join("+");
        if parts.len() >= 2 && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Speaks the language's probe text in each of a batch of voices. The session does it on
/// the worker pool, all voices of a batch at once; `SessionSpeaker` does it on one session.
pub trait ProbeSpeaker {
    /// One clip per voice, in order; a voice that cannot be spoken is an error of its own.
    fn speak(
        &mut self,
        language: &Language,
        voices: &[String],
    ) -> Result<Vec<Result<Clip, String>>, MatchError>;
}

/// Ranks the language's voices against the source, then tries blends of the best ones.
/// Probes missing from the cache are spoken in two batches (single voices, then blends).
pub fn rank_voices(
    speaker: &mut dyn ProbeSpeaker,
    assets: &Assets,
    scorer: &mut SourceScorer,
    cache: &EmbeddingCache,
    language: &Language,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<MatchResult, MatchError> {
    let stopped = || stop.load(std::sync::atomic::Ordering::SeqCst);
    let voices = candidate_voices(language, assets);
    if voices.is_empty() {
        return Err(MatchError::NoVoices(language.code.to_string()));
    }
    let mut prober = Prober {
        speaker,
        scorer,
        cache,
        language,
        cached: 0,
    };
    let similarities = prober.similarities(&voices)?;
    if stopped() {
        return Err(MatchError::Stopped);
    }
    let mut ranking: Vec<VoiceScore> = voices
        .into_iter()
        .zip(similarities)
        .map(|(voice, similarity)| VoiceScore { voice, similarity })
        .collect();
    ranking.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    let mut blend: Option<VoiceScore> = None;
    if ranking.len() >= 2 {
        let best = ranking[0].similarity;
        let top: Vec<&str> = ranking.iter().take(3).map(|v| v.voice.as_str()).collect();
        let blends = blend_names(&top);
        let scores = prober.similarities(&blends)?;
        if stopped() {
            return Err(MatchError::Stopped);
        }
        for (voice, similarity) in blends.into_iter().zip(scores) {
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

/// Probe embeddings, from the cache or spoken, embedded and cached.
struct Prober<'a> {
    speaker: &'a mut dyn ProbeSpeaker,
    scorer: &'a mut SourceScorer,
    cache: &'a EmbeddingCache,
    language: &'a Language,
    cached: usize,
}

impl Prober<'_> {
    fn key(&self, voice: &str) -> ProbeKey {
        ProbeKey {
            model: KOKORO_MODEL_NAME.to_string(),
            voice: voice.to_string(),
            probe_text: probe_text(self.language).to_string(),
            encoder_sha256: self.scorer.encoder.sha256().to_string(),
        }
    }

    /// Each voice's similarity to the source; the probes not cached are spoken in one batch.
    fn similarities(&mut self, voices: &[String]) -> Result<Vec<f32>, MatchError> {
        let mut embeddings: Vec<Option<Embedding>> = voices
            .iter()
            .map(|v| self.cache.get(&self.key(v)))
            .collect();
        self.cached += embeddings.iter().flatten().count();
        let missing: Vec<String> = voices
            .iter()
            .zip(&embeddings)
            .filter(|(_, e)| e.is_none())
            .map(|(v, _)| v.clone())
            .collect();
        if !missing.is_empty() {
            let clips = self.speaker.speak(self.language, &missing)?;
            let mut clips = missing.iter().zip(clips);
            for slot in embeddings.iter_mut().filter(|e| e.is_none()) {
                let (voice, clip) = clips.next().ok_or_else(|| MatchError::Probe {
                    voice: String::new(),
                    detail: "the speaker returned fewer clips than voices".into(),
                })?;
                let clip = clip.map_err(|detail| MatchError::Probe {
                    voice: voice.clone(),
                    detail,
                })?;
                let embedding = self.scorer.encoder.embed(&clip)?;
                self.cache.put(&self.key(voice), &embedding)?;
                *slot = Some(embedding);
            }
        }
        Ok(embeddings
            .into_iter()
            .flatten()
            .map(|e| self.scorer.source.cosine(&e))
            .collect())
    }
}

/// Speaks probes one voice after another on a session of its own: for callers without a
/// worker pool (tests, tools).
pub struct SessionSpeaker<'a> {
    runtime: &'a Runtime,
    assets: &'a Assets,
    device: Device,
    opened: Option<(ort::session::Session, Vec<crate::engine::plan::Utterance>)>,
}

impl<'a> SessionSpeaker<'a> {
    pub fn new(runtime: &'a Runtime, assets: &'a Assets, device: Device) -> Self {
        SessionSpeaker {
            runtime,
            assets,
            device,
            opened: None,
        }
    }

    fn open(&mut self, language: &Language) -> Result<(), MatchError> {
        if self.opened.is_some() {
            return Ok(());
        }
        let fail = |detail: String| MatchError::Probe {
            voice: String::new(),
            detail,
        };
        let vocab = Vocab::load(&self.assets.path(assets::KOKORO_VOCAB))
            .map_err(|e| fail(e.to_string()))?;
        let utterances = kokoro_utterances(language, probe_text(language), &vocab).map_err(fail)?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let options = OrtOptions {
            device: self.device,
            intra_threads: cores,
            shared_weights: None,
            arena: true,
        };
        let (session, _, _) = self
            .runtime
            .open(&self.assets.path(assets::KOKORO_MODEL), &options)
            .map_err(QaError::from)?;
        self.opened = Some((session, utterances));
        Ok(())
    }
}

impl ProbeSpeaker for SessionSpeaker<'_> {
    fn speak(
        &mut self,
        language: &Language,
        voices: &[String],
    ) -> Result<Vec<Result<Clip, String>>, MatchError> {
        self.open(language)?;
        let voices_dir = self.assets.path(assets::KOKORO_VOICES);
        let (session, utterances) = self.opened.as_mut().expect("opened above");
        Ok(voices
            .iter()
            .map(|voice| {
                let pack = VoicePack::load_named(voice, &voices_dir).map_err(|e| e.to_string())?;
                let mut parts = Vec::new();
                for utterance in utterances.iter() {
                    let style = pack.style_for(utterance.phonemes.chars().count());
                    let audio = kokoro::synthesize(session, &utterance.token_ids, style, 1.0)
                        .map_err(|e| e.to_string())?;
                    parts.push(audio);
                }
                // Joined as the pool joins a language's utterances, so both score the same audio.
                Ok(Clip {
                    sample_rate: kokoro::SAMPLE_RATE,
                    samples: crate::engine::join::join(
                        &parts,
                        kokoro::SAMPLE_RATE,
                        crate::engine::join::DEFAULT_SENTENCE_SILENCE,
                    ),
                })
            })
            .collect())
    }
}
