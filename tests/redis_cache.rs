//! The shared result cache on a real `redis-server` (scripts/setup installs it; without it
//! these tests fail and say so): a second run takes every sentence from Redis with the same
//! bytes, the settings file's `[cache] url` is used unless `--cache` says otherwise, a
//! damaged value is synthesised again and rewritten, nothing listening is a warning and an
//! uncached run, and a server that dies mid-run is given up once and tried again later.

mod common;

use std::path::Path;
use std::process::Output;

use common::redis_server::{free_port, RedisServer};
use common::{job, language, language_report, report, stderr, voxdeck};
use serde_json::Value;
use voxdeck::engine::cache::{Key, KeyParts, ResultCache, StoreSetting};

/// Two short sentences: two cache entries.
fn one_language() -> String {
    language("fr", "Bonjour à tous. Ceci est un essai.")
}

/// `voxdeck run` with its own disk cache folder (so a use of it shows) and `extra` flags.
fn run(job: &Path, out: &Path, extra: &[&str], config: Option<&Path>) -> (Output, Value) {
    let mut command = voxdeck();
    command
        .arg("run")
        .arg(job)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("VOXDECK_RESULT_CACHE", out.with_extension("disk-cache"));
    if let Some(config) = config {
        command.env("VOXDECK_CONFIG", config);
    }
    let output = command.output().expect("run voxdeck");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = report(out);
    (output, report)
}

fn hits(report: &Value) -> u64 {
    language_report(report, "fr")["cache_hits"]
        .as_u64()
        .unwrap()
}

fn sentences(report: &Value) -> usize {
    language_report(report, "fr")["sentences"]
        .as_array()
        .unwrap()
        .len()
}

fn wav(out: &Path) -> Vec<u8> {
    std::fs::read(out.join("fr.wav")).expect("fr.wav written")
}

fn entry_names(server: &RedisServer) -> Vec<String> {
    let mut connection = server.connection().unwrap();
    let mut names: Vec<String> = redis::cmd("KEYS")
        .arg("voxdeck:result:*")
        .query(&mut connection)
        .unwrap();
    names.sort();
    names
}

#[test]
fn a_second_run_takes_every_sentence_from_redis_and_gives_the_same_bytes() {
    let server = RedisServer::start();
    let url = server.url();
    let (dir, job) = job(&one_language());
    let cold_out = dir.path().join("cold");
    let (_, cold) = run(&job, &cold_out, &["--cache", &url], None);
    assert_eq!(cold["cache"]["kind"], "redis", "{}", cold["cache"]);
    assert_eq!(cold["cache"]["location"], url.as_str());
    assert_eq!(hits(&cold), 0);
    assert_eq!(sentences(&cold), 2);
    assert_eq!(entry_names(&server).len(), 2, "one entry per sentence");
    assert!(
        !cold_out.with_extension("disk-cache").exists(),
        "the disk cache is not used"
    );
    // Entries expire unless used.
    let mut connection = server.connection().unwrap();
    let ttl: i64 = redis::cmd("TTL")
        .arg(&entry_names(&server)[0])
        .query(&mut connection)
        .unwrap();
    assert!(ttl > 24 * 3600, "TTL {ttl}");

    // The settings file alone names the server for the second run.
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("[cache]\nurl = \"{url}\"\n")).unwrap();
    let warm_out = dir.path().join("warm");
    let (_, warm) = run(&job, &warm_out, &[], Some(&config));
    assert_eq!(warm["cache"]["kind"], "redis");
    assert_eq!(hits(&warm) as usize, sentences(&warm), "{warm}");
    assert_eq!(warm["totals"]["cache_hits"], 2);
    for sentence in language_report(&warm, "fr")["sentences"]
        .as_array()
        .unwrap()
    {
        assert_eq!(sentence["cache_hit"], true, "{sentence}");
    }
    assert!(wav(&cold_out) == wav(&warm_out), "byte-identical WAVs");

    // The flag wins over the settings file.
    let disk_out = dir.path().join("disk");
    let (_, disk) = run(&job, &disk_out, &["--cache", "disk"], Some(&config));
    assert_eq!(disk["cache"]["kind"], "disk", "{}", disk["cache"]);
    assert_eq!(hits(&disk), 0);
    assert!(disk_out.with_extension("disk-cache").exists());
}

#[test]
fn a_damaged_entry_in_redis_is_synthesised_again_and_rewritten() {
    let server = RedisServer::start();
    let url = server.url();
    let (dir, job) = job(&one_language());
    let first_out = dir.path().join("first");
    run(&job, &first_out, &["--cache", &url], None);
    let names = entry_names(&server);
    let mut connection = server.connection().unwrap();
    let original: Vec<u8> = redis::cmd("GET")
        .arg(&names[0])
        .query(&mut connection)
        .unwrap();
    let mut damaged = original.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    redis::cmd("SET")
        .arg(&names[0])
        .arg(&damaged)
        .query::<()>(&mut connection)
        .unwrap();

    let second_out = dir.path().join("second");
    let (output, again) = run(&job, &second_out, &["--cache", &url], None);
    let log = stderr(&output);
    assert!(
        log.contains("is damaged") && log.contains(&names[0]),
        "{log}"
    );
    assert_eq!(hits(&again), 1, "{again}");
    assert!(wav(&first_out) == wav(&second_out));
    let rewritten: Vec<u8> = redis::cmd("GET")
        .arg(&names[0])
        .query(&mut connection)
        .unwrap();
    assert!(rewritten == original, "the entry is rewritten whole");
}

