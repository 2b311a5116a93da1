//! Words and marks as spaCy's English tokenizer (en_core_web_sm 3.8) cuts ordinary prose,
//! which is what misaki.en is given: the text split at spaces, then prefixes (opening
//! quotes, brackets, currency signs), suffixes (closing marks, a period after a lower-case
//! word or two capitals, units after digits) and infixes (dashes and hyphens between
//! letters, ellipses) cut off, with spaCy's abbreviations ("Dr.", "e.g.") kept whole.
//! Contractions stay whole: spaCy's exceptions split "don't" as "do" + "n't", but misaki
//! joins pieces written without a space before it reads them, so the reading is the same.
//! (A possessive "'s" is cut, as spaCy's suffix rule cuts it.)

/// spaCy's English tokenizer exceptions that hold a period (kept as one token).
const ABBREVIATIONS: &[&str] = &[
    "Adm.", "Ak.", "Ala.", "Apr.", "Ariz.", "Ark.", "Aug.", "Bros.", "Calif.", "Co.", "Colo.",
    "Conn.", "Corp.", "D.C.", "Dec.", "Del.", "Dr.", "E.G.", "E.g.", "Feb.", "Fla.", "Ga.", "Gen.",
    "Gov.", "I.E.", "I.e.", "Ia.", "Id.", "Ill.", "Inc.", "Ind.", "Jan.", "Jr.", "Jul.", "Jun.",
    "Kan.", "Kans.", "Ky.", "La.", "Ltd.", "Mar.", "Mass.", "Md.", "Messrs.", "Mich.", "Minn.",
    "Miss.", "Mo.", "Mont.", "Mr.", "Mrs.", "Ms.", "Mt.", "N.C.", "N.D.", "N.H.", "N.J.", "N.M.",
    "N.Y.", "Neb.", "Nebr.", "Nev.", "Nov.", "Oct.", "Okla.", "Ore.", "Pa.", "Ph.D.", "Prof.",
    "Rep.", "Rev.", "S.C.", "Sen.", "Sep.", "Sept.", "St.", "Tenn.", "Va.", "Wash.", "Wis.", "a.",
    "a.m.", "b.", "c.", "co.", "d.", "e.", "e.g.", "f.", "g.", "h.", "i.", "i.e.", "j.", "k.",
    "l.", "m.", "n.", "o.", "p.", "p.m.", "q.", "r.", "s.", "t.", "u.", "v.", "v.s.", "vs.", "w.",
    "x.", "y.", "z.", "ä.", "ö.", "ü.",
];
const PUNCT: &str = "…,:;!?¿؟¡()[]{}<>_#*&。？！，、；：～·।،۔؛٪";
const QUOTES: &str = "'\"”“`‘´’‚,„»«「」『』（）〔〕【】《》〈〉〈〉⟦⟧";
const CURRENCY: &str = "$£€¥฿₽﷼₴₠₡₢₣₤₥₦₧₨₩₪₫₭₮₯₰₱₲₳₵₶₷₸₹₺₻₼₾₿";
const UNITS: &[&str] = &[
    "km", "m", "dm", "cm", "mm", "ha", "µm", "nm", "yd", "in", "ft", "kg", "g", "mg", "µg", "t",
    "lb", "oz", "m/s", "km/h", "kmh", "mph", "hPa", "Pa", "mbar", "mb", "MB", "kb", "KB", "gb",
    "GB", "tb", "TB", "T", "G", "M", "K", "%",
];
/// Hyphens and dashes, longest first (spaCy tries them in its own order, but only one
/// that is followed by a letter can match, which is the longest).
const HYPHENS: &[&str] = &["---", "——", "--", "-", "–", "—", "~"];

/// A piece of text and where the tokenizer found it, which tells a quote's side.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub text: String,
    pub kind: PieceKind,
    /// "" or " ".
    pub whitespace: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    Prefix,
    Word,
    Infix,
    Suffix,
}

fn is_special(s: &str) -> bool {
    ABBREVIATIONS.contains(&s)
}

fn dot_run(s: &str) -> usize {
    s.bytes().take_while(|&b| b == b'.').count()
}

