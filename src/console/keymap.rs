//! Keys -> actions. Defaults are compiled in; `~/.config/voxdeck/keys.toml` may rebind
//! any action by name (`run = "F5"`, `quit = "ctrl-q"`). A bad file is reported and the
//! defaults kept.

use std::collections::HashMap;

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
    /// The defaults with `action = "key"` bindings applied (the config file's `[keys]`).
    pub fn with_bindings(bindings: &HashMap<String, String>) -> Result<Keymap, String> {
        let mut keymap = Keymap::default();
        for (name, key) in bindings {
            let action =
                Action::from_name(name).ok_or_else(|| format!("keys: unknown action `{name}`"))?;
            keymap.bindings.retain(|_, bound| *bound != action);
            keymap
                .bindings
                .insert(key.to_lowercase_unless_single(), action);
        }
        Ok(keymap)
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
    fn bindings_rebind_and_reject_unknown_actions() {
        let bindings = HashMap::from([("run".to_string(), "F5".to_string())]);
        let keymap = Keymap::with_bindings(&bindings).unwrap();
        assert_eq!(
            keymap.action(key(KeyCode::F(5)), None, false),
            Some(Action::Run)
        );
        assert_eq!(keymap.action(key(KeyCode::Char('r')), None, false), None);
        let bad = HashMap::from([("fly".to_string(), "f".to_string())]);
        assert!(Keymap::with_bindings(&bad)
            .unwrap_err()
            .contains("unknown action `fly`"));
    }
}
