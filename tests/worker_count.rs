//! The box's worker count: `bench --auto` measures and picks the knee, `--save` writes it
//! to the settings file, and jobs that name no count use it; a bad saved value is ignored
//! with a message, never a refusal.

mod common;

use common::{job, language, report, stderr, voxdeck};

#[test]
fn bench_auto_picks_a_measured_count_and_saves_it() {
    let (dir, job_path) = job(&language("it", "Ciao a tutti."));
    let config = dir.path().join("settings/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "# kept\n[metrics]\naddr = \"127.0.0.1:9187\"\n").unwrap();
    let output = voxdeck()
        .env("VOXDECK_CONFIG", &config)
        .args(["bench", "--auto", "--save", "--json", "--repeat", "1"])
        .args(["--intra-threads", "1", "--workers", "2,1"])
        .arg(&job_path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let measured: Vec<u64> = json["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["workers"].as_u64().unwrap())
        .collect();
    assert_eq!(
        measured,
        [1, 2],
        "each count once, in order, pool mode only"
    );
    let throughput = |m: &serde_json::Value| {
        m["audio_seconds"].as_f64().unwrap() / (m["wall_ms"].as_f64().unwrap() / 1000.0)
    };
    let rates: Vec<f64> = json["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .map(throughput)
        .collect();
    let best = rates.iter().cloned().fold(f64::MIN, f64::max);
    let knee = rates.iter().position(|&r| r >= best * 0.95).unwrap() + 1;
    let chosen = json["choice"]["workers"].as_u64().unwrap() as usize;
    assert_eq!(
        chosen, knee,
        "the smallest count within 5% of the best: {rates:?}"
    );
    assert!(!json["choice"]["reason"].as_str().unwrap().is_empty());

    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.starts_with("# kept\n") && text.contains("127.0.0.1:9187"),
        "{text}"
    );
    let saved = voxdeck::config::load_from(&config);
    assert_eq!(saved.config.workers, Some(chosen));
    assert!(saved.warnings.is_empty(), "{:?}", saved.warnings);

    // A job that names no worker count now runs with the saved one.
    let out = dir.path().join("out");
    let run = voxdeck()
        .env("VOXDECK_CONFIG", &config)
        .args(["run", "--no-cache", "--out"])
        .arg(&out)
        .arg(&job_path)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(report(&out)["workers"].as_u64(), Some(chosen as u64));
}

#[test]
fn a_bad_saved_count_is_ignored_with_a_message() {
    let (dir, job_path) = job(&(language("it", "Ciao.") + &language("es", "Hola.")));
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[pool]\nworkers = 0\n").unwrap();
    let out = dir.path().join("out");
    let run = voxdeck()
        .env("VOXDECK_CONFIG", &config)
        .env_remove("TTS_MAX_WORKERS")
        .args(["run", "--out"])
        .arg(&out)
        .arg(&job_path)
        .output()
        .unwrap();
    let err = stderr(&run);
    assert!(run.status.success(), "{err}");
    assert!(
        err.contains("[pool] workers") && err.contains("is ignored") && err.contains("config.toml"),
        "{err}"
    );
    // Today's rule: one worker per language.
    assert_eq!(report(&out)["workers"].as_u64(), Some(2));

    // A saved count that is fine is used, and the command line still wins.
    std::fs::write(&config, "[pool]\nworkers = 3\n").unwrap();
    let run = voxdeck()
        .env("VOXDECK_CONFIG", &config)
        .args(["run", "--out"])
        .arg(&out)
        .arg(&job_path)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(report(&out)["workers"].as_u64(), Some(3));
    let run = voxdeck()
        .env("VOXDECK_CONFIG", &config)
        .args(["run", "--workers", "1", "--out"])
        .arg(&out)
        .arg(&job_path)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(report(&out)["workers"].as_u64(), Some(1));
}

#[test]
fn save_needs_auto() {
    let output = voxdeck()
        .args(["bench", "job.toml", "--save"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--auto"), "{}", stderr(&output));
}
