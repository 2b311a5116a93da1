//! Terminal escape sequences in a text: where one ends, and how to name it in a warning.

/// The end (exclusive) of the escape sequence starting at `chars[start]` (ESC, or the C1
/// introducers CSI and OSC): CSI sequences run to their final byte, string sequences (OSC,
/// DCS, ...) to BEL or ST. An unterminated string sequence removes only its introducer,
/// so the text after it is not lost.
pub(super) fn escape_end(chars: &[char], start: usize) -> usize {
    let in_range = |i: usize, lo: u32, hi: u32| {
        chars
            .get(i)
            .is_some_and(|&c| (lo..=hi).contains(&(c as u32)))
    };
    let (kind, mut i) = match chars[start] {
        '\u{9b}' => ('[', start + 1),
        '\u{9d}' => (']', start + 1),
        _ => match chars.get(start + 1) {
            None => return start + 1,
            Some(&k) => (k, start + 2),
        },
    };
    match kind {
        '[' => {
            while in_range(i, 0x20, 0x3F) {
                i += 1;
            }
            if in_range(i, 0x40, 0x7E) {
                i += 1;
            }
            i
        }
        ']' | 'P' | 'X' | '^' | '_' => {
            let body = i;
            while i < chars.len() {
                match chars[i] {
                    '\u{7}' | '\u{9c}' => return i + 1,
                    '\u{1b}' if chars.get(i + 1) == Some(&'\\') => return i + 2,
                    _ => i += 1,
                }
            }
            body
        }
        k if ('\u{20}'..='\u{2f}').contains(&k) => {
            while in_range(i, 0x20, 0x2F) {
                i += 1;
            }
            if in_range(i, 0x30, 0x7E) {
                i += 1;
            }
            i
        }
        k if ('\u{30}'..='\u{7e}').contains(&k) => i,
        // A lone ESC: the character after it is text.
        _ => start + 1,
    }
}

/// An escape sequence as the warning shows it: ESC spelt out, other controls as U+XXXX.
pub(super) fn show_escape(chars: &[char]) -> String {
    let mut shown = String::new();
    for (n, &c) in chars.iter().enumerate() {
        if n == 16 {
            shown.push('…');
            break;
        }
        match c {
            '\u{1b}' => shown.push_str("ESC"),
            c if c.is_control() => shown.push_str(&format!("U+{:04X}", c as u32)),
            c => shown.push(c),
        }
    }
    shown
}
