//! Greedy decoding as CTranslate2's `Whisper.generate` does it with beam 1: the prompt
//! (start of transcript, language, task, no timestamps) in one step, then one token a step;
//! the suppressed ids never chosen, the "at start" ones not as the first token; stop at end
//! of text or after `MAX_NEW_TOKENS` (CTranslate2 caps its default max_length of 448 at half).

/// The most tokens one 30 s window may produce.
pub const MAX_NEW_TOKENS: usize = 224;

pub struct Rules<'a> {
    pub suppress: &'a [u32],
    pub suppress_at_start: &'a [u32],
    pub end_of_text: u32,
}

/// Decodes one window. `step(tokens)` feeds the new tokens to the decoder (which keeps its
/// own cache) and returns the logits after the last of them.
pub fn decode<E>(
    prompt: &[u32],
    rules: &Rules,
    mut step: impl FnMut(&[u32]) -> Result<Vec<f32>, E>,
) -> Result<Vec<u32>, E> {
    let mut logits = step(prompt)?;
    let mut out = Vec::new();
    for i in 0..MAX_NEW_TOKENS {
        for &id in rules.suppress {
            if let Some(l) = logits.get_mut(id as usize) {
                *l = f32::NEG_INFINITY;
            }
        }
        if i == 0 {
            for &id in rules.suppress_at_start {
                if let Some(l) = logits.get_mut(id as usize) {
                    *l = f32::NEG_INFINITY;
                }
            }
        }
        let token = argmax(&logits);
        if token == rules.end_of_text {
            break;
        }
        out.push(token);
        logits = step(&[token])?;
    }
    Ok(out)
}

/// The index of the largest value; the first of equals, as numpy's and CTranslate2's argmax.
pub fn argmax(values: &[f32]) -> u32 {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values[best] {
            best = i;
        }
    }
    best as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decoder whose logits favour `script[step]`, and token 0 (suppressed) above all.
    fn scripted(script: Vec<u32>) -> impl FnMut(&[u32]) -> Result<Vec<f32>, ()> {
        let mut at = 0;
        move |_| {
            let mut logits = vec![0.0; 8];
            logits[0] = 10.0;
            logits[script[at.min(script.len() - 1)] as usize] = 5.0;
            at += 1;
            Ok(logits)
        }
    }

    #[test]
    fn suppressed_ids_are_skipped_and_end_of_text_stops() {
        let rules = Rules {
            suppress: &[0],
            suppress_at_start: &[7],
            end_of_text: 7,
        };
        // First step would be end of text: not allowed at the start, so the next best (1).
        let got = decode(&[4, 5], &rules, scripted(vec![7, 2, 3, 7])).unwrap();
        assert_eq!(got, vec![1, 2, 3]);
    }

    #[test]
    fn a_decoder_that_never_ends_is_cut() {
        let rules = Rules {
            suppress: &[],
            suppress_at_start: &[],
            end_of_text: 7,
        };
        let got = decode(&[4], &rules, scripted(vec![3])).unwrap();
        assert_eq!(got.len(), MAX_NEW_TOKENS);
    }

    #[test]
    fn argmax_takes_the_first_of_equals() {
        assert_eq!(argmax(&[1.0, 3.0, 3.0, 2.0]), 1);
    }
}
