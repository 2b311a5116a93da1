//! Where to serve: `9187` (a bare port, on 127.0.0.1, so nothing is exposed beyond the box
//! unless asked for), `:9187`, `HOST:PORT` or `[V6]:PORT`.

use std::net::{SocketAddr, ToSocketAddrs};

use super::{MetricsError, DEFAULT_HOST};

pub fn parse_addr(text: &str) -> Result<SocketAddr, MetricsError> {
    let trimmed = text.trim();
    let bad = || MetricsError::BadAddress {
        text: text.to_string(),
    };
    let port = trimmed.strip_prefix(':').unwrap_or(trimmed);
    if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
        let port: u16 = port.parse().map_err(|_| bad())?;
        return Ok(SocketAddr::from((DEFAULT_HOST, port)));
    }
    if let Ok(addr) = trimmed.parse::<SocketAddr>() {
        return Ok(addr);
    }
    // A host name (`localhost:9187`): resolved once, now, so a typo fails before the run.
    if trimmed
        .rsplit_once(':')
        .is_some_and(|(host, _)| !host.is_empty())
    {
        if let Some(addr) = trimmed.to_socket_addrs().ok().and_then(|mut a| a.next()) {
            return Ok(addr);
        }
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_port_is_on_localhost() {
        assert_eq!(parse_addr("9187").unwrap().to_string(), "127.0.0.1:9187");
        assert_eq!(parse_addr(":9188").unwrap().to_string(), "127.0.0.1:9188");
        assert_eq!(parse_addr("0").unwrap().port(), 0);
    }

    #[test]
    fn full_addresses_are_kept() {
        assert_eq!(
            parse_addr("0.0.0.0:9187").unwrap().to_string(),
            "0.0.0.0:9187"
        );
        assert_eq!(parse_addr("[::1]:9187").unwrap().to_string(), "[::1]:9187");
        assert!(parse_addr("localhost:9187").unwrap().ip().is_loopback());
    }

    #[test]
    fn anything_else_is_refused_naming_what_was_given() {
        for text in ["", "abc", "99999", "127.0.0.1", "127.0.0.1:x"] {
            let error = parse_addr(text).unwrap_err().to_string();
            assert!(error.contains(&format!("`{text}`")), "{error}");
            assert!(error.contains("HOST:PORT"), "{error}");
        }
    }
}
