//! The framed, centered box every popup is drawn in.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};
use ratatui::Frame;

use crate::theme::Theme;

/// Clears a centered `width` x `height` box (clamped to the screen) and frames it; returns
/// the inside, which is the whole box when the screen is too small for a frame.
pub(super) fn boxed(
    frame: &mut Frame,
    screen: Rect,
    width: u16,
    height: u16,
    block: Block<'_>,
) -> Rect {
    let area = screen.centered(
        Constraint::Length(width.min(screen.width)),
        Constraint::Length(height.min(screen.height)),
    );
    frame.render_widget(Clear, area);
    if area.width < 5 || area.height < 3 {
        return area;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

pub(super) fn frame_block<'a>(title: &'a str, hint: &'a str, theme: &Theme) -> Block<'a> {
    let mut block = Block::bordered()
        .border_style(theme.border_focused)
        .title(Span::styled(title, theme.title));
    if !hint.is_empty() {
        block = block.title_bottom(Line::styled(hint, theme.dim).right_aligned());
    }
    block
}
