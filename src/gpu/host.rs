//! What the GPU pane shows without NVML: this process's resident memory and the system's memory.

use super::HostMemory;

/// Reads /proc; a figure that cannot be read is 0 (not Linux, or /proc not mounted).
pub(super) fn read() -> HostMemory {
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total = kib_field(&meminfo, "MemTotal:").unwrap_or(0);
    // MemAvailable exists since Linux 3.14; MemFree understates what is free, but is what there is.
    let available = kib_field(&meminfo, "MemAvailable:")
        .or_else(|| kib_field(&meminfo, "MemFree:"))
        .unwrap_or(0);
    HostMemory {
        process_rss_bytes: status_kib("VmRSS").map_or(0, |kib| kib.saturating_mul(1024)),
        system_used_bytes: total.saturating_sub(available),
        system_total_bytes: total,
        history: Vec::new(),
    }
}

/// A field of /proc/self/status in KiB, e.g. `status_kib("VmRSS")` (resident now) or
/// `status_kib("VmHWM")` (peak resident); `None` when it cannot be read (not Linux).
pub fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    kib(&status, field)
}

/// `Key:   1234 kB` -> bytes.
fn kib_field(text: &str, key: &str) -> Option<u64> {
    kib(text, key).map(|kib| kib.saturating_mul(1024))
}

/// The number of the line `Key:   1234 kB` (`key` given with or without its colon).
fn kib(text: &str, key: &str) -> Option<u64> {
    let key = key.strip_suffix(':').unwrap_or(key);
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kib_fields() {
        let text = "MemTotal:       16318032 kB\nMemFree:  100 kB\nMemAvailable:    8000 kB\n";
        assert_eq!(kib_field(text, "MemTotal:"), Some(16318032 * 1024));
        assert_eq!(kib_field(text, "MemAvailable:"), Some(8000 * 1024));
        assert_eq!(kib_field(text, "VmRSS:"), None);
        // A key is the whole name before the colon, not a prefix of another one.
        assert_eq!(kib(text, "Mem"), None);
        assert_eq!(kib(text, "MemFree"), Some(100));
    }

    #[test]
    fn reads_this_process_status() {
        let rss = status_kib("VmRSS").unwrap();
        assert!(rss > 0);
        assert_eq!(status_kib("VmHWM:").map(|peak| peak >= rss), Some(true));
        assert_eq!(status_kib("NoSuchField"), None);
    }

    #[test]
    fn reads_this_machine() {
        let host = read();
        assert!(host.process_rss_bytes > 0);
        assert!(host.system_total_bytes >= host.system_used_bytes);
        assert!(host.system_used_bytes > 0);
    }
}
