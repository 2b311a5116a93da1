//! `voxdeck fit CLIP --lang L`: the Kokoro voice closest to the clip that Kokoro's voice
//! space offers (a fitted voice, not a cloned one), searched on the worker pool and saved
//! to the user's voices folder, where jobs use it as `voice = "fit:NAME"`.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use voxdeck::assets::{self, Assets};
use voxdeck::audio::wav::{self, Clip};
use voxdeck::engine::kokoro::VoicePack;
use voxdeck::engine::plan::{self, ModelId};
use voxdeck::engine::pool::{Engine, EngineOptions};
use voxdeck::engine::progress::Unobserved;
use voxdeck::engine::runtime;
use voxdeck::fit::{self, FitError, FitOptions, Judge, PackSpeaker};
use voxdeck::job::{Device, Mode};
use voxdeck::languages::{self, Language};
use voxdeck::qa::dvector::{Dvector, DvectorEncoder};
use voxdeck::qa::{Embedding, SpeakerEncoder};

use super::Finished;
use crate::cli::{FitArgs, RuntimeArgs};

/// Spoken by the kept voice only, to choose it; never searched on.
fn held_out_text(language: &Language) -> &'static str {
    match language.code {
        "fr" => "Le marché ouvre tôt le samedi, et les pêcheurs y vendent leur poisson.",
        "es" => "El mercado abre temprano los sábados y los pescadores venden su pescado.",
        "it" => "Il mercato apre presto il sabato e i pescatori vendono il loro pesce.",
        "pt-br" => "A feira abre cedo no sábado e os pescadores vendem os seus peixes.",
        "hi" => "शनिवार को बाज़ार जल्दी खुलता है और मछुआरे अपनी मछलियाँ बेचते हैं।",
        "de" => "Der Markt öffnet samstags früh, und die Fischer verkaufen ihren Fang.",
        _ => "The market opens early on Saturday, and the fishermen sell their catch there.",
    }
}

