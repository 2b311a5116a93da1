//! Voice QA popups: the nearest-voice ranking of stock voices for a language, and the
//! takes of a language for playback and A/B comparison.

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

use super::boxes::{boxed, frame_block};
use super::layout::{stack, Slot};
use super::text::{bar, fit_head, width};
use crate::snapshot::RankedVoice;
use crate::theme::Theme;

const RANKING_KEYS: &[(&str, &str)] = &[("↑↓", "choose"), ("Enter", "use voice"), ("Esc", "close")];

/// The similarity bar never grows past this many cells.
const BAR_MAX: usize = 20;
/// The widest a voice or text column asks for before the box is sized.
pub(super) const VOICE_MAX: usize = 20;

/// What the ranking popup shows, borrowed from `Popup::VoiceRanking`.
pub(crate) struct Ranking<'a> {
    pub code: &'a str,
    pub probe_text: &'a str,
    pub ranking: &'a [RankedVoice],
    pub selected: usize,
    pub cached: usize,
}

pub(crate) fn voice_ranking(
    frame: &mut Frame,
    screen: Rect,
    popup: &Ranking<'_>,
    threshold: f32,
    theme: &Theme,
) {
    let code = popup.code;
    let n = popup.ranking.len();
    let rank_w = digits(n).max(1);
    let voice_w = popup
        .ranking
        .iter()
        .map(|r| width(&r.voice))
        .max()
        .unwrap_or(0)
        .clamp(5, VOICE_MAX);
    let num_w = similarity_width(popup.ranking.iter().map(|r| Some(r.similarity)));
    let titles = [
        format!("closest stock voices for {code} (nearest-voice matching, not cloning)"),
        format!("nearest stock voices: {code} (not cloning)"),
        format!("voices for {code}"),
    ];
    let keys_w = hints_width(RANKING_KEYS);
    let cache = format!(
        "{} of {n} probes from cache · good match ≥ {threshold:.2}",
        popup.cached
    );
    let table_w = rank_w + 1 + voice_w + 1 + num_w + 1 + BAR_MAX;
    let desired = [width(&titles[0]) + 2, table_w, keys_w, width(&cache)]
        .into_iter()
        .max()
        .unwrap_or(0)
        + 2;
    let box_w = screen.width.saturating_sub(4).clamp(1, desired as u16);
    // Probe, header, one row per voice (at least one line for "no voices"), cache, keys.
    let box_h = (n.max(1) as u16).saturating_add(4 + 2);
    let title = pick_title(&titles, box_w);
    let inner = boxed(frame, screen, box_w, box_h, frame_block(title, "", theme));
    if inner.is_empty() {
        return;
    }
    let w = inner.width as usize;
    let keys = hint_lines(RANKING_KEYS, w, theme);
    let [probe, list, cache_area, keys_area] = stack(
        inner,
        [
            Slot::fixed(1),
            Slot::new(1, n.max(1) as u16 + 1),
            Slot::fixed(1),
            Slot::new(1, keys.len() as u16),
        ],
        [1, 3, 0, 2],
    );
    let probe_line = Line::from(vec![
        Span::styled("probe ", theme.dim),
        Span::styled(
            fit_head(&one_line(popup.probe_text), w.saturating_sub(6)),
            theme.dim,
        ),
    ]);
    frame.render_widget(probe_line, probe);
    frame.render_widget(Line::styled(fit_head(&cache, w), theme.dim), cache_area);
    frame.render_widget(Paragraph::new(keys), keys_area);
    if list.is_empty() {
        return;
    }
    if n == 0 {
        let none = format!("no stock voice can speak {code}");
        frame.render_widget(Line::styled(fit_head(&none, w), theme.dim), list);
        return;
    }
    // Rank and number always; the voice gets what is left, the bar the rest (or nothing).
    let fixed = rank_w + 1 + num_w + 1;
    let voice_w = voice_w.min(w.saturating_sub(fixed));
    let bar_w = w.saturating_sub(fixed + voice_w + 1).min(BAR_MAX);
    let bar_w = if bar_w >= 3 { bar_w } else { 0 };
    let rows = popup.ranking.iter().enumerate().map(|(i, r)| {
        let style = similarity_style(Some(r.similarity), r.good, theme);
        let mut sim = vec![Span::styled(
            format!("{:>num_w$}", similarity_text(Some(r.similarity))),
            style,
        )];
        if bar_w > 0 {
            sim.push(Span::raw(" "));
            sim.push(Span::styled(bar(r.similarity as f64, bar_w), style));
        }
        Row::new(vec![
            Cell::from(format!("{:>rank_w$}", i + 1)),
            Cell::from(fit_head(&r.voice, voice_w)),
            Cell::from(Line::from(sim)),
        ])
    });
    let widths = [
        Constraint::Length(rank_w as u16),
        Constraint::Length(voice_w as u16),
        Constraint::Fill(1),
    ];
    let mut table = Table::new(rows, widths).row_highlight_style(theme.highlight);
    if list.height >= 3 {
        let header = Row::new(vec![
            Cell::from(format!("{:>rank_w$}", "#")),
            Cell::from("voice"),
            Cell::from("similarity"),
        ]);
        table = table.header(header.style(theme.dim));
    }
    let mut state = TableState::new().with_selected(Some(popup.selected.min(n - 1)));
    frame.render_stateful_widget(table, list, &mut state);
}

