//! The command line's bounds, values and help.

use super::*;
use clap::error::ErrorKind;

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(std::iter::once("voxdeck").chain(args.iter().copied()))
}

fn run_args(args: &[&str]) -> RunArgs {
    match parse(args).unwrap().command {
        Some(Command::Run(run)) => run,
        other => panic!("not a run: {other:?}"),
    }
}

#[test]
fn worker_counts_outside_the_bounds_are_refused() {
    for bad in ["0", "65", "-1", "four"] {
        let arg = format!("--workers={bad}");
        let err = parse(&["run", "job.toml", &arg]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ValueValidation, "{bad}: {err}");
        assert_eq!(err.exit_code(), 2);
    }
    assert_eq!(run_args(&["run", "j", "--workers", "64"]).workers, Some(64));
    assert_eq!(run_args(&["run", "j", "--workers", "1"]).workers, Some(1));
    let err = parse(&["bench", "j", "--workers", "1,2,65"]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ValueValidation, "{err}");
    match parse(&["bench", "j", "--workers", "1,64"]).unwrap().command {
        Some(Command::Bench(bench)) => assert_eq!(bench.workers, [1, 64]),
        other => panic!("not a bench: {other:?}"),
    }
}

#[test]
fn cache_flags_go_on_run_and_on_the_console() {
    let url = "redis://10.0.0.5:6379";
    let run = run_args(&["run", "j", "--cache", url, "--cache-size", "64"]);
    assert_eq!(
        run.cache.options(),
        CacheOptions {
            store: Some(StoreSetting::Redis(url.into())),
            max_mb: Some(64),
        }
    );
    let console = parse(&["job.toml", "--cache", "disk"]).unwrap();
    assert!(console.command.is_none());
    assert_eq!(console.cache.cache, Some(StoreSetting::Disk));
    for bad in [
        &["run", "j", "--cache", "memcached://x"][..],
        &["run", "j", "--cache-size", "0"],
        &["--cache-size", "2000000"],
    ] {
        let err = parse(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ValueValidation, "{bad:?}: {err}");
    }
}

#[test]
fn threads_and_repeats_start_at_one() {
    for args in [
        &["run", "j", "--intra-threads", "0"][..],
        &["run", "j", "--intra-threads", "10000"],
        &["bench", "j", "--intra-threads", "0"],
        &["bench", "j", "--baseline-intra", "2,100000"],
        &["bench", "j", "--repeat", "0"],
    ] {
        let err = parse(args).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ValueValidation, "{args:?}: {err}");
    }
    assert_eq!(
        run_args(&["run", "j", "--intra-threads", "1"]).intra_threads,
        Some(1)
    );
    let err = parse(&["run", "j", "--intra-threads", "10000"]).unwrap_err();
    let rule = voxdeck::job::check_intra_threads(10000).unwrap_err();
    assert!(err.to_string().contains(&rule), "{err}");
}

#[test]
fn mode_and_device_values() {
    let run = run_args(&["run", "j", "--mode", "shared-lock", "--device", "cuda:2"]);
    assert_eq!(
        (run.mode, run.device),
        (Some(Mode::SharedLock), Some(Device::Cuda(2)))
    );
    let err = parse(&["run", "j", "--mode", "fast"]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue, "{err}");
    assert!(err.to_string().contains("shared-lock"), "{err}");
    let err = parse(&["run", "j", "--device", "gpu"]).unwrap_err();
    assert!(err.to_string().contains("cuda:N"), "{err}");
}

#[test]
fn help_lists_the_values() {
    let mut command = <Cli as clap::CommandFactory>::command();
    let run = command.find_subcommand_mut("run").unwrap();
    let help = run.render_long_help().to_string();
    assert!(
        help.contains("pool") && help.contains("shared-lock"),
        "{help}"
    );
    assert!(help.contains("auto|cpu|cuda|cuda:N"), "{help}");
}

#[test]
fn verbosity_is_global_and_counted() {
    let level = |args: &[&str]| parse(args).unwrap().log.level();
    assert_eq!(level(&[]), log::LevelFilter::Info);
    assert_eq!(level(&["-v"]), log::LevelFilter::Debug);
    assert_eq!(level(&["-vv", "run", "j"]), log::LevelFilter::Trace);
    assert_eq!(
        level(&["run", "j", "-v", "--verbose"]),
        log::LevelFilter::Trace
    );
    assert_eq!(level(&["doctor", "-q"]), log::LevelFilter::Warn);
    assert_eq!(level(&["--quiet"]), log::LevelFilter::Warn);
    assert!(parse(&["-q", "-v"]).is_err());
}
