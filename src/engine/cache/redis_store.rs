//! The Redis store, for boxes that share one cache: an entry is the key
//! `voxdeck:result:<key hex>` holding the same bytes as a disk entry (header with checksum),
//! so a damaged value is detected the same way.
//!
//! Bounding: every entry is written with a TTL of `TTL_SECONDS`, and a hit renews it, so
//! entries in use stay and the rest expire; a server with `maxmemory` set evicts by its own
//! policy on top of that.
//!
//! Workers call get and put at once: each call takes an idle connection from a small pool
//! (or opens one), so there are as many connections as calls in flight (at most one per
//! worker) and no worker waits on another's round-trip.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use redis::{ConnectionInfo, IntoConnectionInfo, Value};

use super::redis_wire::{Wire, WireError};
use super::store::StoreError;
use super::{Key, MAX_ENTRY_BYTES};

/// Thirty days, renewed on every hit.
pub const TTL_SECONDS: u64 = 30 * 24 * 3600;
const KEY_PREFIX: &str = "voxdeck:result:";
/// A server that does not answer a connect in this long is treated as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Reads and writes of one entry (a few hundred KB at most) on a live server are quick;
/// one that hangs this long means the server is gone, and the store is given up.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// A reply to anything but GET is a status or a number.
const SMALL_REPLY: u64 = 4096;

pub struct RedisStore {
    info: ConnectionInfo,
    /// The URL without its password, for messages and the report.
    shown: String,
    idle: Mutex<Vec<Wire>>,
    /// A key of another type under a voxdeck name is reported once per store.
    wrong_type_told: AtomicBool,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("url", &self.shown)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Opens one connection and checks the server answers (PING), so an unreachable
    /// server, or one that wants a password, is known before the run.
    pub fn connect(url: &str) -> Result<RedisStore, StoreError> {
        let shown = redact(url);
        if url.starts_with("rediss://") {
            return Err(StoreError::TlsUnsupported { url: shown });
        }
        let info = url
            .into_connection_info()
            .map_err(|e| StoreError::Unreachable {
                url: shown.clone(),
                detail: format!("{e}; write it as redis://[USER:PASSWORD@]HOST:PORT[/DB]"),
            })?;
        let store = RedisStore {
            info,
            shown,
            idle: Mutex::new(Vec::new()),
            wrong_type_told: AtomicBool::new(false),
        };
        store.ping()?;
        Ok(store)
    }

    /// The URL as shown (password left out).
    pub fn url(&self) -> &str {
        &self.shown
    }

    pub fn entry_name(key: &Key) -> String {
        format!("{KEY_PREFIX}{}", key.hex())
    }

    /// The entry's bytes, renewing its TTL (one round-trip: GET and EXPIRE pipelined). A
    /// reply larger than any entry, or a key of another type under the entry's name, is
    /// not an entry: a miss, and the entry is written over when the audio is made.
    pub(super) fn get(&self, key: &Key) -> Result<Option<Vec<u8>>, StoreError> {
        let name = RedisStore::entry_name(key);
        let packed = redis::pipe()
            .cmd("GET")
            .arg(&name)
            .cmd("EXPIRE")
            .arg(&name)
            .arg(TTL_SECONDS)
            .get_packed_pipeline();
        match self.with_connection(|c| c.query(&packed, 2, MAX_ENTRY_BYTES + SMALL_REPLY)) {
            Ok(values) => match values.into_iter().next() {
                Some(Value::BulkString(bytes)) => Ok(Some(bytes)),
                _ => Ok(None),
            },
            Err(WireError::TooLarge { limit }) => {
                log::warn!(
                    "{name} in {}: a reply of more than {limit} bytes is not a voxdeck entry; synthesising the sentence",
                    self.shown
                );
                Ok(None)
            }
            Err(WireError::Server { code, .. }) if code == "WRONGTYPE" => {
                if !self.wrong_type_told.swap(true, Ordering::Relaxed) {
                    log::warn!(
                        "{name} in {} holds a key of another type, not a voxdeck entry; it is written over with the synthesised audio (told once)",
                        self.shown
                    );
                }
                Ok(None)
            }
            Err(e) => Err(self.failure(e)),
        }
    }

    /// SET replaces whatever the key held, of any type.
    pub(super) fn put(&self, key: &Key, bytes: &[u8]) -> Result<(), StoreError> {
        let name = RedisStore::entry_name(key);
        let packed = redis::cmd("SET")
            .arg(&name)
            .arg(bytes)
            .arg("EX")
            .arg(TTL_SECONDS)
            .get_packed_command();
        self.with_connection(|c| c.query(&packed, 1, SMALL_REPLY))
            .map(drop)
            .map_err(|e| self.failure(e))
    }

    pub(super) fn remove(&self, key: &Key) -> Result<(), StoreError> {
        let packed = redis::cmd("DEL")
            .arg(RedisStore::entry_name(key))
            .get_packed_command();
        self.with_connection(|c| c.query(&packed, 1, SMALL_REPLY))
            .map(drop)
            .map_err(|e| self.failure(e))
    }

    /// Whether the server answers (before a run, and after the store was given up).
    pub(super) fn ping(&self) -> Result<(), StoreError> {
        let packed = redis::cmd("PING").get_packed_command();
        self.with_connection(|c| c.query(&packed, 1, SMALL_REPLY))
            .map(drop)
            .map_err(|e| self.failure(e))
    }

