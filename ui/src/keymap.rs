//! Key bindings as data, and the hints the footer and the help popup draw from them. The
//! console owns the actions and turns key presses into them; this module owns the default
//! bindings and how a key is written on screen, so a key rebound in the config file is the
//! key the help and the footer show.

use std::collections::BTreeMap;

use crate::snapshot::Focus;

/// The compiled-in bindings, key name -> action name, in the order the help lists them.
/// Key names are what the config file's `[keys]` takes: a character, or `tab`, `backtab`,
/// `up`, `down`, `left`, `right`, `enter`, `esc`, `space`, `fN`, with an optional `ctrl-`.
pub const DEFAULT_BINDINGS: &[(&str, &str)] = &[
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
    ("F", "fit_voice"),
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
    ("u", "use_transcript"),
    ("[", "log_less"),
    ("]", "log_more"),
    ("?", "help"),
    ("q", "quit"),
];

/// What each action does, in the order the help lists them.
const HELP: &[(&str, &str)] = &[
    ("focus_next", "focus next pane"),
    ("focus_prev", "focus previous pane"),
    ("up", "move up"),
    ("down", "move down"),
    ("toggle", "tick language"),
    ("select_all", "tick all"),
    ("select_none", "tick none"),
    ("edit_inline", "edit text inline"),
    ("edit_text", "edit text in popup"),
    ("cycle_voice", "cycle voice"),
    ("match_voice", "match voice to source"),
    ("fit_voice", "fit a voice to source"),
    ("takes", "takes"),
    ("workers_up", "more workers"),
    ("workers_down", "fewer workers"),
    ("cycle_mode", "cycle mode"),
    ("cycle_device", "cycle device"),
    ("run", "run ticked languages"),
    ("cancel", "cancel the run"),
    ("rerun", "rerun failed/selected"),
    ("play_result", "play result"),
    ("play_source", "play source"),
    ("toggle_ab", "A/B result vs source"),
    ("stop_playback", "stop playback"),
    ("open_clip", "open a clip"),
    ("use_transcript", "source transcript as row text"),
    ("log_less", "less log detail"),
    ("log_more", "more log detail"),
    ("help", "this help"),
    ("quit", "quit"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHint {
    pub key: String,
    pub what: String,
}

impl KeyHint {
    pub fn new(key: &str, what: &str) -> Self {
        KeyHint {
            key: key.to_string(),
            what: what.to_string(),
        }
    }
}

/// The keys bound to each action, as drawn: `↑/k` for `up`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLabels {
    keys: BTreeMap<String, Vec<String>>,
}

impl Default for KeyLabels {
    fn default() -> Self {
        KeyLabels::from_bindings(DEFAULT_BINDINGS.iter().copied())
    }
}

impl KeyLabels {
    /// From (key name, action name) pairs, in the order the keys should be shown.
    pub fn from_bindings<'a>(bindings: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, action) in bindings {
            keys.entry(action.to_string())
                .or_default()
                .push(display(key));
        }
        KeyLabels { keys }
    }

    /// Every key of `action`, joined with `/`.
    pub fn all(&self, action: &str) -> Option<String> {
        self.keys.get(action).map(|k| k.join("/"))
    }

    /// The first key of `action`.
    pub fn first(&self, action: &str) -> Option<&str> {
        self.keys.get(action)?.first().map(String::as_str)
    }

    /// The first keys of `actions`, joined with `/` (`a/n` for tick all/none); arrows
    /// read without one (`↑↓`).
    fn firsts(&self, actions: &[&str]) -> Option<String> {
        let keys: Vec<&str> = actions
            .iter()
            .map(|a| self.first(a))
            .collect::<Option<_>>()?;
        let arrows = keys.iter().all(|k| ["↑", "↓", "←", "→"].contains(k));
        Some(keys.join(if arrows { "" } else { "/" }))
    }
}

/// A key name as the operator reads it on screen.
pub fn display(key: &str) -> String {
    if let Some(rest) = key.strip_prefix("ctrl-") {
        return format!("Ctrl-{}", display(rest));
    }
    match key {
        "up" => "↑".into(),
        "down" => "↓".into(),
        "left" => "←".into(),
        "right" => "→".into(),
        "space" => "Space".into(),
        "tab" => "Tab".into(),
        "backtab" => "Shift-Tab".into(),
        "enter" => "Enter".into(),
        "esc" => "Esc".into(),
        f if f.len() > 1 && f.starts_with('f') && f[1..].chars().all(|c| c.is_ascii_digit()) => {
            f.to_uppercase()
        }
        other => other.to_string(),
    }
}

