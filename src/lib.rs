//! voxdeck: multilingual voice synthesis on a worker pool, for the console and headless use.

pub mod assets;
pub mod audio;
pub mod console;
pub mod digest;
pub mod engine;
pub mod gpu;
pub mod job;
pub mod languages;
pub mod qa;
pub mod report;
pub mod session;
