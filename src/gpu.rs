//! GPU sampling for the console's GPU pane and `voxdeck gpu`: NVML devices (memory, utilisation,
//! temperature, power, per-process memory), or, without NVML, this process's resident memory and
//! the system's memory, each with a bounded history.
//!
//! History lives in the sampler, not in the caller: every [`GpuSample`] carries a snapshot of the
//! last `SamplerOptions::history` (2 minutes by default), so a consumer that only keeps the latest
//! sample (a "latest wins" channel) still draws a full chart.

mod history;
mod host;
mod nvml;

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use history::Ring;

pub use history::HistoryPoint;
pub use host::status_kib;

/// The most history points kept per series, whatever the window and interval ask for.
pub const MAX_HISTORY_POINTS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SamplerOptions {
    /// Time between samples (default 500 ms).
    pub interval: Duration,
    /// How far back each sample's history reaches (default 2 minutes).
    pub history: Duration,
}

impl Default for SamplerOptions {
    fn default() -> Self {
        SamplerOptions {
            interval: Duration::from_millis(500),
            history: Duration::from_secs(120),
        }
    }
}

impl SamplerOptions {
    /// Points per history series: the window divided by the interval, rounded up, at least 1.
    pub fn history_capacity(&self) -> usize {
        let interval = self.interval.as_nanos().max(1);
        let points = self.history.as_nanos().div_ceil(interval);
        usize::try_from(points)
            .unwrap_or(MAX_HISTORY_POINTS)
            .clamp(1, MAX_HISTORY_POINTS)
    }
}

/// One reading of every device (or of host memory when NVML is unavailable).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GpuSample {
    /// Samples taken by this sampler before this one (0 for the first).
    pub seq: u64,
    /// Milliseconds since the Unix epoch when the sample was taken.
    pub unix_ms: u64,
    /// This process's id, the one matched against the GPU process lists.
    pub pid: u32,
    #[serde(rename = "nvml")]
    pub status: GpuStatus,
    /// Empty when NVML is unavailable.
    pub devices: Vec<DeviceSample>,
    /// Always sampled; the GPU pane shows it when NVML is unavailable.
    pub host: HostMemory,
}

/// Whether NVML answered. Serialised as `{"available": bool, "reason" | "driver_version", ...}`.
#[derive(Debug, Clone, PartialEq)]
pub enum GpuStatus {
    Available {
        driver_version: Option<String>,
        /// The CUDA version the driver supports, e.g. "12.4".
        cuda_driver_version: Option<String>,
    },
    /// One line saying why, e.g. "libnvidia-ml.so.1 not found: no NVIDIA driver".
    Unavailable { reason: String },
}

impl GpuStatus {
    pub fn is_available(&self) -> bool {
        matches!(self, GpuStatus::Available { .. })
    }
}

