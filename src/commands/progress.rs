//! Headless progress, a projection of the session's state: one indicatif bar per language
//! on a terminal, one plain line per change otherwise (logs, CI, pipes). Log lines are
//! printed above the bars, so nothing else writing to stderr can tear them.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::OnceLock;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use voxdeck::engine::outcome::Status;
use voxdeck::engine::progress::LanguageProgress;
use voxdeck::session::published::Notice;
use voxdeck::session::state::{FitProgress, SessionState};

/// The one set of bars of this process; the logger prints through it.
pub fn bars() -> &'static MultiProgress {
    static BARS: OnceLock<MultiProgress> = OnceLock::new();
    BARS.get_or_init(|| {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        MultiProgress::with_draw_target(target)
    })
}

/// The logger of headless commands: `level` and above on stderr, above the bars.
pub fn init_logging(level: log::LevelFilter) {
    let logger = env_logger::Builder::new()
        .filter_level(level)
        .format(|out, record| {
            use std::io::Write;
            let label = match record.level() {
                log::Level::Info => return writeln!(out, "{}", record.args()),
                log::Level::Warn => "warning",
                log::Level::Error => "error",
                log::Level::Debug => "debug",
                log::Level::Trace => "trace",
            };
            writeln!(out, "{label}: {}", record.args())
        })
        .build();
    let _ = indicatif_log_bridge::LogWrapper::new(bars().clone(), logger).try_init();
    log::set_max_level(level);
}

/// The line that stands for a language's state, on a bar or alone.
pub fn describe(p: &LanguageProgress) -> String {
    // Sentences from the result cache took no synthesis: the RTF is of the rest.
    let rtf = p
        .rtf()
        .filter(|_| p.synthesis_seconds > 0.0)
        .map(|r| format!(", RTF {r:.2}"))
        .unwrap_or_default();
    let rtf = match p.cache_hits {
        0 => rtf,
        hits => format!("{rtf}, {hits} from cache"),
    };
    match p.status {
        Status::Queued if p.voice.is_empty() => format!("queued, {} default voice", p.model.name()),
        Status::Queued => format!("queued, {} {}", p.model.name(), p.voice),
        Status::Running => format!(
            "{}/{} sentences, {:.2} s audio{rtf}",
            p.sentences_done, p.sentences_total, p.audio_seconds
        ),
        Status::Done => match &p.output {
            Some(output) => format!(
                "done, {:.2} s audio{rtf} -> {}",
                p.audio_seconds,
                output.display()
            ),
            None => "done".to_string(),
        },
        Status::Failed => format!("FAILED: {}", p.error.as_deref().unwrap_or("unknown error")),
        Status::Cancelled => "cancelled (an earlier result, if any, is kept)".to_string(),
    }
}

/// The line of a language whose voice is being fitted (`voice = "fit"`).
pub fn describe_fit(f: &FitProgress) -> String {
    let held_out = f
        .best_held_out
        .iter()
        .map(|s| format!("{s:.3}"))
        .collect::<Vec<_>>()
        .join(" / ");
    format!(
        "fitting a voice: {}/{} evaluations, best probe {:.3}, held-out {held_out} (GE2E / d-vector)",
        f.evaluations, f.budget, f.best_probe
    )
}

pub struct ProgressView {
    bars: BTreeMap<String, ProgressBar>,
    /// Off a terminal: the last line printed per language, so each change prints once.
    printed: BTreeMap<String, String>,
    terminal: bool,
    quiet: bool,
}

impl ProgressView {
    pub fn new() -> ProgressView {
        ProgressView {
            bars: BTreeMap::new(),
            printed: BTreeMap::new(),
            terminal: !bars().is_hidden(),
            // `-q` keeps warnings, errors and the summary: no progress.
            quiet: log::max_level() < log::LevelFilter::Info,
        }
    }

    /// Shows the languages that changed.
    pub fn show(&mut self, state: &SessionState, notices: &[Notice]) {
        if self.quiet {
            return;
        }
        for notice in notices {
            let Notice::Language(code) = notice else {
                continue;
            };
            let Some(record) = state.language(code) else {
                continue;
            };
            let fitting = state.fitting.as_ref().filter(|f| f.code == *code);
            let line = fitting.map_or_else(|| describe(&record.progress), describe_fit);
            if self.terminal {
                self.bar(code, &record.progress, fitting, line);
            } else if self.printed.get(code) != Some(&line) {
                eprintln!("{code}: {line}");
                self.printed.insert(code.clone(), line);
            }
        }
    }

    fn bar(&mut self, code: &str, p: &LanguageProgress, fit: Option<&FitProgress>, line: String) {
        let bar = self.bars.entry(code.to_string()).or_insert_with(|| {
            let bar = bars().add(ProgressBar::new(0));
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix:>6} [{bar:24}] {pos}/{len} {elapsed:>4} {wide_msg}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.set_prefix(code.to_string());
            bar.enable_steady_tick(Duration::from_millis(500));
            bar
        });
        let (done, total) = fit.map_or((p.sentences_done, p.sentences_total), |f| {
            (f.evaluations, f.budget)
        });
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        if p.is_finished() {
            bar.finish_with_message(line);
        } else {
            bar.set_message(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use voxdeck::languages::ModelKind;

    #[test]
    fn each_state_reads_as_one_line() {
        let mut p = LanguageProgress::new("fr", ModelKind::Kokoro, "ff_siwis");
        assert_eq!(describe(&p), "queued, kokoro ff_siwis");
        p.status = Status::Running;
        (p.sentences_done, p.sentences_total) = (2, 5);
        (p.audio_seconds, p.synthesis_seconds) = (4.0, 1.0);
        assert_eq!(describe(&p), "2/5 sentences, 4.00 s audio, RTF 0.25");
        p.status = Status::Done;
        p.output = Some("out/fr.wav".into());
        assert_eq!(describe(&p), "done, 4.00 s audio, RTF 0.25 -> out/fr.wav");
        p.cache_hits = 1;
        assert_eq!(
            describe(&p),
            "done, 4.00 s audio, RTF 0.25, 1 from cache -> out/fr.wav"
        );
        p.status = Status::Failed;
        p.error = Some("no phonemes".into());
        assert_eq!(describe(&p), "FAILED: no phonemes");
    }

    #[test]
    fn a_fit_reads_as_evaluations_of_its_budget_and_best_scores() {
        let f = FitProgress {
            code: "it".into(),
            generation: 2,
            evaluations: 10,
            budget: 16,
            best_probe: 0.91,
            best_held_out: vec![0.9, 0.85],
            history: Vec::new(),
            elapsed_seconds: 14.0,
        };
        assert_eq!(
            describe_fit(&f),
            "fitting a voice: 10/16 evaluations, best probe 0.910, held-out 0.900 / 0.850 (GE2E / d-vector)"
        );
    }

    #[test]
    fn off_a_terminal_each_change_prints_once() {
        let mut view = ProgressView {
            bars: BTreeMap::new(),
            printed: BTreeMap::new(),
            terminal: false,
            quiet: false,
        };
        let mut state = SessionState::default();
        state
            .languages
            .push(voxdeck::session::state::LanguageRecord::new(
                1,
                LanguageProgress::new("fr", ModelKind::Kokoro, "ff_siwis"),
            ));
        let notices = [Notice::Language("fr".into()), Notice::Session];
        view.show(&state, &notices);
        view.show(&state, &notices);
        assert_eq!(view.printed.len(), 1);
        assert_eq!(view.printed["fr"], "queued, kokoro ff_siwis");
    }
}
