//! `voxdeck bench`: the same job in shared-lock mode and in pool mode at several worker
//! counts. Each configuration runs in its own child process, so its memory figures are
//! its own; inside it, models are loaded and one warm-up run is made before timing.
//! `--auto` times pool mode alone and picks the knee (`knee`), which `--save` writes to
//! the settings file as the box's default worker count.

mod knee;

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use voxdeck::engine::pool::{Engine, EngineOptions};
use voxdeck::engine::progress::Unobserved;
use voxdeck::job::Mode;

use super::{prepare, Finished};
use crate::cli::{BenchArgs, RuntimeArgs};

/// One configuration's measurements (median over the timed repeats).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Measurement {
    pub mode: String,
    pub workers: usize,
    pub intra_threads: usize,
    pub wall_ms: f64,
    /// Sum of the time spent inside ORT `run()` calls, for the median repeat.
    pub ort_run_ms: f64,
    pub audio_seconds: f64,
    /// Process CPU time over (wall time x cores), during the timed repeats.
    pub cpu_busy_percent: f64,
    /// Resident memory after the models were loaded, before any run.
    pub rss_loaded_mib: f64,
    /// Peak resident memory during the timed repeats.
    pub peak_rss_mib: f64,
    /// This process's video memory after loading, summed over the GPUs NVML lists; `None`
    /// without NVML.
    #[serde(default)]
    pub vram_loaded_mib: Option<f64>,
    /// Whether the pool's workers shared one copy of the weights.
    #[serde(default)]
    pub shared_weights: bool,
    pub languages_failed: usize,
}

pub fn execute(args: BenchArgs, runtime: &RuntimeArgs) -> anyhow::Result<Finished> {
    if let Ok(spec) = std::env::var("VOXDECK_BENCH_ONE") {
        return measure_one(&args, runtime, &spec);
    }
    // clap keeps every count within MIN_WORKERS..=MAX_WORKERS.
    if args.workers.is_empty() {
        bail!("--workers takes worker counts, e.g. --workers 1,2,4");
    }
    if args.repeat == 0 {
        bail!("--repeat must be at least 1");
    }
    // Fail fast, with the usual exit code 2, on a bad job or set-up.
    drop(prepare(&args.job, runtime.ort_lib.as_deref())?);
    if args.auto {
        return auto(&args, runtime);
    }
    let widest = *args.workers.iter().max().expect("checked non-empty");
    let mut configs = vec![(Mode::SharedLock, widest, args.intra_threads)];
    configs.extend(
        args.baseline_intra
            .iter()
            .map(|&t| (Mode::SharedLock, widest, Some(t))),
    );
    configs.extend(
        args.workers
            .iter()
            .map(|&w| (Mode::Pool, w, args.intra_threads)),
    );
    let mut results = Vec::new();
    for (mode, workers, intra) in configs {
        eprintln!(
            "bench: {} with {workers} workers, intra-op {} ...",
            mode.name(),
            intra.map_or("default".into(), |t| t.to_string())
        );
        results.push(run_child(&args, runtime, mode, workers, intra)?);
    }
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        outln!("{}", render(&results));
    }
    Ok(if results.iter().all(|r| r.languages_failed == 0) {
        Finished::AllDone
    } else {
        Finished::SomeFailed
    })
}

/// `--auto`: pool mode at each count of `--workers`, then the knee, saved with `--save`.
fn auto(args: &BenchArgs, runtime: &RuntimeArgs) -> anyhow::Result<Finished> {
    let mut counts = args.workers.clone();
    counts.sort_unstable();
    counts.dedup();
    let mut results = Vec::new();
    for &workers in &counts {
        eprintln!("bench --auto: pool with {workers} workers ...");
        results.push(run_child(
            args,
            runtime,
            Mode::Pool,
            workers,
            args.intra_threads,
        )?);
    }
    let choice = knee::choose(&results);
    let saved_to = match (&choice, args.save) {
        (Some(choice), true) => {
            let path = voxdeck::config::path().context("cannot save the worker count")?;
            voxdeck::config::save(&path, "pool", "workers", (choice.workers as i64).into())
                .context("cannot save the worker count")?;
            Some(path)
        }
        _ => None,
    };
    if args.json {
        let json = serde_json::json!({
            "measurements": results,
            "choice": choice,
            "saved_to": saved_to,
        });
        outln!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        outln!("{}", render(&results));
        match &choice {
            Some(c) => {
                outln!("chosen: {} workers: {}", c.workers, c.reason);
                match &saved_to {
                    Some(path) => outln!(
                        "saved as [pool] workers in {}: jobs that name no worker count use it",
                        path.display()
                    ),
                    None => outln!("not saved: run again with --save to make it the default"),
                }
            }
            None => outln!("no count chosen: no worker count finished every language"),
        }
    }
    Ok(
        if choice.is_some() && results.iter().all(|r| r.languages_failed == 0) {
            Finished::AllDone
        } else {
            Finished::SomeFailed
        },
    )
}

