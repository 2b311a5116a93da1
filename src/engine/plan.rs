//! Turns a job into work: each language's text split into utterances under the model's
//! token limit, with phonemes and token ids, and the model and voice it will use. A
//! language that cannot be prepared fails on its own; a job that cannot run at all
//! (missing model files, unknown voice) is a `PlanError`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::kokoro::{self, KokoroFiles, Vocab, VoicePack};
use super::phonemize;
use super::piper::PiperVoice;
use crate::assets::{self, Assets};
use crate::job::{JobSpec, LanguageJob};
use crate::languages::{self, Language, ModelKind};

mod piper_plan;
mod piper_utterances;
mod planner;
mod utterances;
mod voice_batch;
pub use planner::{plan, Planner};
pub use utterances::Prepared;
use utterances::{gather, utterances, Limit};
pub use voice_batch::{packs_plan, probe_plan};

/// Kokoro's name in reports and cache keys.
pub const KOKORO_MODEL_NAME: &str = "kokoro-82m-v1.0-int8";

/// Which model file a session is opened from: sessions are keyed by it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum ModelId {
    Kokoro,
    Piper(String),
}

impl ModelId {
    pub fn kind(&self) -> ModelKind {
        match self {
            ModelId::Kokoro => ModelKind::Kokoro,
            ModelId::Piper(_) => ModelKind::Piper,
        }
    }
}

impl std::fmt::Display for ModelId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelId::Kokoro => f.write_str(KOKORO_MODEL_NAME),
            ModelId::Piper(name) => write!(f, "piper:{name}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Utterance {
    pub text: String,
    pub phonemes: String,
    pub token_ids: Vec<i64>,
    /// Phoneme characters the model has no id for (dropped).
    pub skipped: Vec<char>,
}

/// The voice data a unit of work needs besides its tokens.
#[derive(Debug, Clone)]
pub enum VoiceData {
    Kokoro(Arc<VoicePack>),
    Piper(Arc<PiperVoice>),
}

#[derive(Debug, Clone)]
pub struct LanguagePlan {
    pub code: String,
    pub text: String,
    pub model: ModelId,
    pub voice: String,
    pub voice_data: VoiceData,
    pub speed: f32,
    pub sample_rate: u32,
    pub utterances: Vec<Utterance>,
    pub warnings: Vec<String>,
}

/// A language that failed before synthesis (G2P found nothing to say, voice file missing).
#[derive(Debug, Clone)]
pub struct PlanFailure {
    pub code: String,
    pub text: String,
    pub model: ModelId,
    pub voice: String,
    pub error: String,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub languages: Vec<Result<LanguagePlan, PlanFailure>>,
    /// Seconds of silence between a language's utterances once joined.
    pub sentence_silence: f64,
    /// Model files to open, per model.
    pub models: BTreeMap<ModelId, PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("`{code}`: no fitted voice `{voice}` in {dir}: make it with `voxdeck fit CLIP --lang {code} --name NAME`, or pick a stock voice")]
    UnknownFittedVoice {
        code: String,
        voice: String,
        dir: PathBuf,
    },
    #[error("unknown {model} voice `{voice}` for `{code}`: use one of {choices}")]
    UnknownVoice {
        code: String,
        model: &'static str,
        voice: String,
        choices: String,
    },
    #[error(
        "unknown {model} voice `{voice}` in the blend `{blend}` for `{code}`: use one of {choices}"
    )]
    UnknownBlendVoice {
        code: String,
        model: &'static str,
        voice: String,
        blend: String,
        choices: String,
    },
    #[error("bad Kokoro voice for `{code}`: {reason}")]
    BadBlend {
        code: String,
        reason: kokoro::BlendError,
    },
    #[error("no Piper voice for `{code}` in {dir}: drop a <name>.onnx and <name>.onnx.json there (see README), or use model = \"kokoro\"")]
    NoPiperVoice { code: String, dir: PathBuf },
    #[error(transparent)]
    Model(#[from] super::ModelError),
    #[error("the `{code}` probe text cannot be spoken: {error}")]
    Probe { code: String, error: String },
}

fn kokoro_files(assets: &Assets) -> Result<KokoroFiles, super::ModelError> {
    let files = KokoroFiles {
        model: assets.path(assets::KOKORO_MODEL),
        vocab: assets.path(assets::KOKORO_VOCAB),
        voices_dir: assets.path(assets::KOKORO_VOICES),
    };
    for path in [&files.model, &files.vocab] {
        if !path.exists() {
            return Err(super::ModelError::missing(
                path,
                std::io::ErrorKind::NotFound.into(),
            ));
        }
    }
    Ok(files)
}

