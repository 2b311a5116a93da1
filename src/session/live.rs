//! What a session measures live, beside its published state: how busy the warm engine is
//! and how the result cache has served. Readers on other threads (the metrics endpoint)
//! get these through a [`Watch`], which never takes a lock the workers hold.

use std::sync::{Arc, Mutex};

use super::published::Published;
use super::state::SessionState;
use super::Control;
use crate::engine::cache::ResultCache;
use crate::engine::load::{LoadReading, PoolLoad};
use crate::engine::pool::Engine;

/// The warm engine's counters, replaced when the session starts another engine. Only the
/// session thread (at an engine start) and readers take this lock, never a worker.
#[derive(Default)]
pub(super) struct LiveSources {
    load: Option<Arc<PoolLoad>>,
    cache: Option<Arc<ResultCache>>,
}

/// One reading of a session's live counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LiveCounters {
    /// None before the session started an engine.
    pub load: Option<LoadReading>,
    /// None when the session runs without the result cache.
    pub cache: Option<CacheCounters>,
}

/// The result cache's lookups since the session opened it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheCounters {
    pub hits: u64,
    pub misses: u64,
}

impl LiveSources {
    pub(super) fn engine_started(&mut self, engine: &Engine) {
        self.load = Some(engine.load().clone());
        self.cache = engine.cache().cloned();
    }

    fn read(&self) -> LiveCounters {
        LiveCounters {
            load: self.load.as_ref().map(|l| l.reading()),
            cache: self.cache.as_ref().map(|c| CacheCounters {
                hits: c.hits(),
                misses: c.misses(),
            }),
        }
    }
}

/// Reads a session from another thread without keeping it alive: its thread still shuts
/// down when the `Session` is dropped, and the watch then reads the last state.
#[derive(Clone)]
pub struct Watch {
    control: Arc<Control>,
}

impl Watch {
    pub(super) fn new(control: Arc<Control>) -> Watch {
        Watch { control }
    }

    /// The published state; read it with `read`, which leaves the notices to the driver.
    pub fn state(&self) -> &Published<SessionState> {
        &self.control.state
    }

    pub fn live(&self) -> LiveCounters {
        lock(&self.control.live).read()
    }
}

/// Records the engine the session just made warm, so readers follow it.
pub(super) fn engine_started(control: &Control, engine: &Engine) {
    lock(&control.live).engine_started(engine);
}

fn lock(live: &Mutex<LiveSources>) -> std::sync::MutexGuard<'_, LiveSources> {
    live.lock().unwrap_or_else(|p| p.into_inner())
}
