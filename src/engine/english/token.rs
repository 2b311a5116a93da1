//! misaki's `MToken`: a word or mark with its tag, the space after it and, once known,
//! its phonemes; and `merge_tokens`, which joins the pieces of a word written without
//! spaces ("Smith's", "3:30") into one for lookup.

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Token {
    pub text: String,
    /// A Penn Treebank tag as spaCy's tagger would give it, or "" when voxdeck's tagger
    /// does not decide (misaki then takes a lexicon entry's DEFAULT reading).
    pub tag: String,
    /// "" or " ".
    pub whitespace: String,
    pub phonemes: Option<String>,
    /// False for the later pieces of a word written without spaces.
    pub is_head: bool,
    /// Read as this word instead ("2" between letters reads "to").
    pub alias: Option<String>,
    pub stress: Option<f64>,
    /// The currency symbol a number is an amount of.
    pub currency: Option<char>,
    pub num_flags: String,
    /// Whether a space goes before this piece's phonemes when the pieces are joined.
    pub prespace: bool,
    pub rating: Option<u8>,
}

impl Token {
    pub fn new(text: &str, tag: &str, whitespace: &str) -> Token {
        Token {
            text: text.to_string(),
            tag: tag.to_string(),
            whitespace: whitespace.to_string(),
            is_head: true,
            ..Token::default()
        }
    }

    pub fn is_settled(&self) -> bool {
        self.alias.is_some() || self.phonemes.is_some()
    }
}

/// The tag of the piece with the most (capital-weighted) letters, as misaki picks it.
fn heaviest_tag(tokens: &[Token]) -> String {
    let weight = |t: &Token| -> usize {
        t.text
            .chars()
            .map(|c| {
                if c.to_lowercase().eq(std::iter::once(c)) {
                    1
                } else {
                    2
                }
            })
            .sum()
    };
    let mut best = &tokens[0];
    for t in &tokens[1..] {
        if weight(t) > weight(best) {
            best = t;
        }
    }
    best.tag.clone()
}

/// misaki's `merge_tokens`. With `unk`, the pieces' phonemes are joined too (unknown
/// pieces read as `unk`, a space before a piece marked `prespace`).
pub fn merge(tokens: &[Token], unk: Option<&str>) -> Token {
    let last = &tokens[tokens.len() - 1];
    let mut text = String::new();
    for t in &tokens[..tokens.len() - 1] {
        text.push_str(&t.text);
        text.push_str(&t.whitespace);
    }
    text.push_str(&last.text);
    let phonemes = unk.map(|unk| {
        let mut ps = String::new();
        for t in tokens {
            let piece = t.phonemes.as_deref();
            if t.prespace
                && !ps.is_empty()
                && !ps.chars().last().is_some_and(char::is_whitespace)
                && piece.is_some_and(|p| !p.is_empty())
            {
                ps.push(' ');
            }
            ps.push_str(piece.unwrap_or(unk));
        }
        ps
    });
    let mut stresses: Vec<f64> = tokens.iter().filter_map(|t| t.stress).collect();
    stresses.sort_by(f64::total_cmp);
    stresses.dedup();
    let mut flags: Vec<char> = tokens.iter().flat_map(|t| t.num_flags.chars()).collect();
    flags.sort();
    flags.dedup();
    let ratings: Vec<Option<u8>> = tokens.iter().map(|t| t.rating).collect();
    Token {
        text,
        tag: heaviest_tag(tokens),
        whitespace: last.whitespace.clone(),
        phonemes,
        is_head: tokens[0].is_head,
        alias: None,
        stress: (stresses.len() == 1).then(|| stresses[0]),
        currency: tokens.iter().filter_map(|t| t.currency).max(),
        num_flags: flags.into_iter().collect(),
        prespace: tokens[0].prespace,
        rating: if ratings.contains(&None) {
            None
        } else {
            ratings.into_iter().flatten().min()
        },
    }
}
