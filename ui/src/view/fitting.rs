//! The voice fit popup: best similarity against evaluations for each judge (held-out text)
//! and for the probe the search scores on, the pace and a bound on the time left; once the
//! fit ends, the fitted voice's scores against the best stock voice's and the best blend's.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};
use ratatui::Frame;

use super::boxes::{boxed, frame_block};
use super::layout::{stack, Slot};
use super::text::fit_head;
use super::voice_qa::{hint_lines, pick_title};
use crate::snapshot::{FitOutcome, FitView};
use crate::theme::Theme;

const SEARCHING_KEYS: &[(&str, &str)] = &[("c", "cancel the fit"), ("Esc", "hide (it goes on)")];
/// The widest and tallest the popup asks for; the chart takes what the lines leave.
const BOX_W: u16 = 76;
const BOX_H: u16 = 20;
/// Under this many rows the chart is left out and the lines stay.
const CHART_MIN_ROWS: u16 = 4;

pub(crate) fn fitting(frame: &mut Frame, screen: Rect, fit: &FitView, theme: &Theme) {
    let code = &fit.code;
    let titles = [
        format!("fitting a voice for {code} (closest in Kokoro's voice space, not cloning)"),
        format!("fitted voice for {code} (not cloning)"),
        format!("fit {code}"),
    ];
    let box_w = screen.width.saturating_sub(4).min(BOX_W);
    let box_h = screen.height.saturating_sub(2).min(BOX_H);
    let title = pick_title(&titles, box_w);
    let inner = boxed(frame, screen, box_w, box_h, frame_block(title, "", theme));
    if inner.is_empty() {
        return;
    }
    let w = inner.width as usize;
    let outcome_keys = fitted_keys(fit);
    let keys = match &fit.outcome {
        FitOutcome::Searching => hint_lines(SEARCHING_KEYS, w, theme),
        _ => hint_lines(&outcome_keys, w, theme),
    };
    let result_lines = result_lines(fit, w, theme);
    let [chart, legend, pace, result, keys_area] = stack(
        inner,
        [
            Slot::fill(0),
            Slot::fixed(1),
            Slot::fixed(1),
            Slot::new(1, result_lines.len() as u16),
            Slot::new(1, keys.len() as u16),
        ],
        [3, 4, 2, 1, 0],
    );
    if chart.height >= CHART_MIN_ROWS {
        draw_chart(frame, chart, fit, theme);
    }
    frame.render_widget(legend_line(fit, w, theme), legend);
    frame.render_widget(Line::styled(fit_head(&pace_text(fit), w), theme.dim), pace);
    frame.render_widget(Paragraph::new(result_lines), result);
    frame.render_widget(Paragraph::new(keys), keys_area);
}

fn fitted_keys(fit: &FitView) -> Vec<(&'static str, &'static str)> {
    match &fit.outcome {
        FitOutcome::Fitted { .. } => vec![
            ("Enter", "a take with the best stock voice too, to A/B (t)"),
            ("Esc", "close"),
        ],
        _ => vec![("Esc", "close")],
    }
}

/// The judges' held-out lines in the theme's series colours, the probe line dimmed.
fn series_style(judge: usize, theme: &Theme) -> Style {
    theme.series(judge)
}

fn draw_chart(frame: &mut Frame, area: Rect, fit: &FitView, theme: &Theme) {
    let judges = fit.judges.len();
    let series: Vec<Vec<(f64, f64)>> = (0..judges)
        .map(|j| {
            fit.points
                .iter()
                .filter_map(|p| Some((p.evaluations as f64, *p.held_out.get(j)? as f64)))
                .collect()
        })
        .collect();
    let probe: Vec<(f64, f64)> = fit
        .points
        .iter()
        .map(|p| (p.evaluations as f64, p.probe as f64))
        .collect();
    let (lo, hi) = y_bounds(series.iter().flatten().chain(&probe).map(|&(_, y)| y));
    let mut datasets: Vec<Dataset> = series
        .iter()
        .enumerate()
        .map(|(j, data)| line(data, series_style(j, theme)))
        .collect();
    datasets.push(line(&probe, theme.dim));
    let budget = fit.budget.max(1) as f64;
    let x = Axis::default()
        .bounds([0.0, budget])
        .style(theme.border)
        .labels([
            Span::styled("0", theme.dim),
            Span::styled(format!("{} evaluations", fit.budget), theme.dim),
        ]);
    let y = Axis::default()
        .bounds([lo, hi])
        .style(theme.border)
        .labels([
            Span::styled(format!("{lo:.2}"), theme.dim),
            Span::styled(format!("{hi:.2}"), theme.dim),
        ]);
    let chart = Chart::new(datasets)
        .x_axis(x)
        .y_axis(y)
        .legend_position(None);
    frame.render_widget(chart, area);
}

