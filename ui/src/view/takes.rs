//! The takes popup: every take of a language, to play one, A/B one against the source,
//! or A/B two takes.

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};
use ratatui::Frame;

use super::boxes::{boxed, frame_block};
use super::layout::{stack, Slot};
use super::progress::{cer_text, heard_span};
use super::text::{fit_head, width};
use super::voice_qa::{
    digits, hint_lines, hints_width, one_line, similarity_style, similarity_text, similarity_width,
    TEXT_MAX, VOICE_MAX,
};
use crate::snapshot::{Heard, TakeRow};
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
    pub takes: &'a [TakeRow],
    pub selected: usize,
    pub marked: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TakeCol {
    Marker,
    Number,
    Voice,
    Speed,
    Similarity,
    Cer,
    Text,
}

pub(crate) fn takes(
    frame: &mut Frame,
    screen: Rect,
    popup: &Takes<'_>,
    threshold: f32,
    theme: &Theme,
) {
    let takes = popup.takes;
    let n = takes.len();
    let title = format!("takes of {}", popup.code);
    let number_w = takes
        .iter()
        .map(|t| digits(t.take))
        .max()
        .unwrap_or(1)
        .max(1);
    let voice_w = takes
        .iter()
        .map(|t| width(&t.voice))
        .max()
        .unwrap_or(0)
        .clamp(5, VOICE_MAX);
    let speed_w = takes
        .iter()
        .map(|t| width(&speed_text(t.speed)))
        .max()
        .unwrap_or(0)
        .max(5);
    let sim_w = similarity_width(takes.iter().map(|t| t.similarity)).max(3);
    let text_w = takes
        .iter()
        .map(|t| width(&one_line(&t.text)))
        .max()
        .unwrap_or(0)
        .clamp(4, TEXT_MAX);
    let natural = [
        (TakeCol::Marker, 1),
        (TakeCol::Number, number_w),
        (TakeCol::Voice, voice_w),
        (TakeCol::Speed, speed_w),
        (TakeCol::Similarity, sim_w),
        (TakeCol::Cer, 4),
        (TakeCol::Text, text_w),
    ];
    let table_w = natural.iter().map(|(_, w)| w + 1).sum::<usize>() - 1;
    let desired = [width(&title) + 2, table_w, hints_width(TAKES_KEYS)]
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
    if let Some(take) = takes.get(popup.selected.min(n.saturating_sub(1))) {
        frame.render_widget(heard_line(&take.heard, w, theme), heard_area);
    }
    if list.is_empty() {
        return;
    }
    if n == 0 {
        let none = format!("no takes of {} yet", popup.code);
        frame.render_widget(Line::styled(fit_head(&none, w), theme.dim), list);
        return;
    }
    let columns = take_columns(&natural, w);
    let marked = popup.marked.filter(|&m| m < n);
    let rows = takes.iter().enumerate().map(|(i, take)| {
        let cells = columns.iter().map(|&(col, cw)| match col {
            TakeCol::Marker if marked == Some(i) => Cell::from(Span::styled("A", theme.active)),
            TakeCol::Marker => Cell::from(""),
            TakeCol::Number => Cell::from(format!("{:>cw$}", take.take)),
            TakeCol::Voice => Cell::from(fit_head(&take.voice, cw)),
            TakeCol::Speed => Cell::from(format!("{:>cw$}", speed_text(take.speed))),
            TakeCol::Similarity => Cell::from(Span::styled(
                format!("{:>cw$}", similarity_text(take.similarity)),
                similarity_style(take.similarity, threshold, theme),
            )),
            TakeCol::Cer => Cell::from(heard_span(&take.heard, theme)),
            TakeCol::Text => {
                Cell::from(Span::styled(fit_head(&one_line(&take.text), cw), theme.dim))
            }
        });
        Row::new(cells.collect::<Vec<_>>())
    });
    let widths = columns.iter().map(|&(_, w)| Constraint::Length(w as u16));
    let mut table = Table::new(rows, widths).row_highlight_style(theme.highlight);
    if list.height >= 3 {
        let header = columns.iter().map(|&(col, cw)| {
            Cell::from(match col {
                TakeCol::Marker => String::new(),
                TakeCol::Number => format!("{:>cw$}", "#"),
                TakeCol::Voice => "voice".into(),
                TakeCol::Speed => format!("{:>cw$}", "speed"),
                TakeCol::Similarity => format!("{:>cw$}", "sim"),
                TakeCol::Cer => "CER".into(),
                TakeCol::Text => "text".into(),
            })
        });
        table = table.header(Row::new(header.collect::<Vec<_>>()).style(theme.dim));
    }
    let mut state = TableState::new().with_selected(Some(popup.selected.min(n - 1)));
    frame.render_stateful_widget(table, list, &mut state);
}

