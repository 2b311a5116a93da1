//! The output folder as a transaction: one run at a time holds its lock; a result replaces
//! the previous one only once complete (the engine writes temp files and renames them); what
//! earlier runs left is read back from their report.json, so the new report can say which
//! run made each file; temp files of runs that died are removed.

use std::collections::BTreeMap;
use std::fs::{File, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::SessionError;
use crate::report::OtherFile;

const LOCK_FILE: &str = ".voxdeck.lock";

/// A result on disk and the run that wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptOutput {
    pub path: PathBuf,
    /// `<session>/<run>`, when known.
    pub from: Option<String>,
}

/// Held while a run writes into the folder; dropping it releases the lock.
pub(super) struct FolderLock {
    _file: File,
}

/// Folders that hold other programs' files and are never a run's output folder: the
/// root, the home folder and the system's top-level folders themselves (a folder inside
/// them, such as `/tmp/run1` or `~/voxdeck-out`, is fine).
const SHARED_FOLDERS: &[&str] = &[
    "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/media", "/mnt",
    "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var", "/var/tmp",
];

/// Refuses an output folder that is shared with other programs (see `SHARED_FOLDERS`),
/// before anything is created or written there.
pub(super) fn refuse_shared_folder(out_dir: &Path) -> Result<(), SessionError> {
    let absolute = std::path::absolute(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
    let resolved = absolute.canonicalize().unwrap_or(absolute);
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| canonical(Path::new(&h)));
    let shared = SHARED_FOLDERS.iter().any(|f| resolved == Path::new(f))
        || home.is_some_and(|h| resolved == h)
        || ["/proc", "/sys", "/dev"]
            .iter()
            .any(|f| resolved.starts_with(f));
    if shared {
        return Err(SessionError::SharedFolder {
            dir: out_dir.to_path_buf(),
            suggestion: resolved.join("voxdeck-out"),
        });
    }
    Ok(())
}

/// Takes the folder's lock. Another run holding it is an error naming that run, unless
/// `wait` is set, in which case this blocks until it is released.
pub(super) fn lock(out_dir: &Path, wait: bool) -> Result<FolderLock, SessionError> {
    let path = out_dir.join(LOCK_FILE);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|source| SessionError::OpenLock {
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) if wait => {
            log::info!("waiting for the run that holds {}", out_dir.display());
            file.lock().map_err(|source| SessionError::Lock {
                path: path.clone(),
                source,
            })?;
        }
        Err(TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path).unwrap_or_default();
            let holder = holder.trim();
            return Err(SessionError::FolderInUse {
                dir: out_dir.to_path_buf(),
                holder: if holder.is_empty() {
                    "unknown process"
                } else {
                    holder
                }
                .to_string(),
            });
        }
        Err(TryLockError::Error(source)) => {
            return Err(SessionError::Lock { path, source });
        }
    }
    let _ = file.set_len(0);
    let _ = writeln!(file, "pid {}", std::process::id());
    Ok(FolderLock { _file: file })
}

/// What the folder's report.json says about the files there: each language's kept output
/// (only files that still exist), and the run that made any other listed file.
pub(super) fn previous_outputs(out_dir: &Path) -> BTreeMap<String, KeptOutput> {
    let Ok(text) = std::fs::read_to_string(out_dir.join("report.json")) else {
        return BTreeMap::new();
    };
    let Ok(report) = serde_json::from_str::<serde_json::Value>(&text) else {
        log::warn!(
            "{}/report.json is not a voxdeck report; its files are listed as other files",
            out_dir.display()
        );
        return BTreeMap::new();
    };
    let mut kept = BTreeMap::new();
    let languages = report["languages"].as_array().cloned().unwrap_or_default();
    for language in languages {
        let (Some(code), Some(output)) = (language["code"].as_str(), language["output"].as_str())
        else {
            continue;
        };
        // Earlier reports held paths relative to the run's working directory: such a
        // path is looked for in the folder itself.
        let mut path = PathBuf::from(output);
        if path.is_relative() && !path.is_file() {
            if let Some(name) = path.file_name() {
                path = out_dir.join(name);
            }
        }
        if path.is_file() {
            let from = language["output_from"].as_str().map(str::to_string);
            kept.insert(code.to_string(), KeptOutput { path, from });
        }
    }
    kept
}

/// WAV files directly in `out_dir` that none of `owned` is, with their maker where the
/// earlier report named one.
pub(super) fn other_files(
    out_dir: &Path,
    owned: &[PathBuf],
    previous: &BTreeMap<String, KeptOutput>,
) -> Vec<OtherFile> {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return Vec::new();
    };
    // Paths are compared once made canonical, each resolved once.
    let owned: Vec<PathBuf> = owned.iter().map(|p| canonical(p)).collect();
    let makers: Vec<(PathBuf, &Option<String>)> = previous
        .values()
        .map(|k| (canonical(&k.path), &k.from))
        .collect();
    let mut files: Vec<OtherFile> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wav"))
        .filter_map(|path| {
            let real = canonical(&path);
            (!owned.contains(&real)).then(|| OtherFile {
                output_from: makers
                    .iter()
                    .find(|(p, _)| *p == real)
                    .and_then(|(_, from)| (*from).clone()),
                output: path,
            })
        })
        .collect();
    files.sort_by(|a, b| a.output.cmp(&b.output));
    files
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_home_and_system_folders_are_refused() {
        for dir in ["/", "/tmp", "/usr", "/proc/self", "/tmp/../etc"] {
            let refused = refuse_shared_folder(Path::new(dir))
                .err()
                .unwrap()
                .to_string();
            assert!(refused.contains("--out"), "{refused}");
        }
        if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
            assert!(refuse_shared_folder(Path::new(&home)).is_err());
        }
        let dir = tempfile::tempdir().unwrap();
        assert!(refuse_shared_folder(dir.path()).is_ok());
        assert!(refuse_shared_folder(&dir.path().join("not/made/yet")).is_ok());
    }

    #[test]
    fn a_second_lock_on_a_folder_is_refused_with_its_holder() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock(dir.path(), false).unwrap();
        let refused = lock(dir.path(), false).err().unwrap();
        assert!(
            matches!(refused, SessionError::FolderInUse { .. }),
            "{refused}"
        );
        let refused = refused.to_string();
        assert!(
            refused.contains("in use by another voxdeck run"),
            "{refused}"
        );
        assert!(
            refused.contains(&format!("pid {}", std::process::id())),
            "{refused}"
        );
        drop(held);
        assert!(lock(dir.path(), false).is_ok());
    }
}
