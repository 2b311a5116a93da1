//! A bounded ring of (time, bytes used) readings: the oldest reading goes when the ring is full.

use std::collections::VecDeque;
use std::time::Instant;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HistoryPoint {
    /// How long before the sample that carries it this reading was taken.
    pub seconds_ago: f64,
    pub used_bytes: u64,
}

pub(super) struct Ring {
    capacity: usize,
    points: VecDeque<(Instant, u64)>,
}

impl Ring {
    pub(super) fn new(capacity: usize) -> Ring {
        let capacity = capacity.max(1);
        // Reserve lazily past a modest size: a long window at a tiny interval may never fill.
        Ring {
            capacity,
            points: VecDeque::with_capacity(capacity.min(1024)),
        }
    }

    pub(super) fn push(&mut self, at: Instant, used_bytes: u64) {
        if self.points.len() == self.capacity {
            self.points.pop_front();
        }
        self.points.push_back((at, used_bytes));
    }

    /// Oldest first, ages measured from `now`.
    pub(super) fn snapshot(&self, now: Instant) -> Vec<HistoryPoint> {
        self.points
            .iter()
            .map(|&(at, used_bytes)| HistoryPoint {
                seconds_ago: now.saturating_duration_since(at).as_secs_f64(),
                used_bytes,
            })
            .collect()
    }
}

pub(super) fn fractions(points: &[HistoryPoint], total_bytes: u64) -> Vec<(f64, f64)> {
    let total = total_bytes.max(1) as f64;
    points
        .iter()
        .map(|p| {
            (
                -p.seconds_ago,
                (p.used_bytes as f64 / total).clamp(0.0, 1.0),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn ring_keeps_the_newest_capacity_points_oldest_first() {
        let start = Instant::now();
        let mut ring = Ring::new(3);
        for i in 0..5u64 {
            ring.push(start + Duration::from_secs(i), i);
        }
        let now = start + Duration::from_secs(4);
        let points = ring.snapshot(now);
        let used: Vec<u64> = points.iter().map(|p| p.used_bytes).collect();
        assert_eq!(used, [2, 3, 4]);
        assert_eq!(points[0].seconds_ago, 2.0);
        assert_eq!(points[2].seconds_ago, 0.0);
        assert_eq!(fractions(&points, 8)[0], (-2.0, 0.25));
    }
}
