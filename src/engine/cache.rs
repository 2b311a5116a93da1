//! The result cache: each utterance's audio kept on disk by its content, so a rerun of a
//! job (or of a job with one language changed) skips ONNX Runtime for every sentence it
//! has already made.
//!
//! An entry's key is the sha256 of everything the audio depends on: the model file's
//! sha256, the voice's style data (Kokoro: the style row the utterance uses, blends
//! already mixed; Piper: the voice's configuration), the speed, the token ids and the
//! execution provider kind. An entry is `<key>.vxrc` in the cache folder: a header (magic,
//! key, sample count, sha256 over header and samples) and the samples as little-endian
//! f32. Entries are written atomically; one that is damaged or truncated is ignored (and
//! removed), so the utterance is synthesised and written again. The folder is bounded in
//! size: past the bound the least recently used entries (by mtime, touched on every hit)
//! are removed.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

mod entry;
mod key;

use entry::{decode, encode};
pub use key::{piper_voice_hash, provider_kind, style_hash, Key, KeyParts};

/// Overrides the cache folder.
pub const ENV_DIR: &str = "VOXDECK_RESULT_CACHE";
/// The default size bound of the folder.
pub const DEFAULT_MAX_BYTES: u64 = 512 << 20;

const MAGIC: &[u8; 8] = b"VXRC\0\0\0\x01";
const SUFFIX: &str = ".vxrc";
/// magic, key, sample count, checksum.
const HEADER_BYTES: usize = 8 + 32 + 8 + 32;
/// Temp files of writes that died are removed once this old.
const STALE_TEMP: Duration = Duration::from_secs(3600);

/// `$VOXDECK_RESULT_CACHE`, else `voxdeck/results` in the XDG cache folder.
pub fn default_dir() -> Option<PathBuf> {
    std::env::var_os(ENV_DIR)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| crate::assets::xdg_dir("XDG_CACHE_HOME", ".cache").map(|d| d.join("results")))
}

