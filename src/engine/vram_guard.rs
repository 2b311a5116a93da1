//! On CUDA every pool worker holds its own copy of the weights in video memory, so a worker
//! is only started while the device has room for one more: the first worker's own growth
//! (NVML's per-process figure) is the need, and the device's free memory must cover it.
//! Unverified: this box has no GPU; without NVML the guard lets every worker start.

use crate::gpu::{sample_once, GpuSample};

pub(crate) struct VramGuard {
    /// This process's video memory before the first worker opened its sessions.
    before: Option<u64>,
    /// One worker's video memory, once the first is ready.
    need: Option<u64>,
}

/// This process's video memory over every device, and the device holding most of it
/// (its index, free bytes); `None` without NVML or process lists.
fn own_memory(sample: &GpuSample) -> Option<(u64, Option<(u32, u64)>)> {
    if !sample.status.is_available() {
        return None;
    }
    let total: u64 = sample
        .devices
        .iter()
        .map(|d| d.own_process_bytes)
        .sum::<Option<u64>>()?;
    let busiest = sample
        .devices
        .iter()
        .filter(|d| d.own_process_bytes.unwrap_or(0) > 0)
        .max_by_key(|d| d.own_process_bytes)
        .map(|d| {
            (
                d.index,
                d.memory_total_bytes.saturating_sub(d.memory_used_bytes),
            )
        });
    Some((total, busiest))
}

/// The GPU cannot hold one more worker: its free memory and one worker's, in bytes.
#[derive(Debug, thiserror::Error)]
#[error("GPU {index} has {} MiB free, less than one worker's {} MiB", free >> 20, need >> 20)]
pub(crate) struct NoRoom {
    index: u32,
    free: u64,
    need: u64,
}

impl VramGuard {
    pub(crate) fn new() -> VramGuard {
        VramGuard {
            before: own_memory(&sample_once()).map(|(bytes, _)| bytes),
            need: None,
        }
    }

    /// Measures what the first worker took.
    pub(crate) fn first_worker_ready(&mut self) {
        let after = own_memory(&sample_once()).map(|(bytes, _)| bytes);
        if let (Some(before), Some(after)) = (self.before, after) {
            self.need = Some(after.saturating_sub(before));
            log::debug!(
                "one pool worker holds {} MiB of video memory",
                after.saturating_sub(before) >> 20
            );
        }
    }

    /// `Err(why)` when the device cannot hold one more worker.
    pub(crate) fn room_for_another(&self) -> Result<(), NoRoom> {
        let Some(need) = self.need.filter(|&n| n > 0) else {
            return Ok(());
        };
        match own_memory(&sample_once()) {
            Some((_, Some((index, free)))) if free < need => Err(NoRoom { index, free, need }),
            _ => Ok(()),
        }
    }
}
