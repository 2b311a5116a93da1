//! The HTTP side: an accept thread and a few handler threads over std's TcpListener. It
//! renders only when asked, so between scrapes it costs threads blocked in `accept` and
//! `recv`.
//!
//! Binding and serving are two steps: the address is bound (and a bad one refused) before
//! the session exists, so a port in use stops the command before any synthesis.
//!
//! Written here rather than on an HTTP crate because what it must survive is the crate's
//! part: connections are bounded (`HANDLERS` at once, `QUEUED` waiting, each read with a
//! deadline; past that a client gets 503 at once), and running out of file descriptors
//! refuses connections (logged once) instead of killing the server, as tiny_http's
//! threads did under `ulimit -n 256` with 130 half-open connections. It speaks just
//! enough HTTP/1.1 for a scraper: one GET per connection, then close.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::MetricsError;

/// Requests served at once, and connections that may wait for a handler.
const HANDLERS: usize = 4;
const QUEUED: usize = 16;
/// A client that has not sent its request (or read the reply) in this long is dropped.
const CLIENT_DEADLINE: Duration = Duration::from_secs(2);
/// The longest request head read; a scraper's is a few hundred bytes.
const MAX_HEAD_BYTES: u64 = 16 * 1024;
/// How long the accept loop rests when out of descriptors, for some to be freed.
const FD_BACKOFF: Duration = Duration::from_millis(100);

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

    /// Serves `GET /metrics` with what `render` returns, on threads of its own.
    pub fn serve(
        self,
        render: impl FnMut() -> String + Send + 'static,
    ) -> Result<MetricsServer, MetricsError> {
        let addr = self.addr;
        let start = |e: std::io::Error| MetricsError::Start {
            addr,
            detail: format!("cannot start its threads: {e}"),
        };
        let render: Arc<Mutex<dyn FnMut() -> String + Send>> = Arc::new(Mutex::new(render));
        let stopping = Arc::new(AtomicBool::new(false));
        let serving = Arc::new(AtomicBool::new(true));
        let (queue, waiting) = mpsc::sync_channel::<TcpStream>(QUEUED);
        let waiting = Arc::new(Mutex::new(waiting));
        let mut threads = Vec::new();
        for n in 0..HANDLERS {
            let (waiting, render) = (waiting.clone(), render.clone());
            let handler = std::thread::Builder::new()
                .name(format!("voxdeck-metrics-{n}"))
                .spawn(move || loop {
                    let next = waiting.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok(stream) = next else { return };
                    respond(stream, &render);
                })
                .map_err(start)?;
            threads.push(handler);
        }
        let accept = {
            let (stopping, serving) = (stopping.clone(), serving.clone());
            std::thread::Builder::new()
                .name("voxdeck-metrics".into())
                .spawn(move || {
                    let ended = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        accept_loop(&self.listener, &queue, &stopping)
                    }));
                    serving.store(false, Ordering::SeqCst);
                    if ended.is_err() && !stopping.load(Ordering::SeqCst) {
                        log::error!("metrics: the server at http://{addr}/metrics stopped; restart voxdeck to serve metrics again");
                    }
                })
                .map_err(start)?
        };
        threads.push(accept);
        Ok(MetricsServer {
            threads,
            stopping,
            serving,
            addr,
        })
    }
}

fn accept_loop(listener: &TcpListener, queue: &SyncSender<TcpStream>, stopping: &AtomicBool) {
    let mut out_of_descriptors = false;
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let stream = match stream {
            Ok(stream) => stream,
            Err(e) if matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE)) => {
                if !out_of_descriptors {
                    log::warn!("metrics: out of file descriptors ({e}); connections are refused until some are free (raise `ulimit -n`)");
                    out_of_descriptors = true;
                }
                std::thread::sleep(FD_BACKOFF);
                continue;
            }
            Err(e) => {
                log::debug!("metrics: a connection failed before it was accepted: {e}");
                continue;
            }
        };
        if out_of_descriptors {
            log::info!("metrics: file descriptors are free again; serving");
            out_of_descriptors = false;
        }
        match queue.try_send(stream) {
            Ok(()) => {}
            Err(TrySendError::Full(stream)) => refuse_busy(stream),
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

/// Every handler busy and the queue full: 503 at once, without reading the request.
fn refuse_busy(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(CLIENT_DEADLINE));
    let _ = stream
        .write_all(&reply(503, "text/plain; charset=utf-8", "busy: try again\n").into_bytes());
    let _ = stream.shutdown(Shutdown::Both);
}

/// Serving until dropped.
pub struct MetricsServer {
    threads: Vec<JoinHandle<()>>,
    stopping: Arc<AtomicBool>,
    serving: Arc<AtomicBool>,
    addr: SocketAddr,
}

impl MetricsServer {
    pub fn url(&self) -> String {
        format!("http://{}/metrics", self.addr)
    }

    /// Whether the server still accepts connections (it logs an error if it stopped).
    pub fn is_serving(&self) -> bool {
        self.serving.load(Ordering::SeqCst)
    }
}

impl Drop for MetricsServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which sees `stopping`; dropping its queue ends the handlers.
        let _ = TcpStream::connect_timeout(&wake_addr(self.addr), CLIENT_DEADLINE);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// The address to connect to for `addr`: an unspecified one (0.0.0.0) is reached on loopback.
fn wake_addr(addr: SocketAddr) -> SocketAddr {
    let mut wake = addr;
    if addr.ip().is_unspecified() {
        wake.set_ip(if addr.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    wake
}

fn respond(stream: TcpStream, render: &Mutex<dyn FnMut() -> String + Send>) {
    let _ = stream.set_read_timeout(Some(CLIENT_DEADLINE));
    let _ = stream.set_write_timeout(Some(CLIENT_DEADLINE));
    let Ok(reader) = stream.try_clone() else {
        // Out of descriptors for the clone: the connection is dropped, the server goes on.
        return;
    };
    let mut head = BufReader::new(std::io::Read::take(reader, MAX_HEAD_BYTES));
    let mut request_line = String::new();
    if head.read_line(&mut request_line).is_err() {
        return;
    }
    // The headers are read (and ignored) up to the blank line, so the client's send completes.
    let mut line = String::new();
    while head.read_line(&mut line).is_ok_and(|n| n > 0) && line.trim_end() != "" {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let path = target.split('?').next().unwrap_or_default();
    let text = match (method, path) {
        ("GET", "/metrics") => {
            let body = (render.lock().unwrap_or_else(|p| p.into_inner()))();
            reply(200, super::CONTENT_TYPE, &body)
        }
        ("GET", _) => reply(
            404,
            "text/plain; charset=utf-8",
            "voxdeck serves its metrics at /metrics\n",
        ),
        _ => reply(405, "text/plain; charset=utf-8", "only GET is served\n"),
    };
    let mut stream = stream;
    // A scraper that hung up early is its own problem; the next scrape is served as usual.
    if let Err(e) = stream.write_all(text.as_bytes()) {
        log::debug!("metrics: the scraper went away: {e}");
    }
    let _ = stream.shutdown(Shutdown::Both);
}

fn reply(status: u16, content_type: &str, body: &str) -> String {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Service Unavailable",
    };
    format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}
