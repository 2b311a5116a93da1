//! What wakes the console's loop besides a key and the session's notices.

use std::path::PathBuf;

use crate::audio::decode;
use crate::audio::playback::{LabelledClip, PlaybackStatus};
use crate::gpu::GpuSample;

/// Everything that can wake the loop besides a key and the session.
pub enum Wake {
    /// SIGTERM, SIGHUP or SIGINT: quit as `q` would, without asking.
    Signal,
    Gpu(Box<GpuSample>),
    Playback(PlaybackStatus),
    ClipLoaded(PathBuf, Result<decode::DecodedClip, String>),
    /// Decoded audio ready to play (or why it cannot be).
    PlayReady(Result<PlayRequest, String>),
}

pub enum PlayRequest {
    One(LabelledClip),
    Ab(LabelledClip, LabelledClip),
}
