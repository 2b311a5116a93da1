//! A PulseAudio null sink and a recording of its monitor, for tests that check sound
//! really left voxdeck.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use voxdeck::audio::wav::{self, Clip};

pub const SINK_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/null-sink");

/// The null sink, started for this test and stopped when dropped.
pub struct NullSink;

impl NullSink {
    /// None only where pulseaudio is not installed at all; any other failure fails the test.
    pub fn start() -> Option<NullSink> {
        if Command::new("pulseaudio")
            .arg("--version")
            .output()
            .is_err()
        {
            eprintln!(
                "SKIPPED: pulseaudio is not installed (apt-get install pulseaudio \
                 pulseaudio-utils libasound2-plugins, or run scripts/setup)"
            );
            return None;
        }
        let out = Command::new(SINK_SCRIPT).arg("start").output().unwrap();
        assert!(
            out.status.success(),
            "scripts/null-sink start failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Some(NullSink)
    }
}

impl Drop for NullSink {
    fn drop(&mut self) {
        let _ = Command::new(SINK_SCRIPT).arg("stop").status();
    }
}

/// parecord on the sink's monitor; stopped with SIGINT so it finishes the WAV header.
pub struct Recording {
    child: Child,
    path: PathBuf,
}

impl Recording {
    pub fn start(path: PathBuf) -> Recording {
        let child = Command::new("parecord")
            .args(["--device=voxdeck_null.monitor", "--file-format=wav"])
            .arg(&path)
            .stdout(Stdio::null())
            .spawn()
            .expect("parecord (pulseaudio-utils)");
        let recording = Recording { child, path };
        // Recording has begun once audio (silence at first) flows into the file.
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::fs::metadata(&recording.path).map_or(0, |m| m.len()) < 8_192 {
            assert!(Instant::now() < deadline, "parecord wrote nothing in 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
        recording
    }

    pub fn finish(mut self) -> Clip {
        // SAFETY: signalling our own child, which has not been waited for yet.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGINT) };
        let status = self.child.wait().unwrap();
        assert!(
            status.success() || status.code().is_none(),
            "parecord: {status}"
        );
        wav::read(&self.path).expect("parecord's WAV")
    }
}

impl Drop for Recording {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
