//! Plain sample snapshots for the view tests: no clock, no randomness, so every draw is
//! the same on every machine.
#![allow(dead_code, unused_imports)]

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use voxdeck_ui::snapshot::*;
use voxdeck_ui::{draw, Areas, Theme};

mod fit;
mod popups;
mod progress;
pub use fit::{fitted, fitting};
pub use popups::{takes, voice_ranking};
pub use progress::{progress_table, takes_table, Cer, Facts, TakeFacts};

pub const GIB: u64 = 1 << 30;

/// The supported languages with their default voices; nothing ticked.
pub fn languages() -> Vec<LanguageRow> {
    [
        (
            "en-us",
            "English (US)",
            "af_heart",
            "The quick brown fox jumps over the lazy dog.",
        ),
        (
            "en-gb",
            "English (UK)",
            "bf_emma",
            "A cup of tea would restore my normality.",
        ),
        (
            "fr",
            "French",
            "ff_siwis",
            "Bonjour à tous, bienvenue dans notre émission.",
        ),
        (
            "es",
            "Spanish",
            "ef_dora",
            "Hola a todos y bienvenidos al programa.",
        ),
        (
            "it",
            "Italian",
            "if_sara",
            "Ciao a tutti e benvenuti alla trasmissione.",
        ),
        (
            "pt-br",
            "Portuguese",
            "pf_dora",
            "Olá a todos e bem-vindos ao programa.",
        ),
        (
            "ja",
            "Japanese",
            "jf_alpha",
            "皆さん、こんにちは。番組へようこそ。",
        ),
        (
            "zh",
            "Chinese",
            "zf_xiaobei",
            "大家好，欢迎收看我们的节目。",
        ),
        (
            "hi",
            "Hindi",
            "hf_alpha",
            "सभी को नमस्कार, हमारे कार्यक्रम में आपका स्वागत है।",
        ),
    ]
    .into_iter()
    .map(|(code, name, voice, text)| LanguageRow {
        code: code.into(),
        name: name.into(),
        voice: voice.into(),
        text: text.into(),
        ..Default::default()
    })
    .collect()
}

fn source() -> SourcePane {
    SourcePane {
        path: Some("assets/demo/source.wav".into()),
        duration_seconds: 6.42,
        sample_rate: 22050,
        channels: 1,
        // A speech-like envelope: two phrases with a pause between them.
        envelope: (0..64)
            .map(|i| match i {
                0..=2 | 30..=33 | 62.. => 0.02,
                _ => 0.25 + ((i * 37) % 11) as f32 / 15.0,
            })
            .collect(),
        error: None,
        transcript: Some(Transcript::Heard {
            language: "en".into(),
            text: "Good morning. This is the voice we want to hear in every language.".into(),
        }),
    }
}

/// Two minutes at 500 ms: a steady climb for device 0, a sawtooth for device 1.
pub fn history(shape: usize) -> Vec<(f64, f64)> {
    (0..=240)
        .map(|t| {
            let x = -120.0 + t as f64 * 0.5;
            let y = match shape {
                0 => 0.15 + 0.6 * t as f64 / 240.0,
                _ => 0.2 + 0.05 * (t % 40) as f64 / 4.0,
            };
            (x, y)
        })
        .collect()
}

pub fn two_gpus() -> GpuPane {
    GpuPane::Devices(vec![
        GpuDevice {
            index: 0,
            name: "NVIDIA H100 80GB HBM3".into(),
            memory_used_bytes: 61 * GIB + GIB / 2,
            memory_total_bytes: 80 * GIB,
            utilization_percent: Some(87),
            temperature_celsius: Some(64),
            power_watts: Some(412.4),
            own_process_bytes: Some(3 * GIB + GIB / 4),
            own_per_worker_bytes: Some(GIB + GIB / 12),
            history: history(0),
        },
        GpuDevice {
            index: 1,
            name: "NVIDIA H100 80GB HBM3".into(),
            memory_used_bytes: 18 * GIB,
            memory_total_bytes: 80 * GIB,
            utilization_percent: Some(12),
            temperature_celsius: Some(41),
            power_watts: Some(96.0),
            own_process_bytes: None,
            own_per_worker_bytes: None,
            history: history(1),
        },
    ])
}

pub fn no_nvml() -> GpuPane {
    GpuPane::Unavailable {
        reason: "libnvidia-ml.so.1 not found: no NVIDIA driver".into(),
        process_rss_bytes: 412 << 20,
        system_used_bytes: 9 * GIB + GIB / 5,
        system_total_bytes: 16 * GIB,
        history: history(0),
    }
}

fn header(state: RunState) -> Header {
    Header {
        job_name: "demo".into(),
        device: "auto".into(),
        provider: Some("CUDAExecutionProvider".into()),
        workers: 4,
        mode: "pool".into(),
        state,
        wall_seconds: 0.0,
        concurrency: None,
        run_counts: None,
    }
}

