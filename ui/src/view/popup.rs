//! Centered popups over the screen: help, confirmations, text and path input; the voice
//! QA popups (ranking, takes) live in `voice_qa`.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};
use ratatui::Frame;

use super::boxes::{boxed, frame_block};
use super::left::CURSOR;
use super::takes as takes_view;
use super::text::{fit_tail, width};
use super::voice_qa;
use crate::keymap::{help_entries, KeyHint};
use crate::snapshot::{Popup, Snapshot};
use crate::theme::Theme;

pub(crate) fn draw(frame: &mut Frame, screen: Rect, snap: &Snapshot, popup: &Popup, theme: &Theme) {
    match popup {
        Popup::Help => help(frame, screen, snap, theme),
        Popup::ConfirmCancel => confirm(frame, screen, "cancel the running job? y/n", theme),
        Popup::ConfirmQuit if snap.header.state.is_active() => confirm(
            frame,
            screen,
            "a job is running: cancel it and quit? y/n",
            theme,
        ),
        Popup::ConfirmQuit => confirm(frame, screen, "quit voxdeck? y/n", theme),
        Popup::EditText { code, text } => edit_text(frame, screen, code, text, theme),
        Popup::OpenClip { input } => open_clip(frame, screen, input, theme),
        Popup::VoiceRanking {
            code,
            probe_text,
            ranking,
            selected,
            cached,
        } => voice_qa::voice_ranking(
            frame,
            screen,
            &voice_qa::Ranking {
                code,
                probe_text,
                ranking,
                selected: *selected,
                cached: *cached,
            },
            snap.similarity_threshold,
            theme,
        ),
        Popup::Takes {
            code, table, heard, ..
        } => takes_view::takes(
            frame,
            screen,
            &takes_view::Takes { code, table, heard },
            theme,
        ),
        Popup::Fitting(fit) => super::fitting::fitting(frame, screen, fit, theme),
    }
}

fn help(frame: &mut Frame, screen: Rect, snap: &Snapshot, theme: &Theme) {
    let entries = help_entries(&snap.keys);
    let key_w = entries.iter().map(|h| width(&h.key)).max().unwrap_or(0) as u16;
    let what_w = entries.iter().map(|h| width(&h.what)).max().unwrap_or(0) as u16;
    let column_w = key_w + 1 + what_w;
    let two = screen.width >= 2 * column_w + 3 + 2;
    let per_column = if two {
        entries.len().div_ceil(2)
    } else {
        entries.len()
    };
    let width = if two { 2 * column_w + 3 } else { column_w } + 2;
    let height = per_column as u16 + 2;
    let inner = boxed(
        frame,
        screen,
        width,
        height,
        frame_block("keys", "Esc closes", theme),
    );
    let row = |h: &KeyHint| {
        [
            Span::styled(h.key.clone(), theme.key),
            Span::styled(h.what.clone(), theme.dim),
        ]
    };
    let (first, second) = entries.split_at(per_column);
    let rows = first.iter().enumerate().map(|(i, h)| {
        let mut cells = row(h).to_vec();
        if let Some(other) = second.get(i) {
            cells.push(Span::raw(""));
            cells.extend(row(other));
        }
        Row::new(cells)
    });
    let mut widths = vec![Constraint::Length(key_w), Constraint::Length(what_w)];
    if two {
        widths.extend([
            Constraint::Length(1),
            Constraint::Length(key_w),
            Constraint::Length(what_w),
        ]);
    }
    frame.render_widget(Table::new(rows, widths), inner);
}

fn confirm(frame: &mut Frame, screen: Rect, question: &str, theme: &Theme) {
    let width = width(question) as u16 + 4;
    let inner = boxed(frame, screen, width, 3, frame_block("confirm", "", theme));
    frame.render_widget(Paragraph::new(question).centered(), inner);
}

fn edit_text(frame: &mut Frame, screen: Rect, code: &str, text: &str, theme: &Theme) {
    let box_w = screen.width.saturating_sub(4).clamp(1, 72);
    let inner_w = box_w.saturating_sub(2).max(1) as usize;
    let lines = wrap_cells(text, inner_w);
    let box_h = (lines.len() as u16)
        .saturating_add(2)
        .clamp(3, screen.height.max(3));
    let title = format!("text: {code}");
    let block = frame_block(&title, "Enter saves · Esc cancels", theme);
    let inner = boxed(frame, screen, box_w, box_h, block);
    // Show the end of the text, where the cursor is.
    let skip = lines.len().saturating_sub(inner.height as usize);
    let last = lines.len() - 1;
    let shown: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .skip(skip)
        .map(|(i, line)| {
            if i == last {
                Line::from(vec![Span::raw(line), Span::styled(CURSOR, theme.active)])
            } else {
                Line::raw(line)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// Splits `text` into lines of at most `cells` cells, leaving room for the cursor after
/// the last one; always at least one line.
fn wrap_cells(text: &str, cells: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        if c == '\n' {
            lines.push(String::new());
            used = 0;
            continue;
        }
        let mut buf = [0u8; 4];
        let w = width(c.encode_utf8(&mut buf));
        if used + w > cells {
            lines.push(String::new());
            used = 0;
        }
        used += w;
        if let Some(line) = lines.last_mut() {
            line.push(c);
        }
    }
    if used >= cells {
        lines.push(String::new());
    }
    lines
}

fn open_clip(frame: &mut Frame, screen: Rect, input: &str, theme: &Theme) {
    let box_w = screen.width.saturating_sub(4).clamp(1, 72);
    let block = frame_block("open clip", "Enter opens · Esc cancels", theme);
    let inner = boxed(frame, screen, box_w, 3, block);
    let line = Line::from(vec![
        Span::raw(fit_tail(input, (inner.width as usize).saturating_sub(1))),
        Span::styled(CURSOR, theme.active),
    ]);
    frame.render_widget(Paragraph::new(line), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_leaves_room_for_the_cursor() {
        assert_eq!(wrap_cells("", 4), vec![""]);
        assert_eq!(wrap_cells("abcdef", 4), vec!["abcd", "ef"]);
        assert_eq!(wrap_cells("abcd", 4), vec!["abcd", ""]);
        assert_eq!(wrap_cells("日本語", 4), vec!["日本", "語"]);
    }
}
