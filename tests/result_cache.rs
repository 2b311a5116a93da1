//! The result cache on the real binary: a rerun takes every sentence from the cache and
//! gives the same bytes, a changed language alone is synthesised again, a damaged entry
//! is synthesised again (and rewritten), `--no-cache` neither reads nor writes it, and
//! `--cache-size` bounds the folder. (The Redis store: tests/redis_cache.rs.)
//! Each test points `VOXDECK_RESULT_CACHE` at its own temp folder.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::SystemTime;

use common::{job, language, language_report, report, stderr, voxdeck};
use serde_json::Value;

const FR: &str = "Bonjour à tous. Ceci est un essai.";
const IT: &str = "Ciao a tutti. Questa è una prova.";

fn two_languages(it: &str) -> String {
    "[run]\nworkers = 2\n".to_string() + &language("fr", FR) + &language("it", it)
}

fn run(job: &Path, out: &Path, cache: &Path, extra: &[&str]) -> (Output, Value) {
    let output = voxdeck()
        .arg("run")
        .arg(job)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("VOXDECK_RESULT_CACHE", cache)
        .output()
        .expect("run voxdeck");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(out);
    (output, report)
}

fn sentences(report: &Value, code: &str) -> Vec<Value> {
    language_report(report, code)["sentences"]
        .as_array()
        .unwrap()
        .clone()
}

fn hits(report: &Value, code: &str) -> u64 {
    language_report(report, code)["cache_hits"]
        .as_u64()
        .unwrap()
}

fn wav(out: &Path, code: &str) -> Vec<u8> {
    std::fs::read(out.join(format!("{code}.wav"))).unwrap()
}

