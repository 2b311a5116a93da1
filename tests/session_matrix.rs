//! The model matrix through the session, the path the console and `voxdeck run` drive:
//! the mixed Kokoro + Piper job on one session, in pool and shared-lock mode on 1, 2 and 3
//! workers (the session restarts its warm engine when the shape changes; its pools share
//! weights), then on a session with a fresh result cache, filled and then all hits. The
//! engine's own matrix, shared weights off included, is tests/model_matrix.rs.

mod common;

use std::path::Path;

use common::matrix::{assert_kokoro_identical, assert_piper_like, mixed_job_body, wav_bytes};
use common::run_to_end;
use voxdeck::engine::outcome::Status;
use voxdeck::job::{JobSpec, Mode};
use voxdeck::session::{Session, SessionOptions};

fn job(mode: Mode, workers: usize) -> JobSpec {
    let mut job = JobSpec::parse(
        &mixed_job_body(),
        Path::new("matrix.toml"),
        Path::new("."),
        "matrix".into(),
    )
    .unwrap();
    job.mode = mode;
    job.workers = Some(workers);
    job
}

/// Runs `job` to its end; every language must be done. Returns the sentences per language
/// taken from the result cache.
fn run(session: &Session, job: JobSpec, out: &Path, row: &str) -> Vec<usize> {
    run_to_end(session, job, out);
    session.state().read(|s| {
        s.run_languages()
            .map(|l| {
                let p = &l.progress;
                assert_eq!(p.status, Status::Done, "{row}: {} {:?}", p.code, p.error);
                assert_eq!(p.sentences_done, 2, "{row}: {}", p.code);
                p.cache_hits
            })
            .collect()
    })
}

fn options(no_cache: bool) -> SessionOptions {
    SessionOptions {
        no_cache,
        no_transcribe: true,
        ..SessionOptions::default()
    }
}

#[test]
fn every_model_on_every_path_through_the_session() {
    let root = tempfile::tempdir().unwrap();
    let session = Session::start(options(true), || {});
    let reference = root.path().join("pool-1");
    run(&session, job(Mode::Pool, 1), &reference, "pool 1");
    for (mode, workers) in [
        (Mode::Pool, 2),
        (Mode::Pool, 3),
        (Mode::SharedLock, 1),
        (Mode::SharedLock, 2),
        (Mode::SharedLock, 3),
    ] {
        let row = format!("{mode:?} {workers}");
        let out = root.path().join(row.replace(' ', "-"));
        run(&session, job(mode, workers), &out, &row);
        assert_kokoro_identical(&row, &out, &reference);
        assert_piper_like(&row, &out, &reference);
    }
    drop(session);

    // A result cache of this test's own: the disk store's folder comes from the
    // environment, and this binary holds this one test.
    std::env::set_var("VOXDECK_RESULT_CACHE", root.path().join("cache"));
    let cached = Session::start(options(false), || {});
    let (filled, hit) = (root.path().join("filled"), root.path().join("hit"));
    let misses = run(&cached, job(Mode::Pool, 2), &filled, "cache filled");
    assert_eq!(misses, [0, 0, 0], "a fresh cache");
    let hits = run(&cached, job(Mode::Pool, 2), &hit, "cache hit");
    assert_eq!(hits, [2, 2, 2], "every sentence from the cache");
    for code in ["fr", "it", "en-us"] {
        assert!(
            wav_bytes(&filled, code) == wav_bytes(&hit, code),
            "{code} from the cache differs"
        );
    }
    assert_kokoro_identical("cache", &filled, &reference);
}
