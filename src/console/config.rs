//! The console's config file, `~/.config/voxdeck/config.toml` (`$XDG_CONFIG_HOME`), over
//! compiled-in defaults. Every section is optional:
//!
//! ```toml
//! [keys]                      # action = "key"
//! run = "F5"
//! [theme]                     # style = "colour" (names, "#rrggbb" or 0-255)
//! ok = "lightgreen"
//! [qa]
//! similarity_threshold = 0.8
//! [gpu]
//! interval_ms = 250
//! [fit]                       # the fit key's search (a job's fit_budget/fit_seed are its own)
//! budget = 240
//! seed = 1
//! ```
//!
//! A bad file is reported (status bar and log) and the defaults are used: the console
//! never refuses to start over its config.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::style::{Color, Style};
use serde::Deserialize;
use voxdeck_ui::Theme;

use super::keymap::Keymap;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    keys: HashMap<String, String>,
    #[serde(default)]
    theme: HashMap<String, String>,
    qa: Option<QaSection>,
    gpu: Option<GpuSection>,
    fit: Option<FitSection>,
    // The box's settings, read by `crate::config` for console and headless alike.
    #[allow(dead_code)]
    pool: Option<toml::Value>,
    #[allow(dead_code)]
    cache: Option<toml::Value>,
    #[allow(dead_code)]
    metrics: Option<toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QaSection {
    similarity_threshold: Option<f32>,
    // Read by `crate::config` for console and headless alike.
    #[allow(dead_code)]
    transcribe: Option<toml::Value>,
    #[allow(dead_code)]
    max_cer: Option<toml::Value>,
    #[allow(dead_code)]
    max_wer: Option<toml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FitSection {
    budget: Option<usize>,
    seed: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GpuSection {
    interval_ms: Option<u64>,
}

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
            gpu_interval: Duration::from_millis(500),
            fit: crate::fit::FitRequest::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}; using the defaults")]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
}

/// The one settings file (`crate::config::path`: `$VOXDECK_CONFIG` or the XDG one).
pub fn config_path() -> Option<PathBuf> {
    crate::config::path()
}

impl ConsoleConfig {
    /// The file's settings over the defaults; a missing file is simply the defaults.
    pub fn load(path: &Path) -> Result<ConsoleConfig, ConfigError> {
        let error = |message: String| ConfigError {
            path: path.to_path_buf(),
            message,
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ConsoleConfig::default())
            }
            Err(e) => return Err(error(e.to_string())),
        };
        let file: ConfigFile = toml::from_str(&text).map_err(|e| error(e.message().to_string()))?;
        let mut config = ConsoleConfig {
            keymap: Keymap::with_bindings(&file.keys).map_err(error)?,
            ..ConsoleConfig::default()
        };
        for (name, colour) in &file.theme {
            let colour: Color = colour
                .parse()
                .map_err(|_| error(format!("theme.{name}: unknown colour `{colour}`")))?;
            let style = theme_field(&mut config.theme, name)
                .ok_or_else(|| error(format!("theme: unknown style `{name}`")))?;
            *style = style.fg(colour);
        }
        if let Some(threshold) = file.qa.and_then(|q| q.similarity_threshold) {
            if !(-1.0..=1.0).contains(&threshold) {
                return Err(error(format!(
                    "qa.similarity_threshold {threshold} is not a cosine: use -1.0..=1.0"
                )));
            }
            config.similarity_threshold = threshold;
        }
        if let Some(fit) = file.fit {
            if let Some(budget) = fit.budget {
                config.fit.budget = crate::fit::check_budget(budget)
                    .map_err(|e| error(format!("fit.budget: {e}")))?;
            }
            if let Some(seed) = fit.seed {
                config.fit.seed = seed;
            }
        }
        if let Some(ms) = file.gpu.and_then(|g| g.interval_ms) {
            if ms == 0 {
                return Err(error("gpu.interval_ms must be at least 1".into()));
            }
            config.gpu_interval = Duration::from_millis(ms);
        }
        Ok(config)
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
mod tests {
    use super::*;

    fn load(text: &str) -> Result<ConsoleConfig, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        ConsoleConfig::load(&path)
    }

    #[test]
    fn sections_override_defaults() {
        let config = load("[theme]\nok = \"#00ff00\"\n[qa]\nsimilarity_threshold = 0.8\n[gpu]\ninterval_ms = 250\n").unwrap();
        assert_eq!(config.theme.ok.fg, Some(Color::Rgb(0, 255, 0)));
        assert_eq!(config.similarity_threshold, 0.8);
        assert_eq!(config.gpu_interval, Duration::from_millis(250));
        let fit = load("[fit]\nbudget = 16\nseed = 3\n").unwrap().fit;
        assert_eq!((fit.budget, fit.seed), (16, 3));
        // The box's sections (crate::config) share the file.
        load("[pool]\nworkers = 2\n[cache]\nurl = \"disk\"\n[metrics]\naddr = \"127.0.0.1:9\"\n")
            .unwrap();
    }

    #[test]
    fn bad_files_are_reported() {
        assert!(load("[theme]\nok = \"plaid\"\n")
            .unwrap_err()
            .to_string()
            .contains("unknown colour `plaid`"));
        assert!(load("[theme]\nsparkle = \"red\"\n")
            .unwrap_err()
            .to_string()
            .contains("unknown style"));
        assert!(load("[keys]\nfly = \"f\"\n")
            .unwrap_err()
            .to_string()
            .contains("unknown action `fly`"));
        assert!(load("[qa]\nsimilarity_threshold = 3.0\n").is_err());
        assert!(load("[fit]\nbudget = 2\n")
            .unwrap_err()
            .to_string()
            .contains("fit.budget"));
        assert!(load("[sound]\nloud = true\n").is_err());
        assert!(ConsoleConfig::load(Path::new("/nonexistent/config.toml")).is_ok());
    }
}