#[test]
fn nothing_listening_is_a_warning_and_an_uncached_run() {
    let url = format!("redis://127.0.0.1:{}", free_port());
    let (dir, job) = job(&one_language());
    let out = dir.path().join("out");
    let (output, report) = run(&job, &out, &["--cache", &url], None);
    let log = stderr(&output);
    assert!(
        log.contains("running without the result cache") && log.contains(&url),
        "{log}"
    );
    assert!(log.contains("--cache"), "the warning names the fix: {log}");
    assert_eq!(language_report(&report, "fr")["status"], "done");
    assert!(!wav(&out).is_empty());
    assert_eq!(report["cache"]["kind"], "off", "{}", report["cache"]);
    assert!(
        report["cache"]["unavailable"]
            .as_str()
            .is_some_and(|why| why.contains(&url)),
        "{}",
        report["cache"]
    );
    assert!(
        !out.with_extension("disk-cache").exists(),
        "no fallback to disk"
    );
}

fn key(n: i64) -> Key {
    Key::new(&KeyParts {
        model_sha256: "model",
        voice: [7; 32],
        speed: 1.0,
        token_ids: &[n, 1, 2],
        provider: "cpu",
    })
}

#[test]
fn a_server_that_dies_is_given_up_once_and_used_again_when_it_is_back() {
    let server = RedisServer::start();
    let port = server.port;
    let cache = ResultCache::open(&StoreSetting::Redis(server.url()), 1 << 20).unwrap();
    let audio: Vec<f32> = (0..800).map(|i| (i as f32 * 0.02).sin()).collect();
    // Workers share the store: concurrent puts and gets each find a connection.
    std::thread::scope(|s| {
        for n in 0..4 {
            let (cache, audio) = (&cache, &audio);
            s.spawn(move || {
                cache.put(&key(n), audio);
                assert_eq!(cache.get(&key(n)).as_deref(), Some(&audio[..]));
            });
        }
    });
    assert_eq!((cache.hits(), cache.misses()), (4, 0));

    server.kill();
    assert_eq!(cache.get(&key(0)), None, "a dead server is a miss");
    assert!(cache.given_up());
    let why = cache.info().unavailable.expect("the report says why");
    assert!(why.contains(&format!("127.0.0.1:{port}")), "{why}");
    // Given up: neither tried nor waited on again in this run.
    cache.put(&key(9), &audio);
    assert_eq!(cache.get(&key(1)), None);

    let _back = RedisServer::start_on(port);
    cache.retry();
    assert!(!cache.given_up());
    cache.put(&key(9), &audio);
    assert_eq!(cache.get(&key(9)).map(|a| a.len()), Some(800));
}

#[test]
fn a_server_that_asks_for_a_password_is_named_with_the_fix() {
    let server = RedisServer::start_with_password("s3cret");
    let Err(bare) = ResultCache::open(&StoreSetting::Redis(server.url_without_password()), 1 << 20)
    else {
        panic!("no password: refused");
    };
    let text = bare.to_string();
    assert!(text.contains("asks for a password"), "{text}");
    assert!(text.contains("redis://:PASSWORD@"), "{text}");
    assert!(!text.contains("start Redis"), "the server is up: {text}");
    let wrong = format!("redis://:nope@127.0.0.1:{}", server.port);
    let Err(wrong) = ResultCache::open(&StoreSetting::Redis(wrong), 1 << 20) else {
        panic!("a wrong password: refused");
    };
    let text = wrong.to_string();
    assert!(text.contains("refused the user or password"), "{text}");
    assert!(!text.contains("nope"), "the password is not shown: {text}");
    let cache = ResultCache::open(&StoreSetting::Redis(server.url()), 1 << 20).unwrap();
    cache.put(&key(1), &[0.5; 10]);
    assert_eq!(cache.get(&key(1)).map(|a| a.len()), Some(10));
}

#[test]
fn a_key_of_another_type_is_a_miss_written_over_and_hits_are_counted_truly() {
    let server = RedisServer::start();
    let cache = ResultCache::open(&StoreSetting::Redis(server.url()), 1 << 20).unwrap();
    let audio = [0.25f32; 100];
    for n in 0..3 {
        cache.put(&key(n), &audio);
    }
    let mut connection = server.connection().unwrap();
    let name = voxdeck::engine::cache::RedisStore::entry_name(&key(0));
    redis::cmd("DEL")
        .arg(&name)
        .query::<()>(&mut connection)
        .unwrap();
    redis::cmd("RPUSH")
        .arg(&name)
        .arg("not audio")
        .query::<()>(&mut connection)
        .unwrap();
    assert_eq!(cache.get(&key(0)), None, "a list is not an entry");
    assert!(!cache.given_up(), "one odd key does not turn the cache off");
    assert!(cache.get(&key(1)).is_some() && cache.get(&key(2)).is_some());
    assert_eq!((cache.hits(), cache.misses()), (2, 1));
    assert_eq!(cache.info().unavailable, None);
    cache.put(&key(0), &audio);
    assert_eq!(
        cache.get(&key(0)).map(|a| a.len()),
        Some(100),
        "written over"
    );
}