/// The first title that fits a box `box_w` wide (with a cell of border on each side), else
/// the shortest, which the frame cuts.
pub(super) fn pick_title(titles: &[String], box_w: u16) -> &str {
    let room = (box_w as usize).saturating_sub(2);
    titles
        .iter()
        .find(|t| width(t) <= room)
        .or(titles.last())
        .map_or("", String::as_str)
}

/// Key hints packed into as few lines of `max` cells as they fit, two spaces apart; a hint
/// wider than a line is cut.
pub(super) fn hint_lines(hints: &[(&str, &str)], max: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (key, what) in hints {
        let w = width(key) + 1 + width(what);
        let gap = if spans.is_empty() { 0 } else { 2 };
        if !spans.is_empty() && used + gap + w > max {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
            used += 2;
        }
        if w <= max {
            spans.push(Span::styled(key.to_string(), theme.key));
            spans.push(Span::styled(format!(" {what}"), theme.dim));
        } else {
            let key_cut = fit_head(key, max);
            let what_cut = fit_head(&format!(" {what}"), max.saturating_sub(width(&key_cut)));
            spans.push(Span::styled(key_cut, theme.key));
            spans.push(Span::styled(what_cut, theme.dim));
        }
        used += w;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

/// The width of the hints on one line.
pub(super) fn hints_width(hints: &[(&str, &str)]) -> usize {
    let total: usize = hints.iter().map(|(k, w)| width(k) + 1 + width(w)).sum();
    total + 2 * hints.len().saturating_sub(1)
}

pub(super) fn digits(n: usize) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// `0.83`, or `–` for a missing or meaningless score.
pub(crate) fn similarity_text(value: Option<f32>) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.2}"),
        _ => "–".into(),
    }
}

/// Good matches in the ok colour, the rest in the warning colour; no score dim.
pub(crate) fn similarity_style(value: Option<f32>, good: bool, theme: &Theme) -> Style {
    match value {
        Some(v) if v.is_finite() && good => theme.ok,
        Some(v) if v.is_finite() => theme.warn,
        _ => theme.dim,
    }
}

pub(super) fn similarity_width(values: impl Iterator<Item = Option<f32>>) -> usize {
    values
        .map(|v| width(&similarity_text(v)))
        .max()
        .unwrap_or(0)
        .max(4)
}

/// Line breaks and tabs as spaces, so a preview stays on its row.
pub(super) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn hints_pack_into_lines_and_cut_what_never_fits() {
        let theme = Theme::default();
        let one = hint_lines(RANKING_KEYS, 80, &theme);
        assert_eq!(text(&one), ["↑↓ choose  Enter use voice  Esc close"]);
        assert_eq!(hints_width(RANKING_KEYS), 37);
        let two = hint_lines(RANKING_KEYS, 26, &theme);
        assert_eq!(text(&two), ["↑↓ choose  Enter use voice", "Esc close"]);
        let cut = hint_lines(&[("Enter", "use voice")], 7, &theme);
        assert_eq!(text(&cut), ["Enter …"]);
        assert!(hint_lines(RANKING_KEYS, 0, &theme).len() <= 3);
    }

    #[test]
    fn numbers_never_print_nan() {
        assert_eq!(similarity_text(Some(0.834)), "0.83");
        assert_eq!(similarity_text(Some(f32::NAN)), "–");
        assert_eq!(similarity_text(None), "–");
        let theme = Theme::default();
        assert_eq!(similarity_style(Some(0.75), true, &theme), theme.ok);
        assert_eq!(similarity_style(Some(0.7), false, &theme), theme.warn);
        assert_eq!(similarity_style(Some(f32::NAN), true, &theme), theme.dim);
        assert_eq!(digits(0), 1);
        assert_eq!(digits(10), 2);
        assert_eq!(one_line("a\nb\tc"), "a b c");
    }

    #[test]
    fn titles_shorten_to_fit() {
        let titles = ["a long title".to_string(), "short".to_string()];
        assert_eq!(pick_title(&titles, 14), "a long title");
        assert_eq!(pick_title(&titles, 13), "short");
        assert_eq!(pick_title(&titles, 3), "short");
    }
}
