//! `--metrics ADDR` at the binary's edge: which address (the flag over the settings file),
//! bound before any synthesis so a bad one is refused up front, then served once the
//! session exists.

use anyhow::Context;
use voxdeck::metrics::{self, Listener, MetricsServer};
use voxdeck::session::Session;

use crate::cli::MetricsArgs;

/// Binds the address asked for, if any. A bad `--metrics` is bad input (exit 2). A bad
/// `[metrics] addr` in the settings file is a warning and the run goes on without metrics:
/// the settings file never stops a run (see `voxdeck::config`).
pub fn bind(args: &MetricsArgs) -> anyhow::Result<Option<Listener>> {
    if let Some(text) = &args.metrics {
        let listener = metrics::parse_addr(text)
            .and_then(Listener::bind)
            .with_context(|| format!("--metrics {text}"))?;
        return Ok(Some(listener));
    }
    let Some(text) = &voxdeck::config::current().metrics_addr else {
        return Ok(None);
    };
    match metrics::parse_addr(text).and_then(Listener::bind) {
        Ok(listener) => Ok(Some(listener)),
        Err(e) => {
            let file = voxdeck::config::path().map_or_else(
                || "the settings file".to_string(),
                |p| p.display().to_string(),
            );
            log::warn!(
                "[metrics] addr in {file}: {e}; running without metrics (fix the setting, or give --metrics ADDR)"
            );
            Ok(None)
        }
    }
}

/// Serves `session`'s metrics on `listener` and logs where.
pub fn serve(listener: Listener, session: &Session) -> anyhow::Result<MetricsServer> {
    let server = metrics::serve_session(listener, session.watch())?;
    log::info!("metrics: serving {}", server.url());
    Ok(server)
}
