//! Every screen size and state draws without panicking, styles carry meaning, and the
//! log callback runs under the popups.

mod common;

use common::*;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;
use voxdeck_ui::snapshot::*;
use voxdeck_ui::{draw, draw_with, Theme};

fn fixtures() -> Vec<Snapshot> {
    let mut all = vec![empty_job(), demo_idle(), running(), done_with_failure()];
    let mut nvml = running();
    nvml.gpu = no_nvml();
    all.push(nvml);
    let popups = [
        Popup::Help,
        Popup::ConfirmCancel,
        Popup::ConfirmQuit,
        Popup::EditText {
            code: "ja".into(),
            text: "皆さん、こんにちは。".repeat(20),
        },
        Popup::OpenClip {
            input: "/a/very/long/path/".repeat(10),
        },
        voice_ranking(),
        takes(),
        // Odd voice QA data: nothing ranked or taken, indices out of range, NaN and
        // negative scores, wide text, huge take numbers.
        Popup::VoiceRanking {
            code: String::new(),
            probe_text: "番組へようこそ\n".repeat(30),
            ranking: Vec::new(),
            selected: 7,
            cached: 99,
        },
        Popup::VoiceRanking {
            code: "ja".into(),
            probe_text: String::new(),
            ranking: [f32::NAN, -0.4, 1.7, f32::NEG_INFINITY]
                .into_iter()
                .enumerate()
                .map(|(i, similarity)| RankedVoice {
                    voice: format!("{}_{i}", "very_long_voice_name".repeat(i + 1)),
                    similarity,
                    good: i % 2 == 0,
                })
                .collect(),
            selected: 40,
            cached: 0,
        },
        Popup::Takes {
            code: "zh".into(),
            table: TableView::default(),
            heard: Vec::new(),
            selected: 3,
            marked: Some(5),
        },
        Popup::Takes {
            code: "zh".into(),
            table: odd_table(),
            heard: vec![Part::new("\t\n大家好".repeat(30), Tone::Warn)],
            selected: 39,
            marked: Some(39),
        },
        common::fitting(FitOutcome::Searching),
        common::fitting(FitOutcome::Stopped("the fit was cancelled\n".repeat(9))),
        Popup::Fitting(FitView {
            code: "大家好".repeat(30),
            evaluations: usize::MAX,
            budget: 0,
            elapsed_seconds: f64::NAN,
            judges: vec!["ge2e".into(); 7],
            points: (0..300)
                .map(|i| FitPoint {
                    evaluations: usize::MAX - i,
                    probe: [f32::NAN, f32::INFINITY, -7.0, 0.5][i % 4],
                    held_out: vec![f32::NEG_INFINITY; i % 3],
                })
                .collect(),
            outcome: FitOutcome::Fitted {
                voice: String::new(),
                stock_voice: "x".repeat(500),
                stock: vec![f32::NAN],
                blend: Some(("+".repeat(400), vec![f32::INFINITY; 5])),
                fitted: Vec::new(),
                reused: true,
            },
        }),
    ];
    for popup in popups {
        let mut snap = running();
        snap.popup = Some(popup);
        all.push(snap);
    }
    // Odd data: cursor out of range, NaN and negative numbers, zero totals, no devices.
    let mut odd = running();
    odd.cursor = 99;
    odd.editing_inline = true;
    odd.source.envelope = vec![f32::NAN, -1.0, 7.0];
    odd.source.error = Some("unsupported codec".into());
    odd.header.concurrency = Some(f64::NAN);
    odd.playback = Playback::Playing {
        what: "A/B fr: source".into(),
        position_seconds: -3.0,
        duration_seconds: 0.0,
    };
    odd.gpu = GpuPane::Devices(vec![GpuDevice {
        memory_used_bytes: 5,
        memory_total_bytes: 0,
        history: vec![(f64::NAN, f64::INFINITY), (-500.0, -2.0)],
        ..Default::default()
    }]);
    // More sentences done than planned, and a negative time.
    let facts = [Facts {
        code: "es",
        done: 9,
        total: 5,
        elapsed: -1.0,
        rtf: Some(f64::NAN),
        ..Facts::default()
    }];
    odd.progress = progress_table(&odd, &facts);
    all.push(odd);
    let mut none = empty_job();
    none.languages.clear();
    none.gpu = GpuPane::Devices(Vec::new());
    all.push(none);
    all
}

