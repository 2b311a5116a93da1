//! Source clips in the formats operators actually have (WAV, FLAC, MP3, OGG Vorbis), at any rate
//! and channel count, decoded with symphonia and mixed down to mono for the engine and the QA.

use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use super::wav::Clip;

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("file not found: {path}; check the path")]
    NotFound { path: PathBuf },
    #[error("{path} is a folder, not an audio file; give the path of a clip")]
    Directory { path: PathBuf },
    #[error("{path} is {what}, not an audio file; give the path of a clip")]
    NotRegular { path: PathBuf, what: &'static str },
    #[error(
        "{path} is a symbolic link that leads back to itself (a loop); give the clip's real path"
    )]
    LinkLoop { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("unsupported audio: {path} ({detail}); give PCM or float WAV, FLAC, MP3 or Ogg Vorbis, e.g. converted with `sox IN -b 16 -e signed-integer OUT.wav`")]
    Unsupported { path: PathBuf, detail: String },
    #[error("no audio track in {path}; give a file that contains sound")]
    NoAudioTrack { path: PathBuf },
    #[error("empty: {path} decodes to no audio samples; give a clip with sound in it")]
    Empty { path: PathBuf },
    #[error("cannot decode {path}: {detail}; the file may be damaged, re-export it")]
    Corrupt { path: PathBuf, detail: String },
}

/// A decoded source clip: the mono mixdown at the file's own rate, plus what the file was.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedClip {
    pub clip: Clip,
    pub original_rate: u32,
    pub channels: u16,
    pub duration_seconds: f64,
}

/// Decodes a whole audio file and mixes its channels down to mono.
pub fn decode(path: &Path) -> Result<DecodedClip, DecodeError> {
    // symphonia panics on some malformed headers (e.g. a 0 Hz WAV); that is a bad file,
    // not a reason to take the caller's thread down.
    std::panic::catch_unwind(|| decode_unguarded(path)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the decoder gave up".into());
        Err(DecodeError::Corrupt {
            path: path.to_path_buf(),
            detail,
        })
    })
}

/// Whether `path` is a regular file (after links) that can be opened without blocking;
/// anything else is named for what it is: opening a FIFO would wait for a writer forever.
pub fn check_file(path: &Path) -> Result<(), DecodeError> {
    use std::os::unix::fs::FileTypeExt;
    let path_buf = || path.to_path_buf();
    match std::fs::metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            Err(DecodeError::NotFound { path: path_buf() })
        }
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            Err(DecodeError::LinkLoop { path: path_buf() })
        }
        Err(source) => Err(DecodeError::Io {
            path: path_buf(),
            source,
        }),
        Ok(meta) if meta.is_dir() => Err(DecodeError::Directory { path: path_buf() }),
        Ok(meta) if !meta.is_file() => {
            let kind = meta.file_type();
            let what = if kind.is_fifo() {
                "a named pipe (FIFO)"
            } else if kind.is_socket() {
                "a socket"
            } else {
                "a device"
            };
            Err(DecodeError::NotRegular {
                path: path_buf(),
                what,
            })
        }
        Ok(_) => Ok(()),
    }
}

fn decode_unguarded(path: &Path) -> Result<DecodedClip, DecodeError> {
    check_file(path)?;
    let file = File::open(path).map_err(|source| match source.kind() {
        ErrorKind::NotFound => DecodeError::NotFound {
            path: path.to_path_buf(),
        },
        _ => DecodeError::Io {
            path: path.to_path_buf(),
            source,
        },
    })?;
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            stream,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(|e| classify(path, e, "container not recognised"))?;
    let mut format = probed.format;
    decode_track(path, format.as_mut())
}

