//! Terminal set-up and the promise to undo it: raw mode and the alternate screen on entry;
//! on exit, on error and on panic (the hook restores first, then reports) they are undone.
//! While the console is up, fd 2 points at the log file so C libraries cannot scribble on
//! the screen.

use std::io::Stdout;
use std::os::fd::AsRawFd;

use crossterm::cursor::Show;
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

pub struct TerminalGuard {
    terminal: Terminal<CrosstermBackend<Stdout>>,
    saved_stderr: Option<i32>,
}

fn restore_screen() {
    let _ = disable_raw_mode();
    let _ = execute!(std::io::stdout(), LeaveAlternateScreen, Show);
}

/// Points fd 2 back at the saved terminal stderr.
fn restore_stderr(saved: i32) {
    // SAFETY: `saved` is a descriptor we duplicated from fd 2 and still own.
    unsafe {
        libc::dup2(saved, 2);
    }
}

static SAVED_STDERR: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(-1);

impl TerminalGuard {
    pub fn enter() -> anyhow::Result<TerminalGuard> {
        let saved_stderr = super::logging::redirect_stderr_to_log_file();
        if let Some(fd) = saved_stderr {
            SAVED_STDERR.store(fd, std::sync::atomic::Ordering::SeqCst);
        }
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_screen();
            let fd = SAVED_STDERR.load(std::sync::atomic::Ordering::SeqCst);
            if fd >= 0 {
                restore_stderr(fd);
            }
            previous(info);
        }));
        enable_raw_mode()?;
        execute!(std::io::stdout(), EnterAlternateScreen)?;
        let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
        terminal.hide_cursor()?;
        terminal.clear()?;
        Ok(TerminalGuard {
            terminal,
            saved_stderr,
        })
    }

    pub fn terminal(&mut self) -> &mut Terminal<CrosstermBackend<Stdout>> {
        &mut self.terminal
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_screen();
        if let Some(fd) = self.saved_stderr.take() {
            restore_stderr(fd);
            SAVED_STDERR.store(-1, std::sync::atomic::Ordering::SeqCst);
            // SAFETY: closing our own duplicate.
            unsafe {
                libc::close(fd);
            }
        }
        let _ = std::io::stderr().as_raw_fd();
    }
}