/// The on-disk store. Shared by every worker of an engine (and safe to share between
/// processes: writes are atomic renames, and each process keeps its own running total,
/// corrected whenever it scans the folder).
#[derive(Debug)]
pub struct ResultCache {
    dir: PathBuf,
    max_bytes: u64,
    /// Bytes of entries in the folder, as far as this process knows. The lock also
    /// serialises this process's writes (one temp name per entry and process).
    total: Mutex<u64>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl ResultCache {
    /// The cache in `default_dir()`, bounded to `DEFAULT_MAX_BYTES`.
    pub fn open_default() -> io::Result<ResultCache> {
        let dir = default_dir().ok_or_else(|| {
            io::Error::other(format!(
                "no folder for the result cache: set {ENV_DIR}, XDG_CACHE_HOME or HOME"
            ))
        })?;
        ResultCache::open(dir, DEFAULT_MAX_BYTES)
    }

    /// Creates `dir` if needed and measures what is in it (evicting if it is over).
    pub fn open(dir: impl Into<PathBuf>, max_bytes: u64) -> io::Result<ResultCache> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create the result cache {}: {e}", dir.display()),
            )
        })?;
        let cache = ResultCache {
            dir,
            max_bytes,
            total: Mutex::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        };
        let total = cache.evict()?;
        *cache.lock_total() = total;
        Ok(cache)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Lookups that found a whole entry, since the cache was opened.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Lookups that found nothing usable, since the cache was opened.
    pub fn misses(&self) -> u64 {
        self.misses.load(Ordering::Relaxed)
    }

    /// Bytes of entries in the folder, as this process counts them.
    pub fn total_bytes(&self) -> u64 {
        *self.lock_total()
    }

    pub fn entry_path(&self, key: &Key) -> PathBuf {
        self.dir.join(format!("{}{SUFFIX}", key.hex()))
    }

    /// The samples stored under `key`, if a whole entry is there; a hit marks the entry
    /// as recently used. A damaged entry is logged, removed and counted as a miss.
    pub fn get(&self, key: &Key) -> Option<Vec<f32>> {
        let path = self.entry_path(key);
        let found = match std::fs::read(&path) {
            Ok(bytes) => match decode(key, &bytes) {
                Ok(samples) => Some(samples),
                Err(reason) => {
                    log::warn!(
                        "result cache entry {} is damaged ({reason}): ignoring it; the sentence is synthesised again",
                        path.display()
                    );
                    if std::fs::remove_file(&path).is_ok() {
                        let mut total = self.lock_total();
                        *total = total.saturating_sub(bytes.len() as u64);
                    }
                    None
                }
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => {
                log::warn!(
                    "cannot read result cache entry {}: {e}; the sentence is synthesised",
                    path.display()
                );
                None
            }
        };
        match found {
            Some(samples) => {
                if let Err(e) = touch(&path) {
                    log::debug!("cannot touch {}: {e}", path.display());
                }
                self.hits.fetch_add(1, Ordering::Relaxed);
                Some(samples)
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Stores `samples` under `key` (atomically: readers see the whole entry or none),
    /// then evicts the least recently used entries if the folder is over its bound. An
    /// entry larger than the whole bound is not stored.
    pub fn put(&self, key: &Key, samples: &[f32]) -> io::Result<()> {
        let bytes = encode(key, samples);
        if bytes.len() as u64 > self.max_bytes {
            return Ok(());
        }
        let path = self.entry_path(key);
        let mut total = self.lock_total();
        let replaced = std::fs::metadata(&path).map_or(0, |m| m.len());
        crate::atomic_file::write(&path, &bytes)?;
        *total = total.saturating_sub(replaced) + bytes.len() as u64;
        if *total > self.max_bytes {
            *total = self.evict()?;
        }
        Ok(())
    }

    /// Scans the folder and, if its entries exceed the bound, removes the least recently
    /// used until they fit in nine tenths of it (so the next scans are some writes away).
    /// Returns the bytes left. Temp files of writes that died long ago go too.
    fn evict(&self) -> io::Result<u64> {
        let mut entries = Vec::new();
        let now = SystemTime::now();
        for entry in std::fs::read_dir(&self.dir)? {
            let Ok(entry) = entry else { continue };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            if name.ends_with(SUFFIX) {
                entries.push((modified, entry.path(), meta.len()));
            } else if name.ends_with(".tmp")
                && now.duration_since(modified).unwrap_or_default() > STALE_TEMP
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let mut total: u64 = entries.iter().map(|(_, _, len)| len).sum();
        if total <= self.max_bytes {
            return Ok(total);
        }
        let target = self.max_bytes - self.max_bytes / 10;
        entries.sort();
        let mut removed = 0usize;
        for (_, path, len) in entries {
            if total <= target {
                break;
            }
            match std::fs::remove_file(&path) {
                Ok(()) => {
                    total -= len;
                    removed += 1;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => total -= len,
                Err(e) => log::warn!("cannot evict {}: {e}", path.display()),
            }
        }
        log::debug!(
            "result cache over {} bytes: evicted {removed} entr{}, {total} bytes left",
            self.max_bytes,
            if removed == 1 { "y" } else { "ies" }
        );
        Ok(total)
    }

    fn lock_total(&self) -> std::sync::MutexGuard<'_, u64> {
        self.total.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Marks an entry as just used.
fn touch(path: &Path) -> io::Result<()> {
    std::fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: i64) -> Key {
        Key::new(&KeyParts {
            model_sha256: "model",
            voice: style_hash(&[0.5; 4]),
            speed: 1.0,
            token_ids: &[n, 2, 3],
            provider: "cpu",
        })
    }

    fn samples(n: usize) -> Vec<f32> {
        (0..n).map(|i| (i as f32 * 0.01).sin()).collect()
    }

    #[test]
    fn round_trip_and_counters() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultCache::open(dir.path().join("results"), DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(cache.get(&key(1)), None);
        let audio = samples(1000);
        cache.put(&key(1), &audio).unwrap();
        let back = cache.get(&key(1)).unwrap();
        assert!(back
            .iter()
            .zip(&audio)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_eq!(back.len(), audio.len());
        assert_eq!(cache.get(&key(2)), None);
        assert_eq!((cache.hits(), cache.misses()), (1, 2));
        assert_eq!(cache.total_bytes(), (HEADER_BYTES + 4000) as u64);
        // A reopened cache finds what is there.
        let again = ResultCache::open(dir.path().join("results"), DEFAULT_MAX_BYTES).unwrap();
        assert_eq!(again.total_bytes(), cache.total_bytes());
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
        let cache = ResultCache::open(dir.path(), DEFAULT_MAX_BYTES).unwrap();
        let audio = samples(500);
        let path = cache.entry_path(&key(1));
        type Spoil = dyn Fn(&mut Vec<u8>);
        let damage: [&Spoil; 5] = [
            &|b| b[HEADER_BYTES + 10] ^= 0x40, // a sample
            &|b| b[50] ^= 1,                   // the checksum
            &|b| b[41] ^= 1,                   // the count
            &|b| b.truncate(b.len() - 3),      // cut short
            &|b| b.truncate(HEADER_BYTES - 1), // no whole header
        ];
        for (i, spoil) in damage.iter().enumerate() {
            cache.put(&key(1), &audio).unwrap();
            let mut bytes = std::fs::read(&path).unwrap();
            spoil(&mut bytes);
            std::fs::write(&path, &bytes).unwrap();
            assert_eq!(cache.get(&key(1)), None, "damage {i}");
            assert!(!path.exists(), "damage {i}: the entry is removed");
        }
        // An entry stored under another key's name is not taken for it.
        cache.put(&key(2), &audio).unwrap();
        std::fs::copy(cache.entry_path(&key(2)), &path).unwrap();
        assert_eq!(cache.get(&key(1)), None);
        cache.put(&key(1), &audio).unwrap();
        assert_eq!(cache.get(&key(1)).unwrap().len(), 500);
    }

    #[test]
    fn eviction_keeps_the_newest_under_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let entry = (HEADER_BYTES + 4000) as u64;
        // Room for four entries and a half.
        let bound = entry * 9 / 2;
        let cache = ResultCache::open(dir.path(), bound).unwrap();
        let base = SystemTime::now() - Duration::from_secs(1000);
        for n in 0..4 {
            cache.put(&key(n), &samples(1000)).unwrap();
            // Distinct ages, oldest first, whatever the file system's mtime resolution.
            std::fs::File::options()
                .write(true)
                .open(cache.entry_path(&key(n)))
                .unwrap()
                .set_modified(base + Duration::from_secs(n as u64 * 10))
                .unwrap();
        }
        // A hit makes key 0 the most recently used.
        assert!(cache.get(&key(0)).is_some());
        assert_eq!(cache.total_bytes(), entry * 4);
        cache.put(&key(4), &samples(1000)).unwrap();
        // Over the bound: evicted down to nine tenths of it, the least recently used first.
        assert!(cache.total_bytes() <= bound - bound / 10);
        let present: Vec<i64> = (0..5)
            .filter(|&n| cache.entry_path(&key(n)).exists())
            .collect();
        assert_eq!(present, vec![0, 2, 3, 4]);
        assert_eq!(cache.total_bytes(), entry * 4);
        cache.put(&key(5), &samples(1000)).unwrap();
        let present: Vec<i64> = (0..6)
            .filter(|&n| cache.entry_path(&key(n)).exists())
            .collect();
        assert_eq!(present, vec![0, 3, 4, 5]);
        // An entry larger than the whole bound is not stored.
        cache.put(&key(9), &samples(10_000)).unwrap();
        assert!(!cache.entry_path(&key(9)).exists());
    }
}
