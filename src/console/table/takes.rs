//! The takes popup's columns: every take of a language, oldest first.

use voxdeck_ui::table::{Align, CellView, ColumnHead, Part, Tone, Width};

use super::scores::ScoreColumn;
use super::{Column, ScoredRow};
use crate::qa::scores::TakeScores;
use crate::report::Take;

/// The longest voice and text a take's row shows whole.
const VOICE_MAX: u16 = 20;
const TEXT_MAX: u16 = 48;

/// A take as the takes table reads it.
pub struct TakeLine<'a> {
    pub take: &'a Take,
    /// Marked as the "A" side of an A/B between two takes.
    pub marked: bool,
}

impl ScoredRow for TakeLine<'_> {
    fn scores(&self) -> Option<&TakeScores> {
        Some(&self.take.scores)
    }
}

/// The columns in display order, most important kept when narrow: marker, number,
/// scores, voice, speed, text (which takes the slack).
pub fn columns<'a>(scores: &[ScoreColumn]) -> Vec<Column<TakeLine<'a>>> {
    let head = ColumnHead::new;
    let right = |h: ColumnHead| ColumnHead {
        align: Align::Right,
        ..h
    };
    let mut columns: Vec<Column<TakeLine<'a>>> = vec![
        Column::row(head("", Width::Fixed(1), 0), |t| match t.marked {
            true => CellView::text("A", Tone::Active),
            false => CellView::Empty,
        }),
        Column::row(
            right(head("#", Width::Content { min: 1, max: 6 }, 1)),
            |t| CellView::plain(t.take.take.to_string()),
        ),
        Column::row(
            ColumnHead {
                shrinks_to: Some(4),
                ..head(
                    "voice",
                    Width::Content {
                        min: 5,
                        max: VOICE_MAX,
                    },
                    20,
                )
            },
            |t| CellView::plain(t.take.voice.as_str()),
        ),
        Column::row(
            right(head("speed", Width::Content { min: 5, max: 8 }, 21)),
            |t| CellView::plain(speed_text(t.take.speed)),
        ),
    ];
    let first_score = 10;
    columns
        .extend((scores.iter().enumerate()).map(|(i, s)| Column::score(s, first_score + i as u8)));
    columns.push(Column::row(
        ColumnHead {
            shrinks_to: Some(4),
            grows: true,
            ..head(
                "text",
                Width::Content {
                    min: 4,
                    max: TEXT_MAX,
                },
                22,
            )
        },
        |t| CellView::Text(vec![Part::new(one_line(&t.take.text), Tone::Dim)]),
    ));
    columns
}

/// `1.00×`, or `–` for a speed that is not a number.
pub fn speed_text(speed: f32) -> String {
    if speed.is_finite() {
        format!("{speed:.2}×")
    } else {
        "–".into()
    }
}

/// Line breaks and tabs as spaces, so a preview stays on its row.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
