//! NVML through nvml-wrapper: loaded and initialised once per process; each [`Reader`] looks its
//! device handles up once and reads them per sample.

use std::sync::OnceLock;

use nvml_wrapper::enum_wrappers::device::TemperatureSensor;
use nvml_wrapper::enums::device::UsedGpuMemory;
use nvml_wrapper::error::NvmlError;
use nvml_wrapper::struct_wrappers::device::ProcessInfo;
use nvml_wrapper::{Device, Nvml};

use super::{DeviceSample, GpuProcess, GpuStatus, ProcessKind};

struct Handle {
    nvml: Nvml,
    driver_version: Option<String>,
    cuda_driver_version: Option<String>,
}

/// The NVML library stays loaded for the life of the process: loading it is the slow part, and
/// a driver does not appear while voxdeck runs.
static NVML: OnceLock<Result<Handle, String>> = OnceLock::new();

fn handle() -> Result<&'static Handle, &'static str> {
    NVML.get_or_init(|| {
        let nvml = Nvml::init().map_err(|e| init_reason(&e))?;
        let driver_version = nvml.sys_driver_version().ok();
        let cuda_driver_version = nvml
            .sys_cuda_driver_version()
            .ok()
            .map(|v| format!("{}.{}", v / 1000, (v % 1000) / 10));
        Ok(Handle {
            nvml,
            driver_version,
            cuda_driver_version,
        })
    })
    .as_ref()
    .map_err(String::as_str)
}

