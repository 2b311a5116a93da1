//! Fitted voices on disk: `<voices>/NAME.bin` (float32 [510, 256], the stock layout) and
//! the sidecar `NAME.json` that says how it was made; and the `voice_fit` entry a report
//! gives a language whose voice a job fitted.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{FitRequest, Generation, Scored};
use crate::engine::kokoro::VoicePack;

/// What a sidecar says the voice is.
pub const KIND: &str =
    "fitted voice (the closest Kokoro's voice space offers; not a cloning model)";

/// The sidecar of a fitted voice.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sidecar {
    pub kind: String,
    pub name: String,
    pub source_clip: PathBuf,
    pub source_clip_sha256: String,
    pub language: String,
    pub seed: u64,
    pub budget: usize,
    /// Candidates per generation (absent in sidecars of earlier versions).
    #[serde(default)]
    pub population: Option<usize>,
    pub evaluations: usize,
    /// Wall seconds of the search.
    pub seconds: f64,
    pub judges: Vec<String>,
    pub held_out_text: String,
    pub probe_text: String,
    pub best_stock: Scored,
    /// The best of matching's fixed blends of the best stock voices (absent in sidecars
    /// of earlier versions).
    #[serde(default)]
    pub best_blend: Option<Scored>,
    pub fitted: Scored,
    pub generations: Vec<Generation>,
}

impl Sidecar {
    /// Whether this is the fit of `sha256` in `language` that `request` asks for.
    pub fn fits(&self, sha256: &str, language: &str, request: &FitRequest) -> bool {
        self.source_clip_sha256 == sha256
            && self.language == language
            && self.seed == request.seed
            && self.budget == request.budget
    }
}

/// `<lang>-<first 8 hex digits of the clip's sha256>-s<seed>`.
pub fn default_name(language: &str, sha256: &str, seed: u64) -> String {
    format!("{language}-{}-s{seed}", &sha256[..8.min(sha256.len())])
}

