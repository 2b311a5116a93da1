//! The progress table's columns: one row per language of the current or next run.

use voxdeck_ui::snapshot::LanguageState;
use voxdeck_ui::table::{CellView, ColumnHead, Part, Tone, Width};

use super::scores::ScoreColumn;
use super::{Column, ScoredRow};
use crate::engine::outcome::Status;
use crate::engine::progress::LanguageProgress;
use crate::qa::scores::TakeScores;

/// A language as the progress table reads it.
pub struct LanguageLine<'a> {
    pub code: &'a str,
    pub voice: &'a str,
    pub state: LanguageState,
    /// Its latest run's progress, once the session ran it.
    pub progress: Option<&'a LanguageProgress>,
    /// Takes made of it this session.
    pub takes: usize,
    /// The latest run's take's scores.
    pub scores: Option<&'a TakeScores>,
}

impl ScoredRow for LanguageLine<'_> {
    fn scores(&self) -> Option<&TakeScores> {
        self.scores
    }
}

/// The columns in display order; `scores` go last, kept after the timings when narrow.
pub fn columns<'a>(scores: &[ScoreColumn]) -> Vec<Column<LanguageLine<'a>>> {
    let head = ColumnHead::new;
    let mut columns: Vec<Column<LanguageLine<'a>>> = vec![
        Column::row(
            ColumnHead {
                always: true,
                ..head("lang", Width::Fixed(5), 0)
            },
            |l| CellView::plain(l.code),
        ),
        Column::row(
            ColumnHead {
                always: true,
                ..head("state", Width::Fixed(9), 1)
            },
            state,
        ),
        Column::row(
            ColumnHead {
                shrinks_to: Some(4),
                grows: true,
                ..head("sentences", Width::Fixed(10), 2)
            },
            sentences,
        ),
        Column::row(head("audio", Width::Fixed(7), 3), |l| {
            timed(l, |p| voxdeck_ui::seconds(p.audio_seconds))
        }),
        Column::row(head("elapsed", Width::Fixed(7), 20), |l| {
            timed(l, |p| voxdeck_ui::seconds(p.elapsed_seconds))
        }),
        Column::row(head("RTF", Width::Fixed(4), 4), |l| {
            let rtf = l.progress.and_then(|p| p.rtf()).filter(|_| started(l));
            rtf.map_or(CellView::Empty, |r| CellView::plain(format!("{r:.2}")))
        }),
        Column::row(head("EP", Width::Fixed(5), 21), |l| {
            let provider = l.progress.and_then(|p| p.execution_provider.as_deref());
            match provider.filter(|_| started(l)) {
                Some(p) => CellView::plain(provider_short(p)),
                None => CellView::Empty,
            }
        }),
        Column::row(head("voice", Width::Fixed(10), 22), |l| {
            CellView::plain(l.voice)
        }),
    ];
    let first_score = 10;
    columns
        .extend((scores.iter().enumerate()).map(|(i, s)| Column::score(s, first_score + i as u8)));
    columns
}

/// Whether the row has been run (idle rows show their code, state and voice only).
fn started(l: &LanguageLine<'_>) -> bool {
    l.state != LanguageState::Idle
}

/// The state, followed by a dim `t3` when the language has more than one take and the
/// column has room for it.
fn state(l: &LanguageLine<'_>) -> CellView {
    let (status, tone) = match l.state {
        LanguageState::Idle => (None, Tone::Dim),
        LanguageState::Queued => (Some(Status::Queued), Tone::Dim),
        LanguageState::Running => (Some(Status::Running), Tone::Active),
        LanguageState::Done => (Some(Status::Done), Tone::Ok),
        LanguageState::Failed => (Some(Status::Failed), Tone::Fail),
        LanguageState::Cancelled => (Some(Status::Cancelled), Tone::Warn),
    };
    // A language the session has not run has no status of its own.
    let label = status.map_or("idle", Status::label);
    let mut parts = vec![Part::new(label, tone)];
    if l.takes > 1 {
        parts.push(Part::optional(format!(" t{}", l.takes), Tone::Dim));
    }
    CellView::Text(parts)
}

/// The bar and `done/total`, then `, N cached` when sentences came from the result cache;
/// a failed row's error in place of the numbers, which mean little for it.
fn sentences(l: &LanguageLine<'_>) -> CellView {
    if l.state == LanguageState::Failed {
        let error = l.progress.and_then(|p| p.error.as_deref());
        return CellView::Spanning(Part::new(error.unwrap_or("failed"), Tone::Fail));
    }
    let (Some(p), true) = (l.progress, started(l)) else {
        return CellView::Empty;
    };
    let label = format!(" {}/{}", p.sentences_done, p.sentences_total);
    let wide_label = (p.cache_hits > 0).then(|| format!("{label}, {} cached", p.cache_hits));
    let fraction = match p.sentences_total {
        0 => 0.0,
        total => p.sentences_done as f64 / total as f64,
    };
    CellView::Gauge {
        fraction,
        tone: match l.state {
            LanguageState::Done => Tone::Ok,
            LanguageState::Cancelled => Tone::Warn,
            _ => Tone::Plain,
        },
        label,
        wide_label,
    }
}

/// A time of a row that has started (queued rows have none yet).
fn timed(l: &LanguageLine<'_>, value: fn(&LanguageProgress) -> String) -> CellView {
    match l.progress {
        Some(p) if !matches!(l.state, LanguageState::Idle | LanguageState::Queued) => {
            CellView::plain(value(p))
        }
        _ => CellView::Empty,
    }
}

/// `CUDAExecutionProvider` -> `CUDA`: the table has no room for ORT's full names.
fn provider_short(provider: &str) -> &str {
    provider
        .strip_suffix("ExecutionProvider")
        .unwrap_or(provider)
}
