//! The job file (TOML): what to synthesise, and how. Parsing and validation live here so
//! every command (run, bench, console) rejects a bad job the same way.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::family::{FamilyOf, DEFAULT_FAMILY};
use crate::languages::{self, ModelKind};

pub use error::JobError;
use error::{bad, malformed};
pub use settings::{
    check_intra_threads, check_sentence_silence, check_utterance_tokens, max_intra_threads, Device,
    Mode, WorkerDefaults, DEFAULT_UTTERANCE_TOKENS, MAX_WORKERS, MIN_WORKERS,
};

/// The voice name that asks for voice matching (`voice = "match"`).
pub const MATCH: &str = "match";

mod error;
mod family;
mod fit;
mod settings;

/// The largest job file read: far above any real job, small enough to refuse at once.
pub const MAX_JOB_FILE_BYTES: u64 = 4 << 20;
/// Characters of text per language: about an hour of speech.
pub const MAX_TEXT_CHARS: usize = 50_000;
/// Characters of text in all languages of a job together.
pub const MAX_JOB_TEXT_CHARS: usize = 200_000;

/// The file as written. Every section is optional but `[[language]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JobFile {
    name: Option<String>,
    source: Option<SourceSection>,
    #[serde(default)]
    run: RunSection,
    #[serde(default)]
    language: Vec<LanguageSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceSection {
    clip: PathBuf,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunSection {
    workers: Option<usize>,
    mode: Option<String>,
    device: Option<String>,
    output: Option<PathBuf>,
    intra_threads: Option<usize>,
    sentence_silence: Option<f64>,
    utterance_tokens: Option<usize>,
    /// Defaults for the languages with `voice = "fit"`.
    fit_budget: Option<usize>,
    fit_seed: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageSection {
    code: String,
    text: String,
    voice: Option<String>,
    model: Option<ModelKind>,
    speed: Option<f32>,
    /// With `voice = "fit"`: the search's evaluations and seed.
    fit_budget: Option<usize>,
    fit_seed: Option<u64>,
}

/// A validated job: paths resolved, languages known, texts non-empty.
#[derive(Debug, Clone, Serialize)]
pub struct JobSpec {
    pub name: String,
    pub source_clip: Option<PathBuf>,
    pub workers: Option<usize>,
    pub mode: Mode,
    #[serde(serialize_with = "serialize_display")]
    pub device: Device,
    pub output_dir: Option<PathBuf>,
    pub intra_threads: Option<usize>,
    /// Seconds of silence between sentences, after each sentence's own edge silence is
    /// trimmed (`engine::join`).
    pub sentence_silence: f64,
    /// Kokoro: consecutive sentences are synthesised together up to this many phonemes
    /// (0: each sentence alone; at most 510, Kokoro's limit).
    pub utterance_tokens: usize,
    pub languages: Vec<LanguageJob>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageJob {
    pub code: String,
    pub text: String,
    pub voice: Option<String>,
    pub model: ModelKind,
    pub speed: f32,
}

impl LanguageJob {
    /// The Kokoro voice this language speaks with: the job's, else the language's default.
    pub fn kokoro_voice(&self) -> String {
        self.voice.clone().unwrap_or_else(|| {
            languages::find(&self.code)
                .map_or_else(String::new, |l| l.kokoro_default_voice.to_string())
        })
    }
}

impl JobSpec {
    pub fn load(path: &Path) -> Result<JobSpec, JobError> {
        let io_error = |source: std::io::Error| match source.kind() {
            std::io::ErrorKind::NotFound => JobError::NotFound {
                path: path.to_path_buf(),
            },
            _ => JobError::Unreadable {
                path: path.to_path_buf(),
                source,
            },
        };
        let bytes = std::fs::metadata(path).map_err(io_error)?.len();
        if bytes > MAX_JOB_FILE_BYTES {
            return Err(JobError::FileTooLarge {
                path: path.to_path_buf(),
                bytes,
                limit: MAX_JOB_FILE_BYTES,
            });
        }
        let raw = std::fs::read(path).map_err(io_error)?;
        let text = String::from_utf8(raw).map_err(|e| JobError::NotUtf8 {
            path: path.to_path_buf(),
            offset: e.utf8_error().valid_up_to(),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let default_name = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        Self::parse(
            &text,
            path,
            base,
            default_name.unwrap_or_else(|| "job".into()),
        )
    }

    /// Parses job text; relative paths inside are taken relative to `base`.
    pub fn parse(
        text: &str,
        path: &Path,
        base: &Path,
        default_name: String,
    ) -> Result<JobSpec, JobError> {
        Self::parse_with_families(
            text,
            path,
            base,
            default_name,
            crate::engine::family::family,
        )
    }

    /// `parse`, each language's family found by `family_of`: what a voice may ask of it
    /// (a match, a fit) is that family's answer.
    pub fn parse_with_families(
        text: &str,
        path: &Path,
        base: &Path,
        default_name: String,
        family_of: FamilyOf,
    ) -> Result<JobSpec, JobError> {
        let file: JobFile = toml::from_str(text).map_err(|e| malformed(path, text, e))?;
        if file.language.is_empty() {
            return Err(JobError::NoLanguages {
                path: path.to_path_buf(),
            });
        }
        let run = file.run;
        if let Some(Err(fix)) = run.fit_budget.map(crate::fit::check_budget) {
            return Err(bad("run.fit_budget", &run.fit_budget, fix.to_string()));
        }
        let mut languages = Vec::new();
        for entry in file.language {
            let fit = fit::fit_request(&entry, &run)?;
            let family = family_of(entry.model.unwrap_or(DEFAULT_FAMILY.kind()));
            let wish = match (&fit, entry.voice.as_deref()) {
                (Some(_), _) => Some(family::Wish::Fit),
                (None, Some(MATCH)) => Some(family::Wish::Match),
                (None, _) => None,
            };
            if let Some(wish) = wish {
                family::check_wish(&entry.code, wish, family, family_of)?;
            }
            let mut language = validate_language(entry, &languages)?;
            if let Some(request) = fit {
                language.voice = Some(request.voice());
            }
            languages.push(language);
        }
        let chars: usize = languages.iter().map(|l| l.text.chars().count()).sum();
        if chars > MAX_JOB_TEXT_CHARS {
            return Err(JobError::JobTextTooLong {
                chars,
                limit: MAX_JOB_TEXT_CHARS,
            });
        }
        let mode = run
            .mode
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|fix| bad("run.mode", &run.mode, fix))?;
        let device = run
            .device
            .as_deref()
            .map(str::parse)
            .transpose()
            .map_err(|fix| bad("run.device", &run.device, fix))?;
        if let Some(w) = run
            .workers
            .filter(|w| !(MIN_WORKERS..=MAX_WORKERS).contains(w))
        {
            return Err(bad(
                "run.workers",
                &Some(w),
                format!("use a worker count from {MIN_WORKERS} to {MAX_WORKERS}"),
            ));
        }
        if run
            .output
            .as_ref()
            .is_some_and(|o| o.as_os_str().is_empty())
        {
            return Err(bad(
                "run.output",
                &run.output,
                "name a folder for the results (e.g. output = \"out/demo\"), or leave the key out for out/<job name>".into(),
            ));
        }
        if let Some(Err(fix)) = run.intra_threads.map(settings::check_intra_threads) {
            return Err(bad("run.intra_threads", &run.intra_threads, fix));
        }
        if let Some(Err(fix)) = run.utterance_tokens.map(check_utterance_tokens) {
            return Err(bad("run.utterance_tokens", &run.utterance_tokens, fix));
        }
        if let Some(Err(fix)) = run.sentence_silence.map(check_sentence_silence) {
            return Err(bad("run.sentence_silence", &run.sentence_silence, fix));
        }
        Ok(JobSpec {
            name: file.name.unwrap_or(default_name),
            source_clip: file.source.map(|s| base.join(s.clip)),
            workers: run.workers,
            mode: mode.unwrap_or_default(),
            device: device.unwrap_or_default(),
            output_dir: run.output.map(|o| base.join(o)),
            intra_threads: run.intra_threads,
            sentence_silence: run
                .sentence_silence
                .unwrap_or(crate::engine::join::DEFAULT_SENTENCE_SILENCE),
            utterance_tokens: run.utterance_tokens.unwrap_or(DEFAULT_UTTERANCE_TOKENS),
            languages,
        })
    }

    /// Where results go when the command line does not say: the job's `run.output`, else
    /// `out/<job name>` (the name made safe as one folder name).
    pub fn output_dir_or_default(&self) -> PathBuf {
        self.output_dir.clone().unwrap_or_else(|| {
            let safe: String = self
                .name
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let safe = safe.trim_start_matches('.');
            PathBuf::from("out").join(if safe.is_empty() { "job" } else { safe })
        })
    }

    /// Workers when neither the job nor the command line says: the count saved in the
    /// settings file (`bench --auto --save`), else one per language capped by
    /// `TTS_MAX_WORKERS` (the knob the existing pipeline uses) or 4, and by `MAX_WORKERS`.
    pub fn default_workers(&self, defaults: WorkerDefaults) -> usize {
        workers_by_rule(
            defaults.saved,
            defaults.tts_max_workers,
            self.languages.len(),
        )
    }
}

/// The default worker count: a saved count as it is (it was measured on this box), else
/// one per language up to `tts_max_workers` or 4.
pub fn workers_by_rule(
    saved: Option<usize>,
    tts_max_workers: Option<usize>,
    languages: usize,
) -> usize {
    match saved {
        Some(n) => n,
        None => languages.min(tts_max_workers.unwrap_or(4)),
    }
    .clamp(MIN_WORKERS, MAX_WORKERS)
}

fn validate_language(
    entry: LanguageSection,
    earlier: &[LanguageJob],
) -> Result<LanguageJob, JobError> {
    let language = languages::find(&entry.code).ok_or_else(|| JobError::UnknownLanguage {
        code: entry.code.clone(),
        known: languages::known_codes(),
    })?;
    let code = language.code.to_string();
    if earlier.iter().any(|l| l.code == code) {
        return Err(JobError::DuplicateLanguage { code });
    }
    if entry.text.trim().is_empty() {
        return Err(JobError::EmptyText { code });
    }
    if let Some(at) = entry.text.chars().position(|c| c == '\0') {
        return Err(JobError::NulInText { code, at: at + 1 });
    }
    let chars = entry.text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(JobError::TextTooLong {
            code,
            chars,
            limit: MAX_TEXT_CHARS,
        });
    }
    let speed = entry.speed.unwrap_or(1.0);
    if !(0.5..=2.0).contains(&speed) {
        return Err(JobError::BadSpeed { code, speed });
    }
    let model = entry.model.unwrap_or(DEFAULT_FAMILY.kind());
    Ok(LanguageJob {
        code,
        text: entry.text,
        voice: entry.voice,
        model,
        speed,
    })
}

fn serialize_display<S: serde::Serializer, T: std::fmt::Display>(
    value: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

#[cfg(test)]
mod tests;
