//! Which store a session opens and how large the disk one may grow: the command line's
//! choice over the settings file's `[cache]`, over the defaults.

use super::DEFAULT_MAX_BYTES;

/// `--cache` / `[cache] url`: the folder on this box, or a Redis server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StoreSetting {
    #[default]
    Disk,
    /// `redis://HOST:PORT` (or `rediss://`, which this build refuses with a message).
    Redis(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is neither \"disk\" nor a redis://HOST:PORT URL")]
pub struct BadStoreSetting(String);

impl std::str::FromStr for StoreSetting {
    type Err = BadStoreSetting;

    fn from_str(text: &str) -> Result<StoreSetting, BadStoreSetting> {
        let text = text.trim();
        if text == "disk" {
            Ok(StoreSetting::Disk)
        } else if text.starts_with("redis://") || text.starts_with("rediss://") {
            Ok(StoreSetting::Redis(text.to_string()))
        } else {
            Err(BadStoreSetting(text.to_string()))
        }
    }
}

/// What the command line asked of the result cache; `None`: the settings file decides.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CacheOptions {
    pub store: Option<StoreSetting>,
    /// The disk store's bound, in MiB.
    pub max_mb: Option<u64>,
}

impl CacheOptions {
    /// The store and disk bound (bytes) to use: these options, else the settings file's
    /// `url` and `max_size_mb` (already checked when it was read), else disk and 512 MiB.
    pub fn resolve(
        &self,
        config_url: Option<&str>,
        config_max_mb: Option<u64>,
    ) -> (StoreSetting, u64) {
        let store = self
            .store
            .clone()
            .or_else(|| config_url.and_then(|url| url.parse().ok()))
            .unwrap_or_default();
        let max_bytes = self
            .max_mb
            .or(config_max_mb)
            .map_or(DEFAULT_MAX_BYTES, |mb| mb.saturating_mul(1 << 20));
        (store, max_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_over_the_settings_file_over_the_default() {
        let redis = StoreSetting::Redis("redis://10.0.0.5:6379".into());
        let none = CacheOptions::default();
        assert_eq!(
            none.resolve(None, None),
            (StoreSetting::Disk, DEFAULT_MAX_BYTES)
        );
        assert_eq!(
            none.resolve(Some("redis://10.0.0.5:6379"), Some(64)),
            (redis.clone(), 64 << 20)
        );
        let flags = CacheOptions {
            store: Some(StoreSetting::Disk),
            max_mb: Some(8),
        };
        assert_eq!(
            flags.resolve(Some("redis://10.0.0.5:6379"), Some(64)),
            (StoreSetting::Disk, 8 << 20)
        );
    }

    #[test]
    fn settings_parse_or_say_what_is_accepted() {
        assert_eq!("disk".parse(), Ok(StoreSetting::Disk));
        assert_eq!(
            "redis://127.0.0.1:6379".parse(),
            Ok(StoreSetting::Redis("redis://127.0.0.1:6379".into()))
        );
        let err = "memcached://x".parse::<StoreSetting>().unwrap_err();
        assert!(err.to_string().contains("neither \"disk\" nor a redis://"));
    }
}