const FOCUSES: [Focus; 5] = [
    Focus::Source,
    Focus::Languages,
    Focus::Controls,
    Focus::Progress,
    Focus::Log,
];

#[test]
fn every_size_from_zero_to_wide_draws() {
    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(0, 0)).unwrap();
    for (i, mut snap) in fixtures().into_iter().enumerate() {
        snap.focus = FOCUSES[i % FOCUSES.len()];
        for width in (0..=130u16).step_by(3).chain([1, 2, 59, 60, 61]) {
            for height in 0..=42u16 {
                terminal.backend_mut().resize(width, height);
                terminal.resize(Rect::new(0, 0, width, height)).unwrap();
                let mut areas = None;
                terminal
                    .draw(|frame| areas = Some(draw(frame, &snap, &theme)))
                    .unwrap_or_else(|e| panic!("{width}x{height} fixture {i}: {e}"));
                let log = areas.unwrap().log;
                let screen = Rect::new(0, 0, width, height);
                assert!(log.is_empty() || screen.contains(log.as_position()));
                assert!(log.right() <= width && log.bottom() <= height);
            }
        }
    }
}

#[test]
fn every_focus_draws_narrow_and_wide() {
    for focus in FOCUSES {
        let mut snap = running();
        snap.focus = focus;
        for (w, h) in [(40, 12), (59, 30), (80, 24), (20, 5), (8, 3)] {
            render(&snap, w, h);
        }
    }
}

#[test]
fn similarity_is_coloured_by_its_match_with_the_threshold() {
    let (terminal, _) = render(&done_with_failure(), 100, 28);
    let buffer = terminal.backend().buffer();
    let find = |text: &str| {
        (0..buffer.area.height)
            .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
            .find(|&(x, y)| {
                (0..text.len() as u16)
                    .all(|i| buffer[(x + i, y)].symbol() == &text[i as usize..=i as usize])
            })
            .unwrap_or_else(|| panic!("{text} on screen"))
    };
    let theme = Theme::default();
    let good = find("0.81");
    let poor = find("0.62");
    assert_eq!(buffer[good].fg, theme.ok.fg.unwrap());
    // A weak match is a warning, in the progress table as in the takes popup.
    assert_eq!(buffer[poor].fg, theme.warn.fg.unwrap());
    assert_ne!(theme.ok.fg, Some(Color::Reset));
    assert_ne!(theme.ok.fg, theme.warn.fg);
}

/// The first cell of `text` on screen.
fn find(buffer: &ratatui::buffer::Buffer, text: &str) -> (u16, u16) {
    let cells: Vec<String> = text.chars().map(String::from).collect();
    (0..buffer.area.height)
        .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .find(|&(x, y)| {
            cells.iter().enumerate().all(|(i, c)| {
                x + (i as u16) < buffer.area.width && buffer[(x + i as u16, y)].symbol() == c
            })
        })
        .unwrap_or_else(|| panic!("{text} on screen"))
}

