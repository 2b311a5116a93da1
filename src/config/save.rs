//! Saving one setting (`bench --auto --save`) without losing the rest of the file.

use std::path::Path;

use super::ConfigError;

/// Sets `[section] key = value` in the settings file at `path` (created if absent), keeping
/// everything else in it, comments included. Written atomically. A file that is not valid
/// TOML is left as it is: rewriting it would lose what the user meant.
pub fn save(
    path: &Path,
    section: &str,
    key: &str,
    value: toml_edit::Value,
) -> Result<(), ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let mut document: toml_edit::DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| ConfigError::Syntax {
                path: path.to_path_buf(),
                detail: e.to_string().replace('\n', " ").trim().to_string(),
            })?;
    if !document.contains_table(section) {
        document[section] = toml_edit::table();
    }
    document[section][key] = toml_edit::value(value);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| ConfigError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    }
    crate::atomic_file::write(path, document.to_string().as_bytes()).map_err(|source| {
        ConfigError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}
