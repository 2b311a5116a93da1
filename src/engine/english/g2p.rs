//! misaki.en's `G2P.__call__` after tagging: words read right to left, so each knows
//! whether the next one starts with a vowel ("the apple", "to eat"); the pieces of a
//! space-free word read whole or in the longest known parts, else the whole word goes to
//! espeak; compound stress evened out; the tokens joined with their spaces.

use super::fallback;
use super::lexicon::{Context, Lexicon};
use super::stress::{self, is_vowel, CONSONANTS, PRIMARY};
use super::token::{self, Token};
use super::words::{Word, PUNCTS};
use super::EnglishError;

/// Characters a piece may consist of and still be read as nothing.
const SUBTOKEN_JUNKS: &str = "',-._‘’/";

fn is_non_quote_punct(c: char) -> bool {
    PUNCTS.contains(c) && !"\"“”".contains(c)
}

/// misaki's `token_context`: what the word just read tells the word before it.
fn context(ctx: Context, ps: Option<&str>, token: &Token) -> Context {
    let mut vowel = ctx.future_vowel;
    if let Some(ps) = ps.filter(|p| !p.is_empty()) {
        let first = ps
            .chars()
            .find(|&c| is_vowel(c) || CONSONANTS.contains(c) || is_non_quote_punct(c));
        if let Some(c) = first {
            vowel = if is_non_quote_punct(c) {
                None
            } else {
                Some(is_vowel(c))
            };
        }
    }
    let future_to = matches!(token.text.as_str(), "to" | "To")
        || (token.text == "TO" && matches!(token.tag.as_str(), "TO" | "IN"));
    Context {
        future_vowel: vowel,
        future_to,
    }
}

pub struct Reader<'a> {
    pub lexicon: &'a Lexicon,
    pub espeak_voice: &'a str,
}

impl Reader<'_> {
    fn fallback(&self, text: &str) -> Result<String, EnglishError> {
        fallback::phonemes(text, self.espeak_voice, self.lexicon.british)
    }

    /// Fills in every token's phonemes, last word first.
    pub fn read(&self, words: &mut [Word]) -> Result<(), EnglishError> {
        let mut ctx = Context::default();
        for word in words.iter_mut().rev() {
            match word {
                Word::Single(tk) => {
                    if tk.phonemes.is_none() {
                        let (ps, rating) = self.lexicon.read(tk, &ctx);
                        (tk.phonemes, tk.rating) = (ps, rating);
                    }
                    if tk.phonemes.is_none() {
                        tk.phonemes = Some(self.fallback(&tk.text)?);
                        tk.rating = Some(2);
                    }
                    ctx = context(ctx, tk.phonemes.as_deref(), tk);
                }
                Word::Group(group) => ctx = self.read_group(group, ctx)?,
            }
        }
        Ok(())
    }

    /// The pieces of one space-free word: the longest known run ending at the right edge
    /// is read, then the rest to its left; a piece nothing reads sends the whole word to
    /// espeak.
    fn read_group(&self, w: &mut [Token], mut ctx: Context) -> Result<Context, EnglishError> {
        let (mut left, mut right) = (0, w.len());
        let mut should_fallback = false;
        while left < right {
            let settled = w[left..right].iter().any(Token::is_settled);
            let merged = (!settled).then(|| token::merge(&w[left..right], None));
            let (ps, rating) = match &merged {
                Some(tk) => self.lexicon.read(tk, &ctx),
                None => (None, None),
            };
            if let (Some(ps), Some(tk)) = (ps, merged) {
                w[left].phonemes = Some(ps.clone());
                w[left].rating = rating;
                for x in &mut w[left + 1..right] {
                    x.phonemes = Some(String::new());
                    x.rating = rating;
                }
                ctx = context(ctx, Some(&ps), &tk);
                right = left;
                left = 0;
            } else if left + 1 < right {
                left += 1;
            } else {
                right -= 1;
                let tk = &mut w[right];
                if tk.phonemes.is_none() {
                    if tk.text.chars().all(|c| SUBTOKEN_JUNKS.contains(c)) {
                        tk.phonemes = Some(String::new());
                        tk.rating = Some(3);
                    } else {
                        should_fallback = true;
                        break;
                    }
                }
                left = 0;
            }
        }
        if should_fallback {
            let whole = token::merge(w, None);
            w[0].phonemes = Some(self.fallback(&whole.text)?);
            w[0].rating = Some(2);
            for x in &mut w[1..] {
                x.phonemes = Some(String::new());
                x.rating = Some(2);
            }
        } else {
            resolve(w);
        }
        Ok(ctx)
    }
}

/// misaki's `resolve_tokens`: the pieces of a word are spaced apart when the word mixes
/// letters, digits and other signs; otherwise, in a compound of many stressed parts, the
/// lighter half lose their primary stress.
fn resolve(tokens: &mut [Token]) {
    let text = token::merge(tokens, None).text;
    let classes: std::collections::BTreeSet<u8> = text
        .chars()
        .filter(|c| !SUBTOKEN_JUNKS.contains(*c))
        .map(|c| {
            if c.is_alphabetic() {
                0
            } else if c.is_ascii_digit() {
                1
            } else {
                2
            }
        })
        .collect();
    let prespace = text.contains(' ') || text.contains('/') || classes.len() > 1;
    let n = tokens.len();
    for (i, tk) in tokens.iter_mut().enumerate() {
        if tk.phonemes.is_none() {
            let mut chars = tk.text.chars();
            let lone = chars.next().filter(|_| chars.next().is_none());
            if i == n - 1 && lone.is_some_and(is_non_quote_punct) {
                tk.phonemes = Some(tk.text.clone());
                tk.rating = Some(3);
            } else if tk.text.chars().all(|c| SUBTOKEN_JUNKS.contains(c)) {
                tk.phonemes = Some(String::new());
                tk.rating = Some(3);
            }
        } else if i > 0 {
            tk.prespace = prespace;
        }
    }
    if prespace {
        return;
    }
    let mut indices: Vec<(bool, usize, usize)> = tokens
        .iter()
        .enumerate()
        .filter_map(|(i, tk)| {
            let ps = tk.phonemes.as_deref().filter(|p| !p.is_empty())?;
            Some((ps.contains(PRIMARY), stress::weight(ps), i))
        })
        .collect();
    if indices.len() == 2 && tokens[indices[0].2].text.chars().count() == 1 {
        let i = indices[1].2;
        demote(&mut tokens[i]);
        return;
    }
    let stressed = indices.iter().filter(|(b, _, _)| *b).count();
    if indices.len() < 2 || stressed <= indices.len().div_ceil(2) {
        return;
    }
    indices.sort();
    for &(_, _, i) in &indices[..indices.len() / 2] {
        demote(&mut tokens[i]);
    }
}

fn demote(tk: &mut Token) {
    if let Some(ps) = &tk.phonemes {
        tk.phonemes = Some(stress::apply(ps, Some(-0.5)));
    }
}
