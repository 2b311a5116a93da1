//! State shared by one writer side and its readers, latest wins: writers replace values in
//! place and leave a data-less notice saying what changed; readers read the newest state
//! and take the notices. A notice is a set member, so however far behind a reader falls it
//! finds at most one pending notice per language, never a backlog.

use std::collections::BTreeSet;
use std::sync::{Condvar, Mutex, MutexGuard};

/// What changed, without the data: read the state for that.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Notice {
    /// A language's progress, takes or scores.
    Language(String),
    /// The run's phase, a voice ranking, the source clip or the report.
    Session,
}

type Waker = Box<dyn Fn() + Send + Sync>;

pub struct Published<T> {
    inner: Mutex<Inner<T>>,
    noticed: Condvar,
    /// Called when the first notice arrives after the readers took the last ones, so an
    /// async reader (the console) wakes once per batch.
    waker: Waker,
}

struct Inner<T> {
    state: T,
    notices: BTreeSet<Notice>,
}

impl<T> Published<T> {
    pub fn new(state: T, waker: impl Fn() + Send + Sync + 'static) -> Published<T> {
        Published {
            inner: Mutex::new(Inner {
                state,
                notices: BTreeSet::new(),
            }),
            noticed: Condvar::new(),
            waker: Box::new(waker),
        }
    }

    /// Changes the state and leaves `notice`.
    pub fn update<R>(&self, notice: Notice, change: impl FnOnce(&mut T) -> R) -> R {
        let mut inner = self.lock();
        let result = change(&mut inner.state);
        let first = inner.notices.is_empty();
        inner.notices.insert(notice);
        drop(inner);
        self.noticed.notify_all();
        if first {
            (self.waker)();
        }
        result
    }

    pub fn read<R>(&self, look: impl FnOnce(&T) -> R) -> R {
        look(&self.lock().state)
    }

    /// Takes the pending notices and reads the state in one step, so no change is missed
    /// between the two.
    pub fn take<R>(&self, look: impl FnOnce(&T, Vec<Notice>) -> R) -> R {
        let mut inner = self.lock();
        let notices = std::mem::take(&mut inner.notices).into_iter().collect();
        look(&inner.state, notices)
    }

    /// Blocks until a notice is pending (returns at once if one is).
    pub fn wait_for_notice(&self) {
        let inner = self.lock();
        let _inner = self
            .noticed
            .wait_while(inner, |i| i.notices.is_empty())
            .unwrap_or_else(|p| p.into_inner());
    }

    /// Blocks until `holds` is true of the state, leaving the notices where they are.
    pub fn wait_until(&self, holds: impl Fn(&T) -> bool) {
        let inner = self.lock();
        let _inner = self
            .noticed
            .wait_while(inner, |i| !holds(&i.state))
            .unwrap_or_else(|p| p.into_inner());
    }

    fn lock(&self) -> MutexGuard<'_, Inner<T>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn a_slow_reader_gets_the_newest_state_and_one_notice_per_language() {
        let wakes = Arc::new(AtomicUsize::new(0));
        let counted = wakes.clone();
        let board = Published::new(Vec::<usize>::new(), move || {
            counted.fetch_add(1, Ordering::SeqCst);
        });
        for done in 1..=1000 {
            board.update(Notice::Language("fr".into()), |s| s.push(done));
            board.update(Notice::Language("es".into()), |s| s.push(done));
        }
        board.update(Notice::Session, |_| {});
        let (last, notices) = board.take(|s, n| (*s.last().unwrap(), n));
        assert_eq!(last, 1000);
        assert_eq!(
            notices,
            [
                Notice::Language("es".into()),
                Notice::Language("fr".into()),
                Notice::Session
            ]
        );
        assert_eq!(wakes.load(Ordering::SeqCst), 1, "one wake per batch");
        board.update(Notice::Session, |_| {});
        assert_eq!(wakes.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn wait_returns_once_a_notice_is_pending() {
        let board = Arc::new(Published::new(0u32, || {}));
        let writer = board.clone();
        let thread = std::thread::spawn(move || writer.update(Notice::Session, |s| *s = 7));
        board.wait_for_notice();
        thread.join().unwrap();
        assert_eq!(board.take(|s, n| (*s, n.len())), (7, 1));
    }
}
