//! One connection to a Redis server whose replies are bounded: redis-rs encodes the
//! commands and parses the replies (its `Parser`), but the socket is voxdeck's, read
//! through a limit. A reply announcing more bytes than the largest entry voxdeck writes is
//! refused after at most that many bytes, whatever the server claims; redis-rs's own
//! connection reads whatever it is sent (a value of 300 MB took 836 MB of memory).

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use redis::{ConnectionAddr, ConnectionInfo, Parser, Value};

/// Why a connection or a query failed, by cause, so each message can name its fix.
#[derive(Debug)]
pub(super) enum WireError {
    /// Nothing listens there (connection refused, no such host).
    Refused(io::Error),
    /// The server did not answer within the timeout.
    Timeout,
    /// The server asks for a password (NOAUTH) or refused the one given (WRONGPASS).
    Auth {
        needs_password: bool,
        detail: String,
    },
    /// A reply over the limit; the connection is mid-reply and must be dropped.
    TooLarge { limit: u64 },
    /// The server answered a command with an error (WRONGTYPE among them).
    Server { code: String, detail: String },
    /// Anything else on the socket or in the reply's syntax.
    Other(String),
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WireError::Refused(e) => write!(f, "nothing answers there ({e})"),
            WireError::Timeout => write!(f, "no answer within the timeout"),
            WireError::Auth { detail, .. } => write!(f, "{detail}"),
            WireError::TooLarge { limit } => write!(f, "a reply larger than {limit} bytes"),
            WireError::Server { code, detail } => write!(f, "{code} {detail}"),
            WireError::Other(detail) => write!(f, "{detail}"),
        }
    }
}

enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.read(buf),
            Stream::Unix(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.write(buf),
            Stream::Unix(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => s.flush(),
            Stream::Unix(s) => s.flush(),
        }
    }
}

/// Reads from `inner` until `left` bytes have been read, then fails.
struct Limited<'a> {
    inner: &'a mut Stream,
    left: u64,
    exceeded: bool,
}

impl Read for Limited<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            self.exceeded = true;
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "reply too large",
            ));
        }
        let most = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..most])?;
        self.left -= n as u64;
        Ok(n)
    }
}

pub(super) struct Wire {
    stream: Stream,
    parser: Parser,
}

impl Wire {
    /// Connects, with the timeouts set on the socket, and authenticates and selects the
    /// database the URL names.
    pub(super) fn open(
        info: &ConnectionInfo,
        connect_timeout: Duration,
        io_timeout: Duration,
    ) -> Result<Wire, WireError> {
        let stream = match info.addr() {
            ConnectionAddr::Tcp(host, port) => {
                let addrs = (host.as_str(), *port)
                    .to_socket_addrs()
                    .map_err(WireError::Refused)?;
                let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
                let mut opened = None;
                for addr in addrs {
                    match TcpStream::connect_timeout(&addr, connect_timeout) {
                        Ok(s) => {
                            opened = Some(s);
                            break;
                        }
                        Err(e) => last = e,
                    }
                }
                let tcp = opened.ok_or_else(|| io_error(last))?;
                tcp.set_read_timeout(Some(io_timeout)).map_err(io_error)?;
                tcp.set_write_timeout(Some(io_timeout)).map_err(io_error)?;
                let _ = tcp.set_nodelay(true);
                Stream::Tcp(tcp)
            }
            ConnectionAddr::Unix(path) => {
                let unix = UnixStream::connect(path).map_err(WireError::Refused)?;
                unix.set_read_timeout(Some(io_timeout)).map_err(io_error)?;
                unix.set_write_timeout(Some(io_timeout)).map_err(io_error)?;
                Stream::Unix(unix)
            }
            other => return Err(WireError::Other(format!("unsupported address {other}"))),
        };
        let mut wire = Wire {
            stream,
            parser: Parser::new(),
        };
        let settings = info.redis_settings();
        if let Some(password) = settings.password() {
            let mut auth = redis::cmd("AUTH");
            if let Some(user) = settings.username() {
                auth.arg(user);
            }
            auth.arg(password);
            wire.query(&auth.get_packed_command(), 1, 1024)?;
        }
        if settings.db() != 0 {
            let select = redis::cmd("SELECT").arg(settings.db()).get_packed_command();
            wire.query(&select, 1, 1024)?;
        }
        Ok(wire)
    }

    /// Sends `packed` (one command or a pipeline) and reads `replies` replies, all of them
    /// together no larger than `limit` bytes. A server error in any reply is returned as
    /// `WireError::Server` (or `Auth`), after every reply has been read.
    pub(super) fn query(
        &mut self,
        packed: &[u8],
        replies: usize,
        limit: u64,
    ) -> Result<Vec<Value>, WireError> {
        self.stream.write_all(packed).map_err(io_error)?;
        let mut reader = Limited {
            inner: &mut self.stream,
            left: limit,
            exceeded: false,
        };
        let mut values = Vec::with_capacity(replies);
        for _ in 0..replies {
            match self.parser.parse_value(&mut reader) {
                Ok(value) => values.push(value),
                Err(_) if reader.exceeded => return Err(WireError::TooLarge { limit }),
                Err(e) if e.is_timeout() => return Err(WireError::Timeout),
                Err(e) => return Err(WireError::Other(e.to_string())),
            }
        }
        if let Some(error) = values.iter().find_map(server_error) {
            return Err(error);
        }
        Ok(values)
    }
}

fn server_error(value: &Value) -> Option<WireError> {
    let Value::ServerError(error) = value else {
        return None;
    };
    let code = error.code().to_string();
    let detail = error.details().unwrap_or_default().to_string();
    Some(match code.as_str() {
        "NOAUTH" => WireError::Auth {
            needs_password: true,
            detail: format!("{code} {detail}"),
        },
        "WRONGPASS" => WireError::Auth {
            needs_password: false,
            detail: format!("{code} {detail}"),
        },
        _ => WireError::Server { code, detail },
    })
}

fn io_error(e: io::Error) -> WireError {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => WireError::Timeout,
        io::ErrorKind::ConnectionRefused | io::ErrorKind::NotFound => WireError::Refused(e),
        _ => WireError::Other(e.to_string()),
    }
}
