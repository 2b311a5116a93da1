//! The settings files under `tests/fixtures/settings` (see its README): every valid one
//! reads without a warning; every invalid one gives one warning, naming its file and its
//! bad entry, and reads as the same settings as the file without that entry.

use std::path::{Path, PathBuf};

use super::{load_from, parse};

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/settings")
        .join(kind);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    paths
}

#[test]
fn every_valid_file_loads_without_warnings() {
    for path in fixtures("valid") {
        let loaded = load_from(&path);
        assert!(
            loaded.warnings.is_empty(),
            "{}: {:?}",
            path.display(),
            loaded.warnings
        );
    }
}

#[test]
fn every_invalid_file_warns_of_its_bad_entry_and_keeps_the_rest() {
    for path in fixtures("invalid") {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# warns: "))
            .unwrap_or_else(|| panic!("{}: no `# warns: NAME` first line", path.display()));
        let loaded = load_from(&path);
        assert_eq!(
            loaded.warnings.len(),
            1,
            "{}: {:?}",
            path.display(),
            loaded.warnings
        );
        let warning = &loaded.warnings[0];
        assert!(
            warning.starts_with(&format!("{name} in {} is ignored: ", path.display()))
                && warning.ends_with("; fix or remove it"),
            "{}: {warning}",
            path.display()
        );
        let good: String = text
            .lines()
            .filter(|l| !l.ends_with("# bad"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_ne!(good, text, "{}: no line ends in `# bad`", path.display());
        let (kept, warnings) = parse(&good, &path);
        assert!(warnings.is_empty(), "{}: {warnings:?}", path.display());
        assert_eq!(loaded.config, kept, "{}", path.display());
        assert_ne!(
            kept,
            super::Config::default(),
            "{}: nothing else to keep",
            path.display()
        );
    }
}
