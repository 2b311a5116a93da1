//! The GPU sampler and `voxdeck gpu`: behaviour that holds on any box, plus checks that only a box
//! with an NVIDIA driver can make (those say "skipped: no NVIDIA GPU" elsewhere).

use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use voxdeck::gpu::{self, GpuSample, GpuSampler, GpuStatus, SamplerOptions};

const WAIT: Duration = Duration::from_secs(10);

fn options(interval_ms: u64, history_ms: u64) -> SamplerOptions {
    SamplerOptions {
        interval: Duration::from_millis(interval_ms),
        history: Duration::from_millis(history_ms),
    }
}

fn start(options: SamplerOptions) -> (GpuSampler, mpsc::Receiver<GpuSample>) {
    let (tx, rx) = mpsc::channel();
    let sampler = GpuSampler::start(options, move |s| {
        let _ = tx.send(s);
    })
    .expect("sampler thread starts");
    (sampler, rx)
}

fn voxdeck_gpu(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_voxdeck"))
        .arg("gpu")
        .args(args)
        .output()
        .expect("run voxdeck gpu")
}

#[test]
fn delivers_numbered_samples_no_faster_than_the_interval() {
    let (sampler, rx) = start(options(20, 1000));
    let started = Instant::now();
    let samples: Vec<GpuSample> = (0..6).map(|_| rx.recv_timeout(WAIT).unwrap()).collect();
    let elapsed = started.elapsed();
    sampler.stop();
    let seqs: Vec<u64> = samples.iter().map(|s| s.seq).collect();
    assert_eq!(seqs, [0, 1, 2, 3, 4, 5]);
    // The first sample comes at once, then one per interval: five intervals at least.
    assert!(elapsed >= Duration::from_millis(100), "{elapsed:?}");
    assert!(samples.iter().all(|s| s.pid == std::process::id()));
    assert!(samples.iter().all(|s| s.host.system_total_bytes > 0));
}

#[test]
fn history_is_bounded_by_window_over_interval() {
    let options = options(5, 50);
    assert_eq!(options.history_capacity(), 10);
    let (sampler, rx) = start(options);
    let samples: Vec<GpuSample> = (0..30).map(|_| rx.recv_timeout(WAIT).unwrap()).collect();
    sampler.stop();
    for (i, sample) in samples.iter().enumerate() {
        assert_eq!(sample.host.history.len(), (i + 1).min(10), "sample {i}");
        for device in &sample.devices {
            assert!(device.history.len() <= 10);
        }
    }
    let last = &samples.last().unwrap().host;
    assert_eq!(last.history.last().unwrap().seconds_ago, 0.0);
    assert!(last
        .history
        .windows(2)
        .all(|w| w[0].seconds_ago >= w[1].seconds_ago));
    let fractions = last.history_fractions();
    assert!(fractions
        .iter()
        .all(|&(t, f)| t <= 0.0 && (0.0..=1.0).contains(&f)));
}

#[test]
fn default_history_covers_two_minutes() {
    assert_eq!(SamplerOptions::default().history_capacity(), 240);
}

#[test]
fn stop_returns_promptly_during_a_long_sleep() {
    let (sampler, rx) = start(options(60_000, 120_000));
    rx.recv_timeout(WAIT).expect("first sample comes at once");
    let asked = Instant::now();
    sampler.stop();
    let took = asked.elapsed();
    assert!(took < Duration::from_millis(200), "stop() took {took:?}");
    assert!(
        rx.recv_timeout(WAIT).is_err(),
        "the sink is dropped with the thread"
    );
}

#[test]
fn dropping_the_sampler_stops_it() {
    let (sampler, rx) = start(options(60_000, 120_000));
    rx.recv_timeout(WAIT).unwrap();
    let asked = Instant::now();
    drop(sampler);
    assert!(asked.elapsed() < Duration::from_millis(200));
    assert_eq!(
        rx.recv_timeout(WAIT),
        Err(mpsc::RecvTimeoutError::Disconnected)
    );
}

#[test]
fn without_nvml_the_reason_is_one_line_and_host_memory_is_sampled() {
    let sample = gpu::sample_once();
    assert!(sample.host.process_rss_bytes > 0);
    assert!(sample.host.system_used_bytes > 0);
    assert!(sample.host.system_total_bytes >= sample.host.system_used_bytes);
    match &sample.status {
        GpuStatus::Unavailable { reason } => {
            assert!(!reason.is_empty() && !reason.contains('\n'), "{reason:?}");
            assert!(reason.contains("libnvidia-ml"), "{reason}");
            assert!(sample.devices.is_empty());
            if !std::path::Path::new("/proc/driver/nvidia/version").exists() {
                // No kernel driver here: the library is missing too, or NVML says the driver is.
                assert!(
                    reason.contains("not found") || reason.contains("driver"),
                    "{reason}"
                );
            }
        }
        GpuStatus::Available { .. } => println!("skipped: an NVIDIA GPU is present"),
    }
}

#[test]
fn with_nvml_devices_report_memory_and_processes() {
    let sample = gpu::sample_once();
    if !sample.status.is_available() {
        println!("skipped: no NVIDIA GPU");
        return;
    }
    assert!(!sample.devices.is_empty());
    for device in &sample.devices {
        assert_eq!(device.error, None, "device {}", device.index);
        assert!(!device.name.is_empty());
        assert!(device.memory_total_bytes > 0);
        assert!(device.memory_used_bytes <= device.memory_total_bytes);
        assert_eq!(device.history.len(), 1);
        assert!(device.processes.iter().all(|p| p.pid > 0));
    }
}

#[test]
fn cli_once_json_is_valid_with_host_memory() {
    let output = voxdeck_gpu(&["--once", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    let available = json["nvml"]["available"].as_bool().expect("nvml.available");
    assert!(json["host"]["system_total_bytes"].as_u64().unwrap() > 0);
    assert!(json["host"]["system_used_bytes"].as_u64().unwrap() > 0);
    assert!(json["host"]["process_rss_bytes"].as_u64().unwrap() > 0);
    assert!(json["devices"].is_array());
    if available {
        assert!(!json["devices"].as_array().unwrap().is_empty());
    } else {
        let reason = json["nvml"]["reason"].as_str().expect("nvml.reason");
        assert!(reason.contains("libnvidia-ml") && !reason.contains('\n'));
    }
}

#[test]
fn cli_streams_count_json_lines() {
    let output = voxdeck_gpu(&["--json", "--interval-ms", "10", "--count", "3"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON object"))
        .collect();
    let seqs: Vec<u64> = lines.iter().map(|l| l["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, [0, 1, 2]);
}

#[test]
fn cli_once_text_says_why_without_nvml() {
    let output = voxdeck_gpu(&["--once"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("host   system memory"), "{text}");
    if gpu::sample_once().status.is_available() {
        assert!(text.starts_with("NVIDIA driver"), "{text}");
    } else {
        assert!(text.starts_with("NVML unavailable: libnvidia-ml"), "{text}");
    }
}

#[test]
fn cli_rejects_a_zero_interval_with_exit_2() {
    let output = voxdeck_gpu(&["--interval-ms", "0", "--count", "1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--interval-ms"));
}
