//! Fitting a voice to a source clip on a running engine: the search of `fit`, judged by the
//! GE2E encoder and, on the held-out text, by the d-vector encoder, its candidates spoken on
//! the engine's worker pool. `voxdeck fit` and a job's `voice = "fit"` both come here.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use super::checkpoint::{self, Checkpoint, SearchKey};
use super::saved::{self, Sidecar};
use super::{FitError, FitOptions, FitRequest, Generation, Judge, PackSpeaker};
use crate::assets::{self, Assets};
use crate::audio::wav::{self, Clip};
use crate::engine::kokoro::VoicePack;
use crate::engine::plan;
use crate::engine::pool::Engine;
use crate::engine::progress::Unobserved;
use crate::languages::Language;
use crate::qa::dvector::{Dvector, DvectorEncoder};
use crate::qa::{Embedding, QaError, SpeakerEncoder};

/// The judges of every held-out score, in order: the encoder searched with, then the
/// independent one.
pub const JUDGES: [&str; 2] = ["ge2e", "d-vector"];

/// Spoken by the kept voice only, to choose it; never searched on.
pub fn held_out_text(language: &Language) -> &'static str {
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

/// A fit of one language's voice to one clip.
pub struct ClipFit<'a> {
    pub clip: &'a Path,
    pub language: &'static Language,
    pub request: FitRequest,
    /// Candidates per generation; None: twice the engine's workers, at least 4.
    pub population: Option<usize>,
    pub patience: usize,
    /// The voice's name; None: `saved::default_name`.
    pub name: Option<String>,
    /// Where the search's checkpoint is kept (`checkpoint::dir` of the voices folder), to
    /// go on after a cancel; None: no checkpoint.
    pub checkpoints: Option<std::path::PathBuf>,
}

/// A fitted voice, not yet saved, and its sidecar.
pub struct ClipFitted {
    pub sidecar: Sidecar,
    pub voice: Arc<VoicePack>,
}

/// Fits a voice to `fit.clip` on `engine`; `progress` hears every generation.
pub fn fit_clip(
    engine: &Engine,
    assets: &Assets,
    fit: &ClipFit,
    stop: &Arc<AtomicBool>,
    progress: impl FnMut(&Generation),
) -> Result<ClipFitted, FitError> {
    let setup = |e: String| FitError::Setup(e);
    let language = fit.language;
    let source = crate::audio::decode::decode(fit.clip)
        .map_err(|e| {
            setup(format!(
                "the source clip {} cannot be used: {e}",
                fit.clip.display()
            ))
        })?
        .clip;
    let clip_sha = crate::digest::sha256_file(fit.clip)
        .map_err(|e| setup(format!("cannot read {}: {e}", fit.clip.display())))?
        .0;
    let runtime = engine.runtime();
    let ge2e = SpeakerEncoder::load(runtime, &SpeakerEncoder::default_path(assets))
        .map_err(|e| setup(e.to_string()))?;
    let mut ge2e = EncoderJudge::new(ge2e, &source)?;
    // The second, independent encoder: it judges the held-out text only, so the search
    // cannot win by fooling the encoder it searches with.
    let dvector = DvectorEncoder::load(runtime, &DvectorEncoder::default_path(assets))
        .map_err(|e| setup(e.to_string()))?;
    let mut dvector = DvectorJudge::new(dvector, &source)?;
    let voices_dir = assets.path(assets::KOKORO_VOICES);
    let load = |name: &String| {
        VoicePack::load_named(name, &voices_dir)
            .map(Arc::new)
            .map_err(|e| setup(format!("stock voice {name}: {e}")))
    };
    let stock: Vec<Arc<VoicePack>> = crate::qa::matching::candidate_voices(language, assets)
        .iter()
        .map(load)
        .collect::<Result<_, _>>()?;
    let everyone: Vec<Arc<VoicePack>> = assets
        .kokoro_voice_names()
        .iter()
        .map(load)
        .collect::<Result<_, _>>()?;
    let workers = engine.options().workers;
    let options = FitOptions {
        language,
        probe_text: crate::qa::matching::probe_text(language),
        held_out_text: held_out_text(language),
        budget: fit.request.budget,
        seed: fit.request.seed,
        population: Some(fit.population.unwrap_or(workers.max(2) * 2)),
        dims: super::DEFAULT_DIMS,
        patience: fit.patience,
    };
    let mut speaker = PoolSpeaker {
        engine,
        assets,
        cancel: stop.clone(),
    };
    log::debug!(
        "fit: {} stock {} voices, then up to {} evaluations on {workers} workers (seed {})",
        stock.len(),
        language.code,
        options.budget,
        options.seed
    );
    let name = fit
        .name
        .clone()
        .unwrap_or_else(|| saved::default_name(language.code, &clip_sha, fit.request.seed));
    let key = SearchKey {
        version: checkpoint::VERSION,
        source_clip_sha256: clip_sha.clone(),
        language: language.code.to_string(),
        seed: options.seed,
        population: options.population,
        dims: options.dims,
        probe_text: options.probe_text.to_string(),
        held_out_text: options.held_out_text.to_string(),
        judges: JUDGES.iter().map(|j| j.to_string()).collect(),
        stock: stock.iter().map(|v| v.name.clone()).collect(),
        space: everyone.iter().map(|v| v.name.clone()).collect(),
    };
    let checkpoint_path = fit.checkpoints.as_ref().map(|d| checkpoint::path(d, &name));
    let resumed = checkpoint_path
        .as_ref()
        .and_then(|p| checkpoint::read(p, &key, options.budget));
    let seconds_before = resumed.as_ref().map_or(0.0, |c| c.seconds);
    if let Some(c) = &resumed {
        log::info!(
            "fit: resuming the search saved after generation {} ({} evaluations, {:.0} s) in {}",
            c.state.generations.len(),
            c.state.evaluations,
            c.seconds,
            checkpoint_path.as_ref().expect("read from it").display()
        );
    }
    let started = Instant::now();
    let mut save_checkpoint = |state: &super::SearchState| {
        let Some(path) = &checkpoint_path else { return };
        let saved = Checkpoint {
            key: key.clone(),
            seconds: seconds_before + started.elapsed().as_secs_f64(),
            state,
        };
        // A checkpoint that cannot be written costs only the chance to resume.
        if let Err(e) = checkpoint::write(path, &saved) {
            log::warn!("fit: cannot write the checkpoint {}: {e}", path.display());
        }
    };
    let mut judges: [&mut dyn Judge; 2] = [&mut ge2e, &mut dvector];
    let mut progress = progress;
    let mut search = |resume| {
        super::fit(
            &mut speaker,
            &mut judges,
            &stock,
            &everyone,
            &options,
            resume,
            stop,
            &mut save_checkpoint,
            &mut progress,
        )
    };
    let outcome = match search(resumed.map(|c| c.state)) {
        Err(FitError::DamagedCheckpoint(why)) => {
            let path = checkpoint_path
                .as_ref()
                .expect("a resumed search has a checkpoint");
            let kept = checkpoint::set_aside(path);
            log::warn!(
                "fit: the checkpoint {} cannot go on ({why}); {}searching from the start",
                path.display(),
                kept.map(|k| format!("set aside as {}; ", k.display()))
                    .unwrap_or_default()
            );
            search(None)
        }
        other => other,
    }?;
    let seconds = seconds_before + started.elapsed().as_secs_f64();
    let voice = outcome.voice.clone().expect("fit returns its voice");
    Ok(ClipFitted {
        sidecar: Sidecar {
            kind: saved::KIND.to_string(),
            name,
            source_clip: fit.clip.to_path_buf(),
            source_clip_sha256: clip_sha,
            language: language.code.to_string(),
            seed: fit.request.seed,
            budget: fit.request.budget,
            population: options.population,
            evaluations: outcome.evaluations,
            seconds,
            judges: outcome.judges,
            held_out_text: options.held_out_text.to_string(),
            probe_text: options.probe_text.to_string(),
            best_stock: outcome.best_stock,
            best_blend: outcome.best_blend,
            fitted: outcome.fitted,
            generations: outcome.generations,
        },
        voice,
    })
}

