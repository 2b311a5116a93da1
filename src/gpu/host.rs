//! What the GPU pane shows without NVML: this process's resident memory and the system's memory.

use super::HostMemory;

/// Reads /proc; a figure that cannot be read is 0 (not Linux, or /proc not mounted).
pub(super) fn read() -> HostMemory {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total = kib_field(&meminfo, "MemTotal:").unwrap_or(0);
    // MemAvailable exists since Linux 3.14; MemFree understates what is free, but is what there is.
    let available = kib_field(&meminfo, "MemAvailable:")
        .or_else(|| kib_field(&meminfo, "MemFree:"))
        .unwrap_or(0);
    HostMemory {
        process_rss_bytes: kib_field(&status, "VmRSS:").unwrap_or(0),
        system_used_bytes: total.saturating_sub(available),
        system_total_bytes: total,
        history: Vec::new(),
    }
}

/// `Key:   1234 kB` -> bytes.
fn kib_field(text: &str, key: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(key))?;
    let kib: u64 = line[key.len()..].split_whitespace().next()?.parse().ok()?;
    Some(kib.saturating_mul(1024))
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
    }

    #[test]
    fn reads_this_machine() {
        let host = read();
        assert!(host.process_rss_bytes > 0);
        assert!(host.system_total_bytes >= host.system_used_bytes);
        assert!(host.system_used_bytes > 0);
    }
}
