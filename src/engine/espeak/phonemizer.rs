//! phonemizer's espeak backend, as misaki calls it: text cut at punctuation, each chunk
//! phonemised by espeak alone, espeak's output cleaned as phonemizer cleans it, and the
//! punctuation put back with phonemizer's spacing. Kokoro's G2P and misaki's English
//! fallback both read espeak through it.

use super::{Espeak, EspeakError};

/// phonemizer's punctuation marks; everything else (`-`, `'`, `/`, the danda) goes to espeak.
const MARKS: &[char] = &[
    ';', ':', ',', '.', '!', '?', '¡', '¿', '—', '…', '"', '«', '»', '“', '”', '(', ')', '{', '}',
    '[', ']',
];
/// espeak is asked to tie multi-letter phonemes with U+0361; phonemizer rewrites it to '^'.
const ESPEAK_TIE: char = '\u{361}';
/// phonemizer's `preserve_punctuation`: phonemise the text between marks, one chunk per
/// espeak call, and put the marks back verbatim (with the whitespace around them).
pub(crate) fn with_punctuation(voice: &str, line: &str) -> Result<String, EspeakError> {
    let pieces = split_at_marks(line);
    let mut espeak = Espeak::lock()?;
    espeak.set_voice(voice)?;
    let mut acc = String::new();
    for piece in pieces {
        match piece {
            Piece::Chunk(chunk) => {
                let raw = espeak.clauses_to_ipa(chunk, Some(ESPEAK_TIE))?;
                let raw: Vec<String> = raw.into_iter().filter(|c| !c.is_empty()).collect();
                acc.push_str(&clean_espeak_output(&raw.join(" ")));
            }
            Piece::Mark(mark) => {
                if acc.ends_with(' ') {
                    acc.pop();
                }
                acc.push_str(mark);
            }
        }
    }
    Ok(acc)
}

/// phonemizer's espeak backend on `text` (punctuation preserved, stress, tie '^'),
/// stripped: what misaki's `EspeakFallback` gets for a word.
pub(crate) fn phonemizer_ipa(voice: &str, text: &str) -> Result<String, EspeakError> {
    Ok(py_strip(&with_punctuation(voice, text)?).to_string())
}

#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Chunk(&'a str),
    Mark(&'a str),
}

/// A mark-run is a maximal run of whitespace and marks holding at least one mark; the text
/// between runs forms the chunks (empty ones dropped).
fn split_at_marks<'a>(line: &'a str) -> Vec<Piece<'a>> {
    let mut pieces = Vec::new();
    let mut chunk_start = 0;
    let mut run_start = None;
    let mut run_has_mark = false;
    let flush = |pieces: &mut Vec<Piece<'a>>, chunk_start: usize, run: Option<(usize, usize)>| {
        let chunk_end = run.map_or(line.len(), |r| r.0);
        if chunk_end > chunk_start {
            pieces.push(Piece::Chunk(&line[chunk_start..chunk_end]));
        }
        if let Some((a, b)) = run {
            pieces.push(Piece::Mark(&line[a..b]));
        }
    };
    for (i, c) in line.char_indices() {
        let is_mark = MARKS.contains(&c);
        if is_mark || is_py_space(c) {
            run_start.get_or_insert(i);
            run_has_mark |= is_mark;
        } else if let Some(start) = run_start.take() {
            if std::mem::take(&mut run_has_mark) {
                flush(&mut pieces, chunk_start, Some((start, i)));
                chunk_start = i;
            }
        }
    }
    match run_start {
        Some(start) if run_has_mark => {
            flush(&mut pieces, chunk_start, Some((start, line.len())));
        }
        _ => flush(&mut pieces, chunk_start, None),
    }
    pieces
}

/// phonemizer's per-chunk clean-up of espeak's output (stress kept, ties as '^', language
/// switch flags such as "(en)" removed). A non-empty result ends with one space.
fn clean_espeak_output(raw: &str) -> String {
    let s = py_strip(raw).replace('\n', " ").replace("  ", " ");
    let s = collapse_underscores(&s).replace("_ ", " ");
    let s = remove_language_flags(&s);
    if s.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(s.len() + 1);
    for word in s.split(' ') {
        out.push_str(&py_strip(word).replace(ESPEAK_TIE, "^"));
        out.push(' ');
    }
    out
}

fn collapse_underscores(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    out
}

/// Deletes every non-greedy `\(.+?\)`: espeak's "(en)...(fr)" language switch markers.
fn remove_language_flags(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '(' {
            if let Some(offset) = chars.iter().skip(i + 2).position(|&c| c == ')') {
                i += 2 + offset + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Python's `str.isspace`, which (unlike `char::is_whitespace`) includes U+001C..U+001F.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

pub(crate) fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_take_their_surrounding_whitespace() {
        assert_eq!(
            split_at_marks("Hi , there! (x)"),
            vec![
                Piece::Chunk("Hi"),
                Piece::Mark(" , "),
                Piece::Chunk("there"),
                Piece::Mark("! ("),
                Piece::Chunk("x"),
                Piece::Mark(")")
            ]
        );
        assert_eq!(split_at_marks("?!"), vec![Piece::Mark("?!")]);
        assert_eq!(split_at_marks("a b"), vec![Piece::Chunk("a b")]);
    }

    #[test]
    fn cleans_espeak_output_like_phonemizer() {
        assert_eq!(
            clean_espeak_output("(\u{361}e\u{361}n)fˈʊtbɔːl(\u{361}f\u{361}r) e"),
            "fˈʊtbɔːl e "
        );
        assert_eq!(clean_espeak_output("ha\u{361}ɪ  x"), "ha^ɪ x ");
        assert_eq!(clean_espeak_output("  "), "");
    }
}
