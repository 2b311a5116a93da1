//! Styles the views draw with. Plain data with compiled-in defaults; the console maps its
//! TOML config onto these fields, so this crate stays free of serde.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Done languages, good similarity, healthy gauges.
    pub ok: Style,
    /// Warnings, cancellation, the no-NVML reason.
    pub warn: Style,
    /// Failed languages, errors, poor similarity.
    pub fail: Style,
    /// Running rows and other live things.
    pub active: Style,
    /// The row under the cursor in the focused pane.
    pub highlight: Style,
    pub border: Style,
    /// Border of the pane that has the keyboard.
    pub border_focused: Style,
    pub title: Style,
    /// Keys in the footer and the help.
    pub key: Style,
    /// Secondary text: labels, units, key descriptions.
    pub dim: Style,
    pub gauge_filled: Style,
    pub gauge_unfilled: Style,
    /// One colour per GPU device in the shared history chart (cycled).
    pub series: [Style; 4],
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            ok: Style::new().fg(Color::Green),
            warn: Style::new().fg(Color::Yellow),
            fail: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            active: Style::new().fg(Color::Cyan),
            highlight: Style::new().add_modifier(Modifier::REVERSED),
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan),
            title: Style::new().add_modifier(Modifier::BOLD),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::Gray),
            gauge_filled: Style::new().fg(Color::Cyan),
            gauge_unfilled: Style::new().fg(Color::DarkGray),
            series: [
                Style::new().fg(Color::Cyan),
                Style::new().fg(Color::Magenta),
                Style::new().fg(Color::Yellow),
                Style::new().fg(Color::Green),
            ],
        }
    }
}

impl Theme {
    /// The style for series `index` (devices beyond the palette reuse it).
    pub fn series(&self, index: usize) -> Style {
        self.series[index % self.series.len()]
    }
}
