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

use std::sync::Mutex;
use std::time::Duration;

use redis::{Client, Connection, RedisResult};

use super::store::StoreError;
use super::Key;

/// Thirty days, renewed on every hit.
pub const TTL_SECONDS: u64 = 30 * 24 * 3600;
const KEY_PREFIX: &str = "voxdeck:result:";
/// A server that does not answer a connect in this long is treated as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Reads and writes of one entry (a few hundred KB at most) on a live server are quick;
/// one that hangs this long means the server is gone, and the store is given up.
const IO_TIMEOUT: Duration = Duration::from_secs(5);

pub struct RedisStore {
    client: Client,
    /// The URL without its password, for messages and the report.
    shown: String,
    idle: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("url", &self.shown)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Opens the client and one connection, and checks the server answers (PING), so an
    /// unreachable server is known before the run.
    pub fn connect(url: &str) -> Result<RedisStore, StoreError> {
        let shown = redact(url);
        if url.starts_with("rediss://") {
            return Err(StoreError::TlsUnsupported { url: shown });
        }
        let unreachable = |e: redis::RedisError| StoreError::Unreachable {
            url: shown.clone(),
            detail: e.to_string(),
        };
        let client = Client::open(url).map_err(unreachable)?;
        let store = RedisStore {
            client,
            shown: shown.clone(),
            idle: Mutex::new(Vec::new()),
        };
        let mut first = store.open_connection().map_err(unreachable)?;
        redis::cmd("PING")
            .query::<String>(&mut first)
            .map_err(unreachable)?;
        store.release(first);
        Ok(store)
    }

    /// The URL as shown (password left out).
    pub fn url(&self) -> &str {
        &self.shown
    }

    pub fn entry_name(key: &Key) -> String {
        format!("{KEY_PREFIX}{}", key.hex())
    }

    /// The entry's bytes, renewing its TTL (one round-trip: GET and EXPIRE pipelined).
    pub(super) fn get(&self, key: &Key) -> Result<Option<Vec<u8>>, StoreError> {
        let name = RedisStore::entry_name(key);
        self.with_connection(|c| {
            let (bytes,): (Option<Vec<u8>>,) = redis::pipe()
                .cmd("GET")
                .arg(&name)
                .cmd("EXPIRE")
                .arg(&name)
                .arg(TTL_SECONDS)
                .ignore()
                .query(c)?;
            Ok(bytes)
        })
    }

    pub(super) fn put(&self, key: &Key, bytes: &[u8]) -> Result<(), StoreError> {
        let name = RedisStore::entry_name(key);
        self.with_connection(|c| {
            redis::cmd("SET")
                .arg(&name)
                .arg(bytes)
                .arg("EX")
                .arg(TTL_SECONDS)
                .query::<()>(c)
        })
    }

    pub(super) fn remove(&self, key: &Key) -> Result<(), StoreError> {
        let name = RedisStore::entry_name(key);
        self.with_connection(|c| redis::cmd("DEL").arg(&name).query::<()>(c))
    }

    /// Whether the server answers again (after the store was given up).
    pub(super) fn ping(&self) -> Result<(), StoreError> {
        self.with_connection(|c| redis::cmd("PING").query::<String>(c).map(drop))
    }

    /// Runs `f` on an idle connection (or a new one). A connection that failed is dropped
    /// rather than returned to the pool (its stream may be mid-reply), and so are the idle
    /// ones: a failure is most often the server gone, which leaves them all dead.
    fn with_connection<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> RedisResult<T>,
    ) -> Result<T, StoreError> {
        let failed = |e: redis::RedisError| StoreError::Redis {
            url: self.shown.clone(),
            detail: e.to_string(),
        };
        let idle = self.lock_idle().pop();
        let mut connection = match idle {
            Some(c) => c,
            None => self.open_connection().map_err(failed)?,
        };
        match f(&mut connection) {
            Ok(result) => {
                self.release(connection);
                Ok(result)
            }
            Err(e) => {
                self.lock_idle().clear();
                Err(failed(e))
            }
        }
    }

    fn open_connection(&self) -> RedisResult<Connection> {
        let connection = self.client.get_connection_with_timeout(CONNECT_TIMEOUT)?;
        connection.set_read_timeout(Some(IO_TIMEOUT))?;
        connection.set_write_timeout(Some(IO_TIMEOUT))?;
        Ok(connection)
    }

    fn release(&self, connection: Connection) {
        self.lock_idle().push(connection);
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
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
