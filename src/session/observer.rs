//! The engine's view of a session: each language change is copied into the published state
//! (one hop from a worker to the readers), and each finished language is handed to the
//! session thread so its take is kept and scored while the other languages synthesise.

use std::sync::{mpsc, Arc};

use super::folder::KeptOutput;
use super::published::Notice;
use super::Control;
use crate::engine::outcome::{RunOutcome, Status};
use crate::engine::progress::{LanguageProgress, RunObserver};

/// What the session thread hears from a run.
pub(super) enum RunNote {
    /// The language at this index of the plan was written.
    Done(usize),
    Finished,
}

pub(super) struct SessionObserver {
    pub control: Arc<Control>,
    pub run: u64,
    pub notes: mpsc::Sender<RunNote>,
}

impl RunObserver for SessionObserver {
    fn language_changed(&self, index: usize, progress: &LanguageProgress) {
        let run = self.run;
        let newly_done = self
            .control
            .state
            .update(Notice::Language(progress.code.clone()), |s| {
                let from = format!("{}/{run}", s.tag);
                let record = s.language_mut(&progress.code)?;
                if record.run != run {
                    return None;
                }
                let was_done = record.progress.status == Status::Done;
                record.progress = progress.clone();
                let newly_done = !was_done && progress.status == Status::Done;
                if newly_done {
                    record.kept = progress.output.clone().map(|path| KeptOutput {
                        path,
                        from: Some(from),
                    });
                }
                Some(newly_done)
            });
        if newly_done == Some(true) {
            let _ = self.notes.send(RunNote::Done(index));
        }
    }

    fn run_finished(&self, _: &RunOutcome) {
        let _ = self.notes.send(RunNote::Finished);
    }
}