/// Why a fitted voice cannot be saved (or, checked before the search, could not be).
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("`{name}` cannot name a voice file: use letters, digits, '-', '_' and '.', not starting with '.'")]
    BadName { name: String },
    #[error("cannot create the voices folder {}: {source}", dir.display())]
    CreateVoicesFolder {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("the voice name `{name}` ({} bytes) is too long for a file name in {}: use a shorter --name", name.len(), dir.display())]
    NameTooLong { name: String, dir: PathBuf },
    #[error("cannot write a fitted voice in {}: {source}", dir.display())]
    NotWritable {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create {}: {source}", dir.display())]
    Create {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Sidecar(#[from] serde_json::Error),
    #[error("cannot save the fitted voice in {}: {source}", dir.display())]
    Write {
        dir: PathBuf,
        source: std::io::Error,
    },
}

/// Checks, before any search, that a fit named `name` can be saved in `dir`: the name is
/// a file name of voxdeck's rule, the folder can be made, and its checkpoint and sidecar
/// (the longest names the fit writes) can be written there. A search of minutes must not
/// end in "File name too long".
pub fn check_can_save(dir: &Path, name: &str) -> Result<(), SaveError> {
    let safe = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !safe {
        return Err(SaveError::BadName {
            name: name.to_string(),
        });
    }
    let checkpoints = super::checkpoint::dir(dir);
    std::fs::create_dir_all(&checkpoints).map_err(|source| SaveError::CreateVoicesFolder {
        dir: checkpoints.clone(),
        source,
    })?;
    for file in [
        dir.join(format!("{name}.json")),
        super::checkpoint::path(&checkpoints, name),
    ] {
        crate::atomic_file::check_writable(&file).map_err(|source| {
            if source.raw_os_error() == Some(libc::ENAMETOOLONG) {
                SaveError::NameTooLong {
                    name: name.to_string(),
                    dir: dir.to_path_buf(),
                }
            } else {
                SaveError::NotWritable {
                    dir: dir.to_path_buf(),
                    source,
                }
            }
        })?;
    }
    Ok(())
}

/// Saves the voice, then its sidecar: a sidecar is only ever beside a whole voice file.
/// The search's checkpoint goes once both are written. Returns the voice file.
pub fn save(dir: &Path, sidecar: &Sidecar, voice: &VoicePack) -> Result<PathBuf, SaveError> {
    std::fs::create_dir_all(dir).map_err(|source| SaveError::Create {
        dir: dir.to_path_buf(),
        source,
    })?;
    let file = dir.join(format!("{}.bin", sidecar.name));
    let json = dir.join(format!("{}.json", sidecar.name));
    let text = serde_json::to_string_pretty(sidecar)?;
    crate::atomic_file::write(&file, &voice.to_bytes())
        .and_then(|()| crate::atomic_file::write(&json, text.as_bytes()))
        .map_err(|source| SaveError::Write {
            dir: dir.to_path_buf(),
            source,
        })?;
    super::checkpoint::remove(&super::checkpoint::dir(dir), &sidecar.name);
    Ok(file)
}

/// The sidecar `NAME.json` in `dir`, if there is one that reads.
pub fn read_sidecar(dir: &Path, name: &str) -> Option<Sidecar> {
    let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).ok()?;
    serde_json::from_str(&text).ok()
}

/// A voice in `dir` fitted to the clip `sha256` in `language` with `request`'s seed and
/// budget, whose voice file loads: its sidecar and file. The default name is looked at
/// first, then every sidecar in the folder (a fit saved under a name of its own).
pub fn find(
    dir: &Path,
    sha256: &str,
    language: &str,
    request: &FitRequest,
) -> Option<(Sidecar, PathBuf)> {
    let usable = |sidecar: Sidecar| {
        let file = dir.join(format!("{}.bin", sidecar.name));
        match VoicePack::load(&sidecar.name, &file) {
            Ok(_) => Some((sidecar, file)),
            Err(e) => {
                log::warn!("fitted voice {} cannot be used: {e}", file.display());
                None
            }
        }
    };
    let wanted = |s: &Sidecar| s.fits(sha256, language, request);
    let default = default_name(language, sha256, request.seed);
    if let Some(found) = read_sidecar(dir, &default).filter(wanted).and_then(usable) {
        return Some(found);
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_string)
        })
        .filter(|n| *n != default)
        .collect();
    names.sort();
    names
        .iter()
        .filter_map(|n| read_sidecar(dir, n))
        // A sidecar names its own files; one copied under another name is not looked for.
        .filter(|s| names.contains(&s.name) && wanted(s))
        .find_map(usable)
}

/// Every fitted voice in `dir` whose sidecar reads and whose voice file is there, by name:
/// (language, name). For the console's voice cycle.
pub fn listed(dir: &Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, String)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let name = name.strip_suffix(".json")?;
            let sidecar = read_sidecar(dir, name).filter(|s| s.name == name)?;
            dir.join(format!("{name}.bin"))
                .is_file()
                .then_some((sidecar.language, sidecar.name))
        })
        .collect();
    found.sort();
    found
}

/// The name a new fit is saved under: the default name, unless a fit with other settings
/// holds it (another budget), then `<default>-b<budget>`, so no earlier voice is replaced.
pub fn free_name(dir: &Path, sha256: &str, language: &str, request: &FitRequest) -> String {
    let default = default_name(language, sha256, request.seed);
    match read_sidecar(dir, &default) {
        Some(s) if !s.fits(sha256, language, request) => {
            format!("{default}-b{}", request.budget)
        }
        _ => default,
    }
}

