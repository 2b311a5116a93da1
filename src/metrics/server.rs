//! The HTTP side: `tiny_http` on its own thread, one request at a time. It renders only
//! when asked, so between scrapes it costs a thread blocked in `accept`.
//!
//! Binding and serving are two steps: the address is bound (and a bad one refused) before
//! the session exists, so a port in use stops the command before any synthesis.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::MetricsError;

/// A bound address, not yet served.
pub struct Listener {
    listener: TcpListener,
    addr: SocketAddr,
}

impl Listener {
    pub fn bind(addr: SocketAddr) -> Result<Listener, MetricsError> {
        let listener =
            TcpListener::bind(addr).map_err(|error| MetricsError::Bind { addr, error })?;
        // Port 0 asks for any free port: report the one the system chose.
        let addr = listener.local_addr().unwrap_or(addr);
        Ok(Listener { listener, addr })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves `GET /metrics` with what `render` returns, on a thread of its own.
    pub fn serve(
        self,
        mut render: impl FnMut() -> String + Send + 'static,
    ) -> Result<MetricsServer, MetricsError> {
        let addr = self.addr;
        let server = tiny_http::Server::from_listener(self.listener, None).map_err(|e| {
            MetricsError::Start {
                addr,
                detail: e.to_string(),
            }
        })?;
        let server = Arc::new(server);
        let serving = server.clone();
        let thread = std::thread::Builder::new()
            .name("voxdeck-metrics".into())
            .spawn(move || {
                // `recv` fails once `unblock` is called: the server is shutting down.
                while let Ok(request) = serving.recv() {
                    respond(request, &mut render);
                }
            })
            .map_err(|e| MetricsError::Start {
                addr,
                detail: format!("cannot start its thread: {e}"),
            })?;
        Ok(MetricsServer {
            server,
            thread: Some(thread),
            addr,
        })
    }
}

/// Serving until dropped.
pub struct MetricsServer {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    addr: SocketAddr,
}

impl MetricsServer {
    pub fn url(&self) -> String {
        format!("http://{}/metrics", self.addr)
    }
}

impl Drop for MetricsServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn respond(request: tiny_http::Request, render: &mut impl FnMut() -> String) {
    let path = request.url().split('?').next().unwrap_or_default();
    let response = match (request.method(), path) {
        (tiny_http::Method::Get, "/metrics") => text(200, render(), super::CONTENT_TYPE),
        (tiny_http::Method::Get, _) => text(
            404,
            "voxdeck serves its metrics at /metrics\n".into(),
            "text/plain; charset=utf-8",
        ),
        _ => text(
            405,
            "only GET is served\n".into(),
            "text/plain; charset=utf-8",
        ),
    };
    // A scraper that hung up early is its own problem; the next scrape is served as usual.
    if let Err(e) = request.respond(response) {
        log::debug!("metrics: the scraper went away: {e}");
    }
}

fn text(
    status: u16,
    body: String,
    content_type: &str,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let header =
        tiny_http::Header::from_bytes("Content-Type", content_type).expect("a fixed, valid header");
    tiny_http::Response::from_string(body)
        .with_status_code(status)
        .with_header(header)
}
