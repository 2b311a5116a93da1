//! `voxdeck fit CLIP --lang L`: the Kokoro voice closest to the clip that Kokoro's voice
//! space offers (a fitted voice, not a cloned one), searched on the worker pool and saved
//! to the user's voices folder, where jobs use it as `voice = "fit:NAME"`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};

use anyhow::{bail, Context};
use voxdeck::assets::{self, Assets};
use voxdeck::engine::plan::ModelId;
use voxdeck::engine::pool::{Engine, EngineOptions};
use voxdeck::engine::runtime;
use voxdeck::fit::clip::{self, ClipFit};
use voxdeck::fit::{checkpoint, saved, FitError, FitRequest};
use voxdeck::job::{Device, Mode};
use voxdeck::languages;

use super::Finished;
use crate::cli::{FitArgs, RuntimeArgs};

pub fn execute(args: FitArgs, runtime_args: &RuntimeArgs) -> anyhow::Result<Finished> {
    let language = languages::find(&args.lang).with_context(|| {
        format!(
            "unknown language `{}`: use one of {}",
            args.lang,
            languages::known_codes()
        )
    })?;
    let dir = voxdeck::fit::voices_dir()
        .context("no folder for fitted voices: set XDG_DATA_HOME or HOME")?;
    // Every check that could fail at the save runs now, before minutes of search.
    saved::check_can_save(&dir, args.name.as_deref().unwrap_or("voxdeck-name-check"))
        .map_err(anyhow::Error::msg)?;
    let assets = Assets::locate();
    // A clip that cannot be read is refused before any model is loaded.
    if let Err(e) = voxdeck::audio::decode::decode(&args.clip) {
        bail!(
            "the source clip {} cannot be used: {e}",
            args.clip.display()
        );
    }
    let runtime = runtime::load(runtime_args.ort_lib.as_deref(), &assets)?;
    let workers = args.workers.unwrap_or_else(|| {
        voxdeck::job::workers_by_rule(voxdeck::config::current().workers, None, 4)
    });
    let engine = Engine::start(
        runtime.clone(),
        EngineOptions {
            workers,
            mode: Mode::Pool,
            device: args.device.unwrap_or(Device::Auto),
            intra_threads: args.intra_threads,
            share_weights: true,
        },
        &[(ModelId::Kokoro, assets.path(assets::KOKORO_MODEL))],
    )?;
    let stop = Arc::new(AtomicBool::new(false));
    // The search runs on a thread of its own, so a second Ctrl-C can end the command at
    // once: `main` returns (exit 130) without waiting for the batch in flight.
    let (finished, outcome) = mpsc::channel();
    {
        let (stop, finished) = (stop.clone(), finished.clone());
        // First Ctrl-C: stop after the batch in flight, writing nothing; a second: at once.
        let _ = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                let _ = finished.send(None);
                return;
            }
            eprintln!("fit: stopping after the batch in flight (Ctrl-C again to stop at once)");
        });
    }
    eprintln!(
        "fit: {} stock {} voices, then up to {} evaluations on {workers} workers (seed {})",
        voxdeck::qa::matching::candidate_voices(language, &assets).len(),
        language.code,
        args.budget,
        args.seed
    );
    let (clip_path, name, checkpoints) =
        (args.clip.clone(), args.name.clone(), checkpoint::dir(&dir));
    let (budget, seed, population, patience) =
        (args.budget, args.seed, args.population, args.patience);
    let search_assets = assets.clone();
    std::thread::Builder::new()
        .name("voxdeck-fit".into())
        .spawn(move || {
            let request = ClipFit {
                clip: &clip_path,
                language,
                request: FitRequest { budget, seed },
                population,
                patience,
                name,
                checkpoints: Some(checkpoints),
            };
            let outcome = clip::fit_clip(&engine, &search_assets, &request, &stop, |g| {
                eprintln!(
                    "fit: generation {} ({} evaluations): probe {:.3}, held-out {}",
                    g.generation,
                    g.evaluations,
                    g.best_probe,
                    scores(&g.best_held_out)
                );
            });
            let _ = finished.send(Some(outcome));
        })
        .context("cannot start the search's thread")?;
    let fitted = match outcome.recv() {
        Ok(Some(Ok(o))) => o,
        Ok(Some(Err(FitError::Cancelled))) => {
            // The same code as an interrupted `voxdeck run`.
            eprintln!("fit: cancelled; no voice file was written. The same command goes on from the last whole generation");
            return Ok(Finished::Interrupted);
        }
        Ok(Some(Err(e))) => return Err(e.into()),
        Ok(None) | Err(_) => {
            eprintln!("fit: stopped; no voice file was written. The same command goes on from the last whole generation");
            return Ok(Finished::Interrupted);
        }
    };
    let sidecar = &fitted.sidecar;
    let name = &sidecar.name;
    let seconds = sidecar.seconds;
    let file = saved::save(&dir, sidecar, &fitted.voice).map_err(anyhow::Error::msg)?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&sidecar)?);
    } else {
        outln!(
            "fitted voice {name}: held-out similarity {} (best stock voice {}: {}), {} evaluations in {seconds:.0} s ({:.2}/s)",
            scores(&sidecar.fitted.held_out),
            sidecar.best_stock.voice,
            scores(&sidecar.best_stock.held_out),
            sidecar.evaluations,
            sidecar.evaluations as f64 / seconds.max(1e-9)
        );
        if let Some(blend) = &sidecar.best_blend {
            outln!(
                "best blend {}: held-out similarity {}",
                blend.voice,
                scores(&blend.held_out)
            );
        }
        outln!(
            "saved {}; use it in a job as voice = \"fit:{name}\"",
            file.display()
        );
    }
    Ok(Finished::AllDone)
}

fn scores(s: &[f32]) -> String {
    s.iter()
        .map(|v| format!("{v:.3}"))
        .collect::<Vec<_>>()
        .join(" / ")
}
