//! `voxdeck run`: one job, headless, driven through the session core like the console:
//! progress on stderr, results and report.json in the output folder.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use voxdeck::qa::scores::{loudness_spread_limit, OVER_ERROR_RATE_LIMITS};
use voxdeck::session::state::RunPhase;
use voxdeck::session::{Session, SessionOptions};

use super::progress::ProgressView;
use super::{load_job, Finished};
use crate::cli::{RunArgs, RuntimeArgs};

pub fn execute(args: RunArgs, runtime_args: &RuntimeArgs) -> anyhow::Result<Finished> {
    let mut job = load_job(&args.job)?;
    job.workers = Some(
        args.workers
            .or(job.workers)
            .unwrap_or_else(|| job.default_workers(voxdeck::config::current().worker_defaults())),
    );
    job.mode = args.mode.unwrap_or(job.mode);
    job.device = args.device.unwrap_or(job.device);
    job.intra_threads = args.intra_threads.or(job.intra_threads);
    job.sentence_silence = args.sentence_silence.unwrap_or(job.sentence_silence);
    job.utterance_tokens = args.utterance_tokens.unwrap_or(job.utterance_tokens);
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| job.output_dir_or_default());

    // Bound before the session starts, so an address in use is refused before any synthesis.
    let listener = super::metrics::bind(&args.metrics)?;
    let session = Arc::new(Session::start(
        SessionOptions {
            ort_lib: runtime_args.ort_lib.clone(),
            wait_for_folder: args.wait,
            no_cache: args.no_cache,
            probe_cache: None,
            cache: args.cache.options(),
            no_transcribe: args.no_transcribe,
        },
        || {},
    ));
    let _metrics = listener
        .map(|l| super::metrics::serve(l, &session))
        .transpose()?;
    let stop_now = cancel_on_signals(&session);
    let id = session.run(job, out_dir);
    let mut view = ProgressView::new();
    let phase = loop {
        session.state().wait_for_notice();
        if stop_now.load(Ordering::SeqCst) {
            eprintln!("voxdeck: stopped");
            // The process ends now: the session's threads are not waited for (its drop
            // would join them, and the operator asked not to wait).
            #[allow(clippy::mem_forget, reason = "a second Ctrl-C stops without joining")]
            std::mem::forget(session);
            return Ok(Finished::Interrupted);
        }
        let (phase, sentences_done) = session.state().take(|state, notices| {
            view.show(state, &notices);
            let done: usize = state
                .run_languages()
                .map(|l| l.progress.sentences_done)
                .sum();
            (state.run.phase.clone(), done)
        });
        if args.cancel_after.is_some_and(|n| sentences_done >= n) {
            session.cancel();
        }
        if !phase.is_active() && session.state().read(|s| s.run.id) == id {
            break phase;
        }
    };
    if let (Some(_), Some(ms)) = (&_metrics, args.metrics.metrics_linger_ms) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    let wall_seconds = match phase {
        RunPhase::SetupFailed(message) => anyhow::bail!(message),
        RunPhase::Finished { wall_seconds, .. } => wall_seconds,
        other => anyhow::bail!("the run ended in an unexpected phase: {other:?}"),
    };
    let written = session.state().read(|s| s.run.report.clone());
    let report_path = match written {
        Some(Ok(path)) => path,
        Some(Err(message)) => anyhow::bail!(message),
        None => anyhow::bail!("the session wrote no report"),
    };
    let report = session
        .report()
        .ok_or_else(|| anyhow::anyhow!("the session has no report"))?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    }
    // The summary shows under -q too: it is the one line a quiet run prints.
    eprintln!(
        "{} of {} languages done in {wall_seconds:.2} s wall, {:.2} s synthesis ({:.2} inferences at once on average, {} workers, {}); report: {}",
        report.totals.languages_done,
        report.languages.len(),
        report.totals.synthesis_seconds,
        report.totals.concurrency,
        report.workers,
        report.mode,
        report_path.display()
    );
    let flagged: Vec<String> = report
        .languages
        .iter()
        .filter_map(|l| {
            let t = l.scores.transcription.as_ref().filter(|t| t.flagged)?;
            Some(format!("{} ({})", l.code, t.rates()))
        })
        .collect();
    if !flagged.is_empty() {
        // A flag asks for a listen; it does not fail the run.
        log::warn!(
            "{OVER_ERROR_RATE_LIMITS}: {}; listen to them",
            flagged.join(", ")
        );
    }
    let spread_limit = loudness_spread_limit(voxdeck::config::current());
    for flag in report.loudness_flags(spread_limit) {
        log::warn!("{flag}");
    }
    Ok(if report.all_done() {
        Finished::AllDone
    } else {
        Finished::SomeFailed
    })
}

/// First Ctrl-C or SIGTERM cancels (sentences in flight finish); the second stops at once:
/// the returned flag is set and the session's readers woken, so `execute` returns (exit 130).
fn cancel_on_signals(session: &Arc<Session>) -> Arc<AtomicBool> {
    let stop_now = Arc::new(AtomicBool::new(false));
    let flag = stop_now.clone();
    let session = Arc::downgrade(session);
    let presses = AtomicUsize::new(0);
    let installed = ctrlc::set_handler(move || {
        if presses.fetch_add(1, Ordering::SeqCst) > 0 {
            flag.store(true, Ordering::SeqCst);
            // Wakes the loop that waits for the session's notices.
            if let Some(s) = session.upgrade() {
                s.cancel();
            }
            return;
        }
        // Each worker has at most one sentence in flight, and never more than are left.
        let in_flight = session.upgrade().map_or(0, |s| {
            let in_flight = s.state().read(|state| {
                let left: usize = state
                    .run_languages()
                    .filter(|l| !l.progress.is_finished())
                    .map(|l| l.progress.sentences_total - l.progress.sentences_done)
                    .sum();
                let workers = state.run.settings.as_ref().map_or(left, |s| s.workers);
                left.min(workers)
            });
            s.cancel();
            in_flight
        });
        eprintln!(
            "voxdeck: cancelling: up to {in_flight} sentence(s) in flight will finish; press Ctrl-C again to stop now"
        );
    });
    if let Err(e) = installed {
        log::warn!("Ctrl-C will not cancel cleanly: {e}");
    }
    stop_now
}
