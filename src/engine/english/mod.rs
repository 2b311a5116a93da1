//! Kokoro's English front end, misaki.en (misaki 0.9.4), ported: the text tokenised as
//! spaCy would, each word read from misaki's gold and silver lexicons (the misaki wheel's
//! own files, fetched by scripts/setup), numbers, money, ordinals and initials spelt as
//! misaki spells them, and what the lexicons lack read by espeak-ng 1.52 through misaki's
//! English mapping. Kokoro was trained on this front end's output for en-us and en-gb.
//!
//! Not ported: spaCy's statistical tagger (see `tagger`: rules tag the places where a
//! heteronym's reading turns, as spaCy tags them; elsewhere a word whose reading depends on
//! its part of speech takes the lexicon's default) and misaki's `[word](/phonemes/)` markup.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::espeak::EspeakError;
use crate::assets::{self, Assets};

mod fallback;
mod g2p;
mod lexicon;
pub(crate) mod numbers;
mod reading;
mod stems;
mod stress;
mod tagger;
mod token;
mod tokenizer;
mod words;

use lexicon::Lexicon;
use token::Token;
use words::Word;

#[derive(Debug, Clone, thiserror::Error)]
pub enum EnglishError {
    #[error(
        "misaki's lexicon {path} cannot be opened ({detail}): run scripts/setup, which fetches it"
    )]
    LexiconMissing { path: PathBuf, detail: String },
    #[error(
        "misaki's lexicon {path} is not a lexicon ({detail}): run scripts/setup to fetch it again"
    )]
    LexiconUnreadable { path: PathBuf, detail: String },
    #[error(transparent)]
    Espeak(#[from] EspeakError),
}

/// English as Kokoro's voices were trained on it: American or British.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    American,
    British,
}

static AMERICAN: OnceLock<Result<Lexicon, EnglishError>> = OnceLock::new();
static BRITISH: OnceLock<Result<Lexicon, EnglishError>> = OnceLock::new();

/// The dialect's lexicons, loaded from the assets on first use and kept.
fn lexicon(dialect: Dialect) -> Result<&'static Lexicon, EnglishError> {
    let (cell, gold, silver) = match dialect {
        Dialect::American => (&AMERICAN, assets::MISAKI_US_GOLD, assets::MISAKI_US_SILVER),
        Dialect::British => (&BRITISH, assets::MISAKI_GB_GOLD, assets::MISAKI_GB_SILVER),
    };
    let found = cell.get_or_init(|| {
        let assets = Assets::locate();
        Lexicon::load(
            &assets.path(gold),
            &assets.path(silver),
            dialect == Dialect::British,
        )
    });
    found.as_ref().map_err(Clone::clone)
}

/// misaki.en's phonemes for one sentence (`G2P(text)[0]`, as Kokoro's pipeline builds
/// it: version 1.0, nothing for unknown words, espeak as the fallback). `espeak_voice` is
/// the espeak-ng voice the fallback reads with.
pub fn phonemize(text: &str, dialect: Dialect, espeak_voice: &str) -> Result<String, EnglishError> {
    let lexicon = lexicon(dialect)?;
    let pieces = tokenizer::tokenize(text.trim_start());
    let tags = tagger::tag(&pieces);
    let tokens: Vec<Token> = pieces
        .iter()
        .zip(&tags)
        .map(|(p, tag)| Token::new(&p.text, tag, &p.whitespace))
        .collect();
    let mut words = words::retokenize(&tokens);
    g2p::Reader {
        lexicon,
        espeak_voice,
    }
    .read(&mut words)?;
    let mut out = String::new();
    for word in words {
        let tk = match word {
            Word::Single(tk) => tk,
            Word::Group(group) => token::merge(&group, Some("")),
        };
        // Kokoro v1.0's symbols: a flap is T, a glottal stop t.
        let ps = tk.phonemes.unwrap_or_default();
        out.push_str(&ps.replace('ɾ', "T").replace('ʔ', "t"));
        out.push_str(&tk.whitespace);
    }
    Ok(out)
}
