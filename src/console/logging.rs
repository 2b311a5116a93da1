//! Logs: the tui-logger pane, a file in the XDG state dir (`~/.local/state/voxdeck/voxdeck.log`)
//! that also receives fd 2 while the console is up. Records are drawn with the next frame.

use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use log::LevelFilter;

const LEVELS: [LevelFilter; 5] = [
    LevelFilter::Error,
    LevelFilter::Warn,
    LevelFilter::Info,
    LevelFilter::Debug,
    LevelFilter::Trace,
];
static LEVEL: AtomicUsize = AtomicUsize::new(2);
static LOG_FILE: OnceLock<Option<PathBuf>> = OnceLock::new();

pub fn log_file_path() -> Option<PathBuf> {
    LOG_FILE
        .get_or_init(|| {
            let dir = crate::assets::xdg_dir("XDG_STATE_HOME", ".local/state")?;
            std::fs::create_dir_all(&dir).ok()?;
            Some(dir.join("voxdeck.log"))
        })
        .clone()
}

/// Installs tui-logger as the `log` backend, writing to the pane and the log file.
pub fn init() {
    if tui_logger::init_logger(LevelFilter::Trace).is_err() {
        return;
    }
    tui_logger::set_default_level(LEVELS[LEVEL.load(Ordering::Relaxed)]);
    if let Some(path) = log_file_path() {
        if std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .is_ok()
        {
            tui_logger::set_log_file(tui_logger::TuiLoggerFile::new(&path.to_string_lossy()));
        }
    }
}

/// Raises (more = true) or lowers the level shown in the pane and written to the file.
pub fn step_level(more: bool) {
    let at = LEVEL.load(Ordering::Relaxed);
    let next = if more {
        (at + 1).min(LEVELS.len() - 1)
    } else {
        at.saturating_sub(1)
    };
    LEVEL.store(next, Ordering::Relaxed);
    tui_logger::set_default_level(LEVELS[next]);
    log::warn!("log level: {}", LEVELS[next]);
}

/// Sends fd 2 to the log file; returns a duplicate of the old fd 2 to restore later.
pub fn redirect_stderr_to_log_file() -> Option<i32> {
    let path = log_file_path()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .ok()?;
    // SAFETY: plain descriptor juggling on fds we own; fd 2 always exists.
    unsafe {
        let saved = libc::dup(2);
        if saved < 0 {
            return None;
        }
        if libc::dup2(file.as_raw_fd(), 2) < 0 {
            libc::close(saved);
            return None;
        }
        Some(saved)
    }
}
