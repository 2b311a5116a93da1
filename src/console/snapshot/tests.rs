use std::path::PathBuf;

use voxdeck_ui::snapshot::{CellView, ColumnHead, Part, Tone, Width};

use super::*;
use crate::console::table::scores::ScoreColumn;
use crate::engine::outcome::Status;
use crate::engine::progress::LanguageProgress;
use crate::languages::ModelKind;
use crate::qa::scores::{TakeScores, Transcription};
use crate::report::Take;
use crate::session::state::LanguageRecord;

/// A model of a job with French, and French's row.
fn model() -> (Model, usize) {
    let text = "[[language]]\ncode = \"fr\"\ntext = \"Bonjour.\"\n";
    let job = crate::job::JobSpec::parse(
        text,
        std::path::Path::new("t.toml"),
        std::path::Path::new("."),
        "seam".into(),
    )
    .unwrap();
    let model = Model::new(Some(&job), vec![], Default::default());
    let fr = model
        .languages
        .iter()
        .position(|l| l.language.code == "fr")
        .unwrap();
    (model, fr)
}

/// French's record in run 1, in `status`, with takes scored `similarities`.
fn record(status: Status, similarities: &[Option<f32>]) -> LanguageRecord {
    let mut progress = LanguageProgress::new("fr", ModelKind::Kokoro, "ff_siwis");
    progress.status = status;
    (progress.sentences_done, progress.sentences_total) = (1, 3);
    progress.output = Some(PathBuf::from("fr.wav"));
    let mut record = LanguageRecord::new(1, progress);
    record.takes = (similarities.iter().enumerate())
        .map(|(i, &similarity)| Take {
            take: i + 1,
            run: 1,
            voice: "ff_siwis".into(),
            speed: 1.0,
            text: "Bonjour.".into(),
            output: Some(PathBuf::from(format!("fr-take{}.wav", i + 1))),
            scores: TakeScores {
                similarity,
                ..TakeScores::pending()
            },
        })
        .collect();
    record
}

fn text(cell: &CellView) -> String {
    match cell {
        CellView::Text(parts) => parts.iter().map(|p| p.text.as_str()).collect(),
        CellView::Gauge { label, .. } => label.clone(),
        CellView::Spanning(part) => part.text.clone(),
        CellView::Empty => String::new(),
    }
}

/// The cell under `header` in each row.
fn column(table: &TableView, header: &str) -> Vec<String> {
    let c = (table.columns.iter())
        .position(|h| h.header == header)
        .unwrap_or_else(|| panic!("no column {header}"));
    table.rows.iter().map(|row| text(&row[c])).collect()
}

/// The takes popup of French as the takes key opens it (the table is the snapshot's to fill).
fn takes_popup(marked: Option<usize>) -> Popup {
    Popup::Takes {
        code: "fr".into(),
        table: TableView::default(),
        heard: Vec::new(),
        selected: 0,
        marked,
    }
}

#[test]
fn rows_carry_the_sessions_progress_and_scores() {
    let (mut m, fr) = model();
    m.languages[fr].record = Some(record(Status::Running, &[]));
    m.run.codes = vec!["fr".into()];
    m.run.synthesis_seconds = 3.0;
    m.run.wall_seconds = 2.0;
    let snap = snapshot(&m, Instant::now());
    let row = &snap.languages[fr];
    assert_eq!(
        (row.code.as_str(), row.state, row.checked),
        ("fr", LanguageState::Running, true)
    );
    assert_eq!(column(&snap.progress, "sentences"), [" 1/3"]);
    assert_eq!(column(&snap.progress, "state"), ["running"]);
    assert_eq!(snap.header.concurrency, Some(1.5));
    assert_eq!(
        snap.header.run_counts,
        Some((0, 0, 1)),
        "counts this run's rows only"
    );

    m.languages[fr].record = Some(record(Status::Done, &[Some(0.6), Some(0.8)]));
    let snap = snapshot(&m, Instant::now());
    assert_eq!(column(&snap.progress, "sim"), ["0.80"], "the latest take's");
    assert_eq!(column(&snap.progress, "CER"), ["…"], "being transcribed");
    assert_eq!(column(&snap.progress, "state"), ["done t2"]);
    // Asked to run again: queued, without the last run's scores, until the session runs it.
    m.languages[fr].queued_after = Some(1);
    let snap = snapshot(&m, Instant::now());
    assert_eq!(column(&snap.progress, "state"), ["queued t2"]);
    assert_eq!(column(&snap.progress, "sim"), [""]);
}

#[test]
fn the_takes_popup_shows_scores_that_arrive_while_it_is_open() {
    let (mut m, fr) = model();
    m.languages[fr].record = Some(record(Status::Done, &[None]));
    m.popup = Some(takes_popup(None));
    let take = &mut m.languages[fr].record.as_mut().unwrap().takes[0];
    take.scores.similarity = Some(0.7);
    take.scores.transcription = Some(Transcription {
        text: "bonjour".into(),
        language: "fr".into(),
        cer: 0.0,
        wer: Some(0.0),
        flagged: false,
        elapsed_seconds: 0.2,
    });
    match snapshot(&m, Instant::now()).popup {
        Some(Popup::Takes { table, heard, .. }) => {
            assert_eq!(column(&table, "sim"), ["0.70"]);
            assert_eq!(column(&table, "CER"), ["0%"]);
            let heard: String = heard.iter().map(|p: &Part| p.text.as_str()).collect();
            assert_eq!(heard, "heard: \"bonjour\" (WER 0%)");
        }
        other => panic!("{other:?}"),
    }
}