/// The take columns that fit `width`, most important first (marker, number, similarity,
/// voice, speed, text), in display order; the text column takes the slack.
fn take_columns(natural: &[(TakeCol, usize); 7], width: usize) -> Vec<(TakeCol, usize)> {
    const PRIORITY: [TakeCol; 7] = [
        TakeCol::Marker,
        TakeCol::Number,
        TakeCol::Similarity,
        TakeCol::Cer,
        TakeCol::Voice,
        TakeCol::Speed,
        TakeCol::Text,
    ];
    let mut chosen = [None; 7];
    let mut used = 0usize;
    for col in PRIORITY {
        let i = natural.iter().position(|(c, _)| *c == col).unwrap_or(0);
        let want = natural[i].1;
        let gap = usize::from(used > 0);
        let left = width.saturating_sub(used + gap);
        let w = match col {
            // Text and voice are cut to fit when a useful part of them does.
            TakeCol::Text => left,
            TakeCol::Voice if left >= 4 => want.min(left),
            _ => want,
        };
        if w == 0 || (col == TakeCol::Text && w < 4) || used + gap + w > width {
            continue;
        }
        chosen[i] = Some(w);
        used += gap + w;
    }
    natural
        .iter()
        .zip(chosen)
        .filter_map(|((col, _), w)| w.map(|w| (*col, w)))
        .collect()
}

/// What the recogniser heard in the selected take (and its WER), or why it was not scored.
fn heard_line(heard: &Heard, width: usize, theme: &Theme) -> Line<'static> {
    let (label, text, style) = match heard {
        Heard::Nothing => return Line::default(),
        Heard::Pending => ("heard: ", "transcribing…".to_string(), theme.dim),
        Heard::Unscored(why) => ("not scored: ", one_line(why), theme.warn),
        Heard::Scored { wer, text, .. } => {
            let wer = wer
                .map(|w| format!(" (WER {})", cer_text(w)))
                .unwrap_or_default();
            (
                "heard: ",
                format!("\"{}\"{wer}", one_line(text)),
                Style::default(),
            )
        }
    };
    let room = width.saturating_sub(label.len());
    Line::from(vec![
        Span::styled(label, theme.dim),
        Span::styled(fit_head(&text, room), style),
    ])
}

/// `1.00×`, or `–` for a speed that is not a number.
pub(super) fn speed_text(speed: f32) -> String {
    if speed.is_finite() {
        format!("{speed:.2}×")
    } else {
        "–".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_columns_drop_text_speed_voice_cer_in_turn() {
        let natural = [
            (TakeCol::Marker, 1),
            (TakeCol::Number, 1),
            (TakeCol::Voice, 8),
            (TakeCol::Speed, 5),
            (TakeCol::Similarity, 4),
            (TakeCol::Cer, 4),
            (TakeCol::Text, 40),
        ];
        let cols = |w| {
            take_columns(&natural, w)
                .into_iter()
                .map(|(c, _)| c)
                .collect::<Vec<_>>()
        };
        use TakeCol::*;
        assert_eq!(
            cols(80),
            [Marker, Number, Voice, Speed, Similarity, Cer, Text].to_vec()
        );
        let wide = take_columns(&natural, 80);
        assert_eq!(wide.iter().map(|(_, w)| w + 1).sum::<usize>() - 1, 80);
        assert_eq!(cols(26), [Marker, Number, Voice, Similarity, Cer].to_vec());
        assert_eq!(cols(14), [Marker, Number, Similarity, Cer].to_vec());
        assert_eq!(cols(12), [Marker, Number, Similarity].to_vec());
        assert_eq!(cols(7), [Marker, Number].to_vec());
        assert_eq!(cols(2), [Marker].to_vec());
        assert!(cols(0).is_empty());
    }
}