/// The GE2E encoder scoring clips against the source's embedding.
struct EncoderJudge {
    encoder: SpeakerEncoder,
    source: Embedding,
}

impl EncoderJudge {
    fn new(mut encoder: SpeakerEncoder, source: &Clip) -> Result<Self, FitError> {
        let source = encoder
            .embed(source)
            .map_err(|e| FitError::Setup(format!("the source clip cannot be scored: {e}")))?;
        Ok(EncoderJudge { encoder, source })
    }
}

impl Judge for EncoderJudge {
    fn name(&self) -> &str {
        JUDGES[0]
    }

    fn score(&mut self, clip: &Clip) -> Result<f32, QaError> {
        let embedding = self.encoder.embed(clip)?;
        Ok(self.source.cosine(&embedding))
    }
}

/// The d-vector encoder scoring clips against the source's d-vector.
struct DvectorJudge {
    encoder: DvectorEncoder,
    source: Dvector,
}

impl DvectorJudge {
    fn new(mut encoder: DvectorEncoder, source: &Clip) -> Result<Self, FitError> {
        let source = encoder.embed(source).map_err(|e| {
            FitError::Setup(format!(
                "the source clip cannot be scored by the d-vector encoder: {e}"
            ))
        })?;
        Ok(DvectorJudge { encoder, source })
    }
}

impl Judge for DvectorJudge {
    fn name(&self) -> &str {
        JUDGES[1]
    }

    fn score(&mut self, clip: &Clip) -> Result<f32, QaError> {
        let embedding = self.encoder.embed(clip)?;
        Ok(self.source.cosine(&embedding))
    }
}

/// Speaks a batch of packs as one run on the pool, past the result cache: every candidate
/// is new, and its audio is never wanted again.
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
            .submit_uncached(plan, dir.clone(), Arc::new(Unobserved), self.cancel.clone())
            .wait();
        let clips = outcome
            .languages
            .iter()
            .map(|l| match &l.output {
                Some(path) => wav::read(path).map_err(|e| e.to_string()),
                None => Err(l.error.clone().unwrap_or_else(|| "not synthesised".into())),
            })
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        Ok(clips)
    }
}