/// A score added through the column list alone appears in both tables, worded by its one
/// definition, for the latest take in the progress table and for every take in the popup.
#[test]
fn a_score_column_added_once_shows_in_both_tables() {
    let (mut m, fr) = model();
    m.languages[fr].record = Some(record(Status::Done, &[Some(0.5), Some(0.9)]));
    m.run.codes = vec!["fr".into()];
    m.score_columns.push(ScoreColumn {
        head: ColumnHead::new("test", Width::Fixed(6), 0),
        cell: |scores, _| {
            let tone = if scores.similarity > Some(0.6) {
                Tone::Ok
            } else {
                Tone::Warn
            };
            CellView::text(format!("x{:.1}", scores.similarity.unwrap_or(0.0)), tone)
        },
    });
    m.popup = Some(takes_popup(None));
    let snap = snapshot(&m, Instant::now());
    assert_eq!(column(&snap.progress, "test"), ["x0.9"]);
    let Some(Popup::Takes { table, .. }) = &snap.popup else {
        panic!("{:?}", snap.popup)
    };
    assert_eq!(column(table, "test"), ["x0.5", "x0.9"]);
    // And the views draw it: a wide screen shows the new header in both tables.
    let screen = draw(&snap, 120, 30);
    assert!(screen.matches("test").count() >= 2, "{screen}");
    assert!(
        screen.contains("x0.5") && screen.contains("x0.9"),
        "{screen}"
    );
}

fn draw(snap: &voxdeck_ui::Snapshot, width: u16, height: u16) -> String {
    use ratatui::backend::TestBackend;
    let mut terminal = ratatui::Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| {
            voxdeck_ui::draw(f, snap, &voxdeck_ui::Theme::default());
        })
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn narrow_progress_tables_keep_lang_state_and_gauge_first() {
    let (mut m, fr) = model();
    m.languages[fr].record = Some(record(Status::Running, &[]));
    let table = snapshot(&m, Instant::now()).progress;
    let layout = |w| voxdeck_ui::view::table_layout(&table, w);
    let headers = |w| -> Vec<String> {
        layout(w)
            .iter()
            .map(|&(c, _)| table.columns[c].header.clone())
            .collect()
    };
    assert_eq!(headers(26), ["lang", "state", "sentences"]);
    assert_eq!(layout(26)[2].1, 10);
    let wide = layout(80);
    assert_eq!(wide.len(), table.columns.len(), "every column at 80");
    let gaps = wide.len() as u16 - 1;
    assert_eq!(wide.iter().map(|&(_, w)| w).sum::<u16>() + gaps, 80);
    assert_eq!(headers(3), ["lang", "state"]);
    // Past the gauge, the timings and scores before the provider and voice.
    assert_eq!(
        headers(52),
        ["lang", "state", "sentences", "audio", "RTF", "sim", "CER"]
    );
}

#[test]
fn narrow_takes_tables_drop_text_speed_voice_loudness_cer_in_turn() {
    let (mut m, fr) = model();
    let mut long = record(Status::Done, &[Some(0.5)]);
    long.takes[0].voice = "af_nicole".into();
    long.takes[0].text = "x".repeat(40);
    m.languages[fr].record = Some(long);
    m.popup = Some(takes_popup(Some(0)));
    let Some(Popup::Takes { table, .. }) = snapshot(&m, Instant::now()).popup else {
        panic!()
    };
    let cols = |w| -> Vec<String> {
        let layout = voxdeck_ui::view::table_layout(&table, w);
        layout
            .iter()
            .map(|&(c, _)| table.columns[c].header.clone())
            .collect()
    };
    let all = ["", "#", "voice", "speed", "sim", "CER", "LUFS", "text"];
    assert_eq!(cols(80), all);
    let wide = voxdeck_ui::view::table_layout(&table, 80);
    assert_eq!(
        wide.iter().map(|&(_, w)| w as usize + 1).sum::<usize>() - 1,
        80
    );
    assert_eq!(cols(26), ["", "#", "voice", "sim", "CER", "LUFS"]);
    assert_eq!(cols(20), ["", "#", "sim", "CER", "LUFS"]);
    assert_eq!(cols(14), ["", "#", "sim", "CER"]);
    assert_eq!(cols(12), ["", "#", "sim"]);
    assert_eq!(cols(7), ["", "#"]);
    assert_eq!(cols(2), [""]);
    assert!(cols(0).is_empty());
}

#[test]
fn speeds_read_as_multiples() {
    use crate::console::table::takes::speed_text;
    assert_eq!(speed_text(1.0), "1.00×");
    assert_eq!(speed_text(f32::INFINITY), "–");
}
