//! Lays out and draws a `TableView`: the columns that fit the width, chosen by priority,
//! shown in their own order, the growing column widened to use the rest.

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};
use ratatui::Frame;

use super::text::{bar, fit_head, fraction, width};
use crate::table::{Align, CellView, ColumnHead, Part, TableView, Tone, Width};
use crate::theme::Theme;

/// The fewest cells a gauge's bar is drawn with.
const MIN_BAR: usize = 3;

pub(crate) fn style(tone: Tone, theme: &Theme) -> Style {
    match tone {
        Tone::Plain => Style::default(),
        Tone::Dim => theme.dim,
        Tone::Active => theme.active,
        Tone::Ok => theme.ok,
        Tone::Warn => theme.warn,
        Tone::Fail => theme.fail,
    }
}

/// The width each column would like: fixed, or its widest cell within its bounds.
fn natural(table: &TableView, column: usize) -> u16 {
    let head = &table.columns[column];
    match head.width {
        Width::Fixed(w) => w,
        Width::Content { min, max } => {
            let widest = (table.rows.iter())
                .filter_map(|row| row.get(column))
                .map(cell_width)
                .max()
                .unwrap_or(0);
            let min = min.max(width(&head.header) as u16);
            (widest.min(usize::from(u16::MAX)) as u16).clamp(min, max.max(min))
        }
    }
}

fn cell_width(cell: &CellView) -> usize {
    match cell {
        CellView::Empty => 0,
        CellView::Text(parts) => parts.iter().map(|p| width(&p.text)).sum(),
        CellView::Gauge { label, .. } => label.len() + MIN_BAR,
        CellView::Spanning(_) => 0,
    }
}

/// The table's width with every column at its natural width, one cell between columns.
pub(crate) fn natural_width(table: &TableView) -> usize {
    let widths = (0..table.columns.len()).map(|c| natural(table, c) as usize + 1);
    widths.sum::<usize>().saturating_sub(1)
}

/// The columns shown in `width` cells and their widths, in display order.
pub fn layout(table: &TableView, width: u16) -> Vec<(usize, u16)> {
    let mut order: Vec<usize> = (0..table.columns.len()).collect();
    order.sort_by_key(|&c| table.columns[c].priority);
    let mut chosen: Vec<Option<u16>> = vec![None; table.columns.len()];
    let mut used: u16 = 0;
    for c in order {
        let head: &ColumnHead = &table.columns[c];
        let want = natural(table, c);
        let gap = u16::from(used > 0);
        let left = width.saturating_sub(used.saturating_add(gap));
        let w = if want <= left || head.always {
            want
        } else if head.shrinks_to.is_some_and(|min| left >= min) {
            left
        } else {
            continue;
        };
        if w == 0 && !head.always {
            continue;
        }
        chosen[c] = Some(w);
        used = used.saturating_add(gap).saturating_add(w);
    }
    let grow = (0..chosen.len()).find(|&c| chosen[c].is_some() && table.columns[c].grows);
    if let Some(c) = grow {
        let w = chosen[c].as_mut().expect("chosen");
        *w = w.saturating_add(width.saturating_sub(used));
    }
    (chosen.into_iter().enumerate())
        .filter_map(|(c, w)| w.map(|w| (c, w)))
        .collect()
}

/// Draws the table into `area`, with its header row when `area` is at least
/// `header_from_height` rows high.
pub(crate) fn draw(
    frame: &mut Frame,
    area: Rect,
    table: &TableView,
    header_from_height: u16,
    highlight: Style,
    theme: &Theme,
) {
    let columns = layout(table, area.width);
    let rows = table.rows.iter().map(|row| {
        let mut cells = Vec::with_capacity(columns.len());
        for (i, &(c, w)) in columns.iter().enumerate() {
            let cell = row.get(c).cloned().unwrap_or_default();
            if let CellView::Spanning(part) = &cell {
                let span = (columns.len() - i) as u16;
                let text = Span::styled(part.text.clone(), style(part.tone, theme));
                cells.push(Cell::from(text).column_span(span));
                break;
            }
            let align = table.columns[c].align;
            cells.push(Cell::from(cell_line(&cell, w as usize, align, theme)));
        }
        Row::new(cells)
    });
    let widths = columns.iter().map(|&(_, w)| Constraint::Length(w));
    let mut widget = Table::new(rows, widths).row_highlight_style(highlight);
    if area.height >= header_from_height {
        let header = columns.iter().map(|&(c, w)| {
            let head = &table.columns[c];
            Cell::from(aligned(head.header.clone(), w as usize, head.align))
        });
        widget = widget.header(Row::new(header.collect::<Vec<_>>()).style(theme.dim));
    }
    let mut state = TableState::new().with_selected(table.selected);
    frame.render_stateful_widget(widget, area, &mut state);
}