fn prefix_len(s: &str) -> usize {
    let Some(c) = s.chars().next() else { return 0 };
    let dots = dot_run(s);
    if dots >= 2 {
        return dots;
    }
    for multi in ["US$", "C$", "A$"] {
        if s.starts_with(multi) {
            return multi.len();
        }
    }
    let next_is_digit = s[c.len_utf8()..].starts_with(|d: char| d.is_ascii_digit());
    if "§%=—–".contains(c)
        || (c == '+' && !next_is_digit)
        || PUNCT.contains(c)
        || QUOTES.contains(c)
        || CURRENCY.contains(c)
    {
        return c.len_utf8();
    }
    0
}

/// The longest suffix spaCy's rules match (its regex takes the leftmost match).
fn suffix_len(s: &str) -> usize {
    let chars: Vec<char> = s.chars().collect();
    let Some(&last) = chars.last() else { return 0 };
    let n = chars.len();
    let before = |k: usize| (n > k).then(|| chars[n - 1 - k]);
    let mut best = 0;
    let mut take = |len_chars: usize| {
        let bytes: usize = chars[n - len_chars..].iter().map(|c| c.len_utf8()).sum();
        best = best.max(bytes);
    };
    let trailing_dots = chars.iter().rev().take_while(|&&c| c == '.').count();
    if trailing_dots >= 2 {
        take(trailing_dots);
    }
    if PUNCT.contains(last) || QUOTES.contains(last) || "—–".contains(last) {
        take(1);
    }
    for ps in ["'s", "'S", "’s", "’S"] {
        if s.ends_with(ps) {
            take(2);
        }
    }
    let digit_before = |len: usize| before(len).is_some_and(|c| c.is_ascii_digit());
    if last == '+' && digit_before(1) {
        take(1);
    }
    if CURRENCY.contains(last) && digit_before(1) {
        take(1);
    }
    for unit in UNITS {
        let k = unit.chars().count();
        if s.ends_with(unit) && digit_before(k) {
            take(k);
        }
    }
    if last == '.' {
        let prev = before(1);
        let prev2 = before(2);
        let after_lower = prev.is_some_and(|p| {
            p.is_ascii_digit()
                || p.is_lowercase()
                || "%²-+…".contains(p)
                || PUNCT.contains(p)
                || QUOTES.contains(p)
        });
        let after_caps =
            prev.is_some_and(char::is_uppercase) && prev2.is_some_and(char::is_uppercase);
        let after_degree = prev.is_some_and(|p| "FfCcKk".contains(p)) && prev2 == Some('°');
        if after_lower || after_caps || after_degree {
            take(1);
        }
    }
    best
}

/// spaCy's one-character infixes: an ellipsis character, an operator between digits, a
/// period between a lower-case and an upper-case letter, a comma between letters.
fn one_char_infix(prev: Option<char>, c: char, next: Option<char>) -> bool {
    let after = |f: fn(char) -> bool| prev.is_some_and(f);
    let before = |f: fn(char) -> bool| next.is_some_and(f);
    c == '…'
        || ("+-*^".contains(c)
            && after(|p| p.is_ascii_digit())
            && before(|n| n.is_ascii_digit() || n == '-'))
        || (c == '.'
            && after(|p| p.is_lowercase() || QUOTES.contains(p))
            && before(|n| n.is_uppercase() || QUOTES.contains(n)))
        || (c == ',' && after(char::is_alphabetic) && before(char::is_alphabetic))
}