pub fn execute(args: FitArgs, runtime_args: &RuntimeArgs) -> anyhow::Result<Finished> {
    let language = languages::find(&args.lang).with_context(|| {
        format!(
            "unknown language `{}`: use one of {}",
            args.lang,
            languages::known_codes()
        )
    })?;
    if let Some(name) = &args.name {
        let safe = !name.is_empty()
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !safe {
            bail!("`{name}` cannot name a voice file: use letters, digits, '-', '_' and '.', not starting with '.'");
        }
    }
    let assets = Assets::locate();
    let source = voxdeck::audio::decode::decode(&args.clip)
        .map_err(|e| {
            anyhow::anyhow!(
                "the source clip {} cannot be used: {e}",
                args.clip.display()
            )
        })?
        .clip;
    let runtime = runtime::load(runtime_args.ort_lib.as_deref(), &assets)?;
    let mut ge2e = EncoderJudge::new(
        "ge2e",
        SpeakerEncoder::load(&runtime, &SpeakerEncoder::default_path(&assets))?,
        &source,
    )?;
    // The second, independent encoder: it judges the held-out text only, so the search
    // cannot win by fooling the encoder it searches with.
    let mut dvector = DvectorJudge::new(
        DvectorEncoder::load(&runtime, &DvectorEncoder::default_path(&assets))?,
        &source,
    )?;
    let voices_dir = assets.path(assets::KOKORO_VOICES);
    let load = |name: &String| {
        VoicePack::load_named(name, &voices_dir)
            .map(Arc::new)
            .with_context(|| format!("stock voice {name}"))
    };
    let stock: Vec<Arc<VoicePack>> = voxdeck::qa::matching::candidate_voices(language, &assets)
        .iter()
        .map(load)
        .collect::<anyhow::Result<_>>()?;
    let everyone: Vec<Arc<VoicePack>> = assets
        .kokoro_voice_names()
        .iter()
        .map(load)
        .collect::<anyhow::Result<_>>()?;
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
    {
        let stop = stop.clone();
        // First Ctrl-C: stop after the batch in flight, writing nothing; a second: at once.
        let _ = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(super::run::INTERRUPTED_EXIT);
            }
            eprintln!("fit: stopping after the batch in flight (Ctrl-C again to stop at once)");
        });
    }
    let mut speaker = PoolSpeaker {
        engine: &engine,
        assets: &assets,
        cancel: stop.clone(),
    };
    let options = FitOptions {
        language,
        probe_text: voxdeck::qa::matching::probe_text(language),
        held_out_text: held_out_text(language),
        budget: args.budget,
        seed: args.seed,
        population: Some(args.population.unwrap_or(workers.max(2) * 2)),
        dims: fit::DEFAULT_DIMS,
        patience: args.patience,
    };
    eprintln!(
        "fit: {} stock {} voices, then up to {} evaluations on {workers} workers (seed {})",
        stock.len(),
        language.code,
        args.budget,
        args.seed
    );
    let started = Instant::now();
    let mut judges: [&mut dyn Judge; 2] = [&mut ge2e, &mut dvector];
    let outcome = fit::fit(
        &mut speaker,
        &mut judges,
        &stock,
        &everyone,
        &options,
        &stop,
        |g| {
            eprintln!(
                "fit: generation {} ({} evaluations): probe {:.3}, held-out {}",
                g.generation,
                g.evaluations,
                g.best_probe,
                g.best_held_out
                    .iter()
                    .map(|s| format!("{s:.3}"))
                    .collect::<Vec<_>>()
                    .join(" / ")
            );
        },
    );
    let outcome = match outcome {
        Ok(o) => o,
        Err(FitError::Cancelled) => {
            // The same code as an interrupted `voxdeck run`.
            eprintln!("fit: cancelled; no voice file was written");
            std::process::exit(super::run::INTERRUPTED_EXIT);
        }
        Err(e) => return Err(e.into()),
    };
    let seconds = started.elapsed().as_secs_f64();
    let clip_sha = voxdeck::digest::sha256_file(&args.clip)?.0;
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| format!("{}-{}-s{}", language.code, &clip_sha[..8], args.seed));
    let voice = outcome.voice.clone().expect("fit returns its voice");
    let sidecar = serde_json::json!({
        "kind": "fitted voice (the closest Kokoro's voice space offers; not a cloning model)",
        "name": name,
        "source_clip": args.clip,
        "source_clip_sha256": clip_sha,
        "language": language.code,
        "seed": args.seed,
        "budget": args.budget,
        "evaluations": outcome.evaluations,
        "seconds": seconds,
        "judges": outcome.judges,
        "held_out_text": options.held_out_text,
        "probe_text": options.probe_text,
        "best_stock": outcome.best_stock,
        "fitted": outcome.fitted,
        "generations": outcome.generations,
    });
    let dir = voxdeck::fit::voices_dir()
        .context("no folder for fitted voices: set XDG_DATA_HOME or HOME")?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let file = dir.join(format!("{name}.bin"));
    voxdeck::atomic_file::write(
        &dir.join(format!("{name}.json")),
        serde_json::to_string_pretty(&sidecar)?.as_bytes(),
    )?;
    voxdeck::atomic_file::write(&file, &voice.to_bytes())?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&sidecar)?);
    } else {
        println!(
            "fitted voice {name}: held-out similarity {} (best stock voice {}: {}), {} evaluations in {seconds:.0} s ({:.2}/s)",
            scores(&outcome.fitted.held_out),
            outcome.best_stock.voice,
            scores(&outcome.best_stock.held_out),
            outcome.evaluations,
            outcome.evaluations as f64 / seconds.max(1e-9)
        );
        println!(
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

/// A speaker encoder scoring clips against the source's embedding.
struct EncoderJudge {
    name: &'static str,
    encoder: SpeakerEncoder,
    source: Embedding,
}

impl EncoderJudge {
    fn new(name: &'static str, mut encoder: SpeakerEncoder, source: &Clip) -> anyhow::Result<Self> {
        let source = encoder
            .embed(source)
            .map_err(|e| anyhow::anyhow!("the source clip cannot be scored: {e}"))?;
        Ok(EncoderJudge {
            name,
            encoder,
            source,
        })
    }
}

impl Judge for EncoderJudge {
    fn name(&self) -> &str {
        self.name
    }

    fn score(&mut self, clip: &Clip) -> Result<f32, String> {
        let embedding = self.encoder.embed(clip).map_err(|e| e.to_string())?;
        Ok(self.source.cosine(&embedding))
    }
}

/// The d-vector encoder scoring clips against the source's d-vector.
struct DvectorJudge {
    encoder: DvectorEncoder,
    source: Dvector,
}

impl DvectorJudge {
    fn new(mut encoder: DvectorEncoder, source: &Clip) -> anyhow::Result<Self> {
        let source = encoder.embed(source).map_err(|e| {
            anyhow::anyhow!("the source clip cannot be scored by the d-vector encoder: {e}")
        })?;
        Ok(DvectorJudge { encoder, source })
    }
}

impl Judge for DvectorJudge {
    fn name(&self) -> &str {
        "d-vector"
    }

    fn score(&mut self, clip: &Clip) -> Result<f32, String> {
        let embedding = self.encoder.embed(clip).map_err(|e| e.to_string())?;
        Ok(self.source.cosine(&embedding))
    }
}

/// Speaks a batch of packs as one run on the pool (no result cache: every candidate is new).
struct PoolSpeaker<'a> {
    engine: &'a Engine,
    assets: &'a Assets,
    cancel: Arc<AtomicBool>,
}

impl PackSpeaker for PoolSpeaker<'_> {
    fn speak(
        &mut self,
        language: &Language,
        text: &str,
        packs: &[Arc<VoicePack>],
    ) -> Result<Vec<Result<Clip, String>>, FitError> {
        let plan = plan::packs_plan(language, text, packs, self.assets)
            .map_err(|e| FitError::Speak(e.to_string()))?;
        static BATCH: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "voxdeck-fit-{}-{}",
            std::process::id(),
            BATCH.fetch_add(1, Ordering::SeqCst)
        ));
        let outcome = self
            .engine
            .submit(plan, dir.clone(), Arc::new(Unobserved), self.cancel.clone())
            .wait();
        let clips = outcome
            .languages
            .iter()
            .map(|l| match &l.output {
                Some(path) => read(path),
                None => Err(l.error.clone().unwrap_or_else(|| "not synthesised".into())),
            })
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        Ok(clips)
    }
}

fn read(path: &Path) -> Result<Clip, String> {
    wav::read(path).map_err(|e| e.to_string())
}
