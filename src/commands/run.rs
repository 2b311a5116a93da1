//! `voxdeck run`: one job, headless, with progress on stderr and a report on disk.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use voxdeck::engine::events::EngineEvent;
use voxdeck::engine::pool::{Engine, EngineOptions};
use voxdeck::report::{self, RunSettings};

use super::progress::ProgressView;
use super::{prepare, Finished};
use crate::cli::{RunArgs, RuntimeArgs};

/// Set by SIGINT/SIGTERM: the run is cancelled cleanly instead of killed.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

pub fn execute(args: RunArgs, runtime_args: &RuntimeArgs) -> anyhow::Result<Finished> {
    let prepared = prepare(&args.job, runtime_args.ort_lib.as_deref())?;
    let job = &prepared.job;
    let workers = args
        .workers
        .or(job.workers)
        .unwrap_or_else(|| job.default_workers());
    if !(1..=64).contains(&workers) {
        anyhow::bail!("--workers {workers} is out of range: use 1 to 64");
    }
    let options = EngineOptions {
        workers,
        mode: args.mode.unwrap_or(job.mode),
        device: args.device.unwrap_or(job.device),
        intra_threads: args.intra_threads.or(job.intra_threads),
        share_prepacked: true,
    };
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| job.output_dir_or_default());
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create output folder {}", out_dir.display()))?;
    let preload: Vec<_> = prepared.plan.models.clone().into_iter().collect();
    let engine = Engine::start(prepared.runtime.clone(), options.clone(), &preload)?;
    install_signal_handlers();

    let handle = engine.submit(prepared.plan.clone(), out_dir.clone());
    let mut view = ProgressView::new(&prepared.plan);
    let mut finished_utterances = 0;
    loop {
        if INTERRUPTED.load(Ordering::SeqCst) {
            handle.cancel();
        }
        match handle.events.recv_timeout(Duration::from_millis(100)) {
            Ok(Some(event)) => {
                if let EngineEvent::Progress(_) = &event {
                    finished_utterances += 1;
                    if args.cancel_after.is_some_and(|n| finished_utterances >= n) {
                        handle.cancel();
                    }
                }
                view.apply(&event);
            }
            Ok(None) => break,
            Err(_) => view.tick(),
        }
    }
    let outcome = handle.wait();
    view.finish();

    let settings = RunSettings::of(&job.name, &engine);
    let mut report = report::build(settings, &prepared.plan, &outcome);
    score_against_source(&mut report, &prepared);
    let report_path = out_dir.join("report.json");
    report::write(&report, &report_path)
        .with_context(|| format!("cannot write {}", report_path.display()))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    eprintln!(
        "{} of {} languages done in {:.2} s wall, {:.2} s synthesis (speedup {:.2}x, {} workers, {}); report: {}",
        report.totals.languages_done,
        report.languages.len(),
        report.totals.wall_seconds,
        report.totals.synthesis_seconds,
        report.totals.speedup,
        workers,
        options.mode.name(),
        report_path.display()
    );
    Ok(if outcome.all_done() {
        Finished::AllDone
    } else {
        Finished::SomeFailed
    })
}

/// Similarity of each result to the source clip, the voice rankings, and the one take.
fn score_against_source(report: &mut report::Report, prepared: &super::Prepared) {
    let assets = voxdeck::assets::Assets::locate();
    let mut scorer = match &prepared.job.source_clip {
        Some(source) => voxdeck::qa::scoring::SourceScorer::new(&prepared.runtime, &assets, source),
        None => Err("no source clip in the job".to_string()),
    };
    for language in &mut report.languages {
        language.voice_match = prepared
            .matches
            .iter()
            .find(|m| m.language == language.code)
            .cloned();
        match (&mut scorer, &language.output) {
            (Ok(scorer), Some(output)) => match scorer.score(output) {
                Ok(similarity) => language.similarity = Some(similarity),
                Err(e) => language.similarity_error = Some(e),
            },
            (Err(e), _) => language.similarity_error = Some(e.clone()),
            (Ok(_), None) => {}
        }
        if language.output.is_some() {
            let speed = prepared
                .job
                .languages
                .iter()
                .find(|l| l.code == language.code)
                .map_or(1.0, |l| l.speed);
            language.takes = vec![report::Take {
                take: 1,
                voice: language.voice.clone(),
                speed,
                text: language.text.clone(),
                output: language.output.clone(),
                similarity: language.similarity,
            }];
        }
    }
}

fn install_signal_handlers() {
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
    }
}
