//! The environment's overrides of settings, applied where the file is read so every setting
//! has one reader, and a bad value is reported like a bad value in the file.
//! The environment is passed in (`var`), so tests need not change the process's.

use std::ffi::OsString;

use super::Loaded;

/// Overrides `[gpu] interval_ms` (milliseconds, at least 1).
pub const ENV_GPU_INTERVAL_MS: &str = "VOXDECK_GPU_INTERVAL_MS";
/// Caps one worker per language for jobs that name no count when no count is saved; the
/// knob the existing pipeline uses (no key in the file).
pub const ENV_TTS_MAX_WORKERS: &str = "TTS_MAX_WORKERS";

/// Applies the overrides `var` (an environment lookup) holds to `loaded`. An empty variable
/// counts as unset; a bad one is a warning and leaves the file's value (or the default).
pub fn apply_env(loaded: &mut Loaded, var: impl Fn(&str) -> Option<OsString>) {
    let mut whole = |name: &str, what: &str| -> Option<u64> {
        let raw = var(name).filter(|v| !v.is_empty())?;
        match raw.to_str().and_then(|v| v.trim().parse::<u64>().ok()) {
            Some(n) if n > 0 => Some(n),
            _ => {
                loaded.warnings.push(format!(
                    "${name} ({}) is ignored: it is not {what}; fix or unset it",
                    raw.to_string_lossy()
                ));
                None
            }
        }
    };
    let gpu_interval_ms = whole(
        ENV_GPU_INTERVAL_MS,
        "a whole number of milliseconds from 1 (it overrides [gpu] interval_ms)",
    );
    let tts_max_workers = whole(ENV_TTS_MAX_WORKERS, "a worker count from 1");
    if let Some(ms) = gpu_interval_ms {
        loaded.config.gpu_interval_ms = Some(ms);
    }
    if let Some(n) = tts_max_workers {
        loaded.config.tts_max_workers = Some(n as usize);
    }
}
