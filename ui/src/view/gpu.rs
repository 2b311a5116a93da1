//! The GPU pane: per device a stats line and a memory gauge, then one history chart
//! shared by all devices. Without NVML: the reason, host memory and the same chart.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, LineGauge, Paragraph};
use ratatui::Frame;

use super::text::{fit_head, fraction, fraction_of};
use crate::snapshot::{GpuDevice, GpuPane};
use crate::theme::Theme;
use crate::{bytes, bytes_of};

/// The chart's window, seconds back from now.
const HISTORY_SECONDS: f64 = 120.0;
/// Fewer rows than this make a chart that says nothing.
const CHART_MIN_ROWS: u16 = 3;

pub(crate) fn pane(frame: &mut Frame, area: Rect, gpu: &GpuPane, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    match gpu {
        GpuPane::Waiting => frame.render_widget(Line::styled("sampling...", theme.dim), area),
        GpuPane::Devices(devices) => devices_pane(frame, area, devices, theme),
        GpuPane::Unavailable {
            reason,
            process_rss_bytes,
            system_used_bytes,
            system_total_bytes,
            history,
        } => {
            let mut rows = Rows::new(area);
            rows.line(
                frame,
                Line::styled(fit_head(reason, area.width as usize), theme.warn),
            );
            rows.line(
                frame,
                Line::from(vec![
                    Span::styled("this process ", theme.dim),
                    Span::raw(bytes(*process_rss_bytes)),
                    Span::styled(" resident", theme.dim),
                ]),
            );
            let used = fraction_of(*system_used_bytes as f64, *system_total_bytes as f64);
            let label = format!(
                "system {} ",
                bytes_of(*system_used_bytes, *system_total_bytes)
            );
            rows.gauge(frame, label, used, theme);
            let series = [(history.as_slice(), theme.series(0))];
            rows.chart(frame, &series, theme);
        }
    }
}

fn devices_pane(frame: &mut Frame, area: Rect, devices: &[GpuDevice], theme: &Theme) {
    if devices.is_empty() {
        frame.render_widget(Line::styled("NVML reports no devices", theme.warn), area);
        return;
    }
    let mut rows = Rows::new(area);
    for (i, device) in devices.iter().enumerate() {
        if rows.left() < 2 {
            break;
        }
        rows.line(frame, stats_line(device, theme.series(i), theme));
        let used = fraction_of(
            device.memory_used_bytes as f64,
            device.memory_total_bytes as f64,
        );
        let label = format!(
            "mem {} ",
            bytes_of(device.memory_used_bytes, device.memory_total_bytes)
        );
        rows.gauge(frame, label, used, theme);
    }
    // At most as many series as the palette has colours: more would be indistinguishable.
    let mut series: [(&[(f64, f64)], Style); 4] = [(&[], Style::default()); 4];
    let n = devices.len().min(series.len());
    for (i, device) in devices.iter().take(n).enumerate() {
        series[i] = (device.history.as_slice(), theme.series(i));
    }
    rows.chart(frame, &series[..n], theme);
}

fn stats_line<'a>(d: &'a GpuDevice, series: Style, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::styled("● ", series), Span::raw(d.index.to_string())];
    let mut stat = |label: &'static str, value: String| {
        spans.push(Span::styled(label, theme.dim));
        spans.push(Span::raw(value));
    };
    if let Some(u) = d.utilization_percent {
        stat(" util ", format!("{u}%"));
    }
    if let Some(t) = d.temperature_celsius {
        stat(" ", format!("{t}°C"));
    }
    if let Some(p) = d.power_watts {
        stat(" ", format!("{p:.0} W"));
    }
    if let Some(own) = d.own_process_bytes {
        stat(" own ", bytes(own));
    }
    if let Some(per_worker) = d.own_per_worker_bytes {
        stat(" (", format!("{}/worker)", bytes(per_worker)));
    }
    spans.push(Span::styled(" ", theme.dim));
    spans.push(Span::styled(d.name.as_str(), theme.dim));
    Line::from(spans)
}

/// Hands out the pane's rows top to bottom.
struct Rows {
    area: Rect,
    next: u16,
}

impl Rows {
    fn new(area: Rect) -> Self {
        Rows { area, next: area.y }
    }

    fn left(&self) -> u16 {
        self.area.bottom().saturating_sub(self.next)
    }

    fn take(&mut self, height: u16) -> Option<Rect> {
        if height == 0 || self.left() < height {
            return None;
        }
        let rect = Rect {
            y: self.next,
            height,
            ..self.area
        };
        self.next += height;
        Some(rect)
    }

    fn line(&mut self, frame: &mut Frame, line: Line<'_>) {
        if let Some(rect) = self.take(1) {
            frame.render_widget(Paragraph::new(line), rect);
        }
    }

    fn gauge(&mut self, frame: &mut Frame, label: String, used: f64, theme: &Theme) {
        let Some(rect) = self.take(1) else { return };
        let level = match used {
            u if u >= 0.9 => theme.fail,
            u if u >= 0.75 => theme.warn,
            _ => theme.ok,
        };
        let gauge = LineGauge::default()
            .ratio(fraction(used))
            .label(Line::styled(label, theme.dim))
            .filled_symbol("━")
            .unfilled_symbol("─")
            .filled_style(level)
            .unfilled_style(theme.gauge_unfilled);
        frame.render_widget(gauge, rect);
    }

    /// Memory used over the last two minutes, 0..100 %, one line per series.
    fn chart(&mut self, frame: &mut Frame, series: &[(&[(f64, f64)], Style)], theme: &Theme) {
        let height = self.left();
        if height < CHART_MIN_ROWS {
            return;
        }
        let Some(rect) = self.take(height) else {
            return;
        };
        let datasets = series
            .iter()
            .map(|(data, style)| {
                Dataset::default()
                    .data(data)
                    .marker(Marker::Braille)
                    .graph_type(GraphType::Line)
                    .style(*style)
            })
            .collect();
        // No x labels: the pane title says the window, and every row goes to the lines.
        let x = Axis::default().bounds([-HISTORY_SECONDS, 0.0]);
        let mut y = Axis::default().bounds([0.0, 1.0]).style(theme.border);
        if rect.width >= 30 {
            y = y.labels([
                Span::styled("0%", theme.dim),
                Span::styled("100%", theme.dim),
            ]);
        }
        let chart = Chart::new(datasets)
            .x_axis(x)
            .y_axis(y)
            .legend_position(None);
        frame.render_widget(chart, rect);
    }
}
