//! The disk store: one file `<key>.vxrc` per entry in a folder bounded in size. Past the
//! bound the least recently used entries (by mtime, touched on every read) are removed.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use super::store::StoreError;
use super::Key;

const SUFFIX: &str = ".vxrc";

/// Safe to share between threads and between processes: writes are atomic renames, and
/// each process keeps its own running total, corrected whenever it scans the folder.
#[derive(Debug)]
pub struct DiskStore {
    dir: PathBuf,
    max_bytes: u64,
    /// Bytes of entries in the folder, as far as this process knows. The lock also
    /// serialises this process's writes (one temp name per entry and process).
    total: Mutex<u64>,
}

impl DiskStore {
    /// Creates `dir` if needed and measures what is in it (evicting if it is over).
    pub fn open(dir: impl Into<PathBuf>, max_bytes: u64) -> Result<DiskStore, StoreError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::CreateDir {
            dir: dir.clone(),
            source,
        })?;
        let store = DiskStore {
            dir,
            max_bytes,
            total: Mutex::new(0),
        };
        let total = store.evict().map_err(|source| StoreError::CreateDir {
            dir: store.dir.clone(),
            source,
        })?;
        *store.lock_total() = total;
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Bytes of entries in the folder, as this process counts them.
    pub fn total_bytes(&self) -> u64 {
        *self.lock_total()
    }

    pub fn entry_path(&self, key: &Key) -> PathBuf {
        self.dir.join(format!("{}{SUFFIX}", key.hex()))
    }

    /// The entry's bytes, if there is one; reading it marks it as recently used (a damaged
    /// one is removed by the caller, so touching it does no harm).
    pub(super) fn get(&self, key: &Key) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.entry_path(key);
        match read_entry(&path) {
            Ok(bytes) => {
                // Empty: not an entry (a FIFO, a link, a huge file), and not to be opened
                // for writing, which would block on a FIFO.
                if bytes.is_empty() {
                    return Ok(Some(bytes));
                }
                if let Err(e) = touch(&path) {
                    log::debug!("cannot touch {}: {e}", path.display());
                }
                Ok(Some(bytes))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(StoreError::Read { path, source }),
        }
    }

    /// Stores `bytes` under `key` atomically, then evicts the least recently used entries
    /// if the folder is over its bound. An entry larger than the whole bound is not stored.
    pub(super) fn put(&self, key: &Key, bytes: &[u8]) -> Result<(), StoreError> {
        if bytes.len() as u64 > self.max_bytes {
            return Ok(());
        }
        let path = self.entry_path(key);
        let mut total = self.lock_total();
        let replaced = std::fs::metadata(&path).map_or(0, |m| m.len());
        let failed = |source| StoreError::Write {
            path: path.clone(),
            source,
        };
        crate::atomic_file::write(&path, bytes).map_err(failed)?;
        *total = total.saturating_sub(replaced) + bytes.len() as u64;
        if *total > self.max_bytes {
            *total = self.evict().map_err(failed)?;
        }
        Ok(())
    }

    pub(super) fn remove(&self, key: &Key) -> Result<(), StoreError> {
        let path = self.entry_path(key);
        let len = std::fs::metadata(&path).map_or(0, |m| m.len());
        match std::fs::remove_file(&path) {
            Ok(()) => {
                let mut total = self.lock_total();
                *total = total.saturating_sub(len);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(StoreError::Write { path, source }),
        }
    }

    /// Scans the folder and, if its entries exceed the bound, removes the least recently
    /// used until they fit in nine tenths of it (so the next scans are some writes away).
    /// Returns the bytes left. Temp files of voxdeck writes whose process is gone go too.
    fn evict(&self) -> io::Result<u64> {
        let mut entries = Vec::new();
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
            } else if crate::atomic_file::is_orphaned_temp(&entry.path()) {
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
/// An entry file's bytes. Only a regular file is read, opened without blocking (a FIFO put
/// under an entry's name would wait for a writer forever) and no larger than the largest
/// entry voxdeck writes; anything else reads as a damaged entry, which the caller removes.
fn read_entry(path: &Path) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            // O_NOFOLLOW on a link: not ours to follow, so not an entry.
            Some(libc::ELOOP) => io::Error::new(io::ErrorKind::InvalidData, "a link, not an entry"),
            _ => e,
        })?;
    let meta = file.metadata()?;
    if !meta.is_file() || meta.len() > super::MAX_ENTRY_BYTES {
        return Ok(Vec::new());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    io::Read::by_ref(&mut file)
        .take(super::MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn touch(path: &Path) -> io::Result<()> {
    std::fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(SystemTime::now())
}
