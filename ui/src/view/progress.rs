//! The progress table: one row per language in the current or next run. Its columns are
//! the console's (`Snapshot::progress`); this pane titles and draws them.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::Frame;

use crate::snapshot::{Focus, LanguageState, Snapshot};
use crate::theme::Theme;

pub(crate) fn title(snap: &Snapshot) -> Line<'static> {
    let (mut total, mut done, mut failed) = (0, 0, 0);
    for lang in snap.languages.iter().filter(|l| l.in_progress_table()) {
        total += 1;
        match lang.state {
            LanguageState::Done => done += 1,
            LanguageState::Failed => failed += 1,
            _ => {}
        }
    }
    if let Some(counts) = snap.header.run_counts {
        (done, failed, total) = counts;
    }
    let mut title = format!("progress {done}/{total} done");
    if failed > 0 {
        title.push_str(&format!(", {failed} failed"));
    }
    Line::raw(title)
}

pub(crate) fn table(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    if snap.progress.rows.is_empty() {
        let hint = "no languages ticked (Space, a)";
        frame.render_widget(Line::styled(hint, theme.dim), area);
        return;
    }
    let highlight = if snap.focus == Focus::Progress {
        theme.highlight
    } else {
        Style::default()
    };
    super::table::draw(frame, area, &snap.progress, 2, highlight, theme);
}
