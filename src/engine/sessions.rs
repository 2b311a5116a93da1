//! Where a worker gets its model sessions: its own (pool mode) or one per model shared
//! behind a mutex by all workers (the shared-lock baseline).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ort::session::Session;

use super::plan::ModelId;
use super::runtime::{OrtOptions, Placement, Runtime, RuntimeError};

/// An open session and what it really runs on.
pub struct OpenSession {
    pub session: Session,
    pub placement: Placement,
    /// Why CUDA was not used under `--device auto`, if it was not.
    pub fallback: Option<String>,
}

type SharedSession = Arc<Mutex<OpenSession>>;

/// Where a worker gets its sessions from.
pub(crate) enum Sessions {
    Owned(HashMap<ModelId, OpenSession>),
    Shared(Arc<Mutex<HashMap<ModelId, SharedSession>>>),
}

pub(crate) struct SessionFactory {
    pub(crate) runtime: Arc<Runtime>,
    pub(crate) options: OrtOptions,
}

impl SessionFactory {
    pub(crate) fn open(&self, path: &std::path::Path) -> Result<OpenSession, RuntimeError> {
        let (session, placement, fallback) = self.runtime.open(path, &self.options)?;
        Ok(OpenSession {
            session,
            placement,
            fallback,
        })
    }
}

impl Sessions {
    /// Runs `f` with the session for `model`, opening it first if needed. In shared mode
    /// the session's mutex is held for the whole call: that is the point of the baseline.
    pub(crate) fn with<T>(
        &mut self,
        model: &ModelId,
        path: &std::path::Path,
        factory: &SessionFactory,
        f: impl FnOnce(&mut OpenSession) -> T,
    ) -> Result<T, RuntimeError> {
        match self {
            Sessions::Owned(map) => {
                if !map.contains_key(model) {
                    map.insert(model.clone(), factory.open(path)?);
                }
                Ok(f(map.get_mut(model).expect("inserted above")))
            }
            Sessions::Shared(map) => {
                let shared = {
                    let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
                    match map.get(model) {
                        Some(s) => s.clone(),
                        None => {
                            let s = Arc::new(Mutex::new(factory.open(path)?));
                            map.insert(model.clone(), s.clone());
                            s
                        }
                    }
                };
                let mut guard = shared.lock().unwrap_or_else(|p| p.into_inner());
                Ok(f(&mut guard))
            }
        }
    }
}