/// The cache folder's entries: name, bytes and mtime, sorted.
fn entries(cache: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut found: Vec<_> = std::fs::read_dir(cache)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            (
                e.path(),
                std::fs::read(e.path()).unwrap(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn a_rerun_takes_every_sentence_from_the_cache_and_gives_the_same_bytes() {
    let (dir, job) = job(&two_languages(IT));
    let cache = dir.path().join("cache");
    let (_, cold) = run(&job, &dir.path().join("cold"), &cache, &[]);
    assert_eq!(cold["totals"]["cache_hits"], 0, "{cold}");
    let total: usize = ["fr", "it"].iter().map(|c| sentences(&cold, c).len()).sum();
    assert_eq!(total, 4);
    assert_eq!(entries(&cache).len(), total, "one entry per sentence");

    let (_, warm) = run(&job, &dir.path().join("warm"), &cache, &[]);
    assert_eq!(warm["totals"]["cache_hits"], total, "{warm}");
    for code in ["fr", "it"] {
        let entry = language_report(&warm, code);
        assert_eq!(entry["status"], "done");
        assert_eq!(hits(&warm, code) as usize, sentences(&warm, code).len());
        for sentence in sentences(&warm, code) {
            assert_eq!(sentence["cache_hit"], true, "{sentence}");
            assert_eq!(sentence["synthesis_seconds"], 0.0, "{sentence}");
        }
        assert_eq!(entry["synthesis_seconds"], 0.0);
        assert_eq!(entry["execution_provider"], "CPUExecutionProvider");
        assert!(
            wav(&dir.path().join("cold"), code) == wav(&dir.path().join("warm"), code),
            "{code}: the cached audio is byte-identical"
        );
    }
    assert_eq!(entries(&cache).len(), total, "nothing new written");
}

#[test]
fn a_rerun_with_one_language_changed_synthesises_only_that_language() {
    let (dir, job) = job(&two_languages(IT));
    let cache = dir.path().join("cache");
    run(&job, &dir.path().join("first"), &cache, &[]);
    std::fs::write(&job, two_languages("Buongiorno. Oggi piove molto.")).unwrap();
    let (_, changed) = run(&job, &dir.path().join("second"), &cache, &[]);
    assert_eq!(
        hits(&changed, "fr") as usize,
        sentences(&changed, "fr").len()
    );
    assert_eq!(hits(&changed, "it"), 0, "{changed}");
    assert!(sentences(&changed, "it")
        .iter()
        .all(|s| s["cache_hit"] == false && s["synthesis_seconds"].as_f64().unwrap() > 0.0));
    assert_eq!(
        changed["totals"]["cache_hits"],
        sentences(&changed, "fr").len()
    );
    assert!(wav(&dir.path().join("first"), "fr") == wav(&dir.path().join("second"), "fr"));
}

#[test]
fn a_damaged_entry_is_synthesised_again_and_rewritten() {
    let (dir, job) = job(&two_languages(IT));
    let cache = dir.path().join("cache");
    run(&job, &dir.path().join("first"), &cache, &[]);
    let (path, original, _) = entries(&cache).remove(0);
    let mut damaged = original.clone();
    let middle = damaged.len() / 2;
    damaged[middle..middle + 16].copy_from_slice(&[0x7f; 16]);
    std::fs::write(&path, &damaged).unwrap();

    let (output, again) = run(&job, &dir.path().join("second"), &cache, &[]);
    let log = stderr(&output);
    assert!(log.contains("is damaged"), "{log}");
    assert_eq!(again["totals"]["cache_hits"], 3, "{again}");
    let missed: Vec<Value> = ["fr", "it"]
        .iter()
        .flat_map(|c| sentences(&again, c))
        .filter(|s| s["cache_hit"] == false)
        .collect();
    assert_eq!(missed.len(), 1, "{missed:?}");
    for code in ["fr", "it"] {
        assert!(
            wav(&dir.path().join("first"), code) == wav(&dir.path().join("second"), code),
            "{code}"
        );
    }
    assert!(
        std::fs::read(&path).unwrap() == original,
        "the entry is rewritten whole"
    );
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let (dir, job) = job(&two_languages(IT));
    // A folder that is never created.
    let unused = dir.path().join("unused");
    let (_, report) = run(&job, &dir.path().join("plain"), &unused, &["--no-cache"]);
    assert_eq!(report["totals"]["cache_hits"], 0);
    assert!(!unused.exists(), "--no-cache created {}", unused.display());

    // A filled cache is not read (no hits) and not touched (entries and mtimes the same).
    let cache = dir.path().join("cache");
    run(&job, &dir.path().join("filled"), &cache, &[]);
    let before = entries(&cache);
    let (_, bypassed) = run(&job, &dir.path().join("bypassed"), &cache, &["--no-cache"]);
    assert_eq!(bypassed["totals"]["cache_hits"], 0, "{bypassed}");
    for code in ["fr", "it"] {
        assert_eq!(hits(&bypassed, code), 0);
        assert!(sentences(&bypassed, code)
            .iter()
            .all(|s| s["synthesis_seconds"].as_f64().unwrap() > 0.0));
    }
    assert!(
        entries(&cache) == before,
        "--no-cache changed the cache folder"
    );
}

#[test]
fn cache_size_bounds_the_folder() {
    let (dir, job) = job(&language("fr", "Bonjour."));
    let cache = dir.path().join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    // An old 2 MiB entry: over a 1 MiB bound, so opening the cache evicts it.
    let old = cache.join(format!("{}.vxrc", "0".repeat(64)));
    std::fs::write(&old, vec![0u8; 2 << 20]).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
    let (_, report) = run(&job, &dir.path().join("default"), &cache, &[]);
    assert_eq!(report["cache"]["kind"], "disk", "{}", report["cache"]);
    assert_eq!(
        report["cache"]["location"],
        cache.display().to_string().as_str()
    );
    assert!(old.exists(), "512 MiB by default");
    run(
        &job,
        &dir.path().join("bounded"),
        &cache,
        &["--cache-size", "1"],
    );
    assert!(!old.exists(), "--cache-size 1 evicted the 2 MiB entry");
    assert_eq!(entries(&cache).len(), 1, "this run's entry is kept");
}
