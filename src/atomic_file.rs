//! Files that readers see whole or not at all: written to `<name>.<pid>.tmp` beside the
//! destination (same folder, so the rename is atomic), then renamed over it. A failed write
//! removes its temp file.

use std::path::{Path, PathBuf};

/// The temp name used while `dest` is being written; tests look for leftovers by its suffix.
pub fn temp_path_for(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    dest.with_file_name(name)
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
}