/// NVML's initialisation error as one short line for the GPU pane.
pub(super) fn init_reason(error: &NvmlError) -> String {
    let lib = "libnvidia-ml.so.1";
    match error {
        NvmlError::LibloadingError(e) => {
            let detail = one_line(&e.to_string());
            if detail.contains("No such file") || detail.contains("cannot open shared object") {
                format!("{lib} not found: no NVIDIA driver")
            } else {
                format!("{lib} could not be loaded: {detail}")
            }
        }
        NvmlError::FailedToLoadSymbol(symbol) => format!(
            "{lib} is too old (lacks {}): update the NVIDIA driver",
            one_line(symbol)
        ),
        NvmlError::DriverNotLoaded => {
            format!("{lib} found, but the NVIDIA kernel driver is not loaded")
        }
        NvmlError::NoPermission => format!("{lib}: no permission to query the NVIDIA driver"),
        NvmlError::LibRmVersionMismatch => format!(
            "{lib} does not match the running NVIDIA kernel driver (reboot or reinstall the driver)"
        ),
        other => format!(
            "{lib}: NVML initialisation failed: {}",
            one_line(&other.to_string())
        ),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One device handle, looked up once; a lookup that failed is retried at the next sample.
struct Slot {
    index: u32,
    /// `Device<'static>` borrows the process-wide `Nvml` in `NVML`, which is never dropped.
    device: Result<Device<'static>, String>,
}

/// Reads every device per sample through handles looked up once, at its first sample that finds
/// NVML devices (the device set does not change while voxdeck runs), not at every sample.
#[derive(Default)]
pub(super) struct Reader {
    slots: Vec<Slot>,
}

impl Reader {
    pub(super) fn read(&mut self, pid: u32) -> (GpuStatus, Vec<DeviceSample>) {
        let handle = match handle() {
            Ok(handle) => handle,
            Err(reason) => return (unavailable(reason), Vec::new()),
        };
        if let Err(reason) = self.look_up(&handle.nvml) {
            return (unavailable(&reason), Vec::new());
        }
        let devices = self
            .slots
            .iter()
            .map(|slot| match &slot.device {
                Ok(device) => read_device(device, slot.index, pid),
                Err(e) => failed_device(slot.index, e.clone()),
            })
            .collect();
        let status = GpuStatus::Available {
            driver_version: handle.driver_version.clone(),
            cuda_driver_version: handle.cuda_driver_version.clone(),
        };
        (status, devices)
    }

    /// Fills the slots at the first sample; afterwards only retries the lookups that failed.
    fn look_up(&mut self, nvml: &'static Nvml) -> Result<(), String> {
        if self.slots.is_empty() {
            let count = match nvml.device_count() {
                Ok(0) => {
                    return Err("libnvidia-ml.so.1 loaded, but it reports no NVIDIA devices".into())
                }
                Ok(n) => n,
                Err(e) => {
                    return Err(format!(
                        "libnvidia-ml.so.1: cannot count devices: {}",
                        one_line(&e.to_string())
                    ))
                }
            };
            self.slots = (0..count)
                .map(|index| Slot {
                    index,
                    device: Err(String::new()),
                })
                .collect();
        }
        for slot in self.slots.iter_mut().filter(|slot| slot.device.is_err()) {
            slot.device = nvml
                .device_by_index(slot.index)
                .map_err(|e| format!("cannot open device: {e}"));
        }
        Ok(())
    }
}

fn unavailable(reason: &str) -> GpuStatus {
    GpuStatus::Unavailable {
        reason: reason.to_string(),
    }
}

fn failed_device(index: u32, error: String) -> DeviceSample {
    DeviceSample {
        index,
        name: format!("GPU {index}"),
        memory_used_bytes: 0,
        memory_total_bytes: 0,
        utilization_percent: None,
        temperature_celsius: None,
        power_watts: None,
        own_process_bytes: None,
        processes: Vec::new(),
        error: Some(error),
        history: Vec::new(),
    }
}

fn read_device(device: &Device<'_>, index: u32, pid: u32) -> DeviceSample {
    let mut sample = failed_device(index, String::new());
    sample.error = None;
    if let Ok(name) = device.name() {
        sample.name = name;
    }
    match device.memory_info() {
        Ok(memory) => {
            sample.memory_used_bytes = memory.used;
            sample.memory_total_bytes = memory.total;
        }
        Err(e) => sample.error = Some(format!("memory query failed: {e}")),
    }
    sample.utilization_percent = device.utilization_rates().ok().map(|u| u.gpu);
    sample.temperature_celsius = device.temperature(TemperatureSensor::Gpu).ok();
    sample.power_watts = device.power_usage().ok().map(|mw| f64::from(mw) / 1000.0);
    if let Some(processes) = processes(device) {
        sample.own_process_bytes = Some(
            processes
                .iter()
                .filter(|p| p.pid == pid)
                .filter_map(|p| p.used_bytes)
                .max()
                .unwrap_or(0),
        );
        sample.processes = processes;
    }
    sample
}

/// The compute and graphics lists merged by pid; `None` when neither could be read.
fn processes(device: &Device<'_>) -> Option<Vec<GpuProcess>> {
    let compute = device.running_compute_processes();
    let graphics = device.running_graphics_processes();
    if compute.is_err() && graphics.is_err() {
        return None;
    }
    Some(merge(
        compute.unwrap_or_default(),
        graphics.unwrap_or_default(),
    ))
}

fn merge(compute: Vec<ProcessInfo>, graphics: Vec<ProcessInfo>) -> Vec<GpuProcess> {
    let mut out: Vec<GpuProcess> = Vec::new();
    let tagged = compute
        .into_iter()
        .map(|p| (p, ProcessKind::Compute))
        .chain(graphics.into_iter().map(|p| (p, ProcessKind::Graphics)));
    for (info, kind) in tagged {
        let used_bytes = match info.used_gpu_memory {
            UsedGpuMemory::Used(bytes) => Some(bytes),
            UsedGpuMemory::Unavailable => None,
        };
        match out.iter_mut().find(|p| p.pid == info.pid) {
            Some(seen) => {
                if seen.kind != kind {
                    seen.kind = ProcessKind::Both;
                }
                seen.used_bytes = seen.used_bytes.max(used_bytes);
            }
            None => out.push(GpuProcess {
                pid: info.pid,
                used_bytes,
                kind,
            }),
        }
    }
    out.sort_by_key(|p| p.pid);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn a_missing_library_reads_as_no_driver() {
        let Err(error) = Nvml::builder()
            .lib_path(OsStr::new("libnvidia-ml-voxdeck-absent.so.1"))
            .init()
        else {
            panic!("a library that does not exist cannot load");
        };
        assert_eq!(
            init_reason(&error),
            "libnvidia-ml.so.1 not found: no NVIDIA driver"
        );
    }

    #[test]
    fn driver_errors_read_as_one_line() {
        for error in [
            NvmlError::DriverNotLoaded,
            NvmlError::NoPermission,
            NvmlError::LibRmVersionMismatch,
            NvmlError::FailedToLoadSymbol("nvmlInit_v2:\nundefined symbol".into()),
            NvmlError::Unknown,
        ] {
            let reason = init_reason(&error);
            assert!(reason.starts_with("libnvidia-ml.so.1"), "{reason}");
            assert!(!reason.contains('\n'), "{reason}");
        }
    }

    #[test]
    fn a_reader_without_nvml_keeps_no_handles() {
        let mut reader = Reader::default();
        for _ in 0..2 {
            let (status, devices) = reader.read(std::process::id());
            if !status.is_available() {
                assert!(devices.is_empty());
                assert!(reader.slots.is_empty());
            } else {
                // A box with NVML: the handles are the ones the devices were read through.
                assert_eq!(reader.slots.len(), devices.len());
            }
        }
    }

    #[test]
    fn processes_in_both_lists_merge() {
        let info = |pid, bytes| ProcessInfo {
            pid,
            used_gpu_memory: UsedGpuMemory::Used(bytes),
            gpu_instance_id: None,
            compute_instance_id: None,
        };
        let merged = merge(vec![info(7, 100), info(3, 5)], vec![info(7, 90)]);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].pid, 3);
        assert_eq!(merged[1].kind, ProcessKind::Both);
        assert_eq!(merged[1].used_bytes, Some(100));
    }
}
