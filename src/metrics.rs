//! Live metrics in the Prometheus text format at `http://ADDR/metrics`, for the console and
//! headless runs alike. The endpoint reads what the session already publishes (its state,
//! the engine's load counters, the result cache's counters) and samples memory and GPUs
//! with the GPU pane's collector, on request only: nothing is computed between scrapes, and
//! nothing it does takes a lock a worker holds for longer than one progress update.

mod addr;
mod render;
mod scrape;
mod server;

pub use addr::parse_addr;
pub use render::{render, CONTENT_TYPE};
pub use scrape::{LanguageSeries, Scrape};
pub use server::{Listener, MetricsServer};

use std::net::SocketAddr;

/// The host a bare port is served on: only this box, unless the operator names another.
pub const DEFAULT_HOST: std::net::Ipv4Addr = std::net::Ipv4Addr::LOCALHOST;

#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    #[error("`{text}` is not an address to serve metrics on: give a port (9187) or HOST:PORT (127.0.0.1:9187)")]
    BadAddress { text: String },
    // `error` is not a `#[source]`: the message already says it, and a chain printed with
    // `{:#}` would say it twice.
    #[error("cannot serve metrics on {addr}: {error}; {}", bind_fix(.error))]
    Bind {
        addr: SocketAddr,
        error: std::io::Error,
    },
    #[error("cannot serve metrics on {addr}: {detail}")]
    Start { addr: SocketAddr, detail: String },
}

/// What to do about an address that cannot be bound.
fn bind_fix(error: &std::io::Error) -> &'static str {
    match error.kind() {
        std::io::ErrorKind::AddrInUse => {
            "another program holds that port: choose a free one (a bare port such as 9188 means 127.0.0.1:9188; port 0 takes any free port)"
        }
        std::io::ErrorKind::AddrNotAvailable => {
            "that address is not one of this machine's: use 127.0.0.1:PORT, or 0.0.0.0:PORT to serve every interface"
        }
        std::io::ErrorKind::PermissionDenied => {
            "ports below 1024 need privileges: choose one above 1024, such as 9187"
        }
        _ => "choose another address, such as 127.0.0.1:9187",
    }
}

/// Serves a session's metrics on `listener`: its state and live counters, and memory and
/// GPUs sampled at each scrape by the collector the GPU pane's sampler uses.
pub fn serve_session(
    listener: Listener,
    watch: crate::session::Watch,
) -> Result<MetricsServer, MetricsError> {
    let mut collector = crate::gpu::Collector::new(&crate::gpu::SamplerOptions::default());
    listener.serve(move || {
        let sample = collector.collect().without_history();
        let live = watch.live();
        let scrape = watch
            .state()
            .read(|state| Scrape::of(state, live, Some(sample)));
        render(&scrape)
    })
}

#[cfg(test)]
mod tests;
