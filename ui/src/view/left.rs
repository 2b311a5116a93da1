//! The left column: source clip, language checklist, run controls.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Sparkline, Table, TableState};
use ratatui::Frame;

use super::text::{fit_head, fit_tail, width};
use crate::seconds;
use crate::snapshot::{Controls, Focus, Snapshot, SourcePane, Transcript};
use crate::theme::Theme;

/// The cursor drawn at the end of an edit buffer.
pub(crate) const CURSOR: &str = "▌";

pub(crate) fn source(frame: &mut Frame, area: Rect, src: &SourcePane, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let w = area.width as usize;
    let path = match &src.path {
        Some(p) => Line::raw(fit_tail(p, w)),
        None => Line::styled("no clip: o opens one", theme.dim),
    };
    let info = match &src.error {
        Some(e) => Line::styled(fit_head(e, w), theme.fail),
        None if src.path.is_some() => Line::from(vec![
            Span::raw(seconds(src.duration_seconds)),
            Span::styled(" · ", theme.dim),
            Span::raw(format!("{} Hz", src.sample_rate)),
            Span::styled(" · ", theme.dim),
            Span::raw(format!("{} ch", src.channels)),
        ]),
        None => Line::default(),
    };
    let mut lines = vec![path, info];
    if let Some(heard) = &src.transcript {
        lines.push(transcript_line(heard, w, theme));
    }
    let text_lines = lines.len() as u16;
    frame.render_widget(Paragraph::new(lines), area);
    if area.height > text_lines && !src.envelope.is_empty() {
        let wave = Rect {
            y: area.y + text_lines,
            height: area.height - text_lines,
            ..area
        };
        frame.render_widget(
            Sparkline::default()
                .data(envelope_columns(&src.envelope, w))
                .max(1000)
                .style(theme.active),
            wave,
        );
    }
}

/// What the recogniser heard in the source clip, in the language it detected.
fn transcript_line(heard: &Transcript, columns: usize, theme: &Theme) -> Line<'static> {
    match heard {
        Transcript::Pending => Line::styled("transcribing…", theme.dim),
        Transcript::None(why) => Line::styled(fit_head(why, columns), theme.dim),
        Transcript::Heard { language, text } => {
            let label = format!("{language}: ");
            let room = columns.saturating_sub(width(&label));
            Line::from(vec![
                Span::styled(label, theme.dim),
                Span::raw(fit_head(&format!("\"{text}\""), room)),
            ])
        }
    }
}

/// The envelope resampled to `columns` bars (peak of the buckets each column covers).
fn envelope_columns(envelope: &[f32], columns: usize) -> Vec<u64> {
    let n = envelope.len();
    (0..columns)
        .map(|c| {
            let start = (c * n / columns).min(n - 1);
            let end = ((c + 1) * n / columns).clamp(start + 1, n);
            let peak = envelope[start..end].iter().copied().fold(0.0f32, f32::max);
            (peak.clamp(0.0, 1.0) * 1000.0).round() as u64
        })
        .collect()
}

pub(crate) fn languages(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    if snap.languages.is_empty() {
        frame.render_widget(Line::styled("no languages", theme.dim), area);
        return;
    }
    let code_w = column_width(snap.languages.iter().map(|l| l.code.as_str()), 6) + 1;
    let voice_w = column_width(snap.languages.iter().map(|l| l.voice.as_str()), 12);
    let text_w = (area.width as usize).saturating_sub(3 + code_w + voice_w + 3);
    let focused = snap.focus == Focus::Languages;
    let rows = snap.languages.iter().enumerate().map(|(i, lang)| {
        let check = if lang.checked { "[x]" } else { "[ ]" };
        let mut code = vec![Span::raw(lang.code.as_str())];
        if lang.warning.is_some() {
            code.push(Span::styled("!", theme.warn));
        }
        let editing = snap.editing_inline && i == snap.cursor;
        let text = if editing {
            let tail = fit_tail(&lang.text, text_w.saturating_sub(1));
            Line::from(vec![
                Span::styled(tail, theme.active),
                Span::styled(CURSOR, theme.active),
            ])
        } else {
            Line::styled(fit_head(&lang.text, text_w), theme.dim)
        };
        Row::new(vec![
            Cell::from(check),
            Cell::from(Line::from(code)),
            Cell::from(lang.voice.as_str()),
            Cell::from(text),
        ])
    });
    let widths = [
        Constraint::Length(3),
        Constraint::Length(code_w as u16),
        Constraint::Length(voice_w as u16),
        Constraint::Fill(1),
    ];
    let highlight = if focused && !snap.editing_inline {
        theme.highlight
    } else {
        Default::default()
    };
    let table = Table::new(rows, widths).row_highlight_style(highlight);
    let cursor = snap.cursor.min(snap.languages.len() - 1);
    let mut state = TableState::new().with_selected(Some(cursor));
    frame.render_stateful_widget(table, area, &mut state);
}

/// The widest cell, capped.
fn column_width<'a>(cells: impl Iterator<Item = &'a str>, cap: usize) -> usize {
    cells.map(width).max().unwrap_or(0).min(cap)
}

pub(crate) fn controls(frame: &mut Frame, area: Rect, controls: &Controls, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let entry = |label: &'static str, value: String, key: &'static str| {
        Line::from(vec![
            Span::styled(label, theme.dim),
            Span::raw(value),
            Span::styled(key, theme.key),
        ])
    };
    let lines = if area.height >= 3 {
        vec![
            entry("workers ", format!("{:<13}", controls.workers), "+/-"),
            entry("mode    ", format!("{:<13}", controls.mode), "m"),
            entry("device  ", format!("{:<13}", controls.device), "d"),
        ]
    } else {
        vec![Line::from(vec![
            Span::styled("workers ", theme.dim),
            Span::raw(controls.workers.to_string()),
            Span::styled(" · ", theme.dim),
            Span::raw(controls.mode.as_str()),
            Span::styled(" · ", theme.dim),
            Span::raw(controls.device.as_str()),
        ])]
    };
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_resamples_to_any_width() {
        assert_eq!(envelope_columns(&[0.5, 1.0], 4), vec![500, 500, 1000, 1000]);
        assert_eq!(envelope_columns(&[0.1, 0.9, 0.2, 0.3], 2), vec![900, 300]);
        assert_eq!(envelope_columns(&[2.0, f32::NAN], 1), vec![1000]);
    }
}
