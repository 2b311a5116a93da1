//! Drawing one frame with 10 languages and a full 2-minute history on two GPUs, on
//! ratatui's TestBackend at 160x48: the console's per-frame cost (target: under 2 ms).

use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use voxdeck_ui::snapshot::{
    CellView, ColumnHead, GpuDevice, GpuPane, LanguageRow, LanguageState, Part, RunState, Snapshot,
    TableView, Tone, Width,
};
use voxdeck_ui::{draw, Theme};

fn busy_snapshot() -> Snapshot {
    let states = [
        LanguageState::Done,
        LanguageState::Running,
        LanguageState::Queued,
        LanguageState::Failed,
    ];
    let languages: Vec<LanguageRow> = (0..10)
        .map(|i| LanguageRow {
            code: format!("l{i}"),
            name: format!("Language {i}"),
            voice: "af_heart".into(),
            checked: true,
            text: "A sentence of some length to preview in the checklist.".into(),
            state: states[i % states.len()],
            warning: None,
        })
        .collect();
    // The progress table as the console words it: ten columns, a gauge, a failed row's error.
    let head = ColumnHead::new;
    let columns = [
        "lang",
        "state",
        "sentences",
        "audio",
        "elapsed",
        "RTF",
        "EP",
        "voice",
    ]
    .iter()
    .enumerate()
    .map(|(i, h)| ColumnHead {
        grows: i == 2,
        ..head(h, Width::Fixed([5, 9, 10, 7, 7, 4, 5, 10][i]), i as u8)
    })
    .chain(["sim", "CER"].map(|h| head(h, Width::Fixed(4), 8)))
    .collect();
    let rows = (0..10)
        .map(|i| {
            let mut row = vec![
                CellView::plain(format!("l{i}")),
                CellView::Text(vec![
                    Part::new("running", Tone::Active),
                    Part::optional(format!(" t{}", 1 + i % 3), Tone::Dim),
                ]),
            ];
            if i % 4 == 3 {
                row.push(CellView::Spanning(Part::new(
                    "ONNX Runtime failed on sentence 2",
                    Tone::Fail,
                )));
                return row;
            }
            row.push(CellView::Gauge {
                fraction: (i % 5) as f64 / 5.0,
                tone: Tone::Plain,
                label: format!(" {}/5", i % 5),
                wide_label: Some(format!(" {}/5, {} cached", i % 5, i % 3)),
            });
            for text in ["1.50 s", "1.00 s", "0.70", "CPU", "af_heart", "0.72", "4%"] {
                row.push(CellView::plain(text));
            }
            row
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
        progress: TableView {
            columns,
            rows,
            selected: Some(1),
        },
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