/// Every bound action with what it does, in the order the help shows them; popups close
/// with Esc whatever the bindings.
pub fn help_entries(labels: &KeyLabels) -> Vec<KeyHint> {
    let mut entries: Vec<KeyHint> = HELP
        .iter()
        .filter_map(|(action, what)| Some(KeyHint::new(&labels.all(action)?, what)))
        .collect();
    let at = entries.len().saturating_sub(2);
    entries.insert(at, KeyHint::new("Esc", "close popup"));
    entries
}

/// The keys that matter in `focus`, most useful first; the footer drops from the end
/// when the line is short, never help. The voice QA keys (match, takes) come after the
/// run and navigation keys, so a narrow footer keeps those and loses these.
pub fn footer_hints(focus: Focus, running: bool, labels: &KeyLabels) -> Vec<KeyHint> {
    let specific: &[(&[&str], &str)] = match focus {
        Focus::Source => &[
            (&["open_clip"], "open clip"),
            (&["play_source"], "play source"),
            (&["use_transcript"], "use transcript"),
            (&["stop_playback"], "stop"),
        ],
        Focus::Languages => &[
            (&["toggle"], "tick"),
            (&["up", "down"], "move"),
            (&["select_all", "select_none"], "all/none"),
            (&["edit_inline", "edit_text"], "edit"),
            (&["cycle_voice"], "voice"),
        ],
        Focus::Controls => &[
            (&["workers_up", "workers_down"], "workers"),
            (&["cycle_mode"], "mode"),
            (&["cycle_device"], "device"),
        ],
        Focus::Progress => &[
            (&["up", "down"], "move"),
            (&["play_result"], "play"),
            (&["play_source"], "source"),
            (&["toggle_ab"], "A/B"),
            (&["stop_playback"], "stop"),
            (&["rerun"], "rerun"),
        ],
        Focus::Log => &[(&["log_less"], "less"), (&["log_more"], "more")],
    };
    let voice_qa: &[(&[&str], &str)] = match focus {
        Focus::Languages => &[(&["match_voice"], "match voice"), (&["takes"], "takes")],
        Focus::Progress => &[(&["takes"], "takes"), (&["match_voice"], "match voice")],
        _ => &[],
    };
    let run: (&[&str], &str) = if running {
        (&["cancel"], "cancel")
    } else {
        (&["run"], "run")
    };
    specific
        .iter()
        .chain([run, (&["focus_next"], "focus"), (&["quit"], "quit")].iter())
        .chain(voice_qa)
        .chain([(&["help"][..], "help")].iter())
        .filter_map(|(actions, what)| Some(KeyHint::new(&labels.firsts(actions)?, what)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footer_ends_with_help_and_switches_run_for_cancel() {
        let labels = KeyLabels::default();
        let idle = footer_hints(Focus::Languages, false, &labels);
        assert_eq!(idle.last().unwrap().key, "?");
        assert!(idle.iter().any(|h| h.key == "r"));
        let running = footer_hints(Focus::Progress, true, &labels);
        assert!(running.iter().any(|h| h.key == "c"));
        assert!(!running.iter().any(|h| h.key == "r"));
        for focus in [Focus::Languages, Focus::Progress] {
            let keys: Vec<String> = footer_hints(focus, false, &labels)
                .into_iter()
                .map(|h| h.key)
                .collect();
            let quit = keys.iter().position(|k| k == "q").unwrap();
            for key in ["V", "t"] {
                assert!(keys.iter().position(|k| k == key).unwrap() > quit, "{key}");
            }
        }
    }

    #[test]
    fn help_lists_every_default_key_once() {
        let keys: Vec<String> = help_entries(&KeyLabels::default())
            .into_iter()
            .map(|h| h.key)
            .collect();
        for key in [
            "Tab", "Space", "a", "n", "e", "E", "v", "+/=", "-", "m", "d", "r", "c", "↑/k",
        ] {
            assert_eq!(keys.iter().filter(|k| *k == key).count(), 1, "{key}");
        }
        for key in [
            "R", "p", "s", "b", "x", "o", "[", "]", "?", "q", "V", "t", "Esc",
        ] {
            assert_eq!(keys.iter().filter(|k| *k == key).count(), 1, "{key}");
        }
    }

    #[test]
    fn a_rebound_key_is_the_one_shown() {
        let rebound = DEFAULT_BINDINGS
            .iter()
            .copied()
            .filter(|(_, action)| *action != "run")
            .chain([("f5", "run"), ("ctrl-q", "quit")]);
        let labels = KeyLabels::from_bindings(rebound);
        let footer = footer_hints(Focus::Languages, false, &labels);
        assert!(footer.contains(&KeyHint::new("F5", "run")), "{footer:?}");
        let help = help_entries(&labels);
        assert!(help.contains(&KeyHint::new("F5", "run ticked languages")));
        assert!(help.contains(&KeyHint::new("q/Ctrl-q", "quit")));
    }
}