fn aligned(text: String, w: usize, align: Align) -> String {
    match align {
        Align::Left => text,
        Align::Right => format!("{text:>w$}"),
    }
}

/// A cell as one line of at most `w` cells.
pub(crate) fn cell_line(cell: &CellView, w: usize, align: Align, theme: &Theme) -> Line<'static> {
    match cell {
        CellView::Empty => Line::default(),
        CellView::Text(parts) => text_line(parts, w, align, theme),
        CellView::Gauge {
            fraction: done,
            tone,
            label,
            wide_label,
        } => {
            let label = match wide_label {
                Some(wide) if wide.len() + MIN_BAR <= w => wide,
                _ => label,
            };
            let cells = w.saturating_sub(label.len());
            if cells < MIN_BAR {
                return Line::raw(label.trim_start().to_string());
            }
            let filled = match tone {
                Tone::Plain => theme.gauge_filled,
                tone => style(*tone, theme),
            };
            Line::from(vec![
                Span::styled(bar(fraction(*done), cells), filled),
                Span::raw(label.clone()),
            ])
        }
        CellView::Spanning(part) => {
            Line::from(Span::styled(part.text.clone(), style(part.tone, theme)))
        }
    }
}

/// The parts that fit: optional ones are left out when the whole would not fit, the rest
/// cut at the end.
fn text_line(parts: &[Part], w: usize, align: Align, theme: &Theme) -> Line<'static> {
    let required: usize = parts
        .iter()
        .filter(|p| !p.optional)
        .map(|p| width(&p.text))
        .sum();
    let mut room = w;
    let mut spans = Vec::with_capacity(parts.len());
    let mut spare = w.saturating_sub(required);
    for part in parts {
        let pw = width(&part.text);
        if part.optional {
            if pw > spare {
                continue;
            }
            spare -= pw;
        }
        let text = fit_head(&part.text, room);
        room = room.saturating_sub(width(&text));
        spans.push(Span::styled(text, style(part.tone, theme)));
    }
    if align == Align::Right && room > 0 {
        spans.insert(0, Span::raw(" ".repeat(room)));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn gauges_show_the_wide_label_only_beside_a_bar() {
        let theme = Theme::default();
        let gauge = CellView::Gauge {
            fraction: 0.4,
            tone: Tone::Plain,
            label: " 2/5".into(),
            wide_label: Some(" 2/5, 2 cached".into()),
        };
        let text = |w| text_of(&cell_line(&gauge, w, Align::Left, &theme));
        assert!(text(30).ends_with(" 2/5, 2 cached"), "{}", text(30));
        // Too narrow for the count beside a bar: the bar and the numbers stay.
        assert!(text(12).ends_with(" 2/5") && text(12).chars().count() == 12);
        assert_eq!(text(5), "2/5");
    }

    #[test]
    fn optional_parts_are_left_out_when_they_do_not_fit() {
        let theme = Theme::default();
        let cell = CellView::Text(vec![
            Part::new("done", Tone::Ok),
            Part::optional(" t3", Tone::Dim),
        ]);
        assert_eq!(
            text_of(&cell_line(&cell, 9, Align::Left, &theme)),
            "done t3"
        );
        assert_eq!(text_of(&cell_line(&cell, 6, Align::Left, &theme)), "done");
        let number = CellView::plain("7");
        assert_eq!(text_of(&cell_line(&number, 3, Align::Right, &theme)), "  7");
        let long = CellView::plain("af_nicole:0.6");
        assert_eq!(text_of(&cell_line(&long, 6, Align::Left, &theme)), "af_ni…");
    }
}
