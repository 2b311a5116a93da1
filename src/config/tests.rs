//! The one settings reader: every section, each bad value or unknown key a warning that
//! keeps the rest, the environment's overrides, and saving one key.

use std::collections::BTreeMap;
use std::ffi::OsString;

use super::*;

fn parsed(text: &str) -> (Config, Vec<String>) {
    parse(text, Path::new("/etc/voxdeck.toml"))
}

#[test]
fn every_section_is_read() {
    let (config, warnings) = parsed(
        "[pool]\nworkers = 3\n[cache]\nurl = \"redis://127.0.0.1:6379\"\nmax_size_mb = 64\n[metrics]\naddr = \"127.0.0.1:9000\"\n[qa]\ntranscribe = false\nmax_cer = 0.1\nmax_wer = 1\n",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        config,
        Config {
            workers: Some(3),
            cache_url: Some("redis://127.0.0.1:6379".into()),
            cache_max_mb: Some(64),
            metrics_addr: Some("127.0.0.1:9000".into()),
            transcribe: Some(false),
            max_cer: Some(0.1),
            max_wer: Some(1.0),
            ..Config::default()
        }
    );
    assert_eq!(parsed(""), (Config::default(), vec![]));
}

#[test]
fn a_bad_value_is_ignored_with_a_message_and_the_rest_kept() {
    let (config, warnings) =
        parsed("[pool]\nworkers = 0\n[cache]\nurl = \"memcached://x\"\nmax_size_mb = 64\n");
    assert_eq!(config.workers, None);
    assert_eq!(config.cache_url, None);
    assert_eq!(config.cache_max_mb, Some(64));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("[pool] workers") && warnings[0].contains("/etc/voxdeck.toml"));
    assert!(
        warnings[0].contains("0 is outside 1 to 64"),
        "{}",
        warnings[0]
    );
    let (config, warnings) = parsed("[pool]\nworkers = \"two\"\n");
    assert_eq!(config.workers, None);
    assert!(warnings[0].contains("not a whole number"), "{warnings:?}");
    let (config, warnings) = parsed("pool = 3\n");
    assert_eq!(config, Config::default());
    assert!(
        warnings[0].contains("[pool] in") && warnings[0].contains("not a table"),
        "{warnings:?}"
    );
    let (config, warnings) = parsed("[qa]\nmax_cer = -0.1\nmax_wer = \"high\"\ntranscribe = 1\n");
    assert_eq!(config, Config::default());
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].contains("[qa] transcribe"), "{warnings:?}");
    assert!(
        warnings[1].contains("not a rate of 0 or more"),
        "{warnings:?}"
    );
    let (config, warnings) = parsed("[pool\nworkers = 2");
    assert_eq!(config, Config::default());
    assert!(warnings[0].contains("not valid TOML"), "{warnings:?}");
}

