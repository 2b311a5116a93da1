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
