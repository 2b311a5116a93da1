//! Every model on every path of the engine: Kokoro and Piper, in one mixed job, on a pool
//! and behind the shared lock, on 1, 2 and 3 workers, with the pool's shared weights on
//! and off, and with the result cache on and off. Each row is one warm engine.
//!
//! Kokoro is deterministic, so its WAVs must equal the 1-worker run's byte for byte on
//! every row. Piper's graph draws its own noise (two RandomNormalLike nodes with no seed),
//! so no two Piper runs are equal, even on one worker: its rows must finish, with the
//! reference's sentences, audible, and of a length near the reference's. Through the
//! cache both are byte-identical to the run that filled it.

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use common::matrix::{
    assert_kokoro_identical, assert_piper_like, mixed_job_body, wav_bytes, KOKORO, PIPER,
};
use voxdeck::assets::Assets;
use voxdeck::engine::cache::ResultCache;
use voxdeck::engine::outcome::{RunOutcome, Status};
use voxdeck::engine::plan;
use voxdeck::engine::pool::{Engine, EngineOptions};
use voxdeck::engine::progress::Unobserved;
use voxdeck::engine::runtime;
use voxdeck::job::{Device, JobSpec, Mode};

fn mixed_job() -> JobSpec {
    let body = mixed_job_body();
    JobSpec::parse(
        &body,
        Path::new("matrix.toml"),
        Path::new("."),
        "matrix".into(),
    )
    .unwrap()
}

#[derive(Debug, Clone, Copy)]
struct Row {
    mode: Mode,
    workers: usize,
    share_weights: bool,
}

/// Runs the mixed job once per entry of `outs` on one engine of `row`.
fn run_row(row: Row, cache: Option<Arc<ResultCache>>, outs: &[&Path]) -> Vec<RunOutcome> {
    let job = mixed_job();
    let assets = Assets::locate();
    let runtime = runtime::load(None, &assets).expect("ORT from scripts/setup");
    let plan = plan::plan(&job, &assets).expect("plan");
    let preload: Vec<_> = plan.models.clone().into_iter().collect();
    let options = EngineOptions {
        workers: row.workers,
        mode: row.mode,
        device: Device::Cpu,
        intra_threads: Some(1),
        share_weights: row.share_weights,
    };
    let engine = Engine::start_with_cache(runtime, options, &preload, cache)
        .unwrap_or_else(|e| panic!("{row:?}: engine: {e}"));
    outs.iter()
        .map(|out| {
            let plan = plan::plan(&job, &assets).expect("plan");
            let cancel = Arc::new(AtomicBool::new(false));
            let outcome = engine
                .submit(plan, out.to_path_buf(), Arc::new(Unobserved), cancel)
                .wait();
            for language in &outcome.languages {
                assert_eq!(
                    language.status,
                    Status::Done,
                    "{row:?}: {} failed: {:?}",
                    language.code,
                    language.error
                );
            }
            outcome
        })
        .collect()
}

/// Both of Piper's sentences were spoken on the row.
fn assert_piper_spoke_both(row: &str, outcome: &RunOutcome) {
    let piper = outcome.languages.iter().find(|l| l.code == PIPER).unwrap();
    assert_eq!(piper.utterances.len(), 2, "{row}: both sentences spoken");
}

#[test]
fn every_model_on_every_path_matches_the_one_worker_run() {
    let root = tempfile::tempdir().unwrap();
    let reference = root.path().join("reference");
    let pool = |workers, share_weights| Row {
        mode: Mode::Pool,
        workers,
        share_weights,
    };
    run_row(pool(1, true), None, &[&reference]);
    let locked = |workers| Row {
        mode: Mode::SharedLock,
        workers,
        share_weights: false,
    };
    let rows = [
        pool(2, true),
        pool(2, false),
        pool(3, true),
        pool(3, false),
        locked(1),
        locked(2),
        locked(3),
    ];
    for row in rows {
        let name = format!("{row:?}");
        let out = root
            .path()
            .join(name.replace(|c: char| !c.is_alphanumeric(), "_"));
        let outcome = run_row(row, None, &[&out]).remove(0);
        assert_kokoro_identical(&name, &out, &reference);
        assert_piper_like(&name, &out, &reference);
        assert_piper_spoke_both(&name, &outcome);
    }
}

#[test]
fn through_the_result_cache_every_model_is_byte_identical() {
    let root = tempfile::tempdir().unwrap();
    let reference = root.path().join("reference");
    run_row(
        Row {
            mode: Mode::Pool,
            workers: 1,
            share_weights: true,
        },
        None,
        &[&reference],
    );
    for (row, tag) in [
        (
            Row {
                mode: Mode::Pool,
                workers: 2,
                share_weights: true,
            },
            "pool2",
        ),
        (
            Row {
                mode: Mode::SharedLock,
                workers: 2,
                share_weights: false,
            },
            "locked2",
        ),
    ] {
        let cache =
            Arc::new(ResultCache::disk(root.path().join(format!("cache-{tag}")), 1 << 30).unwrap());
        let (filled, hit) = (
            root.path().join(format!("{tag}-fill")),
            root.path().join(format!("{tag}-hit")),
        );
        let outcomes = run_row(row, Some(cache.clone()), &[&filled, &hit]);
        assert_eq!(
            outcomes[0]
                .languages
                .iter()
                .map(|l| l.cache_hits)
                .sum::<usize>(),
            0,
            "{tag}: a fresh cache"
        );
        for language in &outcomes[1].languages {
            assert_eq!(
                language.cache_hits, 2,
                "{tag}: {} from the cache",
                language.code
            );
        }
        for code in KOKORO.into_iter().chain([PIPER]) {
            assert!(
                wav_bytes(&filled, code) == wav_bytes(&hit, code),
                "{tag}: {code} from the cache differs"
            );
        }
        assert_kokoro_identical(tag, &filled, &reference);
        assert_piper_like(tag, &filled, &reference);
        assert_piper_spoke_both(tag, &outcomes[0]);
    }
}
