//! Terminal set-up and the promise to undo it: raw mode, the alternate screen and
//! bracketed paste on entry; on exit, on error, on a failed set-up half way, and on a panic
//! of the UI thread (the hook restores first, then reports) they are undone.
//! While the console is up, fd 2 points at the log file so C libraries cannot scribble on
//! the screen; panics on other threads are reported there and the console stays up.

use std::io::Stdout;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::OnceLock;
use std::thread::ThreadId;

use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

static SAVED_STDERR: AtomicI32 = AtomicI32::new(-1);
static UI_THREAD: OnceLock<ThreadId> = OnceLock::new();

/// What has been set up so far; `Drop` undoes exactly that.
pub struct TerminalGuard {
    terminal: Option<Terminal<CrosstermBackend<Stdout>>>,
    raw: bool,
    screen: bool,
}

fn restore_screen() {
    let _ = disable_raw_mode();
    let _ = execute!(
        std::io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
}

/// Points fd 2 back at the terminal and forgets the saved descriptor.
fn restore_stderr() {
    let fd = SAVED_STDERR.swap(-1, Ordering::SeqCst);
    if fd >= 0 {
        // SAFETY: `fd` is the duplicate of the original fd 2 that we own.
        unsafe {
            libc::dup2(fd, 2);
            libc::close(fd);
        }
    }
}

fn install_panic_hook() {
    let _ = UI_THREAD.set(std::thread::current().id());
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Only the UI thread's panic ends the console; a worker's is caught and reported
        // by its owner, and the message goes to the log file meanwhile.
        if UI_THREAD.get() == Some(&std::thread::current().id()) {
            restore_screen();
            restore_stderr();
        }
        previous(info);
    }));
}

impl TerminalGuard {
    pub fn enter() -> anyhow::Result<TerminalGuard> {
        install_panic_hook();
        if let Some(fd) = super::logging::redirect_stderr_to_log_file() {
            SAVED_STDERR.store(fd, Ordering::SeqCst);
        }
        let mut guard = TerminalGuard {
            terminal: None,
            raw: false,
            screen: false,
        };
        enable_raw_mode()?;
        guard.raw = true;
        execute!(
            std::io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste
        )?;
        guard.screen = true;
        let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
        terminal.hide_cursor()?;
        terminal.clear()?;
        guard.terminal = Some(terminal);
        Ok(guard)
    }

    pub fn terminal(&mut self) -> &mut Terminal<CrosstermBackend<Stdout>> {
        self.terminal.as_mut().expect("set up in enter")
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        if self.raw || self.screen {
            restore_screen();
        }
        restore_stderr();
    }
}
