//! The console's settings: each section over the defaults, and each bad entry a warning
//! that keeps the others.

use super::*;

fn load(text: &str) -> (ConsoleConfig, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    ConsoleConfig::load(&path)
}

/// The one warning `text` gives.
fn warning(text: &str) -> String {
    let (_, warnings) = load(text);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    warnings[0].clone()
}

#[test]
fn sections_override_defaults() {
    let (config, warnings) = load(
        "[theme]\nok = \"#00ff00\"\n[qa]\nsimilarity_threshold = 0.8\n[gpu]\ninterval_ms = 250\n",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.theme.ok.fg, Some(Color::Rgb(0, 255, 0)));
    assert_eq!(config.similarity_threshold, 0.8);
    assert_eq!(config.gpu_interval, Duration::from_millis(250));
    let (config, warnings) = load("[fit]\nbudget = 16\nseed = 3\n");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!((config.fit.budget, config.fit.seed), (16, 3));
    // The box's sections share the file.
    let (_, warnings) =
        load("[pool]\nworkers = 2\n[cache]\nurl = \"disk\"\n[metrics]\naddr = \"127.0.0.1:9\"\n");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn bad_files_are_reported() {
    assert!(warning("[theme]\nok = \"plaid\"\n").contains("unknown colour `plaid`"));
    assert!(warning("[theme]\nsparkle = \"red\"\n").contains("unknown style"));
    assert!(warning("[keys]\nfly = \"f\"\n").contains("unknown action `fly`"));
    assert!(warning("[qa]\nsimilarity_threshold = 3.0\n").contains("[qa] similarity_threshold"));
    assert!(warning("[fit]\nbudget = 2\n").contains("[fit] budget"));
    assert!(warning("[sound]\nloud = true\n").contains("[sound]"));
    let (_, warnings) = ConsoleConfig::load(Path::new("/nonexistent/config.toml"));
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn a_bad_entry_costs_only_itself() {
    let (config, warnings) = load(
        "[keys]\nfly = \"f\"\nrun = \"F5\"\n[theme]\nok = \"plaid\"\nsparkle = \"red\"\nwarn = \"red\"\n\
         [qa]\nsimilarity_threshold = 3.0\n[gpu]\ninterval_ms = 250\n[fit]\nbudget = 2\nseed = 7\n",
    );
    assert_eq!(warnings.len(), 5, "{warnings:?}");
    // Each names the file, its entry and the fix.
    for w in &warnings {
        assert!(
            w.contains("config.toml") && w.contains("is ignored") && w.contains("fix or remove it"),
            "{w}"
        );
    }
    assert_eq!(config.theme.warn.fg, Some(Color::Red));
    assert_eq!(config.theme.ok.fg, Theme::default().ok.fg);
    assert_eq!(config.keymap.labels().all("run").as_deref(), Some("F5"));
    assert_eq!(config.similarity_threshold, crate::qa::DEFAULT_THRESHOLD);
    assert_eq!(config.gpu_interval, Duration::from_millis(250));
    assert_eq!(config.fit.budget, crate::fit::FitRequest::default().budget);
    assert_eq!(config.fit.seed, 7);
}

#[test]
fn the_environment_s_interval_is_the_console_s() {
    let settings = Config {
        gpu_interval_ms: Some(40),
        ..Config::default()
    };
    let (config, warnings) = ConsoleConfig::from_settings(&settings, None);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(config.gpu_interval, Duration::from_millis(40));
}

#[test]
fn every_valid_fixture_is_valid_for_the_console_too() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/settings/valid");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let (_, warnings) = ConsoleConfig::load(&path);
        assert!(warnings.is_empty(), "{}: {warnings:?}", path.display());
    }
}
