//! voxdeck binary: parse the command line, call the library, map the outcome to an exit
//! code: 0 every language done, 1 some language failed, 2 bad input or set-up, 130
//! interrupted (128 + SIGINT, as shells report it). Nothing below `main` exits the process.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use commands::Finished;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The console logs to its own pane; every other command logs to stderr.
    if cli.command.is_some() || !commands::console_can_open() {
        commands::progress::init_logging(cli.log.level());
        // The box's settings, read now so a bad value is reported whatever the command.
        voxdeck::config::current();
    }
    // Only the console and `run` have a session to serve; elsewhere the flag would be ignored.
    if cli.metrics.metrics.is_some() && !matches!(cli.command, None | Some(Command::Run(_))) {
        eprintln!("voxdeck: error: --metrics serves the console and `voxdeck run`; remove it from this command");
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Some(Command::Run(mut args)) => {
            // `voxdeck --metrics ADDR run JOB` means the same as `voxdeck run JOB --metrics ADDR`.
            args.metrics.metrics = args.metrics.metrics.or(cli.metrics.metrics);
            commands::run::execute(args, &cli.runtime)
        }
        Some(Command::Bench(args)) => commands::bench::execute(args, &cli.runtime),
        Some(Command::Doctor(args)) => commands::doctor::execute(args, &cli.runtime),
        Some(Command::Voices(args)) => commands::voices::execute(args),
        Some(Command::Gpu(args)) => commands::gpu::execute(args),
        Some(Command::Fit(args)) => commands::fit::execute(args, &cli.runtime),
        Some(Command::Qa(args)) => commands::qa::execute(args, &cli.runtime),
        None => commands::console_or_headless(cli.job, &cli.runtime, &cli.cache, cli.metrics),
    };
    match result {
        Ok(Finished::AllDone) => ExitCode::SUCCESS,
        Ok(Finished::SomeFailed) => ExitCode::from(1),
        Ok(Finished::Interrupted) => ExitCode::from(130),
        Err(error) => {
            eprintln!("voxdeck: error: {error:#}");
            ExitCode::from(2)
        }
    }
}