/// Voice names the manifest pins, plus any present on disk.
fn known_kokoro_voices(assets: &Assets) -> Vec<String> {
    let prefix = format!("{}/", assets::KOKORO_VOICES);
    let mut names: Vec<String> = assets::manifest()
        .into_iter()
        .filter_map(|e| {
            e.path
                .strip_prefix(&prefix)
                .and_then(|n| n.strip_suffix(".bin"))
                .map(str::to_string)
        })
        .chain(assets.kokoro_voice_names())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn plan_kokoro(
    language: &Language,
    job: &LanguageJob,
    vocab: &Vocab,
    files: &KokoroFiles,
    assets: &Assets,
    utterance_tokens: usize,
) -> Result<Result<LanguagePlan, PlanFailure>, PlanError> {
    let voice = job.kokoro_voice();
    let fitted = voice
        .strip_prefix(crate::fit::FITTED_PREFIX)
        .map(str::to_string);
    if let Some(name) = &fitted {
        let path = crate::fit::voice_path(name).ok_or_else(|| PlanError::UnknownFittedVoice {
            code: job.code.clone(),
            voice: voice.clone(),
            dir: PathBuf::from("(no folder: set XDG_DATA_HOME or HOME)"),
        })?;
        if !path.exists() {
            return Err(PlanError::UnknownFittedVoice {
                code: job.code.clone(),
                voice: voice.clone(),
                dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            });
        }
    }
    let known = known_kokoro_voices(assets);
    let blend = if fitted.is_some() {
        None
    } else {
        kokoro::parse_blend(&voice).map_err(|reason| PlanError::BadBlend {
            code: job.code.clone(),
            reason,
        })?
    };
    let components = blend.as_ref().map_or_else(
        || vec![voice.clone()],
        |p| p.iter().map(|(v, _)| v.clone()).collect(),
    );
    let unknown = components.into_iter().find(|v| !known.contains(v));
    if let Some(unknown) = unknown.filter(|_| fitted.is_none()) {
        let choices = language.kokoro_voices(&known).join(", ");
        return Err(match blend {
            Some(_) => PlanError::UnknownBlendVoice {
                code: job.code.clone(),
                model: "Kokoro",
                voice: unknown,
                blend: voice,
                choices,
            },
            None => PlanError::UnknownVoice {
                code: job.code.clone(),
                model: "Kokoro",
                voice: unknown,
                choices,
            },
        });
    }
    let fail = |error: String| PlanFailure {
        code: job.code.clone(),
        text: job.text.clone(),
        model: ModelId::Kokoro,
        voice: voice.clone(),
        error,
    };
    let loaded = match &fitted {
        Some(name) => VoicePack::load(
            &voice,
            &crate::fit::voice_path(name).expect("checked above"),
        )
        .map_err(|e| e.to_string()),
        None => VoicePack::load_named(&voice, &files.voices_dir).map_err(|e| e.to_string()),
    };
    let pack = match loaded {
        Ok(pack) => Arc::new(pack),
        Err(e) => return Ok(Err(fail(e.to_string()))),
    };
    let prepared = match kokoro_prepared(language, &job.text, vocab, utterance_tokens) {
        Ok(p) => p,
        Err(e) => return Ok(Err(fail(e))),
    };
    let mut warnings = Vec::new();
    if !language.kokoro_trained {
        warnings.push(format!(
            "Kokoro was not trained on {} ({}): expect an accent; a Piper voice for it can be dropped into the models folder",
            language.name, language.code
        ));
    }
    warnings.extend(prepared.warnings);
    Ok(Ok(LanguagePlan {
        code: job.code.clone(),
        text: job.text.clone(),
        model: ModelId::Kokoro,
        voice,
        voice_data: VoiceData::Kokoro(pack),
        speed: job.speed,
        sample_rate: kokoro::SAMPLE_RATE,
        utterances: prepared.utterances,
        warnings,
    }))
}

/// A text as Kokoro utterances: cleaned for the language, sentences fitted under 510
/// phonemes, phonemised as misaki does, tokenised with Kokoro's vocab.
pub fn kokoro_utterances(
    language: &Language,
    text: &str,
    vocab: &Vocab,
) -> Result<Vec<Utterance>, String> {
    kokoro_prepared(language, text, vocab, 0).map(|p| p.utterances)
}

/// `kokoro_utterances` with the warnings about what the text lost on the way, consecutive
/// sentences gathered into utterances of up to `utterance_tokens` phonemes (0: one
/// sentence each; at most Kokoro's limit).
pub fn kokoro_prepared(
    language: &Language,
    text: &str,
    vocab: &Vocab,
    utterance_tokens: usize,
) -> Result<Prepared, String> {
    let g2p = |t: &str| phonemize::for_kokoro(language, t);
    let tokenize = |p: &str| {
        let t = vocab.tokenize(p);
        (t.ids, t.skipped)
    };
    let count = |p: &str| p.chars().count();
    let prepared = utterances(
        language.code,
        text,
        Limit {
            model: "Kokoro".into(),
            tokens: kokoro::MAX_PHONEMES,
        },
        g2p,
        count,
        tokenize,
    )?;
    Ok(Prepared {
        utterances: gather(
            prepared.utterances,
            utterance_tokens.min(kokoro::MAX_PHONEMES),
            count,
            tokenize,
        ),
        warnings: prepared.warnings,
    })
}
