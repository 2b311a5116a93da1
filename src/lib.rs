//! voxdeck: multilingual voice synthesis on a worker pool, for the console and headless use.
//! Everything but `console` is the engine side and builds without terminal crates.

pub mod asr;
pub mod assets;
pub mod atomic_file;
pub mod audio;
pub mod config;
#[cfg(feature = "console")]
pub mod console;
pub mod digest;
pub mod engine;
pub mod fit;
pub mod gpu;
pub mod job;
pub mod languages;
pub mod metrics;
pub mod qa;
pub mod report;
pub mod session;
