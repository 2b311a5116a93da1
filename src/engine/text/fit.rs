//! Fitting a sentence under a model's token limit: clauses, then words, then runs of characters.

use super::*;

/// Cuts `sentence` into pieces whose token count (as measured by `count`) is at most
/// `limit`: greedily at clause punctuation first, then at word boundaries, then, for a
/// word that alone is too long, into runs of characters sized by its count. Only a single
/// character whose count exceeds the limit comes back over it.
pub fn fit_to_limit<E>(
    sentence: &str,
    limit: usize,
    count: &mut impl FnMut(&str) -> Result<usize, E>,
) -> Result<Vec<String>, E> {
    let total = count(sentence)?;
    if total <= limit {
        return Ok(vec![sentence.to_string()]);
    }
    let clauses = split_at_clauses(sentence);
    if clauses.len() > 1 {
        return pack_greedily(&clauses, limit, count);
    }
    let words: Vec<String> = sentence.split_whitespace().map(str::to_string).collect();
    if words.len() > 1 {
        return pack_greedily(&words, limit, count);
    }
    split_word(sentence.trim(), total, limit, count)
}

/// A word over the limit cut into equal runs of characters, as many as its count needs,
/// each fitted again (a run's count is not always its share of the word's).
fn split_word<E>(
    word: &str,
    total: usize,
    limit: usize,
    count: &mut impl FnMut(&str) -> Result<usize, E>,
) -> Result<Vec<String>, E> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() <= 1 {
        return Ok(vec![word.to_string()]);
    }
    let runs = total.div_ceil(limit.max(1)).clamp(2, chars.len());
    let size = chars.len().div_ceil(runs);
    let mut pieces = Vec::new();
    for run in chars.chunks(size) {
        let run: String = run.iter().collect();
        pieces.extend(fit_to_limit(&run, limit, count)?);
    }
    Ok(pieces)
}

/// Joins consecutive parts while the joined piece fits; a part that alone is too long is
/// split further with `fit_to_limit`.
fn pack_greedily<E>(
    parts: &[String],
    limit: usize,
    count: &mut impl FnMut(&str) -> Result<usize, E>,
) -> Result<Vec<String>, E> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for part in parts {
        let candidate = if current.is_empty() {
            part.clone()
        } else {
            format!("{current} {part}")
        };
        if count(&candidate)? <= limit {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            pieces.push(std::mem::take(&mut current));
        }
        if count(part)? <= limit {
            current = part.clone();
        } else {
            pieces.extend(fit_to_limit(part, limit, count)?);
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    Ok(pieces)
}