fn line<'a>(data: &'a [(f64, f64)], style: Style) -> Dataset<'a> {
    Dataset::default()
        .data(data)
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(style)
}

/// Bounds on twentieths around the scores, at least 0.1 apart, within cosine's -1..1.
fn y_bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    lo = ((lo * 20.0).floor() / 20.0).max(-1.0);
    hi = ((hi * 20.0).ceil() / 20.0).min(1.0);
    if hi - lo < 0.1 {
        if hi + 0.1 <= 1.0 {
            hi = lo + 0.1;
        } else {
            lo = hi - 0.1;
        }
    }
    (lo, hi)
}

fn legend_line(fit: &FitView, w: usize, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (j, judge) in fit.judges.iter().enumerate() {
        spans.push(Span::styled("━ ", series_style(j, theme)));
        spans.push(Span::styled(format!("{judge} held-out  "), theme.dim));
    }
    spans.push(Span::styled("━ ", theme.dim));
    spans.push(Span::styled("probe (searched on)", theme.dim));
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    if super::text::width(&text) <= w {
        Line::from(spans)
    } else {
        Line::styled(fit_head(&text, w), theme.dim)
    }
}

/// `38/240 evaluations · 0.71/s · at most 4m 28s left` while searching; the totals after.
fn pace_text(fit: &FitView) -> String {
    let done = fit.evaluations;
    let rate = if fit.elapsed_seconds > 0.0 {
        done as f64 / fit.elapsed_seconds
    } else {
        0.0
    };
    let head = format!("{done}/{} evaluations · {rate:.2}/s", fit.budget);
    match &fit.outcome {
        // A bound, not a forecast: the search stops early once held-out scores stall.
        FitOutcome::Searching if rate > 0.0 => {
            let left = fit.budget.saturating_sub(done) as f64 / rate;
            format!("{head} · at most {} left", duration(left))
        }
        FitOutcome::Searching => head,
        _ => format!("{head} · {} in all", duration(fit.elapsed_seconds)),
    }
}

fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// Scores as `judge a→b, ...`, or `judge a, ...` without a second set.
fn judge_scores(judges: &[String], from: &[f32], to: Option<&[f32]>) -> String {
    (judges.iter().zip(from).enumerate())
        .map(|(i, (j, a))| match to.and_then(|t| t.get(i)) {
            Some(b) => format!("{j} {a:.3}→{b:.3}"),
            None => format!("{j} {a:.3}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How the fit stands; once fitted, the fitted voice against the best stock voice, then
/// the best blend it started from, so the operator sees what the search itself added.
fn result_lines(fit: &FitView, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![result_line(fit, w, theme)];
    if let FitOutcome::Fitted {
        blend: Some((name, scores)),
        ..
    } = &fit.outcome
    {
        let text = format!(
            "best blend {name}: {}",
            judge_scores(&fit.judges, scores, None)
        );
        lines.push(Line::styled(fit_head(&text, w), theme.dim));
    }
    lines
}

fn result_line(fit: &FitView, w: usize, theme: &Theme) -> Line<'static> {
    match &fit.outcome {
        FitOutcome::Searching => {
            let best = fit.points.last().map(|p| {
                fit.judges
                    .iter()
                    .zip(&p.held_out)
                    .map(|(j, s)| format!("{j} {s:.3}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            let text = match best {
                Some(best) => format!("best held-out so far: {best}"),
                None => "speaking the stock voices first...".to_string(),
            };
            Line::styled(fit_head(&text, w), theme.dim)
        }
        FitOutcome::Fitted {
            voice,
            stock_voice,
            stock,
            fitted,
            reused,
            ..
        } => {
            let scores = judge_scores(&fit.judges, stock, Some(fitted));
            let again = if *reused { " (saved before)" } else { "" };
            let text = format!("{voice}{again} vs {stock_voice}: {scores}");
            let better = stock.iter().zip(fitted).all(|(a, b)| b >= a);
            let style = if better { theme.ok } else { theme.warn };
            Line::styled(fit_head(&text, w), style)
        }
        FitOutcome::Stopped(why) => Line::styled(fit_head(why, w), theme.fail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_hug_the_scores_on_twentieths() {
        assert_eq!(y_bounds([0.62, 0.71, 0.68].into_iter()), (0.6, 0.75));
        assert_eq!(y_bounds([0.97, 0.99].into_iter()), (0.9, 1.0));
        assert_eq!(y_bounds(std::iter::empty()), (0.0, 1.0));
    }

    #[test]
    fn durations_read_in_minutes_past_one() {
        assert_eq!(duration(42.4), "42s");
        assert_eq!(duration(268.0), "4m 28s");
    }
}
