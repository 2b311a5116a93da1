//! `--metrics ADDR`: a real run serves Prometheus text while it synthesises, its last
//! figures agree with report.json, and an address that cannot be served is refused (exit
//! 2) before any synthesis; the settings file's address is used when the flag is absent.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{job, language, language_report, report, stderr, voxdeck};

/// Long enough (18 sentences on 2 workers, no cache) to be scraped while it runs.
fn three_languages() -> String {
    "[run]\nworkers = 2\n".to_string()
        + &language("fr", "Un. Deux. Trois. Quatre. Cinq. Six.")
        + &language("es", "Uno. Dos. Tres. Cuatro. Cinco. Seis.")
        + &language("it", "Uno. Due. Tre. Quattro. Cinque. Sei.")
}

/// Starts `voxdeck run` with `extra` flags (and `settings` as its settings file); returns
/// the child, the address its log line says it serves metrics on, and its whole stderr
/// (once it exits).
fn start(
    job: &Path,
    out: &Path,
    extra: &[&str],
    settings: Option<&Path>,
) -> (Child, SocketAddr, mpsc::Receiver<String>) {
    start_command(voxdeck(), job, out, extra, settings)
}

fn start_command(
    mut command: std::process::Command,
    job: &Path,
    out: &Path,
    extra: &[&str],
    settings: Option<&Path>,
) -> (Child, SocketAddr, mpsc::Receiver<String>) {
    if let Some(settings) = settings {
        command.env("VOXDECK_CONFIG", settings);
    }
    let mut child = command
        .arg("run")
        .arg(job)
        .arg("--out")
        .arg(out)
        .args(extra)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("run voxdeck");
    let lines = BufReader::new(child.stderr.take().unwrap());
    let (addr_tx, addr_rx) = mpsc::channel();
    let (rest_tx, rest_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut all = String::new();
        for line in lines.lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("metrics: serving http://") {
                let addr = url.trim_end_matches("/metrics").parse::<SocketAddr>();
                let _ = addr_tx.send(addr.expect("the log line names an address"));
            }
            all.push_str(&line);
            all.push('\n');
        }
        let _ = rest_tx.send(all);
    });
    let addr = addr_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the run logs the metrics URL");
    (child, addr, rest_rx)
}

/// GET /metrics: the status line, the Content-Type, and the body.
fn scrape(addr: SocketAddr) -> (String, String, String) {
    let mut stream = TcpStream::connect(addr).expect("metrics are served");
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: voxdeck\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response
        .split_once("\r\n\r\n")
        .expect("headers, then a body");
    let status = head.lines().next().unwrap_or_default().to_string();
    let content_type = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Type: "))
        .unwrap_or_default()
        .to_string();
    (status, content_type, body.to_string())
}

/// Every sample line, as (series, value): each must parse, and follow its family's `# TYPE`.
fn samples(body: &str) -> Vec<(String, f64)> {
    let mut typed = Vec::new();
    let mut samples = Vec::new();
    for line in body.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut words = rest.split(' ');
            typed.push(words.next().unwrap().to_string());
            assert!(matches!(words.next(), Some("gauge" | "counter")), "{line}");
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("{line}"));
        let name = series.split('{').next().unwrap();
        assert!(typed.iter().any(|t| t == name), "{name} has no # TYPE");
        let value = value.parse().unwrap_or_else(|_| panic!("{line}"));
        samples.push((series.to_string(), value));
    }
    samples
}

fn value(samples: &[(String, f64)], series: &str) -> Option<f64> {
    samples.iter().find(|(s, _)| s == series).map(|&(_, v)| v)
}

