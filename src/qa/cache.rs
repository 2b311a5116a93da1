//! Probe embeddings kept on disk, so matching a second source against the same voices costs
//! one embedding (the source's) instead of one synthesis and one embedding per voice.
//!
//! One JSON file per key, named by the sha256 of the key: `{"key": {...}, "embedding": [...]}`.
//! The key holds the encoder's sha256, so a changed encoder never serves stale vectors. A file
//! that cannot be read, does not parse, or holds another key is a miss, and the next `put`
//! replaces it (written to a temp file, then renamed).

use std::path::{Path, PathBuf};

use super::{Embedding, QaError, EMBEDDING_SIZE};
use crate::digest::sha256_hex;

/// What a probe embedding depends on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProbeKey {
    /// The synthesis model, e.g. "kokoro-v1.0" or a Piper voice bundle's name.
    pub model: String,
    pub voice: String,
    pub probe_text: String,
    pub encoder_sha256: String,
}

impl ProbeKey {
    /// The file name: sha256 over the fields, each length-prefixed so no two keys collide.
    fn file_name(&self) -> String {
        let mut fields = Vec::new();
        for field in [
            &self.model,
            &self.voice,
            &self.probe_text,
            &self.encoder_sha256,
        ] {
            fields.extend_from_slice(&(field.len() as u64).to_le_bytes());
            fields.extend_from_slice(field.as_bytes());
        }
        format!("{}.json", sha256_hex(&fields))
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    key: ProbeKey,
    embedding: Vec<f32>,
}

pub struct EmbeddingCache {
    dir: PathBuf,
}

impl EmbeddingCache {
    /// Opens (creating if needed) the cache folder.
    pub fn open(dir: impl Into<PathBuf>) -> Result<EmbeddingCache, QaError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|e| cache_error(&dir, e))?;
        Ok(EmbeddingCache { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn get(&self, key: &ProbeKey) -> Option<Embedding> {
        let text = std::fs::read_to_string(self.dir.join(key.file_name())).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        if entry.key != *key || entry.embedding.len() != EMBEDDING_SIZE {
            return None;
        }
        if !entry.embedding.iter().all(|v| v.is_finite()) {
            return None;
        }
        let mut values = [0f32; EMBEDDING_SIZE];
        values.copy_from_slice(&entry.embedding);
        Some(Embedding(values))
    }

    pub fn put(&self, key: &ProbeKey, embedding: &Embedding) -> Result<(), QaError> {
        let entry = Entry {
            key: key.clone(),
            embedding: embedding.0.to_vec(),
        };
        let text = serde_json::to_string(&entry).expect("an entry always serialises");
        let dest = self.dir.join(key.file_name());
        crate::atomic_file::write(&dest, text.as_bytes()).map_err(|e| cache_error(&dest, e))
    }
}

fn cache_error(path: &Path, source: std::io::Error) -> QaError {
    QaError::Cache {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(voice: &str) -> ProbeKey {
        ProbeKey {
            model: "kokoro-v1.0".into(),
            voice: voice.into(),
            probe_text: "Hello there.".into(),
            encoder_sha256: "abc".into(),
        }
    }

    #[test]
    fn file_names_stay_what_they_were() {
        // sha256 of the length-prefixed fields (u64 little-endian), as earlier caches named them.
        assert_eq!(
            key("af_heart").file_name(),
            "968b66f1f09a2405da867ad44840dd1f9622574ff6792458a42d3d37ff1d1f1c.json"
        );
    }

    #[test]
    fn round_trips_exactly_and_keys_stay_apart() {
        let dir = tempfile::tempdir().unwrap();
        let cache = EmbeddingCache::open(dir.path().join("probes")).unwrap();
        let mut values = [0f32; EMBEDDING_SIZE];
        values
            .iter_mut()
            .enumerate()
            .for_each(|(i, v)| *v = (i as f32).sin() / 7.0);
        let embedding = Embedding(values);
        assert!(cache.get(&key("af_heart")).is_none());
        cache.put(&key("af_heart"), &embedding).unwrap();
        assert_eq!(cache.get(&key("af_heart")), Some(embedding));
        assert!(cache.get(&key("am_adam")).is_none());
        let other_encoder = ProbeKey {
            encoder_sha256: "def".into(),
            ..key("af_heart")
        };
        assert!(cache.get(&other_encoder).is_none());
    }

    #[test]
    fn a_damaged_file_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = EmbeddingCache::open(dir.path()).unwrap();
        std::fs::write(dir.path().join(key("x").file_name()), "{not json").unwrap();
        assert!(cache.get(&key("x")).is_none());
    }
}
