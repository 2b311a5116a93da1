//! How busy an engine is right now: work units waiting in its runs' queues and workers in
//! the middle of one. Plain atomics, so a reader on another thread (the metrics endpoint)
//! never takes a lock the workers use.

use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Default)]
pub struct PoolLoad {
    queued: AtomicUsize,
    busy: AtomicUsize,
}

/// One reading of a [`PoolLoad`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadReading {
    /// Work units (sentences, probes, candidates) waiting for a worker.
    pub queued_units: usize,
    /// Workers synthesising a unit now.
    pub busy_workers: usize,
}

impl PoolLoad {
    pub fn reading(&self) -> LoadReading {
        LoadReading {
            queued_units: self.queued.load(Ordering::Relaxed),
            busy_workers: self.busy.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn queued(&self, units: usize) {
        self.queued.fetch_add(units, Ordering::Relaxed);
    }

    /// Units that left the queue without being worked on (cancelled, or a run dropped).
    pub(crate) fn dropped(&self, units: usize) {
        self.queued.fetch_sub(units, Ordering::Relaxed);
    }

    /// A worker took a unit from the queue; it counts as busy until the guard drops, so a
    /// panicking unit is not left counted.
    pub(crate) fn start_unit(&self) -> BusyGuard<'_> {
        self.queued.fetch_sub(1, Ordering::Relaxed);
        self.busy.fetch_add(1, Ordering::Relaxed);
        BusyGuard(self)
    }
}

pub(crate) struct BusyGuard<'a>(&'a PoolLoad);

impl Drop for BusyGuard<'_> {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_moves_from_queued_to_busy_and_back_to_idle() {
        let load = PoolLoad::default();
        load.queued(3);
        let busy = load.start_unit();
        assert_eq!(
            load.reading(),
            LoadReading {
                queued_units: 2,
                busy_workers: 1
            }
        );
        drop(busy);
        load.dropped(2);
        assert_eq!(load.reading(), LoadReading::default());
    }
}
