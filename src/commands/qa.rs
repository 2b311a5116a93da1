//! `voxdeck qa [--source CLIP] LANG=FILE ... [--text LANG=TEXT | --texts FILE]`: scores audio
//! that another system made, with the same speaker encoder, recogniser and error rates as a
//! voxdeck run, into the same report schema. Exit 0: every file scored; 1: some file could
//! not be read; 2: bad input (a missing file, a language without a text).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Context};
use voxdeck::assets::Assets;
use voxdeck::engine::runtime;
use voxdeck::qa::outside::{self, OutsideFile};
use voxdeck::qa::scores::{loudness_spread_limit, OVER_ERROR_RATE_LIMITS};
use voxdeck::qa::ErrorRateLimits;
use voxdeck::report::{self, Report};

use super::Finished;
use crate::cli::{QaArgs, RuntimeArgs};

pub fn execute(args: QaArgs, runtime_args: &RuntimeArgs) -> anyhow::Result<Finished> {
    if args.console && !super::console_can_open() {
        bail!("--console needs a terminal: run it in one, or leave it out for the report alone");
    }
    let (mut texts, file_source) = match &args.texts_file {
        Some(path) => outside::read_texts(path)?,
        None => (BTreeMap::new(), None),
    };
    texts.extend(args.texts.iter().cloned());
    let source = args.source.clone().or(file_source);
    if let Some(clip) = &source {
        voxdeck::audio::decode::check_file(clip)
            .with_context(|| "the source clip cannot be used: give an audio file with --source")?;
    }
    // A report that cannot be written is refused before minutes of scoring, not after.
    if let Some(path) = &args.report {
        voxdeck::atomic_file::check_writable(path).with_context(|| {
            format!(
                "cannot write the report to {}: give --report a path in a folder that exists and is writable",
                path.display()
            )
        })?;
    }
    let mut seen = BTreeSet::new();
    let mut files = Vec::new();
    for (code, path) in &args.files {
        if !seen.insert(code.clone()) {
            bail!("{code} is given twice: score one file per language per call");
        }
        voxdeck::audio::decode::check_file(path)
            .with_context(|| format!("{code}: cannot score it"))?;
        let Some(text) = texts.get(code) else {
            bail!(
                "{code}: no text to compare {} with: give --text {code}=\"...\" or a --texts file",
                path.display()
            );
        };
        files.push(OutsideFile {
            code: code.clone(),
            path: path.clone(),
            text: text.clone(),
        });
    }
    let assets = Assets::locate();
    let runtime = runtime::load(runtime_args.ort_lib.as_deref(), &assets)
        .context("cannot load ONNX Runtime")?;
    let limits = ErrorRateLimits::from_config(voxdeck::config::current());
    let report = outside::score(
        &runtime,
        &assets,
        source.as_deref(),
        &files,
        limits,
        args.device,
        args.intra_threads,
    );
    summarise(&report);
    if let Some(path) = &args.report {
        report::write(&report, path)
            .with_context(|| format!("cannot write the report to {}", path.display()))?;
        log::info!("report: {}", path.display());
    }
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    }
    if args.console {
        let all_done = voxdeck::console::open_scored(report, runtime_args.ort_lib.clone())?;
        return Ok(if all_done {
            Finished::AllDone
        } else {
            Finished::SomeFailed
        });
    }
    Ok(if report.all_done() {
        Finished::AllDone
    } else {
        Finished::SomeFailed
    })
}

/// One line per file on stderr, then the flagged ones together.
fn summarise(report: &Report) {
    if let Some(source) = &report.source {
        match (&source.transcript, &source.transcript_error) {
            (Some(text), _) => log::info!(
                "source clip ({}): \"{text}\"",
                source.language.as_deref().unwrap_or("?")
            ),
            (None, Some(e)) => log::warn!("source clip not transcribed: {e}"),
            (None, None) => {}
        }
    }
    let mut flagged = Vec::new();
    for l in &report.languages {
        if let Some(error) = &l.error {
            log::error!("{}: {error}", l.code);
            continue;
        }
        let scores = &l.scores;
        let similarity = match (scores.similarity, &scores.similarity_error) {
            (Some(s), _) => format!("similarity {s:.3}"),
            (None, Some(e)) => format!("no similarity ({e})"),
            (None, None) => "no similarity".to_string(),
        };
        if let Some(loudness) = &scores.loudness {
            log::info!("{}: {}", l.code, loudness.describe());
        }
        match (&scores.transcription, &scores.transcription_error) {
            (Some(t), _) => {
                log::info!(
                    "{}: {similarity}, {}; heard \"{}\"",
                    l.code,
                    t.rates(),
                    t.text
                );
                if t.flagged {
                    flagged.push(l.code.clone());
                }
            }
            (None, e) => log::warn!(
                "{}: {similarity}; not transcribed: {}",
                l.code,
                e.as_deref().unwrap_or("no reason given")
            ),
        }
    }
    if !flagged.is_empty() {
        log::warn!(
            "{OVER_ERROR_RATE_LIMITS}: {}; listen to them",
            flagged.join(", ")
        );
    }
    let spread_limit = loudness_spread_limit(voxdeck::config::current());
    for flag in report.loudness_flags(spread_limit) {
        log::warn!("{flag}");
    }
}
