//! voxdeck-ui: pure presentation helpers over plain data. No engine, no I/O: every
//! function maps values to text, so views can be tested by comparing strings.

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
    fn table_pads_columns() {
        let t = table(&["a", "bb"], &[vec!["xxx".into(), "y".into()]]);
        assert_eq!(t, "a   | bb\n----|---\nxxx | y");
    }
}
