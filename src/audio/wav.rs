//! WAV output written to a temp file in the target folder, then renamed, so a reader never
//! sees a half-written result and a failed run never leaves a truncated one.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WavError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}; give a 16/24/32-bit PCM or float WAV file")]
    Read { path: PathBuf, source: hound::Error },
}

/// Mono audio at a known sample rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    pub sample_rate: u32,
    pub samples: Vec<f32>,
}

impl Clip {
    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / self.sample_rate as f64
    }

    pub fn rms(&self) -> f32 {
        if self.samples.is_empty() {
            return 0.0;
        }
        let sum: f64 = self.samples.iter().map(|&s| (s as f64) * (s as f64)).sum();
        (sum / self.samples.len() as f64).sqrt() as f32
    }
}

/// Writes 16-bit PCM mono, atomically (see `atomic_file`).
pub fn write_atomic(dest: &Path, clip: &Clip) -> Result<(), WavError> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: clip.sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    crate::atomic_file::write_with(dest, |tmp| {
        let mut writer = hound::WavWriter::create(tmp, spec).map_err(std::io::Error::other)?;
        for &s in &clip.samples {
            writer
                .write_sample((s.clamp(-1.0, 1.0) * i16::MAX as f32).round() as i16)
                .map_err(std::io::Error::other)?;
        }
        writer.finalize().map_err(std::io::Error::other)
    })
    .map_err(|source| WavError::Write {
        path: dest.to_path_buf(),
        source,
    })
}

/// Reads any PCM/float WAV, mixing channels down to mono.
pub fn read(path: &Path) -> Result<Clip, WavError> {
    let err = |source| WavError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut reader = hound::WavReader::open(path).map_err(err)?;
    let spec = reader.spec();
    let interleaved: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(err)?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
            reader
                .samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(err)?
        }
    };
    let channels = spec.channels.max(1) as usize;
    let samples = interleaved
        .chunks(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect();
    Ok(Clip {
        sample_rate: spec.sample_rate,
        samples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("x.wav");
        let clip = Clip {
            sample_rate: 24_000,
            samples: (0..2400).map(|i| (i as f32 / 100.0).sin() * 0.5).collect(),
        };
        write_atomic(&dest, &clip).unwrap();
        let back = read(&dest).unwrap();
        assert_eq!(back.sample_rate, 24_000);
        assert_eq!(back.samples.len(), 2400);
        assert!((back.rms() - clip.rms()).abs() < 1e-3);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("x.wav")]);
    }
}
