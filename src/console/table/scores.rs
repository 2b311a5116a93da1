//! A take's scores as table columns: each score's header, width and how its value reads,
//! written once and shown in the progress table (the latest take) and the takes popup
//! (every take). The rules themselves (threshold, flag) are `qa::scores`'.

use voxdeck_ui::table::{Align, CellView, ColumnHead, Part, Tone, Width};

use crate::qa::scores::{percent, Heard, Match, TakeScores};

/// What the score cells are judged against, from the settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreRules {
    pub similarity_threshold: f32,
}

impl Default for ScoreRules {
    fn default() -> Self {
        ScoreRules {
            similarity_threshold: crate::qa::DEFAULT_THRESHOLD,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ScoreColumn {
    pub head: ColumnHead,
    pub cell: fn(&TakeScores, &ScoreRules) -> CellView,
}

/// Every score column, in the order the tables show them.
pub fn score_columns() -> Vec<ScoreColumn> {
    vec![
        ScoreColumn {
            head: ColumnHead {
                align: Align::Right,
                ..ColumnHead::new("sim", Width::Content { min: 4, max: 6 }, 0)
            },
            cell: similarity,
        },
        ScoreColumn {
            head: ColumnHead::new("CER", Width::Fixed(4), 0),
            cell: cer,
        },
        ScoreColumn {
            head: ColumnHead {
                align: Align::Right,
                ..ColumnHead::new("LUFS", Width::Content { min: 5, max: 6 }, 0)
            },
            cell: loudness,
        },
    ]
}

/// Integrated loudness, `-23.1`, in the failing colour when the take is clipped; `–` when
/// too short or quiet to gate (dim) or unreadable (warning).
fn loudness(scores: &TakeScores, _: &ScoreRules) -> CellView {
    match (&scores.loudness, &scores.loudness_error) {
        (Some(l), _) => match l.integrated_lufs {
            Some(v) if l.clipped_samples > 0 => CellView::text(format!("{v:.1}"), Tone::Fail),
            Some(v) => CellView::plain(format!("{v:.1}")),
            None => CellView::text("–", Tone::Dim),
        },
        (None, Some(_)) => CellView::text("–", Tone::Warn),
        (None, None) => CellView::Empty,
    }
}

/// `0.83` in the good colour at or over the threshold, else the warning colour; `–` dim
/// while the take has no similarity (the report says why).
fn similarity(scores: &TakeScores, rules: &ScoreRules) -> CellView {
    match scores.similarity_match(rules.similarity_threshold) {
        Match::Good => CellView::text(number(scores.similarity), Tone::Ok),
        Match::Weak => CellView::text(number(scores.similarity), Tone::Warn),
        Match::Unscored => CellView::text("–", Tone::Dim),
    }
}

fn number(value: Option<f32>) -> String {
    value.map_or_else(|| "–".into(), |v| format!("{v:.2}"))
}

/// `6%` (failing colour when over the `[qa]` limits), `…` while the take is transcribed,
/// `–` when it was not scored (the takes popup says why).
fn cer(scores: &TakeScores, _: &ScoreRules) -> CellView {
    match scores.heard() {
        Heard::Nothing => CellView::Empty,
        Heard::Pending => CellView::text("…", Tone::Dim),
        Heard::Unscored(_) => CellView::text("–", Tone::Warn),
        Heard::Scored(t) => {
            let tone = if t.flagged { Tone::Fail } else { Tone::Ok };
            CellView::text(percent(t.cer), tone)
        }
    }
}

/// What a take was heard to say (and its WER), or why it was not scored: the line under
/// the takes table.
pub fn heard_line(scores: &TakeScores) -> Vec<Part> {
    match scores.heard() {
        Heard::Nothing => Vec::new(),
        Heard::Pending => vec![
            Part::new("heard: ", Tone::Dim),
            Part::new("transcribing…", Tone::Dim),
        ],
        Heard::Unscored(why) => vec![
            Part::new("not scored: ", Tone::Dim),
            Part::new(why, Tone::Warn),
        ],
        Heard::Scored(t) => {
            let wer = t
                .wer
                .map(|w| format!(" (WER {})", percent(w)))
                .unwrap_or_default();
            vec![
                Part::new("heard: ", Tone::Dim),
                Part::new(format!("\"{}\"{wer}", t.text), Tone::Plain),
            ]
        }
    }
}
