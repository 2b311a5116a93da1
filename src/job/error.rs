//! What is wrong with a job, each error naming the fix; and the helpers that build them
//! (where in the file TOML broke, a setting's value as written).

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("job file {path} not found: check the path (the demo job is assets/demo/job.toml)")]
    NotFound { path: PathBuf },
    #[error("cannot read job file {path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("job file {path} is not valid TOML at line {line}, column {column}: {message}; fix that line (the README shows the job format)")]
    Malformed {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("job file {path} has no [[language]] entries: add at least one, e.g.\n[[language]]\ncode = \"fr\"\ntext = \"Bonjour.\"")]
    NoLanguages { path: PathBuf },
    #[error("unknown language `{code}`: voxdeck speaks {known}")]
    UnknownLanguage { code: String, known: String },
    #[error("language `{code}` is listed twice: keep one entry per language")]
    DuplicateLanguage { code: String },
    #[error("language `{code}` has empty text: give it something to say")]
    EmptyText { code: String },
    #[error("job file {path} is {bytes} bytes: the limit is {limit} bytes; split the job")]
    FileTooLarge {
        path: PathBuf,
        bytes: u64,
        limit: u64,
    },
    #[error(
        "job file {path} is not UTF-8 text (invalid byte at offset {offset}): save it as UTF-8"
    )]
    NotUtf8 { path: PathBuf, offset: usize },
    #[error("language `{code}` has a NUL character at character {at} of its text: remove it")]
    NulInText { code: String, at: usize },
    #[error("language `{code}` has {chars} characters of text: the limit is {limit} per language; split it into several jobs")]
    TextTooLong {
        code: String,
        chars: usize,
        limit: usize,
    },
    #[error("the job has {chars} characters of text in all: the limit is {limit} per job; split it into several jobs")]
    JobTextTooLong { chars: usize, limit: usize },
    #[error("language `{code}` has speed {speed}: use a value between 0.5 and 2.0")]
    BadSpeed { code: String, speed: f32 },
    #[error("`{field}` is {value}: {fix}")]
    BadSetting {
        field: &'static str,
        value: String,
        fix: String,
    },
    #[error("language `{code}` cannot use model `{model}`: {fix}")]
    ModelNotForLanguage {
        code: String,
        model: &'static str,
        fix: String,
    },
}

pub(super) fn bad<T: std::fmt::Debug>(
    field: &'static str,
    value: &Option<T>,
    fix: String,
) -> JobError {
    let value = value.as_ref().map(|v| format!("{v:?}")).unwrap_or_default();
    JobError::BadSetting { field, value, fix }
}

pub(super) fn malformed(path: &Path, text: &str, error: toml::de::Error) -> JobError {
    let (line, column) = error
        .span()
        .map(|s| line_and_column(text, s.start))
        .unwrap_or((1, 1));
    JobError::Malformed {
        path: path.to_path_buf(),
        line,
        column,
        message: error.message().trim().to_string(),
    }
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}