/// Where spaCy's infix rules cut a word: (start, end) byte ranges of the infixes.
fn infixes(s: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let letter = |i: usize| chars.get(i).is_some_and(|(_, c)| c.is_alphabetic());
    let end_of = |i: usize| chars.get(i).map_or(s.len(), |(b, _)| *b);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p].1);
        let prev_letter_or_digit = prev.is_some_and(|p| p.is_alphabetic() || p.is_ascii_digit());
        let next = chars.get(i + 1).map(|(_, n)| *n);
        let mut found = None;
        if c == '.' && next == Some('.') {
            found = Some(chars[i..].iter().take_while(|(_, c)| *c == '.').count());
        } else if one_char_infix(prev, c, next) {
            found = Some(1);
        } else if prev_letter_or_digit {
            found = HYPHENS
                .iter()
                .map(|h| (h, h.chars().count()))
                .find(|(h, k)| s[b..].starts_with(**h) && letter(i + k))
                .map(|(_, k)| k);
            if found.is_none() && ":<>=/".contains(c) && letter(i + 1) {
                found = Some(1);
            }
        }
        match found {
            Some(k) if b > 0 => {
                out.push((b, end_of(i + k)));
                i += k;
            }
            Some(k) => i += k,
            None => i += 1,
        }
    }
    out
}

/// One whitespace-free chunk as spaCy's `_split_affixes` and `_attach_tokens` cut it.
fn split_chunk(chunk: &str) -> Vec<(String, PieceKind)> {
    let mut s = chunk;
    let mut prefixes: Vec<&str> = Vec::new();
    let mut suffixes: Vec<&str> = Vec::new();
    while !s.is_empty() && !is_special(s) {
        let before = s.len();
        let pre = prefix_len(s);
        if pre > 0 && s.len() > pre && is_special(&s[pre..]) {
            prefixes.push(&s[..pre]);
            s = &s[pre..];
            break;
        }
        let suf = suffix_len(&s[pre..]);
        if suf > 0 && s.len() > suf && is_special(&s[..s.len() - suf]) {
            suffixes.push(&s[s.len() - suf..]);
            s = &s[..s.len() - suf];
            break;
        }
        if pre > 0 && suf > 0 && pre + suf <= s.len() {
            prefixes.push(&s[..pre]);
            suffixes.push(&s[s.len() - suf..]);
            s = &s[pre..s.len() - suf];
        } else if pre > 0 {
            prefixes.push(&s[..pre]);
            s = &s[pre..];
        } else if suf > 0 {
            suffixes.push(&s[s.len() - suf..]);
            s = &s[..s.len() - suf];
        }
        if s.len() == before {
            break;
        }
    }
    let mut out: Vec<(String, PieceKind)> = prefixes
        .iter()
        .map(|p| (p.to_string(), PieceKind::Prefix))
        .collect();
    if !s.is_empty() {
        if is_special(s) {
            out.push((s.to_string(), PieceKind::Word));
        } else {
            let mut start = 0;
            for (a, b) in infixes(s) {
                if a != start {
                    out.push((s[start..a].to_string(), PieceKind::Word));
                }
                out.push((s[a..b].to_string(), PieceKind::Infix));
                start = b;
            }
            if start < s.len() {
                out.push((s[start..].to_string(), PieceKind::Word));
            }
        }
    }
    out.extend(
        suffixes
            .iter()
            .rev()
            .map(|p| (p.to_string(), PieceKind::Suffix)),
    );
    out
}

/// The text's tokens. Runs of whitespace count as one space (spaCy would make a token of
/// the extra spaces, which misaki reads as nothing).
pub fn tokenize(text: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for chunk in text.split_whitespace() {
        for (text, kind) in split_chunk(chunk) {
            out.push(Piece {
                text,
                kind,
                whitespace: String::new(),
            });
        }
        if let Some(last) = out.last_mut() {
            last.whitespace = " ".to_string();
        }
    }
    if let (Some(last), false) = (out.last_mut(), text.ends_with(char::is_whitespace)) {
        last.whitespace.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn cuts_like_spacy() {
        assert_eq!(
            texts("Hello, world! I paid $1,250 at 3:30 in 1984."),
            [
                "Hello", ",", "world", "!", "I", "paid", "$", "1,250", "at", "3:30", "in", "1984",
                "."
            ]
        );
        assert_eq!(
            texts("Dr. Smith's well-known \"toys\" etc."),
            ["Dr.", "Smith", "'s", "well", "-", "known", "\"", "toys", "\"", "etc", "."]
        );
        assert_eq!(
            texts("(maybe)... 50% U.S. wait—no"),
            ["(", "maybe", ")", "...", "50", "%", "U.S.", "wait", "—", "no"]
        );
    }
}
