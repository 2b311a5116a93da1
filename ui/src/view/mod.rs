//! The whole console screen as a pure function of a `Snapshot`.
//!
//! Layout, 80x24 and up: header, then a left column (source, languages, controls) beside a
//! right column (progress, GPU, log), then a status line and the key hints. Narrower than
//! `WIDE` the body shows the focused pane over the progress table; shorter screens drop
//! panes by priority (progress, then GPU, then log; languages, then controls, then source).

mod bars;
mod boxes;
mod fitting;
mod gpu;
mod layout;
mod left;
mod popup;
mod progress;
mod table;
mod takes;
mod text;
mod voice_qa;

use ratatui::layout::Rect;
use ratatui::Frame;

use crate::snapshot::{Focus, GpuPane, Snapshot};
use crate::theme::Theme;
use layout::{framed, stack, Slot};
pub use table::layout as table_layout;

/// Below this width the body is one column.
const WIDE: u16 = 60;

/// Where the caller renders what this crate does not own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    /// Inside the "log" block; empty (zero area) when the log pane was dropped.
    pub log: Rect,
}

/// Draws the screen, popups included. Anything the caller renders into `Areas::log`
/// afterwards lands over an open popup: use [`draw_with`] to render the log in between.
pub fn draw(frame: &mut Frame, snapshot: &Snapshot, theme: &Theme) -> Areas {
    draw_with(frame, snapshot, theme, |_, _| {})
}

/// Like [`draw`], and calls `log` with the log pane's inner area (when it has one) after
/// the panes and before the popup, so a popup stays on top of the log widget.
pub fn draw_with<F>(frame: &mut Frame, snapshot: &Snapshot, theme: &Theme, log: F) -> Areas
where
    F: FnOnce(&mut Frame, Rect),
{
    let area = frame.area();
    let mut areas = Areas::default();
    if area.is_empty() {
        return areas;
    }
    let header_h = if area.height >= 16 { 2 } else { 1 };
    let footer_h = match area.height {
        12.. => 2,
        3.. => 1,
        _ => 0,
    };
    let [header, body, footer] = stack(
        area,
        [Slot::fixed(header_h), Slot::fill(0), Slot::fixed(footer_h)],
        [0, 2, 1],
    );
    bars::header(frame, header, snapshot, theme);
    areas.log = if body.is_empty() {
        Rect::default()
    } else if area.width >= WIDE {
        wide_body(frame, body, snapshot, theme)
    } else {
        narrow_body(frame, body, snapshot, theme)
    };
    bars::footer(frame, footer, snapshot, theme);
    if !areas.log.is_empty() {
        log(frame, areas.log);
    }
    if let Some(popup) = &snapshot.popup {
        popup::draw(frame, area, snapshot, popup, theme);
    }
    areas
}

fn wide_body(frame: &mut Frame, body: Rect, snap: &Snapshot, theme: &Theme) -> Rect {
    let left_w = (body.width * 3 / 8).clamp(26, 40);
    let left = Rect {
        width: left_w,
        ..body
    };
    let right = Rect {
        x: body.x + left_w,
        width: body.width - left_w,
        ..body
    };
    let [source, languages, controls] = stack(
        left,
        [Slot::new(4, 6), Slot::fill(3), Slot::new(3, 5)],
        [1, 2, 0],
    );
    draw_source(frame, source, snap, theme, false);
    draw_languages(frame, languages, snap, theme, false);
    draw_controls(frame, controls, snap, theme, false);

    let [progress, gpu, log] = stack(
        right,
        [
            Slot::new(4, progress_want(snap)),
            Slot::new(3, gpu_want(&snap.gpu, body.height)),
            Slot::fill(3),
        ],
        [0, 1, 2],
    );
    draw_progress(frame, progress, snap, theme, false);
    draw_gpu(frame, gpu, snap, theme, false);
    draw_log(frame, log, snap, theme, false)
}