#[test]
fn voice_qa_popups_colour_scores_and_highlight_the_selection() {
    let theme = Theme::default();
    let mut snap = done_with_failure();
    snap.popup = Some(voice_ranking());
    let (terminal, _) = render(&snap, 100, 30);
    let buffer = terminal.backend().buffer();
    assert_eq!(buffer[find(buffer, "0.86")].fg, theme.ok.fg.unwrap());
    assert_eq!(buffer[find(buffer, "0.74")].fg, theme.warn.fg.unwrap());
    // Row 2 (af_bella) is selected; row 1 is not.
    let selected = buffer[find(buffer, "af_bella")].modifier;
    assert!(selected.contains(Modifier::REVERSED));
    assert!(!buffer[find(buffer, "ff_siwis")]
        .modifier
        .contains(Modifier::REVERSED));

    snap.popup = Some(takes());
    let (terminal, _) = render(&snap, 100, 30);
    let buffer = terminal.backend().buffer();
    assert_eq!(buffer[find(buffer, "0.72")].fg, theme.warn.fg.unwrap());
    let unscored = find(buffer, "1.15×    –");
    let dash = (unscored.0 + 9, unscored.1);
    assert_eq!(buffer[dash].fg, theme.dim.fg.unwrap());
    assert!(buffer[dash].modifier.contains(Modifier::REVERSED));
    let marker = find(buffer, "A 1 ff_siwis");
    assert_eq!(buffer[marker].fg, theme.active.fg.unwrap());
}

#[test]
fn the_log_renders_between_panes_and_popup() {
    let mut snap = demo_idle();
    snap.popup = Some(Popup::Help);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut seen = Rect::default();
    let mut areas = None;
    terminal
        .draw(|frame| {
            areas = Some(draw_with(frame, &snap, &Theme::default(), |frame, rect| {
                seen = rect;
                for pos in rect.positions() {
                    frame.buffer_mut()[pos].set_symbol("X");
                }
            }))
        })
        .unwrap();
    let log = areas.unwrap().log;
    assert_eq!(seen, log);
    assert!(log.width > 40 && log.height >= 2, "{log:?}");
    let buffer = terminal.backend().buffer();
    let covered = log
        .positions()
        .filter(|&p| buffer[p].symbol() != "X")
        .count();
    let uncovered = log
        .positions()
        .filter(|&p| buffer[p].symbol() == "X")
        .count();
    assert!(
        covered > 0,
        "the help popup overlaps the log and stays on top"
    );
    assert!(uncovered > 0, "the rest of the log is the caller's");
}

#[test]
fn log_area_lies_inside_its_frame() {
    let (terminal, areas) = render(&running(), 100, 30);
    let buffer = terminal.backend().buffer();
    let log = areas.log;
    let corner = buffer[(log.x - 1, log.y - 1)].symbol();
    assert_eq!(corner, "┌");
    let title: String = (0..3)
        .map(|i| buffer[(log.x + i, log.y - 1)].symbol())
        .collect();
    assert_eq!(title, "log");
}

/// A table of 40 rows of odd cells: wide characters, control characters, gauges out of
/// range, a spanning cell in the middle, rows shorter and longer than the columns.
fn odd_table() -> TableView {
    let widths = [
        Width::Fixed(0),
        Width::Fixed(u16::MAX),
        Width::Content { min: 9, max: 2 },
        Width::Content { min: 0, max: 0 },
    ];
    let columns = (0..6)
        .map(|i| ColumnHead {
            always: i == 1,
            shrinks_to: (i % 2 == 0).then_some(i as u16),
            grows: i > 3,
            align: [Align::Left, Align::Right][i % 2],
            ..ColumnHead::new(&"大".repeat(i), widths[i % 4], (7 - i) as u8)
        })
        .collect();
    let rows = (0..40)
        .map(|i| {
            let cells = [
                CellView::text("大家好，欢迎收看我们的节目。\t".repeat(i % 5), Tone::Dim),
                CellView::Gauge {
                    fraction: [f64::NAN, -1.0, 1e9, 0.5][i % 4],
                    tone: Tone::Ok,
                    label: "\n".repeat(i),
                    wide_label: Some("大".repeat(i)),
                },
                CellView::Text(vec![
                    Part::optional("zf_xiaobei".repeat(i % 4), Tone::Active),
                    Part::new("\u{200b}", Tone::Fail),
                ]),
                CellView::Empty,
                CellView::Spanning(Part::new("failed\n".repeat(i % 3), Tone::Fail)),
            ];
            cells.into_iter().cycle().skip(i).take(i % 8).collect()
        })
        .collect();
    TableView {
        columns,
        rows,
        selected: Some(39),
    }
}
