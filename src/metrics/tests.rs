//! Rendering from hand-built state, and the server on a real socket.

use std::io::{Read, Write};

use super::*;
use crate::engine::load::LoadReading;
use crate::engine::outcome::Status;
use crate::engine::progress::LanguageProgress;
use crate::gpu::{DeviceSample, GpuSample, GpuStatus, HostMemory};
use crate::languages::ModelKind;
use crate::session::state::{LanguageRecord, RunPhase, SessionState};
use crate::session::{CacheCounters, LiveCounters};

fn progress(
    code: &str,
    status: Status,
    done: usize,
    total: usize,
    audio: f64,
    ort: f64,
) -> LanguageProgress {
    LanguageProgress {
        status,
        sentences_done: done,
        sentences_total: total,
        audio_seconds: audio,
        synthesis_seconds: ort,
        ..LanguageProgress::new(code, ModelKind::Kokoro, "ff_siwis")
    }
}

fn running_state() -> SessionState {
    let mut state = SessionState::default();
    state.run.id = 2;
    state.run.phase = RunPhase::Running;
    state.languages = vec![
        LanguageRecord::new(2, progress("fr", Status::Running, 2, 5, 3.0, 1.5)),
        LanguageRecord::new(2, progress("es", Status::Queued, 0, 4, 0.0, 0.0)),
    ];
    state
}

fn live() -> LiveCounters {
    LiveCounters {
        load: Some(LoadReading {
            queued_units: 7,
            busy_workers: 2,
        }),
        cache: Some(CacheCounters { hits: 4, misses: 1 }),
    }
}

fn host() -> HostMemory {
    HostMemory {
        process_rss_bytes: 123_456_768,
        system_used_bytes: 4_000_000_000,
        system_total_bytes: 16_000_000_000,
        history: Vec::new(),
    }
}

fn sample(devices: Vec<DeviceSample>) -> GpuSample {
    GpuSample {
        seq: 0,
        unix_ms: 0,
        pid: 1,
        status: if devices.is_empty() {
            GpuStatus::Unavailable {
                reason: "libnvidia-ml.so.1 not found".into(),
            }
        } else {
            GpuStatus::Available {
                driver_version: None,
                cuda_driver_version: None,
            }
        },
        devices,
        host: host(),
    }
}

fn device(index: u32, used: u64, total: u64, util: Option<u32>) -> DeviceSample {
    DeviceSample {
        index,
        name: "NVIDIA H200".into(),
        memory_used_bytes: used,
        memory_total_bytes: total,
        utilization_percent: util,
        temperature_celsius: None,
        power_watts: None,
        own_process_bytes: None,
        processes: Vec::new(),
        error: None,
        history: Vec::new(),
    }
}

/// The sample lines (`name{labels} value`) of an exposition, each checked to parse and to
/// follow a `# TYPE` line of its family.
fn samples(text: &str) -> Vec<(String, f64)> {
    let mut typed = Vec::new();
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            typed.push(rest.split(' ').next().unwrap().to_string());
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("name and value");
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("value of {line}"));
        let name = series.split('{').next().unwrap();
        assert!(typed.iter().any(|t| t == name), "{name} has no # TYPE");
        out.push((series.to_string(), value));
    }
    out
}

fn value(text: &str, series: &str) -> Option<f64> {
    samples(text)
        .into_iter()
        .find(|(s, _)| s == series)
        .map(|(_, v)| v)
}

