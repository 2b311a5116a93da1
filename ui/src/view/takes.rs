//! The takes popup: every take of a language, to play one, A/B one against the source,
//! or A/B two takes. Its table's columns are the console's; this view boxes and draws them.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::boxes::{boxed, frame_block};
use super::layout::{stack, Slot};
use super::table::{natural_width, style};
use super::text::{fit_head, width};
use super::voice_qa::{hint_lines, hints_width, one_line};
use crate::table::{Part, TableView};
use crate::theme::Theme;

const TAKES_KEYS: &[(&str, &str)] = &[
    ("↑↓", "choose"),
    ("Enter", "play"),
    ("a", "A/B with source"),
    ("m", "mark as A"),
    ("b", "A/B marked vs this"),
    ("Esc", "close"),
];

/// What the takes popup shows, borrowed from `Popup::Takes`.
pub(crate) struct Takes<'a> {
    pub code: &'a str,
    pub table: &'a TableView,
    /// What the selected take was heard to say, or why it was not.
    pub heard: &'a [Part],
}

pub(crate) fn takes(frame: &mut Frame, screen: Rect, popup: &Takes<'_>, theme: &Theme) {
    let n = popup.table.rows.len();
    let title = format!("takes of {}", popup.code);
    let desired = [
        width(&title) + 2,
        natural_width(popup.table),
        hints_width(TAKES_KEYS),
    ]
    .into_iter()
    .max()
    .unwrap_or(0)
        + 2;
    let box_w = screen.width.saturating_sub(4).clamp(1, desired as u16);
    let keys_lines = hint_lines(TAKES_KEYS, (box_w as usize).saturating_sub(2).max(1), theme);
    // Header, one row per take (at least one line for "no takes"), what the selected take
    // was heard to say, keys.
    let box_h = (n.max(1) as u16)
        .saturating_add(1 + 1 + 2)
        .saturating_add(keys_lines.len() as u16);
    let inner = boxed(frame, screen, box_w, box_h, frame_block(&title, "", theme));
    if inner.is_empty() {
        return;
    }
    let w = inner.width as usize;
    let keys = hint_lines(TAKES_KEYS, w, theme);
    let [list, heard_area, keys_area] = stack(
        inner,
        [
            Slot::new(1, n.max(1) as u16 + 1),
            Slot::new(1, 1),
            Slot::new(1, keys.len() as u16),
        ],
        [0, 2, 1],
    );
    frame.render_widget(Paragraph::new(keys), keys_area);
    frame.render_widget(heard_line(popup.heard, w, theme), heard_area);
    if list.is_empty() {
        return;
    }
    if n == 0 {
        let none = format!("no takes of {} yet", popup.code);
        frame.render_widget(Line::styled(fit_head(&none, w), theme.dim), list);
        return;
    }
    super::table::draw(frame, list, popup.table, 3, theme.highlight, theme);
}

/// The parts on one line, the last cut to what is left of the width.
fn heard_line(parts: &[Part], width_left: usize, theme: &Theme) -> Line<'static> {
    let mut room = width_left;
    let spans = parts.iter().map(|part| {
        let text = fit_head(&one_line(&part.text), room);
        room = room.saturating_sub(width(&text));
        Span::styled(text, style(part.tone, theme))
    });
    Line::from(spans.collect::<Vec<_>>())
}
