//! Audio files: writing results safely and reading clips back.

pub mod wav;
