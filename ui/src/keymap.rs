//! The key hints the footer and the help popup show. The console owns the actions and
//! the real bindings; these texts describe its compiled-in default keys.

use crate::snapshot::Focus;

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

const HELP: &[(&str, &str)] = &[
    ("Tab", "focus next pane"),
    ("Shift-Tab", "focus previous pane"),
    ("↑/k", "move up"),
    ("↓/j", "move down"),
    ("Space", "tick language"),
    ("a", "tick all"),
    ("n", "tick none"),
    ("e", "edit text inline"),
    ("E", "edit text in popup"),
    ("v", "cycle voice"),
    ("V", "match voice to source"),
    ("t", "takes"),
    ("+", "more workers"),
    ("-", "fewer workers"),
    ("m", "cycle mode"),
    ("d", "cycle device"),
    ("r", "run ticked languages"),
    ("c", "cancel the run"),
    ("R", "rerun failed/selected"),
    ("p", "play result"),
    ("s", "play source"),
    ("b", "A/B result vs source"),
    ("x", "stop playback"),
    ("o", "open a clip"),
    ("[", "less log detail"),
    ("]", "more log detail"),
    ("Esc", "close popup"),
    ("?", "this help"),
    ("q", "quit"),
];

/// Every default key with what it does, in the order the help shows them.
pub fn help_entries() -> Vec<KeyHint> {
    HELP.iter().map(|(k, w)| KeyHint::new(k, w)).collect()
}

/// The keys that matter in `focus`, most useful first; the footer drops from the end
/// when the line is short, never `? help`. The voice QA keys (`V` match, `t` takes) come
/// after the run and navigation keys, so a narrow footer keeps those and loses these.
pub fn footer_hints(focus: Focus, running: bool) -> Vec<KeyHint> {
    let specific: &[(&str, &str)] = match focus {
        Focus::Source => &[("o", "open clip"), ("s", "play source"), ("x", "stop")],
        Focus::Languages => &[
            ("Space", "tick"),
            ("↑↓", "move"),
            ("a/n", "all/none"),
            ("e/E", "edit"),
            ("v", "voice"),
        ],
        Focus::Controls => &[("+/-", "workers"), ("m", "mode"), ("d", "device")],
        Focus::Progress => &[
            ("↑↓", "move"),
            ("p", "play"),
            ("s", "source"),
            ("b", "A/B"),
            ("x", "stop"),
            ("R", "rerun"),
        ],
        Focus::Log => &[("[", "less"), ("]", "more")],
    };
    let voice_qa: &[(&str, &str)] = match focus {
        Focus::Languages => &[("V", "match voice"), ("t", "takes")],
        Focus::Progress => &[("t", "takes"), ("V", "match voice")],
        _ => &[],
    };
    let run = if running {
        ("c", "cancel")
    } else {
        ("r", "run")
    };
    specific
        .iter()
        .chain([run, ("Tab", "focus"), ("q", "quit")].iter())
        .chain(voice_qa)
        .chain([("?", "help")].iter())
        .map(|(k, w)| KeyHint::new(k, w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footer_ends_with_help_and_switches_run_for_cancel() {
        let idle = footer_hints(Focus::Languages, false);
        assert_eq!(idle.last().unwrap().key, "?");
        assert!(idle.iter().any(|h| h.key == "r"));
        let running = footer_hints(Focus::Progress, true);
        assert!(running.iter().any(|h| h.key == "c"));
        assert!(!running.iter().any(|h| h.key == "r"));
        for focus in [Focus::Languages, Focus::Progress] {
            let keys: Vec<String> = footer_hints(focus, false)
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
        let keys: Vec<String> = help_entries().into_iter().map(|h| h.key).collect();
        for key in [
            "Tab", "Space", "a", "n", "e", "E", "v", "+", "-", "m", "d", "r", "c",
        ] {
            assert_eq!(keys.iter().filter(|k| *k == key).count(), 1, "{key}");
        }
        for key in ["R", "p", "s", "b", "x", "o", "[", "]", "?", "q", "V", "t"] {
            assert_eq!(keys.iter().filter(|k| *k == key).count(), 1, "{key}");
        }
    }
}
