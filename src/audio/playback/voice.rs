//! The source the output mixer pulls from: one clip, or two in lockstep for A/B, with short
//! fades so switching and stopping never click, counting the frames it hands out.

use std::num::NonZero;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rodio::Source;

/// Length of the crossfade on an A/B switch and of the fade on stop.
const FADE_SECONDS: f32 = 0.008;

/// State shared between the playback thread and the source the audio callback pulls from.
#[derive(Default)]
pub(super) struct Shared {
    pub(super) frames_consumed: AtomicUsize,
    pub(super) show_b: AtomicBool,
    pub(super) stop: AtomicBool,
    pub(super) finished: AtomicBool,
}

/// A mono source over one clip, or two clips in lockstep for A/B. It counts the frames the
/// output has pulled, which is the playhead the console shows.
pub(super) struct Voice {
    a: Vec<f32>,
    b: Option<Vec<f32>>,
    frames: usize,
    pos: usize,
    rate: NonZero<u32>,
    fade_step: f32,
    b_mix: f32,
    gain: f32,
    shared: Arc<Shared>,
}

impl Voice {
    pub(super) fn new(a: Vec<f32>, b: Option<Vec<f32>>, rate: u32, shared: Arc<Shared>) -> Self {
        let frames = a.len().max(b.as_ref().map_or(0, Vec::len));
        let rate = NonZero::new(rate).unwrap_or(NonZero::<u32>::MIN);
        Voice {
            a,
            b,
            frames,
            pos: 0,
            fade_step: 1.0 / (FADE_SECONDS * rate.get() as f32).max(1.0),
            rate,
            b_mix: 0.0,
            gain: 1.0,
            shared,
        }
    }

    fn finish(&mut self) -> Option<rodio::Sample> {
        self.frames = self.pos;
        self.shared.finished.store(true, Ordering::Release);
        None
    }
}

impl Iterator for Voice {
    type Item = rodio::Sample;

    fn next(&mut self) -> Option<rodio::Sample> {
        if self.pos >= self.frames {
            return self.finish();
        }
        if self.shared.stop.load(Ordering::Relaxed) {
            self.gain -= self.fade_step;
            if self.gain <= 0.0 {
                return self.finish();
            }
        }
        let target = if self.b.is_some() && self.shared.show_b.load(Ordering::Relaxed) {
            1.0
        } else {
            0.0
        };
        if self.b_mix < target {
            self.b_mix = (self.b_mix + self.fade_step).min(target);
        } else if self.b_mix > target {
            self.b_mix = (self.b_mix - self.fade_step).max(target);
        }
        let a = self.a.get(self.pos).copied().unwrap_or(0.0);
        let b = self
            .b
            .as_ref()
            .and_then(|b| b.get(self.pos).copied())
            .unwrap_or(0.0);
        self.pos += 1;
        self.shared
            .frames_consumed
            .store(self.pos, Ordering::Relaxed);
        if self.pos == self.frames {
            // The mixer may never ask past the last sample, so the end is marked here too.
            self.shared.finished.store(true, Ordering::Release);
        }
        Some(((a * (1.0 - self.b_mix) + b * self.b_mix) * self.gain) as rodio::Sample)
    }
}

impl Source for Voice {
    fn current_span_len(&self) -> Option<usize> {
        // One span to the end; its length can shrink (stop fades out), so none is promised.
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        NonZero::<u16>::MIN
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        self.rate
    }

    fn total_duration(&self) -> Option<Duration> {
        Some(Duration::from_secs_f64(
            self.frames as f64 / self.rate.get() as f64,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(voice: &mut Voice) -> Vec<rodio::Sample> {
        voice.by_ref().collect()
    }

    #[test]
    fn voice_counts_frames_and_marks_the_end() {
        let shared = Arc::new(Shared::default());
        let mut voice = Voice::new(vec![0.5; 100], None, 1000, shared.clone());
        assert_eq!(drain(&mut voice).len(), 100);
        assert_eq!(shared.frames_consumed.load(Ordering::Relaxed), 100);
        assert!(shared.finished.load(Ordering::Relaxed));
    }

    #[test]
    fn ab_switch_keeps_the_playhead_and_crossfades() {
        let shared = Arc::new(Shared::default());
        let mut voice = Voice::new(vec![1.0; 1000], Some(vec![-1.0; 800]), 1000, shared.clone());
        let first: Vec<_> = voice.by_ref().take(100).collect();
        assert!(first.iter().all(|&s| s == 1.0));
        shared.show_b.store(true, Ordering::Relaxed);
        let rest = drain(&mut voice);
        assert_eq!(
            100 + rest.len(),
            1000,
            "lockstep: the longer clip sets the length"
        );
        assert!(rest[0] > -1.0 && rest[0] < 1.0, "crossfade, not a jump");
        assert_eq!(rest[100], -1.0);
        assert_eq!(rest[899], 0.0, "B ended: silence until A's length");
    }

    #[test]
    fn stop_fades_out_and_ends() {
        let shared = Arc::new(Shared::default());
        let mut voice = Voice::new(vec![1.0; 10_000], None, 1000, shared.clone());
        voice.next();
        shared.stop.store(true, Ordering::Relaxed);
        let tail = drain(&mut voice);
        assert!(tail.len() <= 9, "{}", tail.len());
        assert!(tail.windows(2).all(|w| w[1] <= w[0]));
        assert!(shared.finished.load(Ordering::Relaxed));
    }
}
