//! Levenshtein distance: the fewest substitutions, insertions and deletions that turn the
//! reference into the hypothesis, over characters (CER) or words (WER).

/// Edits between `reference` and `hypothesis`, every edit costing 1 (as jiwer counts them).
/// Two rows of the O(n·m) table are kept, so memory grows with the hypothesis only.
pub(super) fn distance<T: PartialEq>(reference: &[T], hypothesis: &[T]) -> usize {
    let mut previous: Vec<usize> = (0..=hypothesis.len()).collect();
    let mut current = vec![0; hypothesis.len() + 1];
    for (i, r) in reference.iter().enumerate() {
        current[0] = i + 1;
        for (j, h) in hypothesis.iter().enumerate() {
            let substitution = previous[j] + usize::from(r != h);
            let deletion = previous[j + 1] + 1;
            let insertion = current[j] + 1;
            current[j + 1] = substitution.min(deletion).min(insertion);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[hypothesis.len()]
}
