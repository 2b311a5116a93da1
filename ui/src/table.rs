//! A table as plain data: its columns (header, width, priority when the pane is narrow) and
//! its cells, already worded and toned by the console. The views lay it out and draw it;
//! they know nothing of what a column means, so adding a column is one definition where the
//! console lists its columns.

/// The role of a piece of text; the theme gives each its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Plain,
    Dim,
    Active,
    Ok,
    Warn,
    Fail,
}

/// A run of text in one tone.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Part {
    pub text: String,
    pub tone: Tone,
    /// Left out, rather than cut, when the column is too narrow for it.
    pub optional: bool,
}

impl Part {
    pub fn new(text: impl Into<String>, tone: Tone) -> Part {
        Part {
            text: text.into(),
            tone,
            optional: false,
        }
    }

    pub fn optional(text: impl Into<String>, tone: Tone) -> Part {
        Part {
            optional: true,
            ..Part::new(text, tone)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub enum CellView {
    #[default]
    Empty,
    /// Parts in a row, cut at the column's width.
    Text(Vec<Part>),
    /// A bar filled to `fraction`, followed by a label: `wide_label` when there is room for
    /// it beside a bar, else `label`; the label alone when no bar fits.
    Gauge {
        fraction: f64,
        tone: Tone,
        label: String,
        wide_label: Option<String>,
    },
    /// Fills this column and every later one of the row (a failed row's error).
    Spanning(Part),
}

impl CellView {
    pub fn text(text: impl Into<String>, tone: Tone) -> CellView {
        CellView::Text(vec![Part::new(text, tone)])
    }

    pub fn plain(text: impl Into<String>) -> CellView {
        CellView::text(text, Tone::Plain)
    }
}

/// How wide a column wants to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    Fixed(u16),
    /// As wide as its widest cell (or header), within these bounds.
    Content {
        min: u16,
        max: u16,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColumnHead {
    pub header: String,
    pub width: Width,
    /// Columns are kept in order of priority (lowest first) while they fit.
    pub priority: u8,
    pub align: Align,
    /// Shown however narrow the pane.
    pub always: bool,
    /// When its full width does not fit, it takes what is left if that is at least this.
    pub shrinks_to: Option<u16>,
    /// Takes the width left over once the columns are chosen (the first such column).
    pub grows: bool,
}

impl ColumnHead {
    pub fn new(header: &str, width: Width, priority: u8) -> ColumnHead {
        ColumnHead {
            header: header.to_string(),
            width,
            priority,
            align: Align::Left,
            always: false,
            shrinks_to: None,
            grows: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableView {
    pub columns: Vec<ColumnHead>,
    /// One cell per column, in the columns' order.
    pub rows: Vec<Vec<CellView>>,
    /// The highlighted row, if any.
    pub selected: Option<usize>,
}