    /// The error of a failed call, naming its cause and fix.
    fn failure(&self, e: WireError) -> StoreError {
        let url = self.shown.clone();
        match e {
            WireError::Refused(e) => StoreError::Unreachable {
                url,
                detail: format!("nothing answers there: {e}"),
            },
            WireError::Timeout => StoreError::Unreachable {
                url,
                detail: format!(
                    "no answer within {} s: check that a Redis server, not another service, listens there and is not overloaded",
                    IO_TIMEOUT.as_secs()
                ),
            },
            WireError::Auth {
                needs_password: true,
                detail,
            } => StoreError::Refused {
                url,
                detail: format!("the server asks for a password ({detail}): give it in the URL, redis://:PASSWORD@HOST:PORT or redis://USER:PASSWORD@HOST:PORT"),
            },
            WireError::Auth { detail, .. } => StoreError::Refused {
                url,
                detail: format!("the server refused the user or password in the URL ({detail}): check them"),
            },
            other => StoreError::Redis {
                url,
                detail: other.to_string(),
            },
        }
    }

    /// Runs `f` on an idle connection (or a new one). A connection that failed is dropped
    /// rather than returned to the pool (its stream may be mid-reply); on an outage the
    /// idle ones go too, since a failure is most often the server gone. A server's error
    /// reply leaves the connection whole.
    fn with_connection<T>(
        &self,
        f: impl FnOnce(&mut Wire) -> Result<T, WireError>,
    ) -> Result<T, WireError> {
        let idle = self.lock_idle().pop();
        let mut connection = match idle {
            Some(c) => c,
            None => Wire::open(&self.info, CONNECT_TIMEOUT, IO_TIMEOUT)?,
        };
        match f(&mut connection) {
            Ok(result) => {
                self.release(connection);
                Ok(result)
            }
            Err(e @ WireError::Server { .. }) => {
                self.release(connection);
                Err(e)
            }
            Err(e) => {
                if !matches!(e, WireError::TooLarge { .. }) {
                    self.lock_idle().clear();
                }
                Err(e)
            }
        }
    }

    fn release(&self, connection: Wire) {
        self.lock_idle().push(connection);
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Wire>> {
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// `url` with the password of its user part replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{}", &rest[at + 1..])
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_left_out_of_what_is_shown() {
        assert_eq!(redact("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
        assert_eq!(
            redact("redis://:secret@cache.lan:6379/2"),
            "redis://:***@cache.lan:6379/2"
        );
        assert_eq!(
            redact("redis://ops:secret@cache.lan"),
            "redis://ops:***@cache.lan"
        );
    }

    /// A fake server on a free port: answers PING, then runs `on_get` for the next
    /// command on the same connection; it handles one connection and stops.
    fn fake_server(on_get: impl FnOnce(&mut std::net::TcpStream) + Send + 'static) -> String {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("redis://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            // PING: "*1\r\n$4\r\nPING\r\n" is three lines.
            let mut line = String::new();
            for _ in 0..3 {
                reader.read_line(&mut line).unwrap();
            }
            stream.write_all(b"+PONG\r\n").unwrap();
            on_get(&mut stream);
        });
        url
    }

    #[test]
    fn a_reply_announcing_gigabytes_is_refused_after_the_bound() {
        use std::io::Write;
        let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = sent.clone();
        let url = fake_server(move |stream| {
            stream.write_all(b"$4000000000\r\n").unwrap();
            let chunk = vec![0u8; 1 << 20];
            // Bounded: at most 4 times the entry bound, or until the client hangs up.
            for _ in 0..((4 * MAX_ENTRY_BYTES) >> 20) {
                if stream.write_all(&chunk).is_err() {
                    break;
                }
                counter.fetch_add(chunk.len() as u64, std::sync::atomic::Ordering::SeqCst);
            }
        });
        let store = RedisStore::connect(&url).unwrap();
        let key = Key([7; 32]);
        assert_eq!(store.get(&key).unwrap(), None, "not an entry: a miss");
        // The client stopped reading at the bound; the socket buffers hold a little more.
        std::thread::sleep(Duration::from_millis(200));
        let sent = sent.load(std::sync::atomic::Ordering::SeqCst);
        assert!(
            sent <= MAX_ENTRY_BYTES + (16 << 20),
            "the client read {sent} bytes of a reply bounded at {MAX_ENTRY_BYTES}"
        );
    }

    #[test]
    fn a_server_that_never_answers_is_named_as_such() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("redis://{}", listener.local_addr().unwrap());
        let held = std::thread::spawn(move || {
            // Accepts, reads nothing, answers nothing, until the client gives up.
            let (stream, _) = listener.accept().unwrap();
            std::thread::sleep(IO_TIMEOUT + Duration::from_secs(1));
            drop(stream);
        });
        let err = RedisStore::connect(&url).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("no answer within 5 s"), "{text}");
        assert!(!text.contains("os error 11"), "{text}");
        held.join().unwrap();
    }

    #[test]
    fn nothing_listening_is_unreachable_and_tls_is_refused_plainly() {
        // A port that was free a moment ago.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("redis://127.0.0.1:{port}");
        let err = RedisStore::connect(&url).unwrap_err();
        assert!(matches!(err, StoreError::Unreachable { .. }), "{err}");
        assert!(err.to_string().contains(&url), "{err}");
        let err = RedisStore::connect("rediss://cache.lan:6380").unwrap_err();
        assert!(matches!(err, StoreError::TlsUnsupported { .. }), "{err}");
    }
}
