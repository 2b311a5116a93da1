//! Drawing one frame with 10 languages and a full 2-minute history on two GPUs, on
//! ratatui's TestBackend at 160x48: the console's per-frame cost (target: under 2 ms).

use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use voxdeck_ui::snapshot::{
    GpuDevice, GpuPane, Heard, LanguageRow, LanguageState, RunState, Snapshot,
};
use voxdeck_ui::{draw, Theme};

fn busy_snapshot() -> Snapshot {
    let states = [
        LanguageState::Done,
        LanguageState::Running,
        LanguageState::Queued,
        LanguageState::Failed,
    ];
    let languages = (0..10)
        .map(|i| LanguageRow {
            code: format!("l{i}"),
            name: format!("Language {i}"),
            voice: "af_heart".into(),
            checked: true,
            text: "A sentence of some length to preview in the checklist.".into(),
            state: states[i % states.len()],
            sentences_done: i % 5,
            sentences_total: 5,
            cache_hits: i % 3,
            audio_seconds: i as f64 * 1.5,
            elapsed_seconds: i as f64,
            rtf: Some(0.7),
            provider: Some("CPUExecutionProvider".into()),
            error: (i % 4 == 3).then(|| "ONNX Runtime failed on sentence 2".into()),
            similarity: Some(0.6 + i as f32 * 0.03),
            heard: Heard::Scored {
                cer: i as f32 * 0.02,
                wer: Some(i as f32 * 0.04),
                flagged: i % 5 == 4,
                text: "A sentence of some length heard back.".into(),
            },
            warning: None,
            takes: 1 + i % 3,
        })
        .collect();
    // 2 minutes at the default 500 ms interval.
    let history: Vec<(f64, f64)> = (0..240)
        .map(|i| (-120.0 + i as f64 * 0.5, 0.3 + 0.2 * (i as f64 / 20.0).sin()))
        .collect();
    let device = |index: u32| GpuDevice {
        index,
        name: "NVIDIA H100 80GB HBM3".into(),
        memory_used_bytes: 20 << 30,
        memory_total_bytes: 80 << 30,
        utilization_percent: Some(87),
        temperature_celsius: Some(61),
        power_watts: Some(412.5),
        own_process_bytes: Some(3 << 30),
        own_per_worker_bytes: None,
        history: history.clone(),
    };
    let mut snap = Snapshot {
        languages,
        gpu: GpuPane::Devices(vec![device(0), device(1)]),
        ..Snapshot::default()
    };
    snap.header.state = RunState::Running;
    snap.header.job_name = "bench".into();
    snap.similarity_threshold = 0.75;
    snap
}

fn bench_draw(c: &mut Criterion) {
    let snap = busy_snapshot();
    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    c.bench_function(
        "draw 10 languages + 2 GPUs with 2 min history (160x48)",
        |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| {
                        draw(frame, &snap, &theme);
                    })
                    .unwrap();
            })
        },
    );
}

criterion_group!(benches, bench_draw);
criterion_main!(benches);
