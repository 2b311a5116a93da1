//! The progress table: one row per language in the current or next run.

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};
use ratatui::Frame;

use super::text::{bar, fit_head, fraction_of, provider_short};
use crate::seconds;
use crate::snapshot::{Focus, Heard, LanguageRow, LanguageState, Snapshot};
use crate::theme::Theme;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Lang,
    State,
    Progress,
    Audio,
    Elapsed,
    Rtf,
    Provider,
    Voice,
    Similarity,
    /// Character error rate of what the recogniser heard.
    Cer,
}

/// Display order with header and width; the gauge column is the narrowest it may be and
/// takes the slack.
const COLUMNS: [(Col, &str, u16); 10] = [
    (Col::Lang, "lang", 5),
    (Col::State, "state", 9),
    (Col::Progress, "sentences", 10),
    (Col::Audio, "audio", 7),
    (Col::Elapsed, "elapsed", 7),
    (Col::Rtf, "RTF", 4),
    (Col::Provider, "EP", 5),
    (Col::Voice, "voice", 10),
    (Col::Similarity, "sim", 4),
    (Col::Cer, "CER", 4),
];

/// The gauge column squeezed to its label.
const GAUGE_NARROWEST: u16 = 4;
/// The fewest cells a bar is drawn with.
const MIN_BAR: usize = 3;

/// Which columns survive a narrow pane, most important first.
const PRIORITY: [Col; 10] = [
    Col::Lang,
    Col::State,
    Col::Progress,
    Col::Audio,
    Col::Rtf,
    Col::Similarity,
    Col::Cer,
    Col::Elapsed,
    Col::Provider,
    Col::Voice,
];

pub(crate) fn title(snap: &Snapshot) -> Line<'static> {
    let (mut total, mut done, mut failed) = (0, 0, 0);
    for lang in snap.languages.iter().filter(|l| l.in_progress_table()) {
        total += 1;
        match lang.state {
            LanguageState::Done => done += 1,
            LanguageState::Failed => failed += 1,
            _ => {}
        }
    }
    if let Some(counts) = snap.header.run_counts {
        (done, failed, total) = counts;
    }
    let mut title = format!("progress {done}/{total} done");
    if failed > 0 {
        title.push_str(&format!(", {failed} failed"));
    }
    Line::raw(title)
}

/// Picks the columns that fit `width` (lang and state always) and their widths, the
/// gauge column widened to use the rest.
fn layout(width: u16) -> ([Option<u16>; 10], usize) {
    let mut chosen = [None; 10];
    let mut used: u16 = 0;
    for col in PRIORITY {
        let i = COLUMNS.iter().position(|(c, _, _)| *c == col).unwrap_or(0);
        let w = COLUMNS[i].2;
        let cost = if used == 0 { w } else { w + 1 };
        if used + cost <= width || matches!(col, Col::Lang | Col::State) {
            chosen[i] = Some(w);
            used = used.saturating_add(cost);
        } else if col == Col::Progress && used + 1 + GAUGE_NARROWEST <= width {
            // A short gauge (or just `2/5`) beats none.
            chosen[i] = Some(width - used - 1);
            used = width;
        }
    }
    if let Some(w) = chosen[2].as_mut() {
        *w += width.saturating_sub(used);
    }
    let count = chosen.iter().flatten().count();
    (chosen, count)
}

pub(crate) fn table(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let shown: Vec<(usize, &LanguageRow)> = snap
        .languages
        .iter()
        .enumerate()
        .filter(|(_, l)| l.in_progress_table())
        .collect();
    if shown.is_empty() {
        let hint = "no languages ticked (Space, a)";
        frame.render_widget(Line::styled(hint, theme.dim), area);
        return;
    }
    let (chosen, count) = layout(area.width);
    let rows = shown
        .iter()
        .map(|(_, lang)| row(lang, &chosen, count, snap.similarity_threshold, theme));
    let widths = chosen.iter().flatten().map(|w| Constraint::Length(*w));
    let mut table = Table::new(rows, widths);
    if area.height >= 2 {
        let header = COLUMNS
            .iter()
            .zip(&chosen)
            .filter(|(_, w)| w.is_some())
            .map(|((_, name, _), _)| Cell::from(*name));
        table = table.header(Row::new(header).style(theme.dim));
    }
    let focused = snap.focus == Focus::Progress;
    let selected = shown.iter().position(|(i, _)| *i == snap.cursor);
    let highlight = if focused {
        theme.highlight
    } else {
        Style::default()
    };
    let mut state = TableState::new().with_selected(selected);
    frame.render_stateful_widget(table.row_highlight_style(highlight), area, &mut state);
}

fn row<'a>(
    lang: &'a LanguageRow,
    chosen: &[Option<u16>; 10],
    count: usize,
    threshold: f32,
    theme: &Theme,
) -> Row<'a> {
    let (state, state_style) = state_text(lang.state, theme);
    let mut cells = Vec::with_capacity(count);
    for ((col, _, _), w) in COLUMNS.iter().zip(chosen) {
        let Some(w) = *w else { continue };
        let cell = match col {
            Col::Lang => Cell::from(lang.code.as_str()),
            Col::State => Cell::from(state_line(state, state_style, lang.takes, w, theme)),
            Col::Progress if lang.state == LanguageState::Failed => {
                // The error replaces the numbers, which mean little for a failed row.
                let error = lang.error.as_deref().unwrap_or("failed");
                let span = (count - cells.len()) as u16;
                cells.push(Cell::from(Span::styled(error, theme.fail)).column_span(span));
                break;
            }
            _ if lang.state == LanguageState::Idle && col != &Col::Voice => Cell::from(""),
            Col::Progress => Cell::from(gauge(lang, w as usize, theme)),
            Col::Audio | Col::Elapsed if lang.state == LanguageState::Queued => Cell::from(""),
            Col::Audio => Cell::from(seconds(lang.audio_seconds)),
            Col::Elapsed => Cell::from(seconds(lang.elapsed_seconds)),
            Col::Rtf => Cell::from(lang.rtf.map(|r| format!("{r:.2}")).unwrap_or_default()),
            Col::Provider => Cell::from(lang.provider.as_deref().map(provider_short).unwrap_or("")),
            Col::Voice => Cell::from(fit_head(&lang.voice, w as usize)),
            Col::Similarity => similarity(lang.similarity, threshold, theme),
            Col::Cer => Cell::from(heard_span(&lang.heard, theme)),
        };
        cells.push(cell);
    }
    Row::new(cells)
}