/// One column: the focused pane first, the progress table (or, when that has the focus,
/// the GPU pane) under it when there is room.
fn narrow_body(frame: &mut Frame, body: Rect, snap: &Snapshot, theme: &Theme) -> Rect {
    let (second_want, second_min) = match snap.focus {
        Focus::Progress => (gpu_want(&snap.gpu, body.height), 3),
        _ => (progress_want(snap), 4),
    };
    // The focused pane keeps at least half the column.
    let second_h = second_want.min(body.height / 2);
    let (first, second) = if second_h >= second_min {
        let [first, second] = stack(body, [Slot::fill(0), Slot::fixed(second_h)], [1, 0]);
        (first, second)
    } else {
        (body, Rect::default())
    };
    // A frame around a pane this short would leave almost nothing inside it.
    let bare = body.height < 5;
    let mut log = Rect::default();
    match snap.focus {
        Focus::Source => draw_source(frame, first, snap, theme, bare),
        Focus::Languages => draw_languages(frame, first, snap, theme, bare),
        Focus::Controls => draw_controls(frame, first, snap, theme, bare),
        Focus::Progress => draw_progress(frame, first, snap, theme, bare),
        Focus::Log => log = draw_log(frame, first, snap, theme, bare),
    }
    if snap.focus == Focus::Progress {
        draw_gpu(frame, second, snap, theme, false);
    } else {
        draw_progress(frame, second, snap, theme, false);
    }
    log
}

fn progress_want(snap: &Snapshot) -> u16 {
    let rows = snap
        .languages
        .iter()
        .filter(|l| l.in_progress_table())
        .count();
    (rows.max(1) as u16).saturating_add(3)
}

/// Frame, two rows per device (or three without NVML), and a chart that grows with the
/// screen.
fn gpu_want(gpu: &GpuPane, body_height: u16) -> u16 {
    let chart = (body_height / 6).max(3);
    match gpu {
        GpuPane::Devices(devices) => (devices.len().min(8) as u16) * 2 + 2 + chart,
        GpuPane::Unavailable { .. } => 3 + 2 + chart,
        GpuPane::Waiting => 3,
    }
}

fn draw_source(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: &Theme, bare: bool) {
    let focused = snap.focus == Focus::Source;
    let inner = framed(frame, area, "source".into(), focused, theme, bare);
    left::source(frame, inner, &snap.source, theme);
}

fn draw_languages(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: &Theme, bare: bool) {
    let focused = snap.focus == Focus::Languages;
    let ticked = snap.languages.iter().filter(|l| l.checked).count();
    let title = format!("languages {ticked}/{}", snap.languages.len());
    let inner = framed(frame, area, title.into(), focused, theme, bare);
    left::languages(frame, inner, snap, theme);
}

fn draw_controls(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: &Theme, bare: bool) {
    let focused = snap.focus == Focus::Controls;
    let inner = framed(frame, area, "run".into(), focused, theme, bare);
    left::controls(frame, inner, &snap.controls, theme);
}

fn draw_progress(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: &Theme, bare: bool) {
    let focused = snap.focus == Focus::Progress;
    let inner = framed(frame, area, progress::title(snap), focused, theme, bare);
    progress::table(frame, inner, snap, theme);
}

fn draw_gpu(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: &Theme, bare: bool) {
    let title = match snap.gpu {
        GpuPane::Unavailable { .. } => "memory (no GPU) · 2 min",
        _ => "GPU memory · 2 min",
    };
    let inner = framed(frame, area, title.into(), false, theme, bare);
    gpu::pane(frame, inner, &snap.gpu, theme);
}

fn draw_log(frame: &mut Frame, area: Rect, snap: &Snapshot, theme: &Theme, bare: bool) -> Rect {
    framed(
        frame,
        area,
        "log".into(),
        snap.focus == Focus::Log,
        theme,
        bare,
    )
}
