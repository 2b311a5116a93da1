//! Settings text -> `Config`, one value at a time: each known key is deserialized on its
//! own (serde, `T::deserialize`), so one bad value costs that value and a warning, never
//! the rest of the file. Keys and sections voxdeck does not read are warnings too (a typo
//! would otherwise be silently without effect).

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::{ignored, Config};
use crate::job::{MAX_WORKERS, MIN_WORKERS};

/// The sections, in the order they are read (and their warnings given).
const SECTIONS: [&str; 8] = [
    "pool", "cache", "metrics", "qa", "gpu", "fit", "keys", "theme",
];

/// Parses settings; `path` only names the file in the warnings. Never fails: what cannot
/// be used is left at its default and explained in the warnings.
pub fn parse(text: &str, path: &Path) -> (Config, Vec<String>) {
    let mut warnings = Vec::new();
    let table: toml::Table = match text.parse() {
        Ok(table) => table,
        Err(e) => {
            let detail = e.to_string().replace('\n', " ");
            warnings.push(format!(
                "the settings file {} is not valid TOML ({}); running with the defaults: fix or remove it",
                path.display(),
                detail.trim()
            ));
            return (Config::default(), warnings);
        }
    };
    let mut config = Config::default();
    for name in SECTIONS {
        let Some(value) = table.get(name) else {
            continue;
        };
        let toml::Value::Table(entries) = value else {
            warnings.push(ignored(
                &format!("[{name}]"),
                Some(path),
                "it is not a table",
            ));
            continue;
        };
        let mut section = Section {
            name,
            entries,
            path,
            read: Vec::new(),
            warnings: &mut warnings,
        };
        read_section(&mut section, &mut config);
        section.unknown_keys();
    }
    for (name, value) in table
        .iter()
        .filter(|(n, _)| !SECTIONS.contains(&n.as_str()))
    {
        let shown = if value.is_table() {
            format!("[{name}]")
        } else {
            name.clone()
        };
        let why = format!(
            "voxdeck reads no such section (it reads [{}])",
            SECTIONS.join("], [")
        );
        warnings.push(ignored(&shown, Some(path), &why));
    }
    (config, warnings)
}

fn read_section(s: &mut Section, config: &mut Config) {
    match s.name {
        "pool" => {
            config.workers = s
                .get::<i64>("workers", "a whole number")
                .and_then(|n| s.in_range("workers", n, MIN_WORKERS as i64, MAX_WORKERS as i64))
                .map(|n| n as usize);
        }
        "cache" => {
            config.cache_url = s.get::<String>("url", "a string").and_then(|url| {
                let known =
                    url == "disk" || url.starts_with("redis://") || url.starts_with("rediss://");
                s.check("url", url, |url| {
                    if known {
                        Ok(url)
                    } else {
                        Err(format!("`{url}` is neither \"disk\" nor a redis:// URL"))
                    }
                })
            });
            config.cache_max_mb = s
                .get::<i64>("max_size_mb", "a whole number")
                .and_then(|n| s.in_range("max_size_mb", n, 1, 1 << 20))
                .map(|n| n as u64);
        }
        "metrics" => config.metrics_addr = s.get("addr", "a string"),
        "qa" => {
            config.transcribe = s.get("transcribe", "true or false");
            config.max_cer = s.rate("max_cer");
            config.max_wer = s.rate("max_wer");
            config.similarity_threshold = s
                .get::<f64>("similarity_threshold", "a number")
                .and_then(|t| {
                    s.check("similarity_threshold", t, |t| {
                        if (-1.0..=1.0).contains(&t) {
                            Ok(t as f32)
                        } else {
                            Err(format!("{t} is not a cosine: use -1.0 to 1.0"))
                        }
                    })
                });
            config.max_loudness_spread_lu = s
                .get::<f64>("max_loudness_spread_lu", "a number of LU")
                .and_then(|v| {
                    s.check("max_loudness_spread_lu", v, |v| {
                        if v.is_finite() && v >= 0.0 {
                            Ok(v)
                        } else {
                            Err(format!("{v} is not a spread: use 0 LU or more"))
                        }
                    })
                });
        }
        "gpu" => {
            config.gpu_interval_ms = s
                .get::<i64>("interval_ms", "a whole number of milliseconds")
                .and_then(|n| s.at_least("interval_ms", n, 1))
                .map(|n| n as u64);
        }
        "fit" => {
            config.fit_budget = s
                .get::<usize>("budget", "a whole number from 0")
                .and_then(|b| s.check("budget", b, crate::fit::check_budget));
            config.fit_seed = s.get("seed", "a whole number from 0");
        }
        "keys" => config.keys = s.strings(),
        "theme" => config.theme = s.strings(),
        _ => unreachable!("SECTIONS lists the sections read here"),
    }
}

