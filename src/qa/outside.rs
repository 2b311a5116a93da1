//! Scoring audio that voxdeck did not make (`voxdeck qa`): another pipeline's per-language
//! results, scored as voxdeck scores its own, into the same report schema. Each file gets
//! the similarity of its speaker to the source clip (when one is given) and Whisper's
//! transcript with its error rates against the text it should say.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::scores::TakeScores;
use super::scoring::SourceScorer;
use super::transcriber::Transcriber;
use super::ErrorRateLimits;
use crate::assets::Assets;
use crate::audio::decode;
use crate::engine::outcome::Status;
use crate::engine::runtime::Runtime;
use crate::job::Device;
use crate::report::{LanguageReport, Report, RunSettings, SourceReport, Take};

/// One file to score: its language, the audio, and what it should say.
#[derive(Debug, Clone, PartialEq)]
pub struct OutsideFile {
    pub code: String,
    pub path: PathBuf,
    pub text: String,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TextsError {
    #[error("cannot read the texts file {path}: {detail}")]
    Read { path: PathBuf, detail: String },
    #[error("the texts file {path} {detail}; write `LANG = \"text\"` lines, or give a job file")]
    Shape { path: PathBuf, detail: String },
}

/// The texts of a texts file, and the source clip it names (a job file's `[source] clip`,
/// relative to the file). Either shape works: `fr = "Bonjour."` lines, or a job file's
/// `[[language]]` entries with `code` and `text`.
pub fn read_texts(path: &Path) -> Result<(BTreeMap<String, String>, Option<PathBuf>), TextsError> {
    let shape = |detail: &str| TextsError::Shape {
        path: path.to_path_buf(),
        detail: detail.to_string(),
    };
    let text = std::fs::read_to_string(path).map_err(|e| TextsError::Read {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| TextsError::Read {
            path: path.to_path_buf(),
            detail: format!("not TOML: {}", e.message()),
        })?;
    let base = path.parent().unwrap_or(Path::new(""));
    let source = table
        .get("source")
        .and_then(|s| s.get("clip"))
        .and_then(|c| c.as_str())
        .map(|c| base.join(c));
    let mut texts = BTreeMap::new();
    match table.get("language") {
        Some(toml::Value::Array(entries)) => {
            for entry in entries {
                let code = entry.get("code").and_then(|c| c.as_str());
                let text = entry.get("text").and_then(|t| t.as_str());
                match (code, text) {
                    (Some(code), Some(text)) => texts.insert(code.to_string(), text.to_string()),
                    _ => return Err(shape("has a [[language]] without a code and a text")),
                };
            }
        }
        Some(_) => {
            return Err(shape(
                "has a `language` key that is not [[language]] entries",
            ))
        }
        None => {
            for (code, value) in table.iter().filter(|(k, _)| *k != "source") {
                let text = value
                    .as_str()
                    .ok_or_else(|| shape(&format!("gives {code} something other than a string")))?;
                texts.insert(code.clone(), text.to_string());
            }
        }
    }
    let unknown: Vec<&str> = texts
        .keys()
        .filter(|code| crate::languages::find(code).is_none())
        .map(String::as_str)
        .collect();
    if let Some(first) = unknown.first() {
        let more = match unknown.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        return Err(shape(&format!(
            "gives a text for `{first}`{more}, not a language voxdeck knows (use {})",
            crate::languages::known_codes()
        )));
    }
    Ok((texts, source))
}

/// Scores every file and returns their report. A file that cannot be decoded is a failed
/// language; the others are scored all the same.
pub fn score(
    runtime: &Runtime,
    assets: &Assets,
    source: Option<&Path>,
    files: &[OutsideFile],
    limits: ErrorRateLimits,
    device: Device,
    intra_threads: Option<usize>,
) -> Report {
    let mut scorer = source.map(|clip| SourceScorer::new(runtime, assets, clip));
    let mut transcriber = Transcriber::default();
    transcriber.intra_threads = intra_threads;
    let source_report = source.map(|clip| {
        let heard = transcriber.source(runtime, assets, device, clip);
        SourceReport {
            clip: clip.to_path_buf(),
            transcript: heard.as_ref().ok().map(|t| t.text.clone()),
            language: heard.as_ref().ok().map(|t| t.language.clone()),
            // The report holds the message, as report.json shows it.
            transcript_error: heard.err().map(|e| e.to_string()),
        }
    });
    let languages = files
        .iter()
        .map(|file| {
            let clip = match decode::decode(&file.path) {
                Ok(decoded) => decoded.clip,
                Err(e) => {
                    let mut entry =
                        LanguageReport::outside(&file.code, &file.text, &file.path, 0.0);
                    entry.status = Status::Failed;
                    entry.error = Some(e.to_string());
                    return entry;
                }
            };
            let mut entry =
                LanguageReport::outside(&file.code, &file.text, &file.path, clip.seconds());
            // The scores hold messages, as report.json shows them.
            let similarity = match scorer.as_mut() {
                None => Err("no source clip to compare with: give --source".to_string()),
                Some(Err(e)) => Err(e.to_string()),
                Some(Ok(scorer)) => scorer.score_clip(&clip).map_err(|e| e.to_string()),
            };
            let loudness = super::loudness::measure(&clip).map_err(|e| e.to_string());
            let transcription = transcriber.take(
                runtime, assets, device, &file.path, &file.code, &file.text, limits,
            );
            let scores = TakeScores {
                similarity: similarity.as_ref().ok().copied(),
                similarity_error: similarity.err(),
                transcription_error: transcription.as_ref().err().map(|e| e.to_string()),
                transcription: transcription.ok(),
                loudness: loudness.as_ref().ok().copied(),
                loudness_error: loudness.err(),
            };
            entry.scores = scores.clone();
            entry.takes = vec![Take {
                take: 1,
                run: 1,
                voice: String::new(),
                speed: 1.0,
                text: file.text.clone(),
                output: Some(file.path.clone()),
                scores,
            }];
            entry
        })
        .collect();
    let session = format!(
        "{}-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        std::process::id()
    );
    let mut report = Report::new(RunSettings::for_scoring(runtime), session, languages, 0.0);
    report.source = source_report;
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Result<(BTreeMap<String, String>, Option<PathBuf>), TextsError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("texts.toml");
        std::fs::write(&path, body).unwrap();
        read_texts(&path).map(|(t, s)| {
            (
                t,
                s.map(|s| s.strip_prefix(dir.path()).unwrap().to_path_buf()),
            )
        })
    }

    #[test]
    fn both_shapes_are_read() {
        let (t, s) = texts("fr = \"Bonjour.\"\nes = \"Hola.\"\n").unwrap();
        assert_eq!(t["fr"], "Bonjour.");
        assert_eq!((t.len(), s), (2, None));
        let (t, s) =
            texts("[source]\nclip = \"src.wav\"\n[[language]]\ncode = \"it\"\ntext = \"Ciao.\"\n")
                .unwrap();
        assert_eq!(t["it"], "Ciao.");
        assert_eq!(s, Some(PathBuf::from("src.wav")));
    }

    #[test]
    fn a_bad_shape_names_the_fix() {
        let e = texts("fr = 3\n").unwrap_err().to_string();
        assert!(
            e.contains("gives fr something other than a string") && e.contains("LANG = "),
            "{e}"
        );
        let e = texts("[[language]]\ncode = \"fr\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("without a code and a text"), "{e}");
    }
}
