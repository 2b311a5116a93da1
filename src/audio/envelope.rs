//! The waveform the console draws: one peak level per column.

/// Peak absolute level (0..=1) of each of `buckets` equal slices of `samples`.
/// Every bucket covers at least one sample, so a short clip still fills the width.
pub fn envelope(samples: &[f32], buckets: usize) -> Vec<f32> {
    if buckets == 0 || samples.is_empty() {
        return vec![0.0; buckets];
    }
    let len = samples.len();
    (0..buckets)
        .map(|i| {
            let start = (i * len / buckets).min(len - 1);
            let end = ((i + 1) * len / buckets).clamp(start + 1, len);
            samples[start..end]
                .iter()
                .fold(0f32, |peak, s| peak.max(s.abs()))
                .min(1.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_peak_per_bucket() {
        let samples = [0.1, -0.5, 0.2, 0.0, 2.0, -0.3];
        assert_eq!(envelope(&samples, 3), vec![0.5, 0.2, 1.0]);
    }

    #[test]
    fn more_buckets_than_samples_repeats_samples() {
        assert_eq!(envelope(&[0.5, -0.25], 4), vec![0.5, 0.5, 0.25, 0.25]);
    }

    #[test]
    fn empty_input_or_width() {
        assert_eq!(envelope(&[], 3), vec![0.0; 3]);
        assert!(envelope(&[1.0], 0).is_empty());
    }
}
