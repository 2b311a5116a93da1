//! The order in which a run's utterances are handed to workers.

use std::collections::VecDeque;

/// One utterance of one language: the unit of work a worker takes.
pub(crate) struct Unit {
    pub language: usize,
    pub utterance: usize,
}

/// Orders units so every language advances at the same relative pace: a language with
/// two sentences and one with six finish together instead of one after the other.
/// `counts[i]` is the number of utterances of language `i`.
pub(crate) fn schedule(counts: &[usize]) -> VecDeque<Unit> {
    let mut units: Vec<(f64, Unit)> = Vec::new();
    for (language, &n) in counts.iter().enumerate() {
        for utterance in 0..n {
            let position = (utterance as f64 + 1.0) / n as f64;
            units.push((
                position,
                Unit {
                    language,
                    utterance,
                },
            ));
        }
    }
    // Stable sort: at equal positions, languages keep their job order.
    units.sort_by(|a, b| a.0.total_cmp(&b.0));
    units.into_iter().map(|(_, unit)| unit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_advance_at_the_same_relative_pace() {
        let order: Vec<(usize, usize)> = schedule(&[2, 4])
            .into_iter()
            .map(|u| (u.language, u.utterance))
            .collect();
        assert_eq!(order, [(1, 0), (0, 0), (1, 1), (1, 2), (0, 1), (1, 3)]);
    }
}
