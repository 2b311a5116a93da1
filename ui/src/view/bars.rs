//! The header (job, device, run state) and the footer (playback, status, key hints).

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::{bar, fit_head, fraction_of, width};
use crate::keymap::footer_hints;
use crate::seconds;
use crate::snapshot::{Header, Playback, RunState, Snapshot};
use crate::theme::Theme;

const SEP: &str = "  ";

pub(crate) fn header(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let h = &snap.header;
    if area.width < 50 {
        frame.render_widget(compact_header(h, theme), area);
        return;
    }
    let mut first = vec![
        Span::styled(" voxdeck ", theme.title),
        Span::raw(h.job_name.as_str()),
        Span::raw(SEP),
        state_span(h.state, theme),
        Span::raw(SEP),
        Span::styled("wall ", theme.dim),
        Span::raw(seconds(h.wall_seconds)),
    ];
    if let Some(concurrency) = h.concurrency {
        first.push(Span::raw(SEP));
        first.push(Span::styled("concurrency ", theme.dim));
        first.push(Span::raw(format!("{concurrency:.2}")));
    }
    let second = device_spans(h, theme);
    let lines = if area.height >= 2 {
        vec![Line::from(first), Line::from(second)]
    } else {
        first.push(Span::raw(SEP));
        first.extend(second);
        vec![Line::from(first)]
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// State first: on a narrow screen it is what the operator needs.
fn compact_header<'a>(h: &'a Header, theme: &Theme) -> Line<'a> {
    let mut spans = vec![
        state_span(h.state, theme),
        Span::raw(" "),
        Span::raw(seconds(h.wall_seconds)),
    ];
    if let Some(concurrency) = h.concurrency {
        spans.push(Span::raw(format!(" c{concurrency:.2}")));
    }
    spans.push(Span::raw(" "));
    spans.push(Span::styled(h.job_name.as_str(), theme.dim));
    Line::from(spans)
}

fn device_spans<'a>(h: &'a Header, theme: &Theme) -> Vec<Span<'a>> {
    let provider = match &h.provider {
        Some(p) => Span::raw(p.as_str()),
        None => Span::styled("provider pending", theme.dim),
    };
    vec![
        Span::styled(" device ", theme.dim),
        Span::raw(h.device.as_str()),
        Span::styled(" → ", theme.dim),
        provider,
        Span::raw(SEP),
        Span::styled("workers ", theme.dim),
        Span::raw(h.workers.to_string()),
        Span::raw(SEP),
        Span::styled("mode ", theme.dim),
        Span::raw(h.mode.as_str()),
    ]
}

fn state_span(state: RunState, theme: &Theme) -> Span<'static> {
    let (text, style) = match state {
        RunState::Idle => ("idle", theme.dim),
        RunState::Running => ("running", theme.active),
        RunState::Cancelling => ("cancelling", theme.warn),
        RunState::Done => ("done", theme.ok),
        RunState::DoneWithFailures => ("done with failures", theme.fail),
        RunState::Cancelled => ("cancelled", theme.warn),
    };
    Span::styled(text, style)
}

/// Two rows: playback and status, then key hints; one row: key hints only.
pub(crate) fn footer(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let mut lines = Vec::with_capacity(2);
    if area.height >= 2 {
        lines.push(status_line(snap, theme));
    }
    lines.push(hints_line(snap, theme, area.width as usize));
    frame.render_widget(Paragraph::new(lines), area);
}

fn status_line<'a>(snap: &'a Snapshot, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::with_capacity(6);
    match &snap.playback {
        Playback::Stopped => {}
        Playback::Playing {
            what,
            position_seconds,
            duration_seconds,
        } => {
            spans.push(Span::styled(" ▶ ", theme.active));
            spans.push(Span::raw(what.as_str()));
            spans.push(Span::raw(" "));
            let done = fraction_of(*position_seconds, *duration_seconds);
            spans.push(Span::styled(bar(done, 12), theme.gauge_filled));
            spans.push(Span::raw(format!(
                " {:.1}/{:.1} s",
                position_seconds.max(0.0),
                duration_seconds.max(0.0)
            )));
        }
        Playback::Unavailable(reason) => {
            spans.push(Span::styled(" audio: ", theme.warn));
            spans.push(Span::styled(reason.as_str(), theme.warn));
        }
    }
    if let Some(status) = &snap.status {
        spans.push(Span::raw(SEP));
        spans.push(Span::styled(status.as_str(), theme.dim));
    }
    Line::from(spans)
}

/// Hints in order while they fit, always ending with the last one (`? help`).
fn hints_line(snap: &Snapshot, theme: &Theme, max: usize) -> Line<'static> {
    let hints = footer_hints(snap.focus, snap.header.state.is_active(), &snap.keys);
    let cost = |k: &str, w: &str| width(k) + width(w) + 3;
    let Some((last, rest)) = hints.split_last() else {
        return Line::default();
    };
    let mut budget = max.saturating_sub(cost(&last.key, &last.what));
    let mut spans = Vec::with_capacity(hints.len() * 3);
    let push = |spans: &mut Vec<Span<'static>>, k: &str, w: &str| {
        spans.push(Span::styled(format!(" {k}"), theme.key));
        spans.push(Span::styled(format!(" {w} "), theme.dim));
    };
    for hint in rest {
        let c = cost(&hint.key, &hint.what);
        if c > budget {
            break;
        }
        budget -= c;
        push(&mut spans, &hint.key, &hint.what);
    }
    if cost(&last.key, &last.what) <= max {
        push(&mut spans, &last.key, &last.what);
    } else {
        spans.push(Span::styled(
            fit_head(&format!(" {}", last.key), max),
            theme.key,
        ));
    }
    Line::from(spans).style(Style::default())
}
