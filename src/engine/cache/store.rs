//! Where entries are kept: a folder on this box, or a Redis server several boxes share.
//! Both hold the same bytes under the same keys; encoding, checking and counting are the
//! `ResultCache`'s, so the engine never knows which store it has.

use std::path::PathBuf;

use serde::Serialize;

use super::disk::DiskStore;
use super::redis_store::RedisStore;
use super::Key;

#[derive(Debug)]
pub enum ResultStore {
    Disk(DiskStore),
    Redis(RedisStore),
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the result cache {}: {source}", dir.display())]
    CreateDir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read result cache entry {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write to the result cache at {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the shared result cache {url} cannot be reached ({detail}); start Redis there, or choose another cache with --cache (disk: this box's folder) or [cache] url in the settings file")]
    Unreachable { url: String, detail: String },
    #[error("the shared result cache {url} refused voxdeck: {detail}")]
    Refused { url: String, detail: String },
    #[error("the shared result cache {url} cannot be used: this voxdeck has no TLS for Redis; use a redis:// URL (a trusted network, or a TLS tunnel to the server)")]
    TlsUnsupported { url: String },
    #[error("the shared result cache {url} failed: {detail}")]
    Redis { url: String, detail: String },
}

impl StoreError {
    /// A failure of the store as a whole (its server is gone), not of one entry: the store
    /// is given up rather than tried again for every sentence.
    pub fn is_outage(&self) -> bool {
        matches!(
            self,
            StoreError::Unreachable { .. }
                | StoreError::Refused { .. }
                | StoreError::TlsUnsupported { .. }
                | StoreError::Redis { .. }
        )
    }
}

/// Which cache a run used, as report.json states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CacheInfo {
    /// "disk", "redis" or "off".
    pub kind: &'static str,
    /// The folder, or the Redis URL without its password; null when off.
    pub location: Option<String>,
    /// Why the cache asked for was not used, or was given up during the run.
    pub unavailable: Option<String>,
}

impl CacheInfo {
    pub fn off(unavailable: Option<String>) -> CacheInfo {
        CacheInfo {
            kind: "off",
            location: None,
            unavailable,
        }
    }
}

impl ResultStore {
    pub fn kind(&self) -> &'static str {
        match self {
            ResultStore::Disk(_) => "disk",
            ResultStore::Redis(_) => "redis",
        }
    }

    /// The folder, or the URL without its password.
    pub fn location(&self) -> String {
        match self {
            ResultStore::Disk(disk) => disk.dir().display().to_string(),
            ResultStore::Redis(redis) => redis.url().to_string(),
        }
    }

    /// One entry, as messages name it.
    pub fn entry_name(&self, key: &Key) -> String {
        match self {
            ResultStore::Disk(disk) => disk.entry_path(key).display().to_string(),
            ResultStore::Redis(redis) => {
                format!("{} in {}", RedisStore::entry_name(key), redis.url())
            }
        }
    }

    pub(super) fn get(&self, key: &Key) -> Result<Option<Vec<u8>>, StoreError> {
        match self {
            ResultStore::Disk(disk) => disk.get(key),
            ResultStore::Redis(redis) => redis.get(key),
        }
    }

    pub(super) fn put(&self, key: &Key, bytes: &[u8]) -> Result<(), StoreError> {
        match self {
            ResultStore::Disk(disk) => disk.put(key, bytes),
            ResultStore::Redis(redis) => redis.put(key, bytes),
        }
    }

    pub(super) fn remove(&self, key: &Key) -> Result<(), StoreError> {
        match self {
            ResultStore::Disk(disk) => disk.remove(key),
            ResultStore::Redis(redis) => redis.remove(key),
        }
    }

    /// Whether a store given up during a run can be used again.
    pub(super) fn check(&self) -> Result<(), StoreError> {
        match self {
            ResultStore::Disk(_) => Ok(()),
            ResultStore::Redis(redis) => redis.ping(),
        }
    }
}