impl Serialize for GpuStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            available: bool,
            #[serde(skip_serializing_if = "Option::is_none")]
            reason: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            driver_version: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            cuda_driver_version: Option<&'a str>,
        }
        let json = match self {
            GpuStatus::Available {
                driver_version,
                cuda_driver_version,
            } => Json {
                available: true,
                reason: None,
                driver_version: driver_version.as_deref(),
                cuda_driver_version: cuda_driver_version.as_deref(),
            },
            GpuStatus::Unavailable { reason } => Json {
                available: false,
                reason: Some(reason),
                driver_version: None,
                cuda_driver_version: None,
            },
        };
        json.serialize(serializer)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceSample {
    /// NVML index (PCI bus order; CUDA's default order may differ).
    pub index: u32,
    pub name: String,
    pub memory_used_bytes: u64,
    pub memory_total_bytes: u64,
    pub utilization_percent: Option<u32>,
    pub temperature_celsius: Option<u32>,
    pub power_watts: Option<f64>,
    /// This process's GPU memory on the device: `Some(0)` when it is not in the process lists,
    /// `None` when the lists could not be read.
    pub own_process_bytes: Option<u64>,
    /// Every process in the running compute and graphics lists. NVML reports pids as the host
    /// sees them, so inside a container they may not match this process's pid.
    pub processes: Vec<GpuProcess>,
    /// The first essential query that failed (the memory figures are then 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Memory used, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GpuProcess {
    pub pid: u32,
    /// `None` where the driver does not report it (e.g. Windows WDDM, some containers).
    pub used_bytes: Option<u64>,
    pub kind: ProcessKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProcessKind {
    Compute,
    Graphics,
    /// Listed as both; `used_bytes` is the larger figure, not the sum (it is one allocation).
    Both,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostMemory {
    /// VmRSS of this process.
    pub process_rss_bytes: u64,
    /// MemTotal - MemAvailable.
    pub system_used_bytes: u64,
    pub system_total_bytes: u64,
    /// System memory used, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<HistoryPoint>,
}

impl DeviceSample {
    /// History as (seconds relative to this sample, negative; fraction of total used 0..=1).
    pub fn history_fractions(&self) -> Vec<(f64, f64)> {
        history::fractions(&self.history, self.memory_total_bytes)
    }
}

impl HostMemory {
    /// History as (seconds relative to this sample, negative; fraction of total used 0..=1).
    pub fn history_fractions(&self) -> Vec<(f64, f64)> {
        history::fractions(&self.history, self.system_total_bytes)
    }
}

impl GpuSample {
    /// Drops every history snapshot (for a line-per-sample stream, where they would repeat).
    pub fn without_history(mut self) -> GpuSample {
        self.host.history = Vec::new();
        for device in &mut self.devices {
            device.history = Vec::new();
        }
        self
    }
}

/// Takes samples and keeps their history; [`GpuSampler`] drives one on a thread.
pub struct Collector {
    capacity: usize,
    seq: u64,
    host: Ring,
    devices: Vec<(u32, Ring)>,
    /// NVML's device handles, looked up at the first sample and reused.
    nvml: nvml::Reader,
}

impl Collector {
    pub fn new(options: &SamplerOptions) -> Collector {
        let capacity = options.history_capacity();
        Collector {
            capacity,
            seq: 0,
            host: Ring::new(capacity),
            devices: Vec::new(),
            nvml: nvml::Reader::default(),
        }
    }

    pub fn collect(&mut self) -> GpuSample {
        let pid = std::process::id();
        let (status, mut devices) = self.nvml.read(pid);
        let now = Instant::now();
        let unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let mut host = host::read();

        self.host.push(now, host.system_used_bytes);
        host.history = self.host.snapshot(now);
        self.devices
            .retain(|(index, _)| devices.iter().any(|d| d.index == *index));
        for device in &mut devices {
            let ring = match self
                .devices
                .iter_mut()
                .position(|(i, _)| *i == device.index)
            {
                Some(at) => &mut self.devices[at].1,
                None => {
                    self.devices.push((device.index, Ring::new(self.capacity)));
                    &mut self.devices.last_mut().expect("just pushed").1
                }
            };
            ring.push(now, device.memory_used_bytes);
            device.history = ring.snapshot(now);
        }

        let seq = self.seq;
        self.seq += 1;
        GpuSample {
            seq,
            unix_ms,
            pid,
            status,
            devices,
            host,
        }
    }
}

/// One sample with a one-point history, for `voxdeck gpu --once` and diagnostics.
pub fn sample_once() -> GpuSample {
    Collector::new(&SamplerOptions::default()).collect()
}

#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    #[error("cannot start the GPU sampler thread: {0}")]
    Spawn(#[source] std::io::Error),
}

/// A thread that samples at a fixed interval and hands each sample to a sink. `stop()` (or drop)
/// wakes it from its sleep at once and joins it.
pub struct GpuSampler {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl GpuSampler {
    /// Starts sampling: the first sample at once, then one every `options.interval` (a sample
    /// that overruns the interval delays the next rather than causing a burst). The sink runs on
    /// the sampler thread: forward into a channel there, e.g. `move |s| { let _ = tx.send(s); }`.
    pub fn start(
        options: SamplerOptions,
        mut sink: impl FnMut(GpuSample) + Send + 'static,
    ) -> Result<GpuSampler, GpuError> {
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = Arc::clone(&stop);
        let interval = options.interval.max(Duration::from_millis(1));
        let thread = std::thread::Builder::new()
            .name("voxdeck-gpu".into())
            .spawn(move || {
                let mut collector = Collector::new(&options);
                let mut next = Instant::now();
                loop {
                    sink(collector.collect());
                    let now = Instant::now();
                    next += interval;
                    if next <= now {
                        next = now + interval;
                    }
                    let (lock, wake) = &*signal;
                    let stopped = lock.lock().unwrap_or_else(PoisonError::into_inner);
                    let (stopped, _) = wake
                        .wait_timeout_while(stopped, next - now, |stopped| !*stopped)
                        .unwrap_or_else(PoisonError::into_inner);
                    if *stopped {
                        return;
                    }
                }
            })
            .map_err(GpuError::Spawn)?;
        Ok(GpuSampler {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops the thread and waits for it: returns as soon as a sample in progress is delivered.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        let (lock, wake) = &*self.stop;
        *lock.lock().unwrap_or_else(PoisonError::into_inner) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                log::warn!("the GPU sampler's sink panicked");
            }
        }
    }
}

impl Drop for GpuSampler {
    fn drop(&mut self) {
        self.shut_down();
    }
}
