//! Splitting a column among panes by priority, and the titled frame around a pane.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use ratatui::Frame;

use crate::theme::Theme;

/// A pane's claim on a column: shown only when `min` rows fit, grown up to `want`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    min: u16,
    want: u16,
    fill: bool,
}

impl Slot {
    pub(crate) fn new(min: u16, want: u16) -> Self {
        Slot {
            min,
            want: want.max(min),
            fill: false,
        }
    }

    pub(crate) fn fixed(height: u16) -> Self {
        Slot::new(height, height)
    }

    /// Takes whatever the others leave once they have their wants.
    pub(crate) fn fill(min: u16) -> Self {
        Slot {
            min,
            want: min,
            fill: true,
        }
    }
}

/// Splits `area` top to bottom. `priority` lists slot indices, most important first:
/// mins are granted in that order (a slot whose min does not fit is dropped, height 0),
/// then wants; rows still left go to the most important shown fill slot (or, with none,
/// the most important shown slot).
pub(crate) fn stack<const N: usize>(
    area: Rect,
    slots: [Slot; N],
    priority: [usize; N],
) -> [Rect; N] {
    let mut heights = [0u16; N];
    let mut left = area.height;
    let mut shown = [false; N];
    for &i in &priority {
        if slots[i].min <= left {
            heights[i] = slots[i].min;
            shown[i] = true;
            left -= slots[i].min;
        }
    }
    for &i in &priority {
        if shown[i] {
            let extra = (slots[i].want - heights[i]).min(left);
            heights[i] += extra;
            left -= extra;
        }
    }
    let taker = priority
        .iter()
        .find(|&&i| shown[i] && slots[i].fill)
        .or_else(|| priority.iter().find(|&&i| shown[i]));
    if let Some(&first) = taker {
        heights[first] += left;
    }
    let mut rects = [Rect::default(); N];
    let mut y = area.y;
    for i in 0..N {
        if shown[i] && heights[i] > 0 {
            rects[i] = Rect {
                y,
                height: heights[i],
                ..area
            };
            y += heights[i];
        }
    }
    rects
}

/// Draws a bordered, titled frame and returns its inside. `bare`, or too small for a
/// border (fewer than 3 rows or 8 columns), the pane goes frameless with the whole area.
pub(crate) fn framed(
    frame: &mut Frame,
    area: Rect,
    title: Line<'_>,
    focused: bool,
    theme: &Theme,
    bare: bool,
) -> Rect {
    if bare || area.height < 3 || area.width < 8 {
        return area;
    }
    let (border, title_style) = if focused {
        (
            theme.border_focused,
            theme.title.patch(theme.border_focused),
        )
    } else {
        (theme.border, theme.title)
    };
    let title = Line::from(
        title
            .spans
            .into_iter()
            .map(|s| Span::styled(s.content, title_style.patch(s.style)))
            .collect::<Vec<_>>(),
    );
    let block = Block::bordered().border_style(border).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_the_least_important_slot_first() {
        let area = Rect::new(0, 0, 10, 9);
        let [a, b, c] = stack(
            area,
            [Slot::new(4, 6), Slot::fill(3), Slot::new(3, 5)],
            [1, 2, 0],
        );
        assert_eq!((a.height, b.height, c.height), (0, 4, 5));
        assert_eq!((b.y, c.y), (0, 4));
    }

    #[test]
    fn fill_takes_the_rest_after_wants() {
        let area = Rect::new(0, 0, 10, 20);
        let [a, b, c] = stack(
            area,
            [Slot::new(4, 6), Slot::fill(3), Slot::new(3, 5)],
            [1, 2, 0],
        );
        assert_eq!((a.height, b.height, c.height), (6, 9, 5));
    }

    #[test]
    fn grants_wants_then_leftover_to_the_first() {
        let area = Rect::new(0, 2, 10, 20);
        let [a, b] = stack(area, [Slot::new(4, 5), Slot::new(3, 4)], [0, 1]);
        assert_eq!((a.y, a.height, b.y, b.height), (2, 16, 18, 4));
    }
}
