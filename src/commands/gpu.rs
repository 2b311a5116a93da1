//! `voxdeck gpu`: the console's GPU sampler, headless. `--once` prints one sample (a table, or a
//! JSON document with `--json`); otherwise a line per sample (text, or one JSON object per line)
//! until Ctrl-C or `--count` samples. No NVML is not an error: it says why and shows host memory.

use std::io::{self, Write};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{bail, Context};
use voxdeck::gpu::{self, DeviceSample, GpuSample, GpuSampler, GpuStatus, SamplerOptions};
use voxdeck_ui::bytes;

use super::Finished;
use crate::cli::GpuArgs;

pub fn execute(args: GpuArgs) -> anyhow::Result<Finished> {
    if args.interval_ms == 0 {
        bail!("--interval-ms must be at least 1");
    }
    if args.count == Some(0) {
        bail!("--count must be at least 1");
    }
    if args.once && args.count.is_some() {
        bail!("--once prints one sample: drop --count, or drop --once to print --count samples");
    }
    let result = if args.once {
        print_once(&gpu::sample_once().without_history(), args.json)
    } else {
        stream(&args)
    };
    match result {
        // `voxdeck gpu | head` closing the pipe is a normal way to stop.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(Finished::AllDone),
        other => other
            .map(|()| Finished::AllDone)
            .context("cannot write to stdout"),
    }
}

fn print_once(sample: &GpuSample, json: bool) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, sample)?;
        return writeln!(out);
    }
    writeln!(out, "{}", status_line(&sample.status))?;
    for device in &sample.devices {
        writeln!(out, "{}", device_table_row(device))?;
        if !device.processes.is_empty() {
            let processes: Vec<String> = device
                .processes
                .iter()
                .map(|p| {
                    let used = p.used_bytes.map_or_else(|| "?".into(), bytes);
                    let own = if p.pid == sample.pid {
                        " (voxdeck)"
                    } else {
                        ""
                    };
                    format!("{} {:?} {used}{own}", p.pid, p.kind).to_lowercase()
                })
                .collect();
            writeln!(out, "       processes: {}", processes.join(", "))?;
        }
    }
    let host = &sample.host;
    writeln!(
        out,
        "host   system memory {} / {} used ({}), this process {} resident",
        bytes(host.system_used_bytes),
        bytes(host.system_total_bytes),
        percent(host.system_used_bytes, host.system_total_bytes),
        bytes(host.process_rss_bytes)
    )
}

fn stream(args: &GpuArgs) -> io::Result<()> {
    let options = SamplerOptions {
        interval: Duration::from_millis(args.interval_ms),
        ..SamplerOptions::default()
    };
    let (tx, rx) = mpsc::channel();
    let sampler = GpuSampler::start(options, move |sample| {
        let _ = tx.send(sample.without_history());
    })
    .map_err(io::Error::other)?;
    let mut out = io::stdout().lock();
    let mut printed = 0usize;
    let mut first_ms = None;
    while let Ok(sample) = rx.recv() {
        if args.json {
            serde_json::to_writer(&mut out, &sample)?;
            writeln!(out)?;
        } else {
            if printed == 0 {
                writeln!(out, "{}", status_line(&sample.status))?;
            }
            let start = *first_ms.get_or_insert(sample.unix_ms);
            writeln!(out, "{}", stream_line(&sample, start))?;
        }
        out.flush()?;
        printed += 1;
        if args.count.is_some_and(|count| printed >= count) {
            break;
        }
    }
    sampler.stop();
    Ok(())
}

fn status_line(status: &GpuStatus) -> String {
    match status {
        GpuStatus::Unavailable { reason } => format!("NVML unavailable: {reason}"),
        GpuStatus::Available {
            driver_version,
            cuda_driver_version,
        } => format!(
            "NVIDIA driver {} (CUDA {})",
            driver_version.as_deref().unwrap_or("?"),
            cuda_driver_version.as_deref().unwrap_or("?")
        ),
    }
}

fn device_table_row(d: &DeviceSample) -> String {
    if let Some(error) = &d.error {
        return format!("GPU {:<2} {}  {error}", d.index, d.name);
    }
    format!(
        "GPU {:<2} {}  mem {} / {} ({})  util {}  {}  {}  this process {}",
        d.index,
        d.name,
        bytes(d.memory_used_bytes),
        bytes(d.memory_total_bytes),
        percent(d.memory_used_bytes, d.memory_total_bytes),
        d.utilization_percent
            .map_or_else(|| "?".into(), |u| format!("{u}%")),
        d.temperature_celsius
            .map_or_else(|| "? °C".into(), |t| format!("{t} °C")),
        d.power_watts
            .map_or_else(|| "? W".into(), |w| format!("{w:.0} W")),
        d.own_process_bytes.map_or_else(|| "?".into(), bytes),
    )
}

fn stream_line(sample: &GpuSample, start_ms: u64) -> String {
    let t = sample.unix_ms.saturating_sub(start_ms) as f64 / 1000.0;
    let mut line = format!("{t:>7.1}s");
    if sample.devices.is_empty() {
        let h = &sample.host;
        line.push_str(&format!(
            "  host {} / {} used, rss {}",
            bytes(h.system_used_bytes),
            bytes(h.system_total_bytes),
            bytes(h.process_rss_bytes)
        ));
    }
    for d in &sample.devices {
        line.push_str(&format!(
            "  GPU{} {} / {} {} {} {} own {}",
            d.index,
            bytes(d.memory_used_bytes),
            bytes(d.memory_total_bytes),
            d.utilization_percent
                .map_or_else(|| "?%".into(), |u| format!("{u}%")),
            d.temperature_celsius
                .map_or_else(|| "?°C".into(), |t| format!("{t}°C")),
            d.power_watts
                .map_or_else(|| "?W".into(), |w| format!("{w:.0}W")),
            d.own_process_bytes.map_or_else(|| "?".into(), bytes),
        ));
    }
    line
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "?%".into();
    }
    format!("{:.0}%", part as f64 * 100.0 / whole as f64)
}
