//! Headless progress: redrawn gauges when stderr is a terminal, one plain line per event
//! otherwise (logs, CI, pipes).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::time::Instant;

use voxdeck::engine::events::EngineEvent;
use voxdeck::engine::plan::Plan;
use voxdeck_ui::{progress_line, ProgressLine};

struct Row {
    state: &'static str,
    done: usize,
    total: usize,
    audio_seconds: f64,
    elapsed_seconds: f64,
    rtf: Option<f64>,
    detail: String,
}

pub struct ProgressView {
    rows: BTreeMap<String, Row>,
    order: Vec<String>,
    terminal: bool,
    drawn_lines: usize,
    last_draw: Instant,
}

impl ProgressView {
    pub fn new(plan: &Plan) -> ProgressView {
        let mut rows = BTreeMap::new();
        let mut order = Vec::new();
        for language in &plan.languages {
            let (code, total, warnings) = match language {
                Ok(p) => (p.code.clone(), p.utterances.len(), p.warnings.clone()),
                Err(f) => (f.code.clone(), 0, Vec::new()),
            };
            for warning in warnings {
                eprintln!("warning: {code}: {warning}");
            }
            order.push(code.clone());
            let row = Row {
                state: "queued",
                done: 0,
                total,
                audio_seconds: 0.0,
                elapsed_seconds: 0.0,
                rtf: None,
                detail: String::new(),
            };
            rows.insert(code, row);
        }
        ProgressView {
            rows,
            order,
            terminal: std::io::stderr().is_terminal(),
            drawn_lines: 0,
            last_draw: Instant::now(),
        }
    }

    pub fn apply(&mut self, event: &EngineEvent) {
        let (code, plain) = match event {
            EngineEvent::Started {
                language,
                voice,
                model,
                sentences_total,
            } => {
                let row = self.row(language);
                row.total = *sentences_total;
                row.detail = format!("{} {voice}", model.name());
                (
                    language.clone(),
                    format!(
                        "{language}: queued, {sentences_total} sentences, {} voice {voice}",
                        model.name()
                    ),
                )
            }
            EngineEvent::Progress(p) => {
                let row = self.row(&p.language);
                row.state = "running";
                row.done = p.sentences_done;
                row.total = p.sentences_total;
                row.audio_seconds = p.audio_seconds;
                row.elapsed_seconds = p.elapsed_seconds;
                row.rtf = Some(p.rtf);
                let line = format!(
                    "{}: {}/{} sentences, {:.2} s audio, RTF {:.2}",
                    p.language, p.sentences_done, p.sentences_total, p.audio_seconds, p.rtf
                );
                (p.language.clone(), line)
            }
            EngineEvent::LanguageDone {
                language, output, ..
            } => {
                let row = self.row(language);
                row.state = "done";
                row.detail = output.display().to_string();
                (
                    language.clone(),
                    format!("{language}: done -> {}", output.display()),
                )
            }
            EngineEvent::LanguageFailed { language, error } => {
                let row = self.row(language);
                row.state = "FAILED";
                row.detail = error.clone();
                (language.clone(), format!("{language}: FAILED: {error}"))
            }
            EngineEvent::LanguageCancelled { language } => {
                self.row(language).state = "cancelled";
                (
                    language.clone(),
                    format!("{language}: cancelled (no output written)"),
                )
            }
            EngineEvent::RunDone {
                wall_seconds,
                cancelled,
            } => {
                let how = if *cancelled { "cancelled" } else { "finished" };
                (
                    String::new(),
                    format!("run {how} after {wall_seconds:.2} s"),
                )
            }
        };
        let _ = code;
        if self.terminal {
            self.draw(false);
        } else {
            eprintln!("{plain}");
        }
    }

    /// Redraws elapsed times while nothing else happens (terminal only).
    pub fn tick(&mut self) {
        if self.terminal && self.last_draw.elapsed().as_millis() >= 500 {
            self.draw(true);
        }
    }

    pub fn finish(&mut self) {
        if self.terminal {
            self.draw(true);
        }
    }

    fn row(&mut self, code: &str) -> &mut Row {
        self.rows.entry(code.to_string()).or_insert_with(|| Row {
            state: "queued",
            done: 0,
            total: 0,
            audio_seconds: 0.0,
            elapsed_seconds: 0.0,
            rtf: None,
            detail: String::new(),
        })
    }

    fn draw(&mut self, force: bool) {
        if !force && self.last_draw.elapsed().as_millis() < 50 {
            return;
        }
        self.last_draw = Instant::now();
        let width = crossterm::terminal::size().map_or(80, |(w, _)| w.max(2) as usize - 1);
        let mut err = std::io::stderr().lock();
        if self.drawn_lines > 0 {
            let _ = write!(err, "\x1b[{}A", self.drawn_lines);
        }
        for code in &self.order {
            let row = &self.rows[code];
            let line = progress_line(&ProgressLine {
                language: code,
                state: row.state,
                done: row.done,
                total: row.total,
                audio_seconds: row.audio_seconds,
                elapsed_seconds: row.elapsed_seconds,
                rtf: row.rtf,
                detail: &row.detail,
            });
            // One screen row per language, or the cursor-up redraw would drift.
            let line: String = line.chars().take(width).collect();
            let _ = writeln!(err, "\x1b[2K{line}");
        }
        self.drawn_lines = self.order.len();
    }
}
