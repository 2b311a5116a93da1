//! The result cache: each utterance's audio kept by its content, so a rerun of a job (or
//! of a job with one language changed) skips ONNX Runtime for every sentence it has already
//! made, on this box or, with a shared Redis store, on any box that uses the same server.
//!
//! An entry's key is the sha256 of everything the audio depends on: the model file's
//! sha256, the voice's style data (Kokoro: the style row the utterance uses, blends
//! already mixed; Piper: the voice's configuration), the speed, the token ids and the
//! execution provider kind. An entry's bytes are a header (magic, key, sample count,
//! sha256 over header and samples) and the samples as little-endian f32, the same in
//! every store. One that is damaged or truncated is ignored (and removed), so the
//! utterance is synthesised and written again.
//!
//! Stores (`store`): a folder bounded in size, least recently used out first (`disk`), or
//! a Redis server whose entries expire unless used (`redis_store`). A Redis server that
//! fails during a run is given up with one warning: the run goes on synthesising, and the
//! next run of the session tries it again.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

mod disk;
mod entry;
mod key;
mod redis_store;
mod redis_wire;
mod setting;
mod store;

pub use disk::DiskStore;
use entry::{decode, encode};
pub use key::{piper_voice_hash, provider_kind, style_hash, Key, KeyParts};
pub use redis_store::{RedisStore, TTL_SECONDS as REDIS_TTL_SECONDS};
pub use setting::{BadStoreSetting, CacheOptions, StoreSetting};
pub use store::{CacheInfo, ResultStore, StoreError};

/// Overrides the disk cache's folder.
pub const ENV_DIR: &str = "VOXDECK_RESULT_CACHE";
/// The default size bound of the folder.
pub const DEFAULT_MAX_BYTES: u64 = 512 << 20;

/// The most bytes one entry may have: far above the longest utterance voxdeck speaks (510
/// phonemes, under a minute of audio: about 6 MB at 24 kHz). Larger entries are not
/// stored, and nothing larger is read back from a store: a file or a Redis reply that
/// claims more is not a voxdeck entry.
pub const MAX_ENTRY_BYTES: u64 = 32 << 20;

const MAGIC: &[u8; 8] = b"VXRC\0\0\0\x01";
/// magic, key, sample count, checksum.
const HEADER_BYTES: usize = 8 + 32 + 8 + 32;

/// `$VOXDECK_RESULT_CACHE`, else `voxdeck/results` in the XDG cache folder.
pub fn default_dir() -> Option<PathBuf> {
    std::env::var_os(ENV_DIR)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| crate::assets::xdg_dir("XDG_CACHE_HOME", ".cache").map(|d| d.join("results")))
}

/// A store with the encoding, the checks and the counters. Shared by every worker of an
/// engine.
#[derive(Debug)]
pub struct ResultCache {
    store: ResultStore,
    hits: AtomicU64,
    misses: AtomicU64,
    /// Set when the store failed as a whole: lookups miss and nothing is written until
    /// `retry` finds it working again.
    given_up: AtomicBool,
    /// Why it was given up, for the report.
    failure: Mutex<Option<String>>,
}

impl ResultCache {
    pub fn new(store: ResultStore) -> ResultCache {
        ResultCache {
            store,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            given_up: AtomicBool::new(false),
            failure: Mutex::new(None),
        }
    }

    /// The store `setting` names: the folder in `default_dir()` bounded to `max_bytes`, or
    /// the Redis server (checked to answer).
    pub fn open(setting: &StoreSetting, max_bytes: u64) -> Result<ResultCache, StoreError> {
        let store = match setting {
            StoreSetting::Disk => {
                let dir = default_dir().ok_or_else(|| StoreError::CreateDir {
                    dir: PathBuf::new(),
                    source: std::io::Error::other(format!(
                        "no folder for the result cache: set {ENV_DIR}, XDG_CACHE_HOME or HOME"
                    )),
                })?;
                ResultStore::Disk(DiskStore::open(dir, max_bytes)?)
            }
            StoreSetting::Redis(url) => ResultStore::Redis(RedisStore::connect(url)?),
        };
        Ok(ResultCache::new(store))
    }

    /// A disk cache in `dir`.
    pub fn disk(dir: impl Into<PathBuf>, max_bytes: u64) -> Result<ResultCache, StoreError> {
        Ok(ResultCache::new(ResultStore::Disk(DiskStore::open(
            dir, max_bytes,
        )?)))
    }

    pub fn store(&self) -> &ResultStore {
        &self.store
    }

