//! The binary's commands. Every error that reaches `main` is bad input or set-up (exit 2);
//! a run whose languages did not all finish returns `Finished::SomeFailed` (exit 1).

pub mod bench;
pub mod doctor;
pub mod gpu;
pub mod progress;
pub mod run;
pub mod voices;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use voxdeck::assets::Assets;
use voxdeck::engine::plan::{self, Plan};
use voxdeck::engine::runtime::{self, Runtime};
use voxdeck::job::JobSpec;

pub enum Finished {
    AllDone,
    SomeFailed,
}

/// A job ready to run: parsed, voices matched, planned against the assets, with ORT loaded.
pub struct Prepared {
    pub job: JobSpec,
    pub plan: Plan,
    pub runtime: Arc<Runtime>,
    /// Voice rankings for languages that asked for `voice = "match"`.
    pub matches: Vec<voxdeck::qa::matching::MatchResult>,
}

pub fn prepare(job_path: &Path, ort_lib: Option<&Path>) -> anyhow::Result<Prepared> {
    let mut job = JobSpec::load(job_path)?;
    let assets = Assets::locate();
    let context = || format!("cannot prepare job {}", job_path.display());
    let wants_match = job
        .languages
        .iter()
        .any(|l| l.voice.as_deref() == Some(voxdeck::qa::matching::MATCH));
    if !wants_match {
        // Model files are checked before ORT is loaded, so a fresh box hears about both in
        // the order it must fix them.
        let plan = plan::plan(&job, &assets).with_context(context)?;
        let runtime = runtime::load(ort_lib, &assets)?;
        return Ok(Prepared {
            job,
            plan,
            runtime,
            matches: Vec::new(),
        });
    }
    let runtime = runtime::load(ort_lib, &assets)?;
    let matches = match_voices(&mut job, &runtime, &assets)?;
    let plan = plan::plan(&job, &assets).with_context(context)?;
    Ok(Prepared {
        job,
        plan,
        runtime,
        matches,
    })
}

/// Replaces `voice = "match"` with the stock voice closest to the source clip.
fn match_voices(
    job: &mut JobSpec,
    runtime: &Runtime,
    assets: &Assets,
) -> anyhow::Result<Vec<voxdeck::qa::matching::MatchResult>> {
    use voxdeck::qa::matching::{rank_voices, MATCH};
    let wanted: Vec<usize> = (0..job.languages.len())
        .filter(|&i| job.languages[i].voice.as_deref() == Some(MATCH))
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let Some(source) = job.source_clip.clone() else {
        anyhow::bail!("voice = \"match\" needs a source clip to match against: add [source] clip = \"...\" to the job");
    };
    let started = std::time::Instant::now();
    let mut scorer = voxdeck::qa::scoring::SourceScorer::new(runtime, assets, &source)
        .map_err(|e| anyhow::anyhow!("cannot match voices: {e}"))?;
    let cache =
        voxdeck::qa::cache::EmbeddingCache::open(assets.path(voxdeck::assets::PROBE_CACHE))?;
    let mut results = Vec::new();
    for i in wanted {
        let language = voxdeck::engine::languages::find(&job.languages[i].code).expect("validated");
        eprintln!(
            "matching a {} voice to {} ...",
            language.code,
            source.display()
        );
        let result = rank_voices(
            runtime,
            assets,
            &mut scorer,
            &cache,
            language,
            job.device,
            &std::sync::atomic::AtomicBool::new(false),
        )?;
        let best = result.best().expect("at least one voice").clone();
        let top: Vec<String> = result
            .ranking
            .iter()
            .take(3)
            .map(|v| format!("{} {:.3}", v.voice, v.similarity))
            .collect();
        eprintln!(
            "{}: closest stock voice {} ({}); {} probe(s) from cache; {} ms since matching began (encoder load and source embedding included)",
            language.code,
            best.voice,
            top.join(", "),
            result.cached,
            started.elapsed().as_millis()
        );
        if let Some(blend) = &result.blend {
            eprintln!(
                "{}: the blend {} scores {:.3} against {:.3} for {} alone: using the blend",
                language.code, blend.voice, blend.similarity, best.similarity, best.voice
            );
        }
        let chosen = result.chosen().expect("at least one voice").voice.clone();
        job.languages[i].voice = Some(chosen);
        results.push(result);
    }
    Ok(results)
}

/// `voxdeck [JOB]` with no subcommand: the console on a terminal; without one, the job
/// runs headless (there is nobody to press keys) and its report is printed.
pub fn console_or_headless(
    job: Option<std::path::PathBuf>,
    runtime: &crate::cli::RuntimeArgs,
) -> anyhow::Result<Finished> {
    use std::io::IsTerminal;
    let demo = std::path::PathBuf::from("assets/demo/job.toml");
    let job_path = job.or_else(|| demo.exists().then_some(demo));
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        let spec = job_path.as_deref().map(JobSpec::load).transpose()?;
        voxdeck::console::open(spec, runtime.ort_lib.clone())?;
        return Ok(Finished::AllDone);
    }
    let Some(job) = job_path else {
        anyhow::bail!(
            "no terminal and no job file: give one, e.g. `voxdeck run assets/demo/job.toml`"
        );
    };
    eprintln!("voxdeck: no terminal, so {} runs headless", job.display());
    let args = crate::cli::RunArgs {
        job,
        workers: None,
        mode: None,
        device: None,
        intra_threads: None,
        out: None,
        json: true,
        cancel_after: None,
    };
    run::execute(args, runtime)
}
