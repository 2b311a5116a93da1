//! The progress table and takes table as the console words them, written out by hand for
//! the views to draw (the console's own column lists are tested in the voxdeck crate).

use voxdeck_ui::snapshot::*;

/// What the progress table says of one language.
#[derive(Clone, Default)]
pub struct Facts {
    pub code: &'static str,
    pub state: LanguageState,
    pub done: usize,
    pub total: usize,
    pub cache_hits: usize,
    pub audio: f64,
    pub elapsed: f64,
    pub rtf: Option<f64>,
    pub provider: Option<&'static str>,
    pub error: Option<&'static str>,
    pub similarity: Option<f32>,
    pub cer: Option<Cer>,
    pub takes: usize,
}

#[derive(Clone, Copy)]
pub enum Cer {
    Pending,
    Scored { rate: f32, flagged: bool },
}

fn progress_columns() -> Vec<ColumnHead> {
    let head = ColumnHead::new;
    vec![
        ColumnHead {
            always: true,
            ..head("lang", Width::Fixed(5), 0)
        },
        ColumnHead {
            always: true,
            ..head("state", Width::Fixed(9), 1)
        },
        ColumnHead {
            shrinks_to: Some(4),
            grows: true,
            ..head("sentences", Width::Fixed(10), 2)
        },
        head("audio", Width::Fixed(7), 3),
        head("elapsed", Width::Fixed(7), 20),
        head("RTF", Width::Fixed(4), 4),
        head("EP", Width::Fixed(5), 21),
        head("voice", Width::Fixed(10), 22),
        ColumnHead {
            align: Align::Right,
            ..head("sim", Width::Content { min: 4, max: 6 }, 10)
        },
        head("CER", Width::Fixed(4), 11),
    ]
}

fn seconds(value: f64) -> CellView {
    CellView::plain(voxdeck_ui::seconds(value))
}

fn cer(value: Option<Cer>) -> CellView {
    match value {
        None => CellView::Empty,
        Some(Cer::Pending) => CellView::text("…", Tone::Dim),
        Some(Cer::Scored { rate, flagged }) => CellView::text(
            format!("{:.0}%", rate * 100.0),
            if flagged { Tone::Fail } else { Tone::Ok },
        ),
    }
}

fn row(lang: &LanguageRow, facts: Option<&Facts>) -> Vec<CellView> {
    let (label, tone) = match lang.state {
        LanguageState::Idle => ("idle", Tone::Dim),
        LanguageState::Queued => ("queued", Tone::Dim),
        LanguageState::Running => ("running", Tone::Active),
        LanguageState::Done => ("done", Tone::Ok),
        LanguageState::Failed => ("failed", Tone::Fail),
        LanguageState::Cancelled => ("cancelled", Tone::Warn),
    };
    let mut state = vec![Part::new(label, tone)];
    let f = facts.cloned().unwrap_or_default();
    if f.takes > 1 {
        state.push(Part::optional(format!(" t{}", f.takes), Tone::Dim));
    }
    let mut cells = vec![CellView::plain(lang.code.clone()), CellView::Text(state)];
    let started = lang.state != LanguageState::Idle;
    let timed = started && lang.state != LanguageState::Queued;
    if lang.state == LanguageState::Failed {
        let error = f.error.unwrap_or("failed");
        cells.push(CellView::Spanning(Part::new(error, Tone::Fail)));
        return cells;
    }
    cells.push(match started {
        true => CellView::Gauge {
            fraction: if f.total == 0 {
                0.0
            } else {
                f.done as f64 / f.total as f64
            },
            tone: match lang.state {
                LanguageState::Done => Tone::Ok,
                LanguageState::Cancelled => Tone::Warn,
                _ => Tone::Plain,
            },
            label: format!(" {}/{}", f.done, f.total),
            wide_label: (f.cache_hits > 0)
                .then(|| format!(" {}/{}, {} cached", f.done, f.total, f.cache_hits)),
        },
        false => CellView::Empty,
    });
    let when = |cell: CellView, shown: bool| if shown { cell } else { CellView::Empty };
    cells.push(when(seconds(f.audio), timed));
    cells.push(when(seconds(f.elapsed), timed));
    cells.push(
        f.rtf
            .map_or(CellView::Empty, |r| CellView::plain(format!("{r:.2}"))),
    );
    let provider = f
        .provider
        .map(|p| p.strip_suffix("ExecutionProvider").unwrap_or(p));
    cells.push(provider.map_or(CellView::Empty, CellView::plain));
    cells.push(CellView::plain(lang.voice.clone()));
    cells.push(match f.similarity {
        Some(v) if v >= 0.75 => CellView::text(format!("{v:.2}"), Tone::Ok),
        Some(v) => CellView::text(format!("{v:.2}"), Tone::Warn),
        None => CellView::Empty,
    });
    cells.push(cer(f.cer));
    cells
}

/// The progress table of `snap`'s rows (ticked or run), with `facts` for those run.
pub fn progress_table(snap: &Snapshot, facts: &[Facts]) -> TableView {
    let shown: Vec<usize> = (0..snap.languages.len())
        .filter(|&i| snap.languages[i].in_progress_table())
        .collect();
    TableView {
        columns: progress_columns(),
        rows: (shown.iter())
            .map(|&i| {
                let lang = &snap.languages[i];
                row(lang, facts.iter().find(|f| f.code == lang.code))
            })
            .collect(),
        selected: shown.iter().position(|&i| i == snap.cursor),
    }
}

/// One take of the takes table.
pub struct TakeFacts {
    pub take: usize,
    pub voice: &'static str,
    pub speed: f32,
    pub text: &'static str,
    pub similarity: Option<f32>,
    pub cer: Option<Cer>,
}

pub fn takes_table(takes: &[TakeFacts], selected: usize, marked: Option<usize>) -> TableView {
    let head = ColumnHead::new;
    let right = |h: ColumnHead| ColumnHead {
        align: Align::Right,
        ..h
    };
    let columns = vec![
        head("", Width::Fixed(1), 0),
        right(head("#", Width::Content { min: 1, max: 6 }, 1)),
        ColumnHead {
            shrinks_to: Some(4),
            ..head("voice", Width::Content { min: 5, max: 20 }, 20)
        },
        right(head("speed", Width::Content { min: 5, max: 8 }, 21)),
        right(head("sim", Width::Content { min: 4, max: 6 }, 10)),
        head("CER", Width::Fixed(4), 11),
        ColumnHead {
            shrinks_to: Some(4),
            grows: true,
            ..head("text", Width::Content { min: 4, max: 48 }, 22)
        },
    ];
    let rows = (takes.iter().enumerate())
        .map(|(i, t)| {
            vec![
                match marked == Some(i) {
                    true => CellView::text("A", Tone::Active),
                    false => CellView::Empty,
                },
                CellView::plain(t.take.to_string()),
                CellView::plain(t.voice),
                CellView::plain(format!("{:.2}×", t.speed)),
                match t.similarity {
                    Some(v) if v >= 0.75 => CellView::text(format!("{v:.2}"), Tone::Ok),
                    Some(v) => CellView::text(format!("{v:.2}"), Tone::Warn),
                    None => CellView::text("–", Tone::Dim),
                },
                cer(t.cer),
                CellView::text(t.text, Tone::Dim),
            ]
        })
        .collect();
    TableView {
        columns,
        rows,
        selected: Some(selected),
    }
}