fn controls() -> Controls {
    Controls {
        workers: 4,
        mode: "pool".into(),
        device: "auto".into(),
    }
}

/// A new job: no clip, nothing ticked, the sampler not yet heard from.
pub fn empty_job() -> Snapshot {
    Snapshot {
        header: Header {
            job_name: "untitled".into(),
            provider: None,
            ..header(RunState::Idle)
        },
        languages: languages(),
        controls: controls(),
        similarity_threshold: 0.75,
        ..Default::default()
    }
}

/// The demo job, four languages ticked, idle, one GPU.
pub fn demo_idle() -> Snapshot {
    let mut snap = empty_job();
    snap.header = Header {
        provider: None,
        ..header(RunState::Idle)
    };
    snap.source = source();
    for code in ["en-us", "fr", "es", "it"] {
        lang(&mut snap, code).checked = true;
    }
    lang(&mut snap, "ja").warning = Some("voice not trained for ja".into());
    snap.cursor = 2;
    if let GpuPane::Devices(mut devices) = two_gpus() {
        devices.truncate(1);
        snap.gpu = GpuPane::Devices(devices);
    }
    snap.progress = progress_table(&snap, &[]);
    snap
}

pub fn lang<'a>(snap: &'a mut Snapshot, code: &str) -> &'a mut LanguageRow {
    snap.languages
        .iter_mut()
        .find(|l| l.code == code)
        .expect("fixture language")
}

/// Mid-run: fr done, es at 2/5, it queued, en-us failed.
pub fn running() -> Snapshot {
    let mut snap = demo_idle();
    snap.header = Header {
        wall_seconds: 4.25,
        concurrency: Some(2.61),
        ..header(RunState::Running)
    };
    snap.gpu = two_gpus();
    snap.focus = Focus::Progress;
    for (code, state) in [
        ("fr", LanguageState::Done),
        ("es", LanguageState::Running),
        ("it", LanguageState::Queued),
        ("en-us", LanguageState::Failed),
    ] {
        lang(&mut snap, code).state = state;
    }
    snap.progress = progress_table(&snap, &running_facts());
    snap
}

fn running_facts() -> Vec<Facts> {
    vec![
        Facts {
            code: "fr",
            done: 4,
            total: 4,
            audio: 7.84,
            elapsed: 1.97,
            rtf: Some(0.25),
            provider: Some("CUDAExecutionProvider"),
            ..Facts::default()
        },
        Facts {
            code: "es",
            done: 2,
            total: 5,
            // Both from the result cache of an earlier run.
            cache_hits: 2,
            audio: 3.10,
            elapsed: 1.02,
            rtf: Some(0.33),
            provider: Some("CUDAExecutionProvider"),
            ..Facts::default()
        },
        Facts {
            code: "it",
            total: 3,
            ..Facts::default()
        },
        Facts {
            code: "en-us",
            total: 4,
            elapsed: 0.31,
            error: Some("phonemize: espeak-ng voice 'en-us' missing"),
            ..Facts::default()
        },
    ]
}

/// The run is over with en-us failed; similarity scored; a result playing.
pub fn done_with_failure() -> Snapshot {
    let mut snap = running();
    snap.header.state = RunState::DoneWithFailures;
    snap.header.wall_seconds = 9.5;
    snap.header.concurrency = Some(2.87);
    lang(&mut snap, "es").state = LanguageState::Done;
    lang(&mut snap, "it").state = LanguageState::Done;
    let mut facts = running_facts();
    let es = &mut facts[1];
    (es.done, es.audio, es.elapsed) = (5, 8.02, 2.61);
    let it = &mut facts[2];
    (it.done, it.audio, it.elapsed, it.rtf) = (3, 6.5, 2.2, Some(0.34));
    it.provider = Some("CUDAExecutionProvider");
    // fr was redone twice with other voices and speeds.
    (facts[0].takes, facts[1].takes, facts[2].takes) = (3, 1, 1);
    (
        facts[0].similarity,
        facts[1].similarity,
        facts[2].similarity,
    ) = (Some(0.81), Some(0.62), Some(0.77));
    // Heard: fr fine, es over the limits, it still being transcribed.
    facts[0].cer = Some(Cer::Scored {
        rate: 0.03,
        flagged: false,
    });
    facts[1].cer = Some(Cer::Scored {
        rate: 0.42,
        flagged: true,
    });
    facts[2].cer = Some(Cer::Pending);
    snap.progress = progress_table(&snap, &facts);
    snap.playback = Playback::Playing {
        what: "fr result".into(),
        position_seconds: 2.5,
        duration_seconds: 7.84,
    };
    snap.status = Some("run done: 3 done, 1 failed".into());
    snap
}

pub fn render(snap: &Snapshot, width: u16, height: u16) -> (Terminal<TestBackend>, Areas) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    let theme = Theme::default();
    let mut areas = Areas::default();
    terminal
        .draw(|frame| areas = draw(frame, snap, &theme))
        .expect("draw");
    (terminal, areas)
}