fn run_child(
    args: &BenchArgs,
    runtime: &RuntimeArgs,
    mode: Mode,
    workers: usize,
    intra: Option<usize>,
) -> anyhow::Result<Measurement> {
    let exe = std::env::current_exe().context("cannot find the voxdeck executable to re-run")?;
    let mut cmd = Command::new(exe);
    if let Some(lib) = &runtime.ort_lib {
        cmd.arg("--ort-lib").arg(lib);
    }
    cmd.arg("bench")
        .arg(&args.job)
        .arg("--repeat")
        .arg(args.repeat.to_string());
    if let Some(device) = args.device {
        cmd.arg("--device").arg(device.to_string());
    }
    let spec = format!("{}:{workers}:{}", mode.name(), intra.map_or(0, |t| t));
    if args.no_shared_weights {
        cmd.env("VOXDECK_SHARE_WEIGHTS", "0");
    }
    let output = cmd
        .env("VOXDECK_BENCH_ONE", spec)
        .output()
        .context("cannot start a bench child process")?;
    if !output.status.success() {
        bail!(
            "bench child failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    serde_json::from_slice(&output.stdout).context("bench child printed no measurement")
}

fn measure_one(args: &BenchArgs, runtime: &RuntimeArgs, spec: &str) -> anyhow::Result<Finished> {
    let mut parts = spec.split(':');
    let mode: Mode = parts
        .next()
        .unwrap_or("")
        .parse()
        .map_err(anyhow::Error::msg)?;
    let workers: usize = parts.next().unwrap_or("").parse()?;
    let intra: usize = parts.next().unwrap_or("0").parse()?;
    let prepared = prepare(&args.job, runtime.ort_lib.as_deref())?;
    let options = EngineOptions {
        workers,
        mode,
        device: args.device.unwrap_or(prepared.job.device),
        intra_threads: (intra > 0).then_some(intra),
        share_weights: std::env::var("VOXDECK_SHARE_WEIGHTS").map_or(true, |v| v != "0"),
    };
    let preload: Vec<_> = prepared.plan.models.clone().into_iter().collect();
    let options_shared = options.share_weights && mode == Mode::Pool && workers > 1;
    let engine = Engine::start(prepared.runtime.clone(), options, &preload)?;
    let rss_loaded_mib = status_mib("VmRSS");
    let vram_loaded_mib = own_video_memory_mib();
    let out = std::env::temp_dir().join(format!("voxdeck-bench-{}", std::process::id()));
    let submit = || {
        let cancel = Arc::new(AtomicBool::new(false));
        engine.submit(
            prepared.plan.clone(),
            out.clone(),
            Arc::new(Unobserved),
            cancel,
        )
    };
    submit().wait();
    reset_peak_rss();
    let cpu_before = process_cpu_seconds();
    let timed_start = Instant::now();
    let mut runs = Vec::new();
    for _ in 0..args.repeat {
        runs.push(submit().wait());
    }
    let timed_wall = timed_start.elapsed().as_secs_f64();
    let cpu = process_cpu_seconds() - cpu_before;
    let _ = std::fs::remove_dir_all(&out);
    runs.sort_by(|a, b| a.wall_seconds.total_cmp(&b.wall_seconds));
    let median = &runs[runs.len() / 2];
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1) as f64;
    let measurement = Measurement {
        mode: mode.name().to_string(),
        workers,
        intra_threads: engine.intra_threads(),
        wall_ms: median.wall_seconds * 1000.0,
        ort_run_ms: median.synthesis_seconds() * 1000.0,
        audio_seconds: median.audio_seconds(),
        cpu_busy_percent: 100.0 * cpu / (timed_wall * cores),
        rss_loaded_mib,
        peak_rss_mib: status_mib("VmHWM"),
        vram_loaded_mib,
        shared_weights: options_shared,
        languages_failed: median
            .languages
            .iter()
            .filter(|l| l.status != voxdeck::engine::run::Status::Done)
            .count(),
    };
    outln!("{}", serde_json::to_string(&measurement)?);
    Ok(Finished::AllDone)
}

/// The table: `method | total ms | speedup vs shared-lock` and the supporting figures.
pub fn render(results: &[Measurement]) -> String {
    let baseline = results
        .iter()
        .find(|r| r.mode == "shared-lock")
        .map_or(f64::NAN, |r| r.wall_ms);
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            vec![
                format!("{} x{} (intra {})", r.mode, r.workers, r.intra_threads),
                format!("{:.0}", r.wall_ms),
                if baseline.is_nan() {
                    "-".into()
                } else {
                    format!("{:.2}x", baseline / r.wall_ms)
                },
                format!("{:.2}", r.audio_seconds / (r.wall_ms / 1000.0)),
                format!("{:.2}", r.wall_ms / r.ort_run_ms.max(1e-9)),
                format!("{:.0}%", r.cpu_busy_percent),
                format!("{:.0}", r.rss_loaded_mib),
                format!("{:.0}", r.peak_rss_mib),
                r.vram_loaded_mib.map_or("-".into(), |v| format!("{v:.0}")),
            ]
        })
        .collect();
    let header = [
        "method",
        "total ms",
        "speedup vs shared-lock",
        "audio s / wall s",
        "wall / ORT run",
        "CPU busy",
        "RSS loaded MiB",
        "peak RSS MiB",
        "VRAM loaded MiB",
    ];
    let mut text = voxdeck_ui::table(&header, &rows);
    let pools: Vec<&Measurement> = results.iter().filter(|r| r.mode == "pool").collect();
    if let (Some(first), Some(last)) = (
        pools.iter().min_by_key(|r| r.workers),
        pools.iter().max_by_key(|r| r.workers),
    ) {
        if last.workers > first.workers {
            let per_worker = (last.rss_loaded_mib - first.rss_loaded_mib)
                / (last.workers - first.workers) as f64;
            text.push_str(&format!(
                "\nresident memory per extra pool worker: {per_worker:.0} MiB ({} to {} workers, {} weights)",
                first.workers,
                last.workers,
                if last.shared_weights { "shared" } else { "own" }
            ));
            if let (Some(a), Some(b)) = (first.vram_loaded_mib, last.vram_loaded_mib) {
                let per_worker = (b - a) / (last.workers - first.workers) as f64;
                text.push_str(&format!(
                    "\nvideo memory per extra pool worker: {per_worker:.0} MiB"
                ));
            }
        }
    }
    text
}

/// This process's GPU memory from NVML, over every device; `None` without NVML.
fn own_video_memory_mib() -> Option<f64> {
    let sample = voxdeck::gpu::sample_once();
    if !sample.status.is_available() {
        return None;
    }
    let bytes: Option<u64> = sample.devices.iter().map(|d| d.own_process_bytes).sum();
    bytes.map(|b| b as f64 / (1 << 20) as f64)
}

/// A /proc/self/status figure in MiB; NaN where it cannot be read.
fn status_mib(field: &str) -> f64 {
    voxdeck::gpu::status_kib(field).map_or(f64::NAN, |kib| kib as f64 / 1024.0)
}

/// Resets VmHWM so the peak covers only the timed runs (Linux: clear_refs value 5).
fn reset_peak_rss() {
    let _ = std::fs::write(Path::new("/proc/self/clear_refs"), "5");
}

fn process_cpu_seconds() -> f64 {
    // SAFETY: rusage is plain old data; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct we pass.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}