/// One section's entries, read key by key; it remembers which keys were read, so those
/// left over are the unknown ones.
struct Section<'a> {
    name: &'static str,
    entries: &'a toml::Table,
    path: &'a Path,
    read: Vec<&'static str>,
    warnings: &'a mut Vec<String>,
}

impl Section<'_> {
    /// The value of `key` as a `T`, else (with a warning saying it is not `expected`) None.
    fn get<T: DeserializeOwned>(&mut self, key: &'static str, expected: &str) -> Option<T> {
        self.read.push(key);
        let value = self.entries.get(key)?;
        match T::deserialize(value.clone()) {
            Ok(v) => Some(v),
            Err(_) => {
                self.ignore(key, &format!("`{value}` is not {expected}"));
                None
            }
        }
    }

    /// `value` as `check` accepts it, else (with `check`'s reason) None.
    fn check<T, U, E: std::fmt::Display>(
        &mut self,
        key: &str,
        value: T,
        check: impl FnOnce(T) -> Result<U, E>,
    ) -> Option<U> {
        check(value)
            .map_err(|why| self.ignore(key, &why.to_string()))
            .ok()
    }

    fn in_range(&mut self, key: &str, n: i64, min: i64, max: i64) -> Option<i64> {
        self.check(key, n, |n| {
            if (min..=max).contains(&n) {
                Ok(n)
            } else {
                Err(format!("{n} is outside {min} to {max}"))
            }
        })
    }

    fn at_least(&mut self, key: &str, n: i64, min: i64) -> Option<i64> {
        self.check(key, n, |n| {
            if n >= min {
                Ok(n)
            } else {
                Err(format!("{n} is less than {min}"))
            }
        })
    }

    /// An error rate: a number from 0 (0.15 is 15 %). Rates can pass 1 (more edits than
    /// reference characters), so a threshold may too.
    fn rate(&mut self, key: &'static str) -> Option<f32> {
        let rate = self.get::<f64>(key, "a number")?;
        self.check(key, rate, |rate| {
            if rate.is_finite() && rate >= 0.0 {
                Ok(rate as f32)
            } else {
                Err(format!("{rate} is not a rate of 0 or more (0.15 is 15 %)"))
            }
        })
    }

    /// Every entry of an open-ended section (`[keys]`, `[theme]`) whose value is a string.
    fn strings(&mut self) -> BTreeMap<String, String> {
        let mut strings = BTreeMap::new();
        for (key, value) in self.entries {
            match value {
                toml::Value::String(s) => {
                    strings.insert(key.clone(), s.clone());
                }
                other => self.ignore(key, &format!("`{other}` is not a string")),
            }
        }
        strings
    }

    /// A warning for each key no reader asked for, naming the ones there are. `[keys]` and
    /// `[theme]` are open-ended: which names mean something is the console's to say.
    fn unknown_keys(&mut self) {
        if matches!(self.name, "keys" | "theme") {
            return;
        }
        let entries = self.entries;
        let unknown: Vec<&String> = entries
            .keys()
            .filter(|k| !self.read.contains(&k.as_str()))
            .collect();
        for key in unknown {
            let why = format!(
                "[{}] has no such key (it reads {})",
                self.name,
                self.read.join(", ")
            );
            self.warnings.push(ignored(
                &format!("[{}] {key}", self.name),
                Some(self.path),
                &why,
            ));
        }
    }

    fn ignore(&mut self, key: &str, why: &str) {
        let name = format!("[{}] {key}", self.name);
        self.warnings.push(ignored(&name, Some(self.path), why));
    }
}