    /// Which cache this is, for report.json.
    pub fn info(&self) -> CacheInfo {
        CacheInfo {
            kind: self.store.kind(),
            location: Some(self.store.location()),
            unavailable: self
                .given_up
                .load(Ordering::SeqCst)
                .then(|| lock(&self.failure).clone())
                .flatten(),
        }
    }

    /// Lookups that found a whole entry, since the cache was opened.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Lookups that found nothing usable, since the cache was opened.
    pub fn misses(&self) -> u64 {
        self.misses.load(Ordering::Relaxed)
    }

    /// Whether the store failed and is not used until `retry`.
    pub fn given_up(&self) -> bool {
        self.given_up.load(Ordering::SeqCst)
    }

    /// The samples stored under `key`, if a whole entry is there. A damaged entry is
    /// logged, removed and counted as a miss.
    pub fn get(&self, key: &Key) -> Option<Vec<f32>> {
        let found = if self.given_up() {
            None
        } else {
            match self.store.get(key) {
                Ok(Some(bytes)) => match decode(key, &bytes) {
                    Ok(samples) => Some(samples),
                    Err(reason) => {
                        log::warn!(
                            "result cache entry {} is damaged ({reason}): ignoring it; the sentence is synthesised again",
                            self.store.entry_name(key)
                        );
                        if let Err(e) = self.store.remove(key) {
                            self.failed(e);
                        }
                        None
                    }
                },
                Ok(None) => None,
                Err(e) => {
                    self.failed(e);
                    None
                }
            }
        };
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores `samples` under `key`; readers see the whole entry or none. A failure is
    /// logged (the run goes on without this entry).
    pub fn put(&self, key: &Key, samples: &[f32]) {
        if self.given_up() {
            return;
        }
        let bytes = encode(key, samples);
        if bytes.len() as u64 > MAX_ENTRY_BYTES {
            log::debug!(
                "an utterance of {} bytes is not cached (over {MAX_ENTRY_BYTES})",
                bytes.len()
            );
            return;
        }
        if let Err(e) = self.store.put(key, &bytes) {
            self.failed(e);
        }
    }

    /// A store given up during an earlier run is tried again (the session calls this as
    /// each run starts, so a Redis server that came back is used again).
    pub fn retry(&self) {
        if !self.given_up() {
            return;
        }
        match self.store.check() {
            Ok(()) => {
                log::info!(
                    "the result cache {} answers again: using it",
                    self.store.location()
                );
                *lock(&self.failure) = None;
                self.given_up.store(false, Ordering::SeqCst);
            }
            Err(e) => log::debug!("the result cache is still unusable: {e}"),
        }
    }

    /// One entry's failure is logged each time; the store's failure once, and then the
    /// store is left alone.
    fn failed(&self, error: StoreError) {
        if !error.is_outage() {
            log::warn!("{error}; the run goes on");
            return;
        }
        if self.given_up.swap(true, Ordering::SeqCst) {
            return;
        }
        log::warn!(
            "{error}: the rest of this run goes without the result cache (every sentence is synthesised); check that Redis at {} is up",
            self.store.location()
        );
        *lock(&self.failure) = Some(error.to_string());
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn key(n: i64) -> Key {
        Key::new(&KeyParts {
            model_sha256: "model",
            voice: style_hash(&[0.5; 4]),
            speed: 1.0,
            token_ids: &[n, 2, 3],
            provider: "cpu",
        })
    }

    fn folder(cache: &ResultCache) -> &DiskStore {
        match cache.store() {
            ResultStore::Disk(disk) => disk,
            ResultStore::Redis(_) => unreachable!("a disk cache"),
        }
    }

    fn samples(n: usize) -> Vec<f32> {
        (0..n).map(|i| (i as f32 * 0.01).sin()).collect()
    }

    #[test]
    fn round_trip_and_counters() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultCache::disk(dir.path().join("results"), DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(cache.get(&key(1)), None);
        let audio = samples(1000);
        cache.put(&key(1), &audio);
        let back = cache.get(&key(1)).unwrap();
        assert!(back
            .iter()
            .zip(&audio)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_eq!(back.len(), audio.len());
        assert_eq!(cache.get(&key(2)), None);
        assert_eq!((cache.hits(), cache.misses()), (1, 2));
        assert_eq!(folder(&cache).total_bytes(), (HEADER_BYTES + 4000) as u64);
        // A reopened cache finds what is there.
        let again = ResultCache::disk(dir.path().join("results"), DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(folder(&again).total_bytes(), folder(&cache).total_bytes());
        assert_eq!(again.get(&key(1)).unwrap().len(), 1000);
        let names: Vec<_> = std::fs::read_dir(dir.path().join("results"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            vec![format!("{}.vxrc", key(1).hex())],
            "no temp file"
        );
    }

    #[test]
    fn a_damaged_or_truncated_entry_is_ignored_and_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultCache::disk(dir.path(), DEFAULT_MAX_BYTES).unwrap();
        let audio = samples(500);
        let path = folder(&cache).entry_path(&key(1));
        type Spoil = dyn Fn(&mut Vec<u8>);
        let damage: [&Spoil; 5] = [
            &|b| b[HEADER_BYTES + 10] ^= 0x40, // a sample
            &|b| b[50] ^= 1,                   // the checksum
            &|b| b[41] ^= 1,                   // the count
            &|b| b.truncate(b.len() - 3),      // cut short
            &|b| b.truncate(HEADER_BYTES - 1), // no whole header
        ];
        for (i, spoil) in damage.iter().enumerate() {
            cache.put(&key(1), &audio);
            let mut bytes = std::fs::read(&path).unwrap();
            spoil(&mut bytes);
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(cache.get(&key(1)), None, "damage {i}");
            assert!(!path.exists(), "damage {i}: the entry is removed");
        }
        // An entry stored under another key's name is not taken for it.
        cache.put(&key(2), &audio);
        std::fs::copy(folder(&cache).entry_path(&key(2)), &path).unwrap();
        assert_eq!(cache.get(&key(1)), None);
        cache.put(&key(1), &audio);
        assert_eq!(cache.get(&key(1)).unwrap().len(), 500);
    }

    #[test]
    fn a_fifo_link_or_huge_file_under_an_entry_name_is_a_miss_and_never_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultCache::disk(dir.path(), DEFAULT_MAX_BYTES).unwrap();
        let path = folder(&cache).entry_path(&key(1));
        let name = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
        // Opened for reading, a FIFO waits for a writer: this would hang without O_NONBLOCK.
        assert_eq!(cache.get(&key(1)), None);
        let outside = dir.path().join("outside.bin");
        std::fs::write(&outside, b"someone else's").unwrap();
        let _ = std::fs::remove_file(&path);
        std::os::unix::fs::symlink(&outside, &path).unwrap();
        assert_eq!(cache.get(&key(1)), None);
        assert!(outside.exists(), "a link's target is not touched");
        let _ = std::fs::remove_file(&path);
        let huge = std::fs::File::create(&path).unwrap();
        huge.set_len(MAX_ENTRY_BYTES + 1).unwrap();
        assert_eq!(cache.get(&key(1)), None);
        cache.put(&key(1), &samples(10));
        assert_eq!(
            cache.get(&key(1)).unwrap().len(),
            10,
            "written over and whole"
        );
    }

    #[test]
    fn eviction_keeps_the_newest_under_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let entry = (HEADER_BYTES + 4000) as u64;
        // Room for four entries and a half.
        let bound = entry * 9 / 2;
        let cache = ResultCache::disk(dir.path(), bound).unwrap();
        let base = SystemTime::now() - Duration::from_secs(1000);
        for n in 0..4 {
            cache.put(&key(n), &samples(1000));
            // Distinct ages, oldest first, whatever the file system's mtime resolution.
            std::fs::File::options()
                .write(true)
                .open(folder(&cache).entry_path(&key(n)))
                .unwrap()
                .set_modified(base + Duration::from_secs(n as u64 * 10))
                .unwrap();
        }
        // A hit makes key 0 the most recently used.
        assert!(cache.get(&key(0)).is_some());
        assert_eq!(folder(&cache).total_bytes(), entry * 4);
        cache.put(&key(4), &samples(1000));
        // Over the bound: evicted down to nine tenths of it, the least recently used first.
        assert!(folder(&cache).total_bytes() <= bound - bound / 10);
        let present: Vec<i64> = (0..5)
            .filter(|&n| folder(&cache).entry_path(&key(n)).exists())
            .collect();
        assert_eq!(present, vec![0, 2, 3, 4]);
        assert_eq!(folder(&cache).total_bytes(), entry * 4);
        cache.put(&key(5), &samples(1000));
        let present: Vec<i64> = (0..6)
            .filter(|&n| folder(&cache).entry_path(&key(n)).exists())
            .collect();
        assert_eq!(present, vec![0, 3, 4, 5]);
        // An entry larger than the whole bound is not stored.
        cache.put(&key(9), &samples(10_000));
        assert!(!folder(&cache).entry_path(&key(9)).exists());
    }
}