#[test]
fn a_run_serves_live_metrics_whose_last_figures_match_the_report() {
    let (dir, job) = job(&three_languages());
    let out = dir.path().join("out");
    let (mut child, addr, rest) = start(
        &job,
        &out,
        &[
            "--no-cache",
            "--metrics",
            "127.0.0.1:0",
            "--metrics-linger-ms",
            "5000",
        ],
        None,
    );
    assert!(addr.ip().is_loopback() && addr.port() != 0, "{addr}");

    let mut seen_running = false;
    let mut seen_queue = false;
    let started = Instant::now();
    let last = loop {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the run never finished"
        );
        let (status, content_type, body) = scrape(addr);
        assert!(status.contains(" 200 "), "{status}");
        assert!(
            content_type.starts_with("text/plain; version=0.0.4"),
            "{content_type}"
        );
        let samples = samples(&body);
        if value(&samples, r#"voxdeck_run_state{state="running"}"#) == Some(1.0) {
            seen_running = true;
            let busy = value(&samples, "voxdeck_pool_busy_workers").expect("busy workers");
            assert!((0.0..=2.0).contains(&busy), "{busy} busy of 2 workers");
            assert_eq!(value(&samples, "voxdeck_pool_workers"), Some(2.0));
            seen_queue |= value(&samples, "voxdeck_pool_queued_units").unwrap_or(0.0) > 0.0;
            for code in ["fr", "es", "it"] {
                let planned = format!(r#"voxdeck_language_sentences_planned{{language="{code}"}}"#);
                assert_eq!(value(&samples, &planned), Some(6.0), "{body}");
            }
            assert!(value(&samples, "process_resident_memory_bytes").unwrap() > 0.0);
        }
        if value(&samples, r#"voxdeck_run_state{state="finished"}"#) == Some(1.0) {
            break samples;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(seen_running, "no scrape saw the run running");
    assert!(seen_queue, "no scrape saw sentences waiting for a worker");
    // --no-cache: the session has no result cache, so it exports no cache counters.
    assert_eq!(value(&last, "voxdeck_cache_hits_total"), None);

    let status = child.wait().unwrap();
    let log = rest.recv().unwrap();
    assert!(status.success(), "{log}");
    let report = report(&out);
    for code in ["fr", "es", "it"] {
        let entry = language_report(&report, code);
        let labels = format!(r#"{{language="{code}"}}"#);
        let done = value(&last, &format!("voxdeck_language_sentences_done{labels}"));
        assert_eq!(
            done,
            Some(entry["sentences"].as_array().unwrap().len() as f64)
        );
        let audio = value(&last, &format!("voxdeck_language_audio_seconds{labels}")).unwrap();
        assert!(
            (audio - entry["audio_seconds"].as_f64().unwrap()).abs() < 1e-9,
            "{code}: {audio} {entry}"
        );
        let rtf = value(&last, &format!("voxdeck_language_rtf{labels}")).unwrap();
        assert!(
            (rtf - entry["rtf"].as_f64().unwrap()).abs() < 1e-9,
            "{code}: {rtf}"
        );
        let state = format!(r#"voxdeck_language_state{{language="{code}",state="done"}}"#);
        assert_eq!(value(&last, &state), Some(1.0));
    }
    assert_eq!(value(&last, "voxdeck_pool_queued_units"), Some(0.0));
    assert_eq!(value(&last, "voxdeck_pool_busy_workers"), Some(0.0));
}

#[test]
fn an_address_that_cannot_be_served_is_refused_before_any_synthesis() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (dir, job) = job(&language("fr", "Bonjour."));
    for (flag, names) in [(addr.as_str(), "choose a free one"), ("nine", "HOST:PORT")] {
        let out = dir.path().join("out");
        let output = voxdeck()
            .arg("run")
            .arg(&job)
            .arg("--out")
            .arg(&out)
            .args(["--metrics", flag])
            .output()
            .unwrap();
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(text.contains(&format!("--metrics {flag}")), "{text}");
        assert!(text.contains(names), "{text}");
        assert!(!out.exists(), "nothing was synthesised: {text}");
    }
    // A command without a session refuses the flag rather than ignoring it.
    let output = voxdeck()
        .args(["--metrics", "0", "voices"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--metrics serves the console"));
}

#[test]
fn the_settings_file_address_is_used_without_the_flag_and_a_bad_one_only_warns() {
    let (dir, job) = job(&language("fr", "Bonjour."));
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let settings = dir.path().join("config.toml");

    std::fs::write(&settings, "[metrics]\naddr = \"127.0.0.1:0\"\n").unwrap();
    let (mut child, addr, rest) = start(&job, &dir.path().join("a"), &[], Some(&settings));
    assert!(addr.ip().is_loopback());
    assert!(child.wait().unwrap().success(), "{}", rest.recv().unwrap());

    // The settings file never stops a run: a port in use there is a warning.
    let in_use = format!("[metrics]\naddr = \"{}\"\n", taken.local_addr().unwrap());
    std::fs::write(&settings, in_use).unwrap();
    let output = voxdeck()
        .env("VOXDECK_CONFIG", &settings)
        .arg("run")
        .arg(&job)
        .arg("--out")
        .arg(dir.path().join("b"))
        .output()
        .unwrap();
    let text = stderr(&output);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("warning: [metrics] addr in"), "{text}");
    assert!(text.contains("running without metrics"), "{text}");

    // The flag wins over the settings file.
    let flag = ["--metrics", "127.0.0.1:0"];
    let (mut child, addr, rest) = start(&job, &dir.path().join("c"), &flag, Some(&settings));
    assert_ne!(addr, taken.local_addr().unwrap());
    assert!(child.wait().unwrap().success());
    assert!(!rest.recv().unwrap().contains("[metrics] addr"));
}

/// Issue 20: about 130 half-open connections under `ulimit -n 256` made the server panic
/// and serve nothing more. Under a lower limit and a larger flood it refuses what it must
/// and serves again once the flood is gone.
#[test]
fn a_flood_of_half_open_connections_under_a_low_descriptor_limit_does_not_stop_it() {
    use std::os::unix::process::CommandExt;
    let (dir, job) = job(&language("fr", "Bonjour."));
    let out = dir.path().join("out");
    let mut command = voxdeck();
    // SAFETY: only setrlimit, async-signal-safe, between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 128,
                rlim_max: 128,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let args = [
        "--no-cache",
        "--metrics",
        "127.0.0.1:0",
        "--metrics-linger-ms",
        "6000",
    ];
    let (mut child, addr, rest) = start_command(command, &job, &out, &args, None);
    // Connected, never a byte sent: each holds a descriptor of the server's until it
    // gives up on it.
    let flood: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(addr).ok())
        .collect();
    assert!(flood.len() > 128, "only {} connections opened", flood.len());
    drop(flood);
    let deadline = Instant::now() + Duration::from_secs(5);
    let served = loop {
        let (status, _, body) = scrape(addr);
        if status.contains(" 200 ") {
            break body;
        }
        assert!(Instant::now() < deadline, "never served again: {status}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(served.contains("voxdeck_run_id"), "{served}");
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let log = rest.recv().unwrap();
    assert!(!log.contains("panicked"), "{log}");
}
