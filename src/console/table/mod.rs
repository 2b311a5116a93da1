//! The console's tables as lists of column definitions (header, width, priority when the
//! pane is narrow, how to word a cell), as bottom's `data_table` keeps them. The views draw
//! whatever columns a list holds: adding a column is one definition here. A take's scores
//! are columns of both tables, defined once in `scores`.

pub mod progress;
pub mod scores;
pub mod takes;

use voxdeck_ui::table::{CellView, ColumnHead, TableView};

use crate::qa::scores::TakeScores;
use scores::{ScoreColumn, ScoreRules};

/// One column of a table whose rows are `R`.
pub struct Column<R> {
    pub head: ColumnHead,
    pub cell: CellOf<R>,
}

/// How a column words its cell.
pub enum CellOf<R> {
    /// From the row.
    Row(fn(&R) -> CellView),
    /// From the scores of the row's take (empty while it has none).
    Score(fn(&TakeScores, &ScoreRules) -> CellView),
}

/// A row that may have a take with scores.
pub trait ScoredRow {
    fn scores(&self) -> Option<&TakeScores>;
}

impl<R> Column<R> {
    pub fn row(head: ColumnHead, cell: fn(&R) -> CellView) -> Column<R> {
        Column {
            head,
            cell: CellOf::Row(cell),
        }
    }

    /// A score column in this table, placed by its `priority` among the table's own.
    pub fn score(score: &ScoreColumn, priority: u8) -> Column<R> {
        let mut head = score.head.clone();
        head.priority = priority;
        Column {
            head,
            cell: CellOf::Score(score.cell),
        }
    }
}

/// The table of `rows` under `columns`, `selected` highlighted.
pub fn build<R: ScoredRow>(
    columns: &[Column<R>],
    rows: &[R],
    rules: &ScoreRules,
    selected: Option<usize>,
) -> TableView {
    TableView {
        columns: columns.iter().map(|c| c.head.clone()).collect(),
        rows: rows
            .iter()
            .map(|row| {
                (columns.iter())
                    .map(|c| match &c.cell {
                        CellOf::Row(cell) => cell(row),
                        CellOf::Score(cell) => row
                            .scores()
                            .map_or(CellView::Empty, |scores| cell(scores, rules)),
                    })
                    .collect()
            })
            .collect(),
        selected,
    }
}
