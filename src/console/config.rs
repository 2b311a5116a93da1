//! The console's view of the one settings file (`crate::config` reads it, for the console
//! and headless alike): the keymap, theme, match threshold, GPU sampling interval and fit
//! search over compiled-in defaults. Only the console knows action, style and colour names,
//! so it checks `[keys]` and `[theme]` here. Like the file's reader, it never drops more
//! than the entry that is wrong: each bad entry is a warning (status bar and log) and the
//! other entries are used; the console never refuses to start over its settings.

use std::path::Path;
use std::time::Duration;

use ratatui::style::{Color, Style};
use voxdeck_ui::Theme;

use super::keymap::Keymap;
use crate::config::{ignored, Config};

/// The GPU sampling interval when the settings name none.
const DEFAULT_GPU_INTERVAL: Duration = Duration::from_millis(500);

/// The style names of `[theme]`, as the warnings list them.
const STYLES: &str = "ok, warn, fail, active, highlight, border, border_focused, title, key, dim, gauge_filled, gauge_unfilled";

#[derive(Debug)]
pub struct ConsoleConfig {
    pub keymap: Keymap,
    pub theme: Theme,
    pub similarity_threshold: f32,
    pub gpu_interval: Duration,
    /// The fit key's search: its budget of evaluations and seed.
    pub fit: crate::fit::FitRequest,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        ConsoleConfig {
            keymap: Keymap::default(),
            theme: Theme::default(),
            similarity_threshold: crate::qa::DEFAULT_THRESHOLD,
            gpu_interval: DEFAULT_GPU_INTERVAL,
            fit: crate::fit::FitRequest::default(),
        }
    }
}

impl ConsoleConfig {
    /// The console's settings over the defaults, and a warning for each `[keys]` or
    /// `[theme]` entry that cannot be used. `file` names the settings file in them.
    pub fn from_settings(settings: &Config, file: Option<&Path>) -> (ConsoleConfig, Vec<String>) {
        let (keymap, refused) = Keymap::with_bindings(&settings.keys);
        let mut warnings: Vec<String> = refused
            .iter()
            .map(|(name, why)| ignored(&format!("[keys] {name}"), file, why))
            .collect();
        let mut theme = Theme::default();
        for (name, colour) in &settings.theme {
            let why = match (colour.parse::<Color>(), theme_field(&mut theme, name)) {
                (Ok(colour), Some(style)) => {
                    *style = style.fg(colour);
                    continue;
                }
                (_, None) => format!("unknown style `{name}` (the styles are {STYLES})"),
                (Err(_), Some(_)) => {
                    format!("unknown colour `{colour}` (use a colour name, \"#rrggbb\" or 0-255)")
                }
            };
            warnings.push(ignored(&format!("[theme] {name}"), file, &why));
        }
        let defaults = ConsoleConfig::default();
        let config = ConsoleConfig {
            keymap,
            theme,
            similarity_threshold: settings
                .similarity_threshold
                .unwrap_or(defaults.similarity_threshold),
            gpu_interval: settings
                .gpu_interval_ms
                .map_or(defaults.gpu_interval, Duration::from_millis),
            fit: crate::fit::FitRequest {
                budget: settings.fit_budget.unwrap_or(defaults.fit.budget),
                seed: settings.fit_seed.unwrap_or(defaults.fit.seed),
            },
        };
        (config, warnings)
    }

    /// The settings file at `path` as the console reads it (no environment overrides), with
    /// the file's warnings and the console's. A missing file is the defaults, no warning.
    pub fn load(path: &Path) -> (ConsoleConfig, Vec<String>) {
        let loaded = crate::config::load_from(path);
        let (config, console_warnings) = ConsoleConfig::from_settings(&loaded.config, Some(path));
        let mut warnings = loaded.warnings;
        warnings.extend(console_warnings);
        (config, warnings)
    }
}

fn theme_field<'t>(theme: &'t mut Theme, name: &str) -> Option<&'t mut Style> {
    Some(match name {
        "ok" => &mut theme.ok,
        "warn" => &mut theme.warn,
        "fail" => &mut theme.fail,
        "active" => &mut theme.active,
        "highlight" => &mut theme.highlight,
        "border" => &mut theme.border,
        "border_focused" => &mut theme.border_focused,
        "title" => &mut theme.title,
        "key" => &mut theme.key,
        "dim" => &mut theme.dim,
        "gauge_filled" => &mut theme.gauge_filled,
        "gauge_unfilled" => &mut theme.gauge_unfilled,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
