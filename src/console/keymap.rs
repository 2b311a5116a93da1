//! Keys -> actions. The defaults are `voxdeck_ui::keymap::DEFAULT_BINDINGS`; the config
//! file's `[keys]` (`config.toml`) may rebind any action by name (`run = "F5"`, `quit =
//! "ctrl-q"`). The footer and the help are drawn from the same bindings.

use std::collections::{BTreeMap, HashMap};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use voxdeck_ui::keymap::{KeyLabels, DEFAULT_BINDINGS};
use voxdeck_ui::snapshot::Popup;

use super::action::Action;

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: HashMap<String, Action>,
    labels: KeyLabels,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::from_pairs(
            DEFAULT_BINDINGS
                .iter()
                .map(|(k, a)| (k.to_string(), a.to_string()))
                .collect(),
        )
    }
}

impl Keymap {
    /// The defaults with `action = "key"` bindings applied (the settings' `[keys]`). A
    /// rebound action loses its default keys; a key given to an action leaves its old one.
    /// A binding that cannot be used (an unknown action, a key the console never reads) is
    /// left out, the others kept, and returned as `(action, why)` for the caller to report.
    pub fn with_bindings(bindings: &BTreeMap<String, String>) -> (Keymap, Vec<(String, String)>) {
        let mut pairs: Vec<(String, String)> = DEFAULT_BINDINGS
            .iter()
            .map(|(k, a)| (k.to_string(), a.to_string()))
            .collect();
        let mut refused = Vec::new();
        for (name, key) in bindings {
            if Action::from_name(name).is_none() {
                refused.push((
                    name.clone(),
                    format!("unknown action `{name}` (the README lists the action names)"),
                ));
                continue;
            }
            let key = key.to_lowercase_unless_single();
            if !is_key_name(&key) {
                refused.push((
                    name.clone(),
                    format!("unknown key `{key}` (use a character, space, tab, backtab, up, down, left, right, enter, esc or f1-f24, optionally after ctrl-)"),
                ));
                continue;
            }
            pairs.retain(|(k, a)| a != name && *k != key);
            pairs.push((key, name.clone()));
        }
        (Keymap::from_pairs(pairs), refused)
    }

    fn from_pairs(pairs: Vec<(String, String)>) -> Keymap {
        let labels = KeyLabels::from_bindings(pairs.iter().map(|(k, a)| (k.as_str(), a.as_str())));
        let bindings = pairs
            .into_iter()
            .map(|(k, a)| (k, Action::from_name(&a).expect("names are checked")))
            .collect();
        Keymap { bindings, labels }
    }

    /// The bound keys of each action, as the footer and the help show them.
    pub fn labels(&self) -> &KeyLabels {
        &self.labels
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
            Some(Popup::VoiceRanking { .. } | Popup::Takes { .. } | Popup::Fitting(_)) => {
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

/// Whether `name` (lower-cased unless one character) is a name `key_name` can give, so a
/// binding to it can ever fire.
fn is_key_name(name: &str) -> bool {
    let base = name.strip_prefix("ctrl-").unwrap_or(name);
    let mut chars = base.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => !c.is_whitespace(),
        _ => {
            matches!(
                base,
                "space" | "tab" | "backtab" | "up" | "down" | "left" | "right" | "enter" | "esc"
            ) || base
                .strip_prefix('f')
                .and_then(|n| n.parse::<u8>().ok())
                .is_some_and(|n| (1..=24).contains(&n))
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
        let bindings = BTreeMap::from([("run".to_string(), "F5".to_string())]);
        let (keymap, refused) = Keymap::with_bindings(&bindings);
        assert!(refused.is_empty(), "{refused:?}");
        assert_eq!(
            keymap.action(key(KeyCode::F(5)), None, false),
            Some(Action::Run)
        );
        assert_eq!(keymap.action(key(KeyCode::Char('r')), None, false), None);
        let bad = BTreeMap::from([("fly".to_string(), "f".to_string())]);
        let (_, refused) = Keymap::with_bindings(&bad);
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].0, "fly");
        assert!(refused[0].1.contains("unknown action `fly`"));
    }

    #[test]
    fn a_bad_binding_is_refused_and_the_others_kept() {
        let bindings = BTreeMap::from([
            ("fly".to_string(), "f".to_string()),
            ("quit".to_string(), "hyper-q".to_string()),
            ("run".to_string(), "ctrl-R".to_string()),
        ]);
        let (keymap, refused) = Keymap::with_bindings(&bindings);
        let names: Vec<&str> = refused.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["fly", "quit"]);
        assert!(
            refused[1].1.contains("unknown key `hyper-q`"),
            "{refused:?}"
        );
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(keymap.action(ctrl_r, None, false), Some(Action::Run));
        // The refused rebinding of quit leaves quit on its default key.
        assert_eq!(
            keymap.action(key(KeyCode::Char('q')), None, false),
            Some(Action::Quit)
        );
    }

    #[test]
    fn every_key_name_the_console_reads_can_be_bound() {
        for name in [
            "a", "R", "?", "space", "tab", "backtab", "esc", "f5", "f24", "ctrl-c",
        ] {
            assert!(is_key_name(name), "{name}");
        }
        for name in [" ", "", "f0", "f25", "hyper-q", "ctrl-", "pageup"] {
            assert!(!is_key_name(name), "{name}");
        }
    }
}
