//! misaki's `retokenize`: each token cut into sub-words (its `subtokenize` regex), marks
//! and currency signs read at once, and the pieces of a word written without spaces
//! gathered into one group, which the reader then tries whole and in parts.

use std::sync::OnceLock;

use super::reading::currency_units;
use super::token::Token;

/// A token read alone, or the pieces of one space-free word.
#[derive(Debug, Clone)]
pub enum Word {
    Single(Token),
    Group(Vec<Token>),
}

/// spaCy's punctuation tags, which misaki reads as their marks.
const PUNCT_TAGS: &[&str] = &[
    ".", ",", "-LRB-", "-RRB-", "``", "\"\"", "''", ":", "$", "#", "NFP",
];
/// The marks misaki keeps in its output.
pub const PUNCTS: &str = ";:,.!?—…\"“”";

fn tag_phonemes(tag: &str) -> Option<&'static str> {
    match tag {
        "-LRB-" => Some("("),
        "-RRB-" => Some(")"),
        "``" => Some("“"),
        "\"\"" | "''" => Some("”"),
        _ => None,
    }
}

/// misaki's SUBTOKEN_REGEX (Python `regex` module syntax, which fancy-regex shares here).
const SUBTOKEN_PATTERN: &str = r"^['‘’]+|\p{Lu}(?=\p{Lu}\p{Ll})|(?:^-)?(?:\d?[,.]?\d)+|[-_]+|['‘’]{2,}|\p{L}*?(?:['‘’]\p{L})*?\p{Ll}(?=\p{Lu})|\p{L}+(?:['‘’]\p{L})*|[^-_\p{L}'‘’\d]|['‘’]+$";

fn subtoken_regex() -> &'static fancy_regex::Regex {
    static RE: OnceLock<fancy_regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        fancy_regex::Regex::new(SUBTOKEN_PATTERN).expect("misaki's subtoken pattern compiles")
    })
}

/// misaki's `subtokenize`: "Smith's" stays, "3:30" is "3" ":" "30", "iPhone" is "i" "Phone".
pub fn subtokenize(word: &str) -> Vec<String> {
    subtoken_regex()
        .find_iter(word)
        .filter_map(Result::ok)
        .map(|m| m.as_str().to_string())
        .collect()
}

fn all_ascii_letters(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphabetic())
}

/// misaki's `retokenize`.
pub fn retokenize(tokens: &[Token]) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut currency: Option<char> = None;
    for (i, token) in tokens.iter().enumerate() {
        let mut pieces: Vec<Token> = if token.is_settled() {
            vec![token.clone()]
        } else {
            let subs = subtokenize(&token.text);
            let subs = if subs.is_empty() {
                vec![token.text.clone()]
            } else {
                subs
            };
            subs.into_iter()
                .map(|t| Token {
                    text: t,
                    whitespace: String::new(),
                    is_head: true,
                    prespace: false,
                    ..token.clone()
                })
                .collect()
        };
        if let Some(last) = pieces.last_mut() {
            last.whitespace = token.whitespace.clone();
        }
        let n = pieces.len();
        for j in 0..n {
            let neighbours = (j > 0 && j + 1 < n).then(|| {
                format!(
                    "{}{}",
                    last_char(&pieces[j - 1].text),
                    first_char(&pieces[j + 1].text)
                )
            });
            let tk = &mut pieces[j];
            let single = single_char(&tk.text);
            if tk.is_settled() {
            } else if tk.tag == "$" && single.is_some_and(|c| currency_units(c).is_some()) {
                currency = single;
                tk.phonemes = Some(String::new());
                tk.rating = Some(4);
            } else if tk.tag == ":" && matches!(tk.text.as_str(), "-" | "–") {
                tk.phonemes = Some("—".into());
                tk.rating = Some(3);
            } else if PUNCT_TAGS.contains(&tk.tag.as_str()) && !all_ascii_letters(&tk.text) {
                let ps = tag_phonemes(&tk.tag)
                    .map(str::to_string)
                    .unwrap_or_else(|| tk.text.chars().filter(|c| PUNCTS.contains(*c)).collect());
                tk.phonemes = Some(ps);
                tk.rating = Some(4);
            } else if currency.is_some() {
                if tk.tag != "CD" {
                    currency = None;
                } else if j + 1 == n && tokens.get(i + 1).is_none_or(|t| t.tag != "CD") {
                    tk.currency = currency;
                }
            } else if tk.text == "2"
                && neighbours
                    .is_some_and(|s| s.chars().count() == 2 && s.chars().all(char::is_alphabetic))
            {
                tk.alias = Some("to".into());
            }
            let tk = pieces[j].clone();
            if tk.is_settled() {
                words.push(Word::Single(tk));
            } else if let Some(Word::Group(group)) = words.last_mut().filter(|w| {
                matches!(w, Word::Group(g) if g.last().is_some_and(|t| t.whitespace.is_empty()))
            }) {
                group.push(Token { is_head: false, ..tk });
            } else if tk.whitespace.is_empty() {
                words.push(Word::Group(vec![tk]));
            } else {
                words.push(Word::Single(tk));
            }
        }
    }
    words
        .into_iter()
        .map(|w| match w {
            Word::Group(mut g) if g.len() == 1 => Word::Single(g.remove(0)),
            w => w,
        })
        .collect()
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

fn last_char(s: &str) -> String {
    s.chars().last().map(String::from).unwrap_or_default()
}

fn first_char(s: &str) -> String {
    s.chars().next().map(String::from).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtokenizes_like_misaki() {
        assert_eq!(subtokenize("3:30"), ["3", ":", "30"]);
        assert_eq!(subtokenize("Smith's"), ["Smith's"]);
        assert_eq!(subtokenize("U.S."), ["U", ".", "S", "."]);
        assert_eq!(subtokenize("21st"), ["21", "st"]);
        assert_eq!(subtokenize("iPhone"), ["i", "Phone"]);
        assert_eq!(subtokenize("1,250.50"), ["1,250.50"]);
    }
}
