//! voxdeck-ui: pure presentation helpers over plain data. No engine, no I/O: every
//! function maps values to text, so views can be tested by comparing strings. The console
//! draws with `view::draw` over a `snapshot::Snapshot`, styled by `theme::Theme`.

pub mod keymap;
pub mod snapshot;
pub mod table;
pub mod theme;
pub mod view;

pub use keymap::{footer_hints, help_entries, KeyHint, KeyLabels};
pub use snapshot::Snapshot;
pub use theme::Theme;
pub use view::{draw, draw_with, Areas};

/// A text gauge such as `[#######.....]`, `width` cells between the brackets.
pub fn gauge(done: usize, total: usize, width: usize) -> String {
    let filled = (done.min(total) * width + total / 2)
        .checked_div(total)
        .unwrap_or(0);
    format!("[{}{}]", "#".repeat(filled), ".".repeat(width - filled))
}

/// Seconds as `1.23 s` below a minute, `m:ss` above.
pub fn seconds(value: f64) -> String {
    if value < 60.0 {
        format!("{value:.2} s")
    } else {
        let whole = value.round() as u64;
        format!("{}:{:02}", whole / 60, whole % 60)
    }
}

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
const MIB: f64 = 1024.0 * 1024.0;

/// Bytes as `512 MiB` below a GiB, `1.5 GiB` above.
pub fn bytes(value: u64) -> String {
    let v = value as f64;
    if v >= GIB {
        format!("{:.1} GiB", v / GIB)
    } else {
        format!("{:.0} MiB", v / MIB)
    }
}

/// Used and total memory in the total's unit: `12.3/80.0 GiB`, `300/900 MiB`.
pub fn bytes_of(used: u64, total: u64) -> String {
    if total as f64 >= GIB {
        format!("{:.1}/{:.1} GiB", used as f64 / GIB, total as f64 / GIB)
    } else {
        format!("{:.0}/{:.0} MiB", used as f64 / MIB, total as f64 / MIB)
    }
}

/// One language's progress line for headless output.
pub struct ProgressLine<'a> {
    pub language: &'a str,
    pub state: &'a str,
    pub done: usize,
    pub total: usize,
    pub audio_seconds: f64,
    pub elapsed_seconds: f64,
    pub rtf: Option<f64>,
    pub detail: &'a str,
}

pub fn progress_line(line: &ProgressLine<'_>) -> String {
    let rtf = line.rtf.map(|r| format!("RTF {r:.2}")).unwrap_or_default();
    let mut text = format!(
        "{:<6} {:<9} {} {:>2}/{:<2} audio {:>8} elapsed {:>8} {:<9}",
        line.language,
        line.state,
        gauge(line.done, line.total, 20),
        line.done,
        line.total,
        seconds(line.audio_seconds),
        seconds(line.elapsed_seconds),
        rtf
    );
    if !line.detail.is_empty() {
        text.push(' ');
        text.push_str(line.detail);
    }
    text.trim_end().to_string()
}

/// A fixed-width table: header row, separator, rows; columns padded to their widest cell.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
                .max(header[c].len())
        })
        .collect();
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect::<Vec<_>>()
            .join(" | ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![line(header.iter().map(|s| s.to_string()).collect())];
    out.push(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-|-"),
    );
    out.extend(rows.iter().map(|r| line(r.clone())));
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauge_rounds_and_handles_empty() {
        assert_eq!(gauge(1, 2, 4), "[##..]");
        assert_eq!(gauge(0, 0, 3), "[...]");
        assert_eq!(gauge(5, 3, 3), "[###]");
    }

    #[test]
    fn seconds_switch_to_minutes() {
        assert_eq!(seconds(1.234), "1.23 s");
        assert_eq!(seconds(75.0), "1:15");
    }

    #[test]
    fn bytes_pick_a_unit() {
        assert_eq!(bytes(512 * 1024 * 1024), "512 MiB");
        assert_eq!(bytes(3 * 1024 * 1024 * 1024 / 2), "1.5 GiB");
        assert_eq!(bytes_of(1 << 30, 80 << 30), "1.0/80.0 GiB");
        assert_eq!(bytes_of(300 << 20, 900 << 20), "300/900 MiB");
    }

    #[test]
    fn table_pads_columns() {
        let t = table(&["a", "bb"], &[vec!["xxx".into(), "y".into()]]);
        assert_eq!(t, "a   | bb\n----|---\nxxx | y");
    }
}