/// The state, followed by a dim `t3` when the language has more than one take and the
/// column has room for it.
fn state_line(
    state: &'static str,
    style: Style,
    takes: usize,
    width: u16,
    theme: &Theme,
) -> Line<'static> {
    let mut spans = vec![Span::styled(state, style)];
    if takes > 1 {
        let marker = format!(" t{takes}");
        if state.len() + marker.len() <= width as usize {
            spans.push(Span::styled(marker, theme.dim));
        }
    }
    Line::from(spans)
}

/// The bar and `done/total`, then `, N cached` when sentences came from the result cache
/// and the column has room for it beside a bar (else the count alone is dropped first).
fn gauge(lang: &LanguageRow, width: usize, theme: &Theme) -> Line<'static> {
    let counts = format!(" {}/{}", lang.sentences_done, lang.sentences_total);
    let cached = format!("{counts}, {} cached", lang.cache_hits);
    let label = if lang.cache_hits > 0 && cached.len() + MIN_BAR <= width {
        cached
    } else {
        counts
    };
    let cells = width.saturating_sub(label.len());
    if cells < MIN_BAR {
        return Line::raw(label.trim_start().to_string());
    }
    let done = fraction_of(lang.sentences_done as f64, lang.sentences_total as f64);
    let style = match lang.state {
        LanguageState::Done => theme.ok,
        LanguageState::Cancelled => theme.warn,
        _ => theme.gauge_filled,
    };
    Line::from(vec![
        Span::styled(bar(done, cells), style),
        Span::raw(label),
    ])
}

fn similarity(value: Option<f32>, threshold: f32, theme: &Theme) -> Cell<'static> {
    match value {
        Some(v) => {
            let style = if v >= threshold { theme.ok } else { theme.fail };
            Cell::from(Span::styled(format!("{v:.2}"), style))
        }
        None => Cell::from(""),
    }
}

/// A result's CER as a cell: `6%` (red when over the `[qa]` limits), `…` while its take
/// is transcribed, `–` when it was not scored (the takes popup says why).
pub(crate) fn heard_span(heard: &Heard, theme: &Theme) -> Span<'static> {
    match heard {
        Heard::Nothing => Span::raw(""),
        Heard::Pending => Span::styled("…", theme.dim),
        Heard::Unscored(_) => Span::styled("–", theme.warn),
        Heard::Scored { cer, flagged, .. } => {
            let style = if *flagged { theme.fail } else { theme.ok };
            Span::styled(cer_text(*cer), style)
        }
    }
}

/// A rate as whole percent, capped so it fits its column (rates can pass 100 %).
pub(crate) fn cer_text(rate: f32) -> String {
    if rate.is_finite() {
        format!("{:.0}%", (rate * 100.0).clamp(0.0, 999.0))
    } else {
        "–".into()
    }
}

fn state_text(state: LanguageState, theme: &Theme) -> (&'static str, Style) {
    match state {
        LanguageState::Idle => ("idle", theme.dim),
        LanguageState::Queued => ("queued", theme.dim),
        LanguageState::Running => ("running", theme.active),
        LanguageState::Done => ("done", theme.ok),
        LanguageState::Failed => ("failed", theme.fail),
        LanguageState::Cancelled => ("cancelled", theme.warn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_tables_keep_lang_state_and_gauge_first() {
        let (chosen, count) = layout(26);
        assert_eq!(count, 3);
        assert_eq!(chosen[2], Some(10));
        let (chosen, count) = layout(80);
        assert_eq!(count, 10);
        assert_eq!(chosen.iter().flatten().sum::<u16>() + 9, 80);
        let (_, count) = layout(3);
        assert_eq!(count, 2);
    }

    #[test]
    fn cached_sentences_are_counted_beside_the_bar_when_there_is_room() {
        let theme = Theme::default();
        let lang = LanguageRow {
            sentences_done: 2,
            sentences_total: 5,
            cache_hits: 2,
            ..LanguageRow::default()
        };
        let text = |width| -> String {
            gauge(&lang, width, &theme)
                .spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect()
        };
        assert!(text(30).ends_with(" 2/5, 2 cached"), "{}", text(30));
        // Too narrow for the count beside a bar: the bar and the numbers stay.
        assert!(text(12).ends_with(" 2/5") && text(12).chars().count() == 12);
        let uncached = LanguageRow {
            cache_hits: 0,
            ..lang.clone()
        };
        assert!(!gauge(&uncached, 30, &theme)
            .spans
            .iter()
            .any(|s| s.content.contains("cached")));
    }

    #[test]
    fn take_count_follows_the_state_when_it_fits() {
        let theme = Theme::default();
        let text = |state, takes| -> String {
            state_line(state, theme.ok, takes, 9, &theme)
                .spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect()
        };
        assert_eq!(text("done", 0), "done");
        assert_eq!(text("done", 1), "done");
        assert_eq!(text("done", 3), "done t3");
        assert_eq!(text("failed", 12), "failed");
        assert_eq!(text("running", 2), "running");
    }
}