fn decode_track(path: &Path, format: &mut dyn FormatReader) -> Result<DecodedClip, DecodeError> {
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| DecodeError::NoAudioTrack {
            path: path.to_path_buf(),
        })?;
    let track_id = track.id;
    let mut rate = track.codec_params.sample_rate.unwrap_or(0);
    let mut channels = track.codec_params.channels.map_or(0, |c| c.count());
    let mut decoder = symphonia::default::get_codecs()
        .make(&track.codec_params, &DecoderOptions::default())
        .map_err(|e| classify(path, e, "codec not supported"))?;

    let mut mono: Vec<f32> = Vec::new();
    let mut interleaved: Option<SampleBuffer<f32>> = None;
    loop {
        let packet = match format.next_packet() {
            Ok(packet) => packet,
            Err(SymphoniaError::IoError(e)) if e.kind() == ErrorKind::UnexpectedEof => break,
            // A chained stream changing its parameters: what came before is the clip.
            Err(SymphoniaError::ResetRequired) => break,
            Err(e) => return Err(classify(path, e, "reading packets")),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(decoded) => decoded,
            // One damaged frame (common at MP3 starts) is skipped, as players do.
            Err(SymphoniaError::DecodeError(_)) => continue,
            Err(e) => return Err(classify(path, e, "decoding")),
        };
        let spec = *decoded.spec();
        rate = spec.rate;
        channels = spec.channels.count();
        let needed = decoded.capacity() * channels;
        let buf = match &mut interleaved {
            Some(buf) if buf.capacity() >= needed => buf,
            slot => slot.insert(SampleBuffer::new(decoded.capacity() as u64, spec)),
        };
        buf.copy_interleaved_ref(decoded);
        mix_down_into(buf.samples(), channels, &mut mono);
    }

    if mono.is_empty() || rate == 0 {
        return Err(DecodeError::Empty {
            path: path.to_path_buf(),
        });
    }
    let clip = Clip {
        sample_rate: rate,
        samples: mono,
    };
    Ok(DecodedClip {
        duration_seconds: clip.seconds(),
        original_rate: rate,
        channels: channels as u16,
        clip,
    })
}

fn mix_down_into(interleaved: &[f32], channels: usize, out: &mut Vec<f32>) {
    let channels = channels.max(1);
    let scale = 1.0 / channels as f32;
    out.extend(
        interleaved
            .chunks_exact(channels)
            .map(|frame| frame.iter().sum::<f32>() * scale),
    );
}

fn classify(path: &Path, error: SymphoniaError, stage: &str) -> DecodeError {
    let path = path.to_path_buf();
    match error {
        SymphoniaError::Unsupported(what) => DecodeError::Unsupported {
            path,
            detail: format!("{stage}: {what}"),
        },
        SymphoniaError::IoError(e) if e.kind() == ErrorKind::UnexpectedEof => {
            DecodeError::Unsupported {
                path,
                detail: format!("{stage}: file too short to be audio"),
            }
        }
        SymphoniaError::IoError(source) => DecodeError::Io { path, source },
        other => DecodeError::Corrupt {
            path,
            detail: format!("{stage}: {other}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixes_frames_to_their_mean() {
        let mut out = Vec::new();
        mix_down_into(&[1.0, 0.0, 0.5, 0.5, -1.0, 1.0], 2, &mut out);
        assert_eq!(out, vec![0.5, 0.5, 0.0]);
    }

    #[test]
    fn missing_file_says_not_found() {
        let err = decode(Path::new("/nonexistent/voxdeck/clip.wav")).unwrap_err();
        assert!(matches!(err, DecodeError::NotFound { .. }), "{err}");
        assert!(err.to_string().contains("file not found"));
    }

    fn decode_bytes(bytes: &[u8], name: &str) -> Result<DecodedClip, DecodeError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        decode(&path)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

        /// Random bytes under any audio extension are an error, never a panic.
        #[test]
        fn random_bytes_are_refused(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4096),
            ext in proptest::sample::select(vec!["wav", "flac", "mp3", "ogg", "bin"]),
        ) {
            let _ = decode_bytes(&bytes, &format!("clip.{ext}"));
        }

        /// A real WAV cut anywhere decodes what is there or says why, never panics.
        #[test]
        fn a_truncated_wav_never_panics(cut in 0usize..4000) {
            let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/source.wav");
            let bytes = std::fs::read(demo).unwrap();
            let _ = decode_bytes(&bytes[..cut.min(bytes.len())], "cut.wav");
        }
    }
}
