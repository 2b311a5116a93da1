//! Keys -> actions. Defaults are compiled in; `~/.config/voxdeck/keys.toml` may rebind
//! any action by name (`run = "F5"`, `quit = "ctrl-q"`). A bad file is reported and the
//! defaults kept.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use voxdeck_ui::snapshot::Popup;

use super::action::Action;

const DEFAULTS: &[(&str, &str)] = &[
    ("tab", "focus_next"),
    ("backtab", "focus_prev"),
    ("up", "up"),
    ("k", "up"),
    ("down", "down"),
    ("j", "down"),
    ("space", "toggle"),
    ("a", "select_all"),
    ("n", "select_none"),
    ("e", "edit_inline"),
    ("E", "edit_text"),
    ("v", "cycle_voice"),
    ("V", "match_voice"),
    ("t", "takes"),
    ("+", "workers_up"),
    ("=", "workers_up"),
    ("-", "workers_down"),
    ("m", "cycle_mode"),
    ("d", "cycle_device"),
    ("r", "run"),
    ("c", "cancel"),
    ("R", "rerun"),
    ("p", "play_result"),
    ("s", "play_source"),
    ("b", "toggle_ab"),
    ("x", "stop_playback"),
    ("o", "open_clip"),
    ("]", "log_more"),
    ("[", "log_less"),
    ("?", "help"),
    ("q", "quit"),
];

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: HashMap<String, Action>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid: {message}; using the default keys")]
    Invalid { path: PathBuf, message: String },
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .map(|(k, a)| {
                (
                    k.to_string(),
                    Action::from_name(a).expect("default names are valid"),
                )
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// The defaults with the file's `action = "key"` lines applied. A missing file is fine.
    pub fn load(path: &Path) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::default();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(keymap),
            Err(source) => {
                return Err(KeymapError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let invalid = |message: String| KeymapError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let table: HashMap<String, String> =
            toml::from_str(&text).map_err(|e| invalid(e.message().to_string()))?;
        for (name, key) in table {
            let action = Action::from_name(&name)
                .ok_or_else(|| invalid(format!("unknown action `{name}`")))?;
            keymap.bindings.retain(|_, bound| *bound != action);
            keymap
                .bindings
                .insert(key.to_lowercase_unless_single(), action);
        }
        Ok(keymap)
    }

    pub fn config_path() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("voxdeck").join("keys.toml"))
    }

    /// The action for a key, given what is on screen: text popups take characters as input.
    pub fn action(
        &self,
        key: KeyEvent,
        popup: Option<&Popup>,
        editing_inline: bool,
    ) -> Option<Action> {
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Some(Action::Interrupt);
        }
        match popup {
            _ if editing_inline => return text_input(key),
            Some(Popup::EditText { .. } | Popup::OpenClip { .. }) => return text_input(key),
            Some(Popup::ConfirmCancel | Popup::ConfirmQuit) => {
                return match key.code {
                    KeyCode::Enter | KeyCode::Char('y') | KeyCode::Char('Y') => {
                        Some(Action::Confirm)
                    }
                    _ => Some(Action::Dismiss),
                };
            }
            Some(Popup::Help) => return Some(Action::Dismiss),
            Some(Popup::VoiceRanking { .. } | Popup::Takes { .. }) => {
                return match key.code {
                    KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
                    KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
                    KeyCode::Enter => Some(Action::Confirm),
                    KeyCode::Esc | KeyCode::Char('q') => Some(Action::Dismiss),
                    KeyCode::Char(c) => Some(Action::Input(c)),
                    _ => None,
                };
            }
            None => {}
        }
        self.bindings.get(&key_name(key)?).cloned()
    }
}

/// While a text is being edited, keys are characters.
fn text_input(key: KeyEvent) -> Option<Action> {
    match key.code {
        KeyCode::Enter => Some(Action::Confirm),
        KeyCode::Esc => Some(Action::Dismiss),
        KeyCode::Backspace => Some(Action::Backspace),
        KeyCode::Char(c) => Some(Action::Input(c)),
        _ => None,
    }
}

trait KeyText {
    fn to_lowercase_unless_single(&self) -> String;
}

impl KeyText for String {
    /// Named keys are case-insensitive ("Tab", "F5"); single characters keep their case.
    fn to_lowercase_unless_single(&self) -> String {
        if self.chars().count() == 1 {
            self.clone()
        } else {
            self.to_lowercase()
        }
    }
}

fn key_name(key: KeyEvent) -> Option<String> {
    let base = match key.code {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "backtab".into(),
        KeyCode::Up => "up".into(),
        KeyCode::Down => "down".into(),
        KeyCode::Left => "left".into(),
        KeyCode::Right => "right".into(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::F(n) => format!("f{n}"),
        _ => return None,
    };
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        Some(format!("ctrl-{base}"))
    } else {
        Some(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn defaults_and_popups() {
        let keymap = Keymap::default();
        assert_eq!(
            keymap.action(key(KeyCode::Char('r')), None, false),
            Some(Action::Run)
        );
        assert_eq!(
            keymap.action(
                key(KeyCode::Char('r')),
                Some(&Popup::OpenClip {
                    input: String::new()
                }),
                false
            ),
            Some(Action::Input('r'))
        );
        assert_eq!(
            keymap.action(key(KeyCode::Char('y')), Some(&Popup::ConfirmCancel), false),
            Some(Action::Confirm)
        );
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(keymap.action(ctrl_c, None, false), Some(Action::Interrupt));
    }

    #[test]
    fn config_rebinds_and_rejects_unknown_actions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.toml");
        std::fs::write(&path, "run = \"F5\"\n").unwrap();
        let keymap = Keymap::load(&path).unwrap();
        assert_eq!(
            keymap.action(key(KeyCode::F(5)), None, false),
            Some(Action::Run)
        );
        assert_eq!(keymap.action(key(KeyCode::Char('r')), None, false), None);
        std::fs::write(&path, "fly = \"f\"\n").unwrap();
        assert!(Keymap::load(&path)
            .unwrap_err()
            .to_string()
            .contains("unknown action `fly`"));
        std::fs::write(&path, "run = = 1\n").unwrap();
        assert!(matches!(
            Keymap::load(&path),
            Err(KeymapError::Invalid { .. })
        ));
    }
}