#[test]
fn languages_report_their_state_progress_audio_and_rtf() {
    let text = render(&Scrape::of(&running_state(), live(), None));
    assert_eq!(
        value(
            &text,
            r#"voxdeck_language_state{language="fr",state="running"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &text,
            r#"voxdeck_language_state{language="fr",state="queued"}"#
        ),
        Some(0.0)
    );
    assert_eq!(
        value(
            &text,
            r#"voxdeck_language_state{language="es",state="queued"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        value(&text, r#"voxdeck_language_sentences_done{language="fr"}"#),
        Some(2.0)
    );
    assert_eq!(
        value(
            &text,
            r#"voxdeck_language_sentences_planned{language="fr"}"#
        ),
        Some(5.0)
    );
    assert_eq!(
        value(&text, r#"voxdeck_language_audio_seconds{language="fr"}"#),
        Some(3.0)
    );
    assert_eq!(
        value(&text, r#"voxdeck_language_rtf{language="fr"}"#),
        Some(0.5)
    );
    // No audio yet: no RTF, rather than a made-up 0.
    assert_eq!(value(&text, r#"voxdeck_language_rtf{language="es"}"#), None);
    assert_eq!(
        value(&text, r#"voxdeck_run_state{state="running"}"#),
        Some(1.0)
    );
    assert_eq!(
        value(&text, r#"voxdeck_run_state{state="finished"}"#),
        Some(0.0)
    );
    assert_eq!(value(&text, "voxdeck_run_id"), Some(2.0));
}

/// The latest take's scores, carried whole from the session: similarity and CER once
/// scored, nothing before (a take still being transcribed has no CER).
#[test]
fn a_languages_latest_take_exports_its_scores() {
    use crate::qa::scores::{TakeScores, Transcription};
    let mut state = running_state();
    let fr = &mut state.languages[0];
    fr.progress.status = Status::Done;
    fr.progress.output = Some("fr.wav".into());
    let take = |take, similarity, cer: Option<f32>| crate::report::Take {
        take,
        run: 2,
        voice: "ff_siwis".into(),
        speed: 1.0,
        text: "Bonjour.".into(),
        output: Some(format!("fr-take{take}.wav").into()),
        scores: TakeScores {
            similarity: Some(similarity),
            transcription: cer.map(|cer| Transcription {
                text: "bonjour".into(),
                language: "fr".into(),
                cer,
                wer: Some(cer),
                flagged: false,
                elapsed_seconds: 0.1,
            }),
            ..TakeScores::pending()
        },
    };
    fr.takes = vec![take(1, 0.5, Some(0.25)), take(2, 0.75, None)];
    let text = render(&Scrape::of(&state, live(), None));
    let similarity = r#"voxdeck_language_similarity{language="fr"}"#;
    assert_eq!(value(&text, similarity), Some(0.75), "the latest take's");
    assert_eq!(value(&text, r#"voxdeck_language_cer{language="fr"}"#), None);
    state.languages[0].takes.pop();
    state.languages[0].takes.push(take(2, 0.75, Some(0.125)));
    let text = render(&Scrape::of(&state, live(), None));
    let cer = r#"voxdeck_language_cer{language="fr"}"#;
    assert_eq!(value(&text, cer), Some(0.125));
    let lufs = r#"voxdeck_language_loudness_lufs{language="fr"}"#;
    assert_eq!(value(&text, lufs), None, "not measured");
    state.languages[0].takes[1].scores.loudness = Some(crate::qa::scores::Loudness {
        integrated_lufs: Some(-23.5),
        range_lu: Some(2.0),
        true_peak_dbtp: Some(-3.0),
        clipped_samples: 0,
    });
    let text = render(&Scrape::of(&state, live(), None));
    assert_eq!(value(&text, lufs), Some(-23.5));
    assert_eq!(
        value(&text, r#"voxdeck_language_similarity{language="es"}"#),
        None
    );
}

#[test]
fn pool_load_and_cache_counters_are_exported_as_read() {
    let text = render(&Scrape::of(&running_state(), live(), None));
    assert_eq!(value(&text, "voxdeck_pool_queued_units"), Some(7.0));
    assert_eq!(value(&text, "voxdeck_pool_busy_workers"), Some(2.0));
    assert_eq!(value(&text, "voxdeck_cache_hits_total"), Some(4.0));
    assert_eq!(value(&text, "voxdeck_cache_misses_total"), Some(1.0));
    assert!(
        text.contains("# TYPE voxdeck_cache_hits_total counter"),
        "{text}"
    );

    let cold = render(&Scrape::of(
        &SessionState::default(),
        LiveCounters::default(),
        None,
    ));
    for absent in ["voxdeck_pool_", "voxdeck_cache_", "voxdeck_language_"] {
        assert!(!cold.contains(absent), "{absent} in {cold}");
    }
    assert_eq!(
        value(&cold, r#"voxdeck_run_state{state="idle"}"#),
        Some(1.0)
    );
}

#[test]
fn without_a_gpu_only_memory_is_exported() {
    let text = render(&Scrape::of(
        &running_state(),
        live(),
        Some(sample(Vec::new())),
    ));
    assert_eq!(
        value(&text, "process_resident_memory_bytes"),
        Some(123_456_768.0)
    );
    assert_eq!(value(&text, "voxdeck_host_memory_total_bytes"), Some(16e9));
    assert!(!text.contains("voxdeck_gpu_"), "{text}");
}

#[test]
fn each_gpu_has_memory_and_utilisation_and_a_failed_one_is_left_out() {
    let mut broken = device(1, 0, 0, None);
    broken.error = Some("GPU is lost".into());
    let devices = vec![device(0, 2 << 30, 141 << 30, Some(37)), broken];
    let text = render(&Scrape::of(&running_state(), live(), Some(sample(devices))));
    let labels = r#"{gpu="0",name="NVIDIA H200"}"#;
    assert_eq!(
        value(&text, &format!("voxdeck_gpu_memory_used_bytes{labels}")),
        Some((2u64 << 30) as f64)
    );
    assert_eq!(
        value(&text, &format!("voxdeck_gpu_memory_total_bytes{labels}")),
        Some((141u64 << 30) as f64)
    );
    assert_eq!(
        value(&text, &format!("voxdeck_gpu_utilization_ratio{labels}")),
        Some(0.37)
    );
    assert!(!text.contains(r#"gpu="1""#), "{text}");
}

fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn the_server_answers_metrics_on_a_chosen_port_and_refuses_a_port_in_use() {
    let listener = Listener::bind(parse_addr("127.0.0.1:0").unwrap()).unwrap();
    let addr = listener.local_addr();
    assert_ne!(addr.port(), 0, "the chosen port is reported");
    let server = listener.serve(|| "voxdeck_run_id 0\n".to_string()).unwrap();
    assert_eq!(server.url(), format!("http://{addr}/metrics"));

    let ok = get(addr, "/metrics");
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.contains(CONTENT_TYPE), "{ok}");
    assert!(ok.ends_with("voxdeck_run_id 0\n"), "{ok}");
    assert!(get(addr, "/").starts_with("HTTP/1.1 404"));

    let error = Listener::bind(addr)
        .err()
        .expect("the port is taken")
        .to_string();
    assert!(error.contains(&addr.to_string()), "{error}");
    assert!(error.contains("choose a free one"), "{error}");
    drop(server);
    // The drop joins the accept thread, which owns the listener: the port is free after it.
    let released = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(10));
        std::net::TcpStream::connect(addr).is_err()
    });
    assert!(released, "the port is released once the server is dropped");
}
