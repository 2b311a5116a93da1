//! Small width-aware text helpers shared by the panes. Widths are terminal cells, so
//! wide characters (Japanese, Chinese text) count double.

use ratatui::text::Span;

/// A fraction safe for ratatui's gauges: NaN and out-of-range values are clamped to 0..=1.
pub(crate) fn fraction(value: f64) -> f64 {
    if value.is_nan() {
        0.0
    } else {
        value.clamp(0.0, 1.0)
    }
}

pub(crate) fn fraction_of(done: f64, total: f64) -> f64 {
    if total > 0.0 {
        fraction(done / total)
    } else {
        0.0
    }
}

pub(crate) fn width(s: &str) -> usize {
    Span::raw(s).width()
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    width(c.encode_utf8(&mut buf))
}

/// The end of `s` that fits `max` cells, led by `…` when something was cut (paths and
/// edit buffers: the end is what matters).
pub(crate) fn fit_tail(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut used = 1;
    let mut start = s.len();
    for (i, c) in s.char_indices().rev() {
        let w = char_width(c);
        if used + w > max {
            break;
        }
        used += w;
        start = i;
    }
    format!("…{}", &s[start..])
}

/// The start of `s` that fits `max` cells, ended by `…` when something was cut.
pub(crate) fn fit_head(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut used = 1;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let w = char_width(c);
        if used + w > max {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    format!("{}…", &s[..end])
}

/// A bar of `cells` cells, the filled part `█`, the rest `░`.
pub(crate) fn bar(fraction_done: f64, cells: usize) -> String {
    let filled = (fraction(fraction_done) * cells as f64).round() as usize;
    let mut out = String::with_capacity(cells * 3);
    out.extend(std::iter::repeat_n('█', filled.min(cells)));
    out.extend(std::iter::repeat_n('░', cells.saturating_sub(filled)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_never_leave_the_unit_range() {
        assert_eq!(fraction(f64::NAN), 0.0);
        assert_eq!(fraction(3.0), 1.0);
        assert_eq!(fraction_of(1.0, 0.0), 0.0);
        assert_eq!(fraction_of(1.0, 4.0), 0.25);
    }

    #[test]
    fn fitting_counts_cells_not_bytes() {
        assert_eq!(fit_tail("/a/b/clip.wav", 8), "…lip.wav");
        assert_eq!(fit_tail("short", 8), "short");
        assert_eq!(fit_tail("日本語のテキスト", 7), "…キスト");
        assert_eq!(fit_head("日本語のテキスト", 7), "日本語…");
        assert_eq!(fit_head("abc", 0), "");
    }

    #[test]
    fn bars_round_and_clamp() {
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(2.0, 3), "███");
        assert_eq!(bar(f64::NAN, 2), "░░");
    }
}