/// A language's fitted voice in report.json.
#[derive(Debug, Clone, Serialize)]
pub struct VoiceFit {
    /// The voice's name: the job's voice is `fit:NAME`.
    pub name: String,
    pub file: PathBuf,
    pub source_clip_sha256: String,
    /// The judges of `best_stock.held_out` and `fitted.held_out`, in their order.
    pub judges: Vec<String>,
    /// The best stock voice, scored on the held-out text.
    pub best_stock: Scored,
    /// The best of the fixed blends of the best stock voices, scored the same way.
    pub best_blend: Option<Scored>,
    /// The fitted voice, scored on the held-out text.
    pub fitted: Scored,
    pub evaluations: usize,
    pub seed: u64,
    pub budget: usize,
    /// Wall seconds of the search that made the voice (an earlier run's, when reused).
    pub search_seconds: f64,
    /// Wall seconds this run spent getting the voice: the search, or finding it saved.
    pub wall_seconds: f64,
    /// Whether the voice was found saved from an earlier fit with the same clip, language,
    /// seed and budget, rather than searched for again.
    pub reused: bool,
}

impl VoiceFit {
    pub fn new(sidecar: &Sidecar, file: PathBuf, reused: bool, wall_seconds: f64) -> VoiceFit {
        VoiceFit {
            name: sidecar.name.clone(),
            file,
            source_clip_sha256: sidecar.source_clip_sha256.clone(),
            judges: sidecar.judges.clone(),
            best_stock: sidecar.best_stock.clone(),
            best_blend: sidecar.best_blend.clone(),
            fitted: sidecar.fitted.clone(),
            evaluations: sidecar.evaluations,
            seed: sidecar.seed,
            budget: sidecar.budget,
            search_seconds: sidecar.seconds,
            wall_seconds,
            reused,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sidecar(name: &str, budget: usize) -> Sidecar {
        let scored = Scored {
            voice: "if_sara".into(),
            held_out: vec![0.8, 0.7],
            probe: 0.8,
        };
        Sidecar {
            kind: KIND.into(),
            name: name.into(),
            source_clip: "clip.wav".into(),
            source_clip_sha256: "0123456789abcdef".into(),
            language: "it".into(),
            seed: 3,
            budget,
            population: Some(4),
            evaluations: budget,
            seconds: 1.0,
            judges: vec!["ge2e".into(), "d-vector".into()],
            held_out_text: String::new(),
            probe_text: String::new(),
            best_stock: scored.clone(),
            best_blend: None,
            fitted: scored,
            generations: Vec::new(),
        }
    }

    #[test]
    fn a_saved_fit_is_found_by_clip_language_seed_and_budget() {
        let dir = tempfile::tempdir().unwrap();
        let voice = VoicePack::from_rows("v", vec![0.1; 510 * 256]).unwrap();
        let request = FitRequest {
            budget: 16,
            seed: 3,
        };
        let sha = "0123456789abcdef";
        assert!(find(dir.path(), sha, "it", &request).is_none());
        assert_eq!(free_name(dir.path(), sha, "it", &request), "it-01234567-s3");
        save(dir.path(), &sidecar("it-01234567-s3", 16), &voice).unwrap();
        let (found, file) = find(dir.path(), sha, "it", &request).unwrap();
        assert_eq!(found.name, "it-01234567-s3");
        assert_eq!(file, dir.path().join("it-01234567-s3.bin"));
        // Another budget is another fit, saved beside the first, never over it.
        let other = FitRequest {
            budget: 32,
            seed: 3,
        };
        assert!(find(dir.path(), sha, "it", &other).is_none());
        assert!(find(dir.path(), sha, "fr", &request).is_none());
        assert_eq!(
            free_name(dir.path(), sha, "it", &other),
            "it-01234567-s3-b32"
        );
        save(dir.path(), &sidecar("mine", 32), &voice).unwrap();
        assert_eq!(find(dir.path(), sha, "it", &other).unwrap().0.name, "mine");
        // A sidecar without its voice file is not a saved fit.
        std::fs::remove_file(dir.path().join("mine.bin")).unwrap();
        assert!(find(dir.path(), sha, "it", &other).is_none());
    }
}
