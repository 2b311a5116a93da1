//! Turns a job into work: each language's text split into utterances under the model's
//! token limit, with phonemes and token ids, and the model and voice it will use. A
//! language that cannot be prepared fails on its own; a job that cannot run at all
//! (missing model files, unknown voice) is a `PlanError`.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;

use super::kokoro::{self, KokoroFiles, Vocab, VoicePack};
use super::phonemize;
use super::piper::{self, PiperVoice};
use super::text;
use crate::assets::{self, Assets};
use crate::job::{JobSpec, LanguageJob};
use crate::languages::{self, Language, ModelKind};

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
    /// Model files to open, per model.
    pub models: BTreeMap<ModelId, PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
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
}

/// Prepares a job against the assets on disk.
pub fn plan(job: &JobSpec, assets: &Assets) -> Result<Plan, PlanError> {
    let mut models = BTreeMap::new();
    let mut kokoro_vocab = None;
    let mut languages_out = Vec::new();
    for lang_job in &job.languages {
        let language =
            languages::find(&lang_job.code).expect("job validation admits only known languages");
        let prepared = match lang_job.model {
            ModelKind::Kokoro => {
                let files = kokoro_files(assets)?;
                if kokoro_vocab.is_none() {
                    kokoro_vocab = Some(Vocab::load(&files.vocab)?);
                }
                models.insert(ModelId::Kokoro, files.model.clone());
                plan_kokoro(
                    language,
                    lang_job,
                    kokoro_vocab.as_ref().unwrap(),
                    &files,
                    assets,
                )?
            }
            ModelKind::Piper => {
                let voice = resolve_piper_voice(language, lang_job, assets)?;
                models.insert(ModelId::Piper(voice.name.clone()), voice.model.clone());
                plan_piper(lang_job, voice)
            }
        };
        languages_out.push(prepared);
    }
    Ok(Plan {
        languages: languages_out,
        models,
    })
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
) -> Result<Result<LanguagePlan, PlanFailure>, PlanError> {
    let voice = job
        .voice
        .clone()
        .unwrap_or_else(|| language.kokoro_default_voice.to_string());
    let known = known_kokoro_voices(assets);
    let blend = kokoro::parse_blend(&voice).map_err(|reason| PlanError::BadBlend {
        code: job.code.clone(),
        reason,
    })?;
    let components = blend.as_ref().map_or_else(
        || vec![voice.clone()],
        |p| p.iter().map(|(v, _)| v.clone()).collect(),
    );
    if let Some(unknown) = components.into_iter().find(|v| !known.contains(v)) {
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
    let pack = match VoicePack::load_named(&voice, &files.voices_dir) {
        Ok(pack) => Arc::new(pack),
        Err(e) => return Ok(Err(fail(e.to_string()))),
    };
    let prepared = match kokoro_prepared(language, &job.text, vocab) {
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
    kokoro_prepared(language, text, vocab).map(|p| p.utterances)
}

/// `kokoro_utterances` with the warnings about what the text lost on the way.
pub fn kokoro_prepared(language: &Language, text: &str, vocab: &Vocab) -> Result<Prepared, String> {
    let g2p = |t: &str| phonemize::for_kokoro(language, t);
    let tokenize = |p: &str| {
        let t = vocab.tokenize(p);
        (t.ids, t.skipped)
    };
    utterances(
        language.code,
        text,
        Limit {
            model: "Kokoro".into(),
            tokens: kokoro::MAX_PHONEMES,
        },
        g2p,
        |p| p.chars().count(),
        tokenize,
    )
}

fn resolve_piper_voice(
    language: &Language,
    job: &LanguageJob,
    assets: &Assets,
) -> Result<PiperVoice, PlanError> {
    let dir = assets.path(assets::PIPER_DIR);
    let present = assets.piper_voice_names();
    if let Some(name) = &job.voice {
        if !present.contains(name) {
            return Err(PlanError::UnknownVoice {
                code: job.code.clone(),
                model: "Piper",
                voice: name.clone(),
                choices: if present.is_empty() {
                    "(none installed: run scripts/setup)".into()
                } else {
                    present.join(", ")
                },
            });
        }
        return Ok(PiperVoice::load(&dir, name)?);
    }
    for name in &present {
        let voice = PiperVoice::load(&dir, name)?;
        if languages::for_espeak_language(&voice.config.espeak.voice)
            .is_some_and(|l| l.code == language.code)
        {
            return Ok(voice);
        }
    }
    Err(PlanError::NoPiperVoice {
        code: job.code.clone(),
        dir,
    })
}

fn plan_piper(job: &LanguageJob, voice: PiperVoice) -> Result<LanguagePlan, PlanFailure> {
    // Piper configs name espeak languages ("en-us"); espeak-ng 1.51 wants voice identifiers.
    let espeak_voice = languages::for_espeak_language(&voice.config.espeak.voice).map_or_else(
        || voice.config.espeak.voice.clone(),
        |l| l.espeak_voice.to_string(),
    );
    let voice = Arc::new(voice);
    let g2p = |t: &str| phonemize::for_piper(&espeak_voice, t);
    let ids = |p: &str| voice.phoneme_ids(p);
    let limit = Limit {
        model: format!("the Piper voice {}", voice.name),
        tokens: piper::MAX_IDS,
    };
    let result = utterances(&job.code, &job.text, limit, g2p, |p| ids(p).0.len(), ids);
    match result {
        Ok(Prepared {
            utterances,
            warnings,
        }) => Ok(LanguagePlan {
            code: job.code.clone(),
            text: job.text.clone(),
            model: ModelId::Piper(voice.name.clone()),
            voice: voice.name.clone(),
            sample_rate: voice.config.audio.sample_rate,
            voice_data: VoiceData::Piper(voice),
            speed: job.speed,
            utterances,
            warnings,
        }),
        Err(error) => Err(PlanFailure {
            code: job.code.clone(),
            text: job.text.clone(),
            model: ModelId::Piper(voice.name.clone()),
            voice: voice.name.clone(),
            error,
        }),
    }
}

/// A text's utterances, and what it lost on the way to them.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub utterances: Vec<Utterance>,
    /// Characters removed from the text, phonemes the model has no id for.
    pub warnings: Vec<String>,
}

/// The most token ids one utterance may have, and whose limit it is.
struct Limit {
    model: String,
    tokens: usize,
}

/// The text cleaned for language `code` (see `text::clean`), split into sentences, each
/// fitted under the limit (clauses, words, then runs of characters, measured with `count`
/// on its phonemes), phonemised and tokenised. A piece that still does not fit (a single
/// character espeak reads at length) has its phonemes cut instead, so no utterance ever
/// exceeds the model's limit. Fails when the text yields nothing the model can say.
fn utterances(
    code: &str,
    text_in: &str,
    limit: Limit,
    g2p: impl Fn(&str) -> Result<String, phonemize::G2pError>,
    count: impl Fn(&str) -> usize,
    tokenize: impl Fn(&str) -> (Vec<i64>, Vec<char>),
) -> Result<Prepared, String> {
    let cleaned = text::clean(code, text_in);
    let mut out = Vec::new();
    for sentence in text::split_sentences(&cleaned.text) {
        let mut measure = |t: &str| g2p(t).map(|p| count(&p));
        let pieces =
            text::fit_to_limit(&sentence, limit.tokens, &mut measure).map_err(|e| e.to_string())?;
        for piece in pieces {
            let phonemes = g2p(&piece).map_err(|e| e.to_string())?;
            let chunks = if count(&phonemes) <= limit.tokens {
                vec![phonemes]
            } else {
                let mut measure = |p: &str| Ok::<_, Infallible>(count(p));
                match text::fit_to_limit(&phonemes, limit.tokens, &mut measure) {
                    Ok(chunks) => chunks,
                    Err(never) => match never {},
                }
            };
            for phonemes in chunks {
                let (token_ids, skipped) = tokenize(&phonemes);
                if token_ids.len() > limit.tokens {
                    return Err(format!(
                        "the text {piece:?} gives {} phoneme ids, more than the {} {} takes at once, and cannot be cut further; shorten or rephrase it",
                        token_ids.len(),
                        limit.tokens,
                        limit.model
                    ));
                }
                if phonemes.chars().any(char::is_alphabetic) {
                    out.push(Utterance {
                        text: piece.clone(),
                        phonemes,
                        token_ids,
                        skipped,
                    });
                }
            }
        }
    }
    if out.is_empty() {
        if cleaned.warnings.is_empty() {
            return Err(format!(
                "nothing to say: the text {:?} has no words espeak-ng can pronounce; give it words in the language",
                text_in
            ));
        }
        return Err(format!(
            "nothing to say: the `{code}` text has nothing in the {} script ({}); give it words in the language",
            text::script(code).name(),
            cleaned.warnings.join("; ")
        ));
    }
    let mut warnings = cleaned.warnings;
    let skipped = out.iter().flat_map(|u| u.skipped.iter().copied());
    if let Some((n, list)) = text::tally_chars(skipped) {
        warnings.push(format!(
            "{} has no id for {n} character{} in the phonemes espeak-ng gave; dropped, not spoken: {list}",
            limit.model,
            if n == 1 { "" } else { "s" }
        ));
    }
    Ok(Prepared {
        utterances: out,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// G2P that spells the text out, except that `X` reads as 600 phonemes and `?` as a
    /// phoneme the model lacks.
    fn fake_g2p(text: &str) -> Result<String, phonemize::G2pError> {
        Ok(text
            .chars()
            .map(|c| match c {
                'X' => "x".repeat(600),
                '?' => "ʔ".to_string(),
                c => c.to_string(),
            })
            .collect())
    }

    fn fake_tokens(phonemes: &str) -> (Vec<i64>, Vec<char>) {
        let (known, unknown): (Vec<char>, Vec<char>) = phonemes.chars().partition(|&c| c != 'ʔ');
        (known.iter().map(|&c| c as i64).collect(), unknown)
    }

    fn prepare(code: &str, text: &str) -> Result<Prepared, String> {
        let limit = Limit {
            model: "the test model".into(),
            tokens: 510,
        };
        utterances(
            code,
            text,
            limit,
            fake_g2p,
            |p| p.chars().count(),
            fake_tokens,
        )
    }

    #[test]
    fn every_utterance_fits_even_when_one_character_reads_long() {
        let word = "b".repeat(5000);
        for text in [word.as_str(), "aX bX", "XXXX", "a, b, c; d — e f g h"] {
            let prepared = prepare("en-us", text).unwrap();
            for u in &prepared.utterances {
                assert!(u.token_ids.len() <= 510, "{text:?}: {}", u.token_ids.len());
            }
            let spoken: usize = prepared.utterances.iter().map(|u| u.token_ids.len()).sum();
            let expected = fake_g2p(&text.replace(' ', "")).unwrap().chars().count();
            let spoken_no_space: usize = prepared
                .utterances
                .iter()
                .map(|u| u.phonemes.chars().filter(|&c| c != ' ').count())
                .sum();
            assert_eq!(spoken_no_space, expected, "{text:?}: nothing lost");
            assert!(spoken >= expected);
        }
        // Each X is cut on its own, in two.
        assert_eq!(prepare("en-us", "XXXX").unwrap().utterances.len(), 8);
    }

    #[test]
    fn removals_and_skipped_phonemes_are_warned_about() {
        let prepared = prepare("fr", "Bonjour 我们 le \u{1b}[31mmonde? Oui?").unwrap();
        assert_eq!(prepared.utterances[0].text, "Bonjour le monde?");
        let warnings = prepared.warnings.join("\n");
        assert!(
            warnings.contains("2 characters outside the Latin script"),
            "{warnings}"
        );
        assert!(warnings.contains("ESC[31m"), "{warnings}");
        assert!(
            warnings.contains("the test model has no id for 2 characters")
                && warnings.contains("ʔ ×2"),
            "{warnings}"
        );
        assert!(prepare("en-us", "Plain text.").unwrap().warnings.is_empty());
    }

    #[test]
    fn a_text_with_nothing_in_the_script_says_so() {
        let error = prepare("fr", "我们今天去公园").unwrap_err();
        assert!(
            error.contains("nothing in the Latin script") && error.contains("我"),
            "{error}"
        );
        let error = prepare("hi", "hello").unwrap_err();
        assert!(
            error.contains("nothing in the Devanagari script"),
            "{error}"
        );
        let error = prepare("fr", "...").unwrap_err();
        assert!(
            error.contains("no words espeak-ng can pronounce"),
            "{error}"
        );
    }
}