#[test]
fn saving_changes_one_key_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/config.toml");
    save(&path, "pool", "workers", 2.into()).unwrap();
    assert_eq!(load_from(&path).config.workers, Some(2));
    std::fs::write(
        &path,
        "# my box\n[pool]\nworkers = 2 # chosen by hand\n\n[metrics]\naddr = \"127.0.0.1:9\"\n",
    )
    .unwrap();
    save(&path, "pool", "workers", 3.into()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# my box\n"), "{text}");
    let loaded = load_from(&path);
    assert!(loaded.warnings.is_empty());
    assert_eq!(loaded.config.workers, Some(3));
    assert_eq!(loaded.config.metrics_addr.as_deref(), Some("127.0.0.1:9"));
    // A broken file is not overwritten.
    std::fs::write(&path, "[pool\n").unwrap();
    let err = save(&path, "pool", "workers", 3.into()).unwrap_err();
    assert!(err.to_string().contains("not valid TOML"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "[pool\n");
    // A missing file is no settings and no warning.
    let loaded = load_from(&dir.path().join("none.toml"));
    assert_eq!(
        (loaded.config, loaded.warnings.len()),
        (Config::default(), 0)
    );
}

#[test]
fn the_console_s_sections_are_read_too() {
    let (config, warnings) = parsed(
        "[qa]\nsimilarity_threshold = -0.5\n[gpu]\ninterval_ms = 250\n[fit]\nbudget = 16\nseed = 3\n\
         [keys]\nrun = \"F5\"\n[theme]\nok = \"lightgreen\"\n",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        config,
        Config {
            similarity_threshold: Some(-0.5),
            gpu_interval_ms: Some(250),
            fit_budget: Some(16),
            fit_seed: Some(3),
            keys: BTreeMap::from([("run".into(), "F5".into())]),
            theme: BTreeMap::from([("ok".into(), "lightgreen".into())]),
            ..Config::default()
        }
    );
}

#[test]
fn an_unknown_key_or_section_is_named_with_the_known_ones_and_the_rest_kept() {
    let (config, warnings) =
        parsed("[pool]\nworker = 2\n[qa]\nmax_cer = 0.2\n[sound]\nloud = true\n");
    assert_eq!(config.max_cer, Some(0.2));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("[pool] worker in /etc/voxdeck.toml is ignored")
            && warnings[0].contains("it reads workers"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("[sound] in /etc/voxdeck.toml is ignored")
            && warnings[1].contains("[pool], [cache]"),
        "{warnings:?}"
    );
}

#[test]
fn the_console_s_bad_values_cost_only_themselves() {
    let (config, warnings) = parsed(
        "[qa]\nsimilarity_threshold = 3.0\n[gpu]\ninterval_ms = 0\n[fit]\nbudget = 2\nseed = -1\n\
         [keys]\nrun = 5\nquit = \"ctrl-q\"\n",
    );
    assert_eq!(warnings.len(), 5, "{warnings:?}");
    assert!(
        warnings[0].contains("[qa] similarity_threshold") && warnings[0].contains("not a cosine")
    );
    assert!(warnings[1].contains("[gpu] interval_ms") && warnings[1].contains("0 is less than 1"));
    assert!(warnings[2].contains("[fit] budget") && warnings[2].contains("out of range"));
    assert!(warnings[3].contains("[fit] seed") && warnings[3].contains("not a whole number"));
    assert!(warnings[4].contains("[keys] run") && warnings[4].contains("not a string"));
    assert_eq!(
        config,
        Config {
            keys: BTreeMap::from([("quit".into(), "ctrl-q".into())]),
            ..Config::default()
        }
    );
}

/// `apply_env` over a file's settings, with `vars` as the environment.
fn with_env(file: &str, vars: &[(&str, &str)]) -> Loaded {
    let (config, warnings) = parsed(file);
    let mut loaded = Loaded {
        config,
        path: None,
        warnings,
    };
    let vars: BTreeMap<String, OsString> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), OsString::from(v)))
        .collect();
    apply_env(&mut loaded, |name| vars.get(name).cloned());
    loaded
}

#[test]
fn the_environment_overrides_the_file_and_a_bad_value_only_warns() {
    let file = "[gpu]\ninterval_ms = 250\n";
    let loaded = with_env(file, &[]);
    assert_eq!(loaded.config.gpu_interval_ms, Some(250));
    let loaded = with_env(
        file,
        &[(ENV_GPU_INTERVAL_MS, "40"), (ENV_TTS_MAX_WORKERS, "3")],
    );
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.config.gpu_interval_ms, Some(40));
    assert_eq!(loaded.config.tts_max_workers, Some(3));
    assert_eq!(loaded.config.worker_defaults().tts_max_workers, Some(3));
    // A bad value keeps the file's (or the default) and says which variable and why.
    let loaded = with_env(
        file,
        &[(ENV_GPU_INTERVAL_MS, "0"), (ENV_TTS_MAX_WORKERS, "many")],
    );
    assert_eq!(loaded.config.gpu_interval_ms, Some(250));
    assert_eq!(loaded.config.tts_max_workers, None);
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
    assert!(
        loaded.warnings[0].contains("$VOXDECK_GPU_INTERVAL_MS (0) is ignored")
            && loaded.warnings[0].contains("fix or unset it"),
        "{:?}",
        loaded.warnings
    );
    assert!(loaded.warnings[1].contains("$TTS_MAX_WORKERS (many)"));
    // Empty is unset, as shells often leave it.
    let loaded = with_env(file, &[(ENV_GPU_INTERVAL_MS, "")]);
    assert!(loaded.warnings.is_empty());
    assert_eq!(loaded.config.gpu_interval_ms, Some(250));
}
