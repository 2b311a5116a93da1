//! Audio files and sound: writing results safely, decoding clips of any format,
//! resampling, waveform envelopes and playback on a thread that owns the output stream.

pub mod decode;
pub mod envelope;
pub mod playback;
pub mod resample;
pub mod wav;
