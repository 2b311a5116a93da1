//! Files that readers see whole or not at all: written to a temp file beside the
//! destination (same folder, so the rename is atomic), then renamed over it. A failed write
//! removes its temp file.
//!
//! A temp name carries voxdeck's marker and its writer's pid and process start time
//! (`report.json.voxdeck-4242-998877.tmp`), so a later run can prove a leftover is a
//! voxdeck write whose process is gone, and never touches another program's `*.tmp`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const MARKER: &str = ".voxdeck-";
const SUFFIX: &str = ".tmp";

/// The temp name used while `dest` is being written; tests look for leftovers by its suffix.
pub fn temp_path_for(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(format!(
        "{MARKER}{}-{}{SUFFIX}",
        std::process::id(),
        own_start_time()
    ));
    dest.with_file_name(name)
}

/// The writer (pid, start time) named by a voxdeck temp file's name, if it is one.
fn writer_of(name: &str) -> Option<(u32, u64)> {
    let stem = name.strip_suffix(SUFFIX)?;
    let (_, writer) = stem.rsplit_once(MARKER)?;
    let (pid, start) = writer.split_once('-')?;
    Some((pid.parse().ok()?, start.parse().ok()?))
}

/// A process's start time in clock ticks since boot (`/proc/<pid>/stat`, field 22): with
/// the pid it names one process, even after the pid is reused. `None` when it is gone.
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: count after the last ')'.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(19)?.parse().ok()
}

fn own_start_time() -> u64 {
    static START: OnceLock<u64> = OnceLock::new();
    *START.get_or_init(|| start_time(std::process::id()).unwrap_or(0))
}

/// Whether `path` is a regular file (not a link) named as a voxdeck temp file whose
/// writing process no longer runs.
pub fn is_orphaned_temp(path: &Path) -> bool {
    let Some((pid, start)) = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(writer_of)
    else {
        return false;
    };
    let regular = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file());
    regular && start_time(pid) != Some(start)
}

/// Removes the orphaned voxdeck temp files directly in `dir`; returns how many.
pub fn remove_orphaned_temp_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| is_orphaned_temp(p) && std::fs::remove_file(p).is_ok())
        .count()
}

/// Writes `dest` through `write`, which is given the temp path to fill.
pub fn write_with(
    dest: &Path,
    write: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = temp_path_for(dest);
    let written = write(&tmp).and_then(|()| std::fs::rename(&tmp, dest));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Proves, before any long work, that `dest` can be written later: its folder exists and
/// takes a file of the longest name a write of `dest` uses (its temp name). Nothing is
/// left behind.
pub fn check_writable(dest: &Path) -> std::io::Result<()> {
    let tmp = temp_path_for(dest);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    std::fs::remove_file(&tmp)
}

/// Writes `bytes` to `dest`.
pub fn write(dest: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(dest, |tmp| std::fs::write(tmp, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_or_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("report.json");
        write(&dest, b"old").unwrap();
        let failed = write_with(&dest, |tmp| {
            std::fs::write(tmp, b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&dest).unwrap(), b"old");
        write(&dest, b"new").unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "no temp file left");
    }

    #[test]
    fn only_voxdeck_temp_files_of_gone_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let ours_live = temp_path_for(&d.join("es.wav"));
        // A pid that cannot run (above pid_max), and our own pid with another start time:
        // a reused pid.
        let gone = d.join("fr.wav.voxdeck-999999999-1.tmp");
        let reused = d.join(format!("it.wav.voxdeck-{}-1.tmp", std::process::id()));
        let foreign = [
            d.join("thesis.docx.424242.tmp"),
            d.join("db.sqlite.31337.tmp"),
            d.join("notes.tmp"),
            d.join("x.voxdeck-1.tmp"),
        ];
        for p in [&ours_live, &gone, &reused].into_iter().chain(&foreign) {
            std::fs::write(p, b"x").unwrap();
        }
        let link = d.join("link.wav.voxdeck-999999999-1.tmp");
        std::os::unix::fs::symlink(&foreign[0], &link).unwrap();
        assert_eq!(remove_orphaned_temp_files(d), 2);
        assert!(!gone.exists() && !reused.exists());
        assert!(ours_live.exists() && foreign.iter().all(|p| p.exists()));
        assert!(
            std::fs::symlink_metadata(&link).is_ok(),
            "a link is not ours to remove"
        );
    }
}
