//! `update`: the only place operator actions change the model. It returns effects for the
//! event loop to carry out (start a run, play a file...), so it stays pure and testable.

use std::path::PathBuf;

use voxdeck_ui::snapshot::{
    FitOutcome, FitView, Focus, LanguageState, Playback, Popup, Transcript,
};

use super::action::Action;
pub use super::effect::Effect;
use super::model::Model;
use super::start::{start_run, start_run_voiced};
use crate::job::{Device, Mode, MAX_WORKERS, MIN_WORKERS};

const FOCUS_ORDER: [Focus; 5] = [
    Focus::Source,
    Focus::Languages,
    Focus::Controls,
    Focus::Progress,
    Focus::Log,
];

pub fn update(model: &mut Model, action: Action) -> Vec<Effect> {
    if model.popup.is_some() {
        return super::popups::update_popup(model, action);
    }
    if model.editing_inline {
        super::popups::update_inline(model, action);
        return Vec::new();
    }
    let mut effects = Vec::new();
    match action {
        Action::FocusNext | Action::FocusPrev => {
            let at = FOCUS_ORDER
                .iter()
                .position(|f| *f == model.focus)
                .unwrap_or(0);
            let step = if action == Action::FocusNext {
                1
            } else {
                FOCUS_ORDER.len() - 1
            };
            model.focus = FOCUS_ORDER[(at + step) % FOCUS_ORDER.len()];
        }
        Action::Up => model.cursor = model.cursor.saturating_sub(1),
        Action::Down => model.cursor = (model.cursor + 1).min(model.languages.len() - 1),
        Action::Toggle => {
            let entry = &mut model.languages[model.cursor];
            entry.checked = !entry.checked;
        }
        Action::SelectAll => model.languages.iter_mut().for_each(|l| l.checked = true),
        Action::SelectNone => model.languages.iter_mut().for_each(|l| l.checked = false),
        Action::EditInline => {
            model.inline_backup = model.selected().text.clone();
            model.editing_inline = true;
        }
        Action::EditText => {
            let entry = model.selected();
            model.popup = Some(Popup::EditText {
                code: entry.language.code.to_string(),
                text: entry.text.clone(),
            });
        }
        Action::CycleVoice => cycle_voice(model),
        // A ranking that arrived while the operator was busy waits for this key.
        Action::MatchVoice if !model.pending_popups.is_empty() => {
            model.popup = model.pending_popups.pop_front();
        }
        Action::MatchVoice => {
            let (code, family) = (model.selected().language.code, model.selected().family);
            match (model.source.path.clone(), family) {
                (None, _) => {
                    model.status =
                        Some("no source clip to match against: press o to open one".into())
                }
                (_, family) if !family.can_match() => {
                    model.status = Some(format!(
                        "{code} uses a {} voice, whose voices cannot be matched to a clip",
                        family.label()
                    ))
                }
                (Some(source), _) => {
                    model.status = Some(format!(
                        "matching {code} voices to the source (the first time, each voice speaks a probe)..."
                    ));
                    effects.push(Effect::MatchVoice {
                        code: code.to_string(),
                        source,
                    });
                }
            }
        }
        Action::FitVoice => effects.extend(fit_voice(model)),
        Action::Takes => {
            let entry = model.selected();
            let takes = entry.takes().len();
            if takes == 0 {
                model.status = Some(format!(
                    "no takes of {} yet: run it (r, or R for this language)",
                    entry.language.code
                ));
            } else {
                model.popup = Some(Popup::Takes {
                    code: entry.language.code.to_string(),
                    table: Default::default(),
                    heard: Vec::new(),
                    selected: takes - 1,
                    marked: None,
                });
            }
        }
        Action::WorkersUp | Action::WorkersDown | Action::CycleMode | Action::CycleDevice => {
            change_setting(model, action)
        }
        Action::Run => {
            let rows: Vec<usize> = (0..model.languages.len())
                .filter(|&i| model.languages[i].checked)
                .collect();
            effects.extend(start_run(model, rows));
        }
        Action::RerunFailedOrSelected => {
            let failed: Vec<usize> = (0..model.languages.len())
                .filter(|&i| model.languages[i].state() == LanguageState::Failed)
                .collect();
            let rows = if failed.is_empty() {
                vec![model.cursor]
            } else {
                failed
            };
            effects.extend(start_run(model, rows));
        }
        Action::Cancel => {
            if model.running() {
                model.popup = Some(Popup::ConfirmCancel);
            } else {
                model.status = Some("nothing is running".into());
            }
        }
        Action::PlayResult => match result_of_selected(model) {
            Some((label, path)) => effects.push(Effect::Play { label, path }),
            None => model.status = Some(no_result_message(model)),
        },
        Action::PlaySource => match &model.source.path {
            Some(path) => effects.push(Effect::Play {
                label: "source".into(),
                path: path.clone(),
            }),
            None => model.status = Some("no source clip: press o to open one".into()),
        },
        Action::ToggleAb => {
            if matches!(&model.playback, Playback::Playing { what, .. } if what.starts_with("A/B"))
            {
                model.ab_on_source = !model.ab_on_source;
                effects.push(Effect::ToggleAb);
            } else {
                match (result_of_selected(model), &model.source.path) {
                    (Some((label, result)), Some(source)) => {
                        model.ab_on_source = false;
                        effects.push(Effect::PlayAb {
                            a_label: label,
                            a: result,
                            b_label: "source".into(),
                            b: source.clone(),
                        });
                    }
                    (None, _) => model.status = Some(no_result_message(model)),
                    (_, None) => {
                        model.status =
                            Some("no source clip to compare with: press o to open one".into())
                    }
                }
            }
        }
        Action::StopPlayback => effects.push(Effect::StopPlayback),
        Action::UseTranscript => use_transcript(model),
        Action::OpenClip => {
            let input = model
                .source
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            model.popup = Some(Popup::OpenClip { input });
        }
        Action::LogMore => effects.push(Effect::LogLevel(true)),
        Action::LogLess => effects.push(Effect::LogLevel(false)),
        Action::Help => model.popup = Some(Popup::Help),
        Action::Quit | Action::Interrupt => {
            if model.running() {
                model.popup = Some(Popup::ConfirmQuit);
            } else {
                model.quit = true;
            }
        }
        Action::Input(_) | Action::Backspace | Action::Confirm | Action::Dismiss => {}
    }
    effects
}

/// The source clip's transcript becomes the cursor row's text, when the row is of the
/// language Whisper heard (an English clip's transcript fits en-us and en-gb).
fn use_transcript(model: &mut Model) {
    let (language, text) = match &model.source.transcript {
        Some(Transcript::Heard { language, text }) => (language.clone(), text.clone()),
        Some(Transcript::Pending) => {
            model.status = Some("the source clip is still being transcribed".to_string());
            return;
        }
        Some(Transcript::None(why)) => {
            model.status = Some(format!("no transcript of the source clip: {why}"));
            return;
        }
        None => {
            model.status = Some("no source clip transcribed: o opens one".to_string());
            return;
        }
    };
    let entry = &mut model.languages[model.cursor];
    let code = entry.language.code;
    if crate::asr::whisper_code(code) != language {
        model.status = Some(format!(
            "the source clip speaks {language} and this row is {code}: put the cursor on a row of that language"
        ));
        return;
    }
    entry.text = text;
    model.status = Some(format!(
        "{code} text set from the source clip's transcript (the job file keeps its own)"
    ));
}

/// Shows the fit going on, or fits a Kokoro voice to the source clip for the cursor row:
/// a run of that row whose voice is `fit`, so the fitted voice then speaks its text.
fn fit_voice(model: &mut Model) -> Vec<Effect> {
    if let Some(fit) = model
        .fit
        .as_ref()
        .filter(|f| f.outcome == FitOutcome::Searching)
    {
        model.popup = Some(Popup::Fitting(fit.clone()));
        return Vec::new();
    }
    let entry = model.selected();
    let code = entry.language.code;
    let problem = if model.running() {
        Some("a run is going: wait for it, or cancel it with c".to_string())
    } else if model.source.path.is_none() || model.source.error.is_some() {
        Some("no source clip to fit a voice to: press o to open one".to_string())
    } else if !entry.family.can_fit() {
        Some(format!(
            "{code} uses a {} voice, which cannot be fitted to a clip",
            entry.family.label()
        ))
    } else if entry.text.trim().is_empty() {
        Some(format!(
            "give {code} a text first (e): the fitted voice speaks it once it is fitted"
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        model.status = Some(problem);
        return Vec::new();
    }
    let request = model.fit_request;
    let fit = FitView::starting(code, request.budget, &crate::fit::clip::JUDGES);
    model.popup = Some(Popup::Fitting(fit.clone()));
    model.fit = Some(fit);
    let row = model.cursor;
    let effects = start_run_voiced(model, vec![row], Some(request.voice()));
    model.status = Some(format!(
        "fitting a voice for {code} to the source clip (budget {} evaluations, seed {}): the closest Kokoro's voice space offers, not a clone",
        request.budget, request.seed
    ));
    effects
}

/// Workers, mode and device are the next run's: a run in progress keeps its own, shown
/// in the header, and the status line says what the next one will use.
fn change_setting(model: &mut Model, action: Action) {
    match action {
        Action::WorkersUp => model.workers = (model.workers + 1).min(MAX_WORKERS),
        Action::WorkersDown => model.workers = model.workers.saturating_sub(1).max(MIN_WORKERS),
        Action::CycleMode => {
            model.mode = match model.mode {
                Mode::Pool => Mode::SharedLock,
                Mode::SharedLock => Mode::Pool,
            }
        }
        Action::CycleDevice => {
            model.device = match model.device {
                Device::Auto => Device::Cpu,
                Device::Cpu => Device::Cuda(0),
                Device::Cuda(_) => Device::Auto,
            }
        }
        _ => return,
    }
    if model.running() {
        model.status = Some(format!(
            "next run: {} worker(s), {}, device {} (this run keeps its own)",
            model.workers,
            model.mode.name(),
            model.device
        ));
    }
}

fn cycle_voice(model: &mut Model) {
    let entry = &mut model.languages[model.cursor];
    if !entry.family.has_stock_voices() {
        // An empty voice is the family's installed one for the language, found at the run.
        let voice = Some(entry.voice.as_str()).filter(|v| !v.is_empty());
        model.status = Some(format!(
            "{} uses the {} voice {}, its only one",
            entry.language.code,
            entry.family.label(),
            voice.unwrap_or("installed for it")
        ));
        return;
    }
    let mut choices = entry.language.kokoro_voices(&model.kokoro_voices);
    choices.extend(
        (model.fitted_voices.iter())
            .filter(|(language, _)| language == entry.language.code)
            .map(|(_, voice)| voice.clone()),
    );
    if let Some(at) = choices.iter().position(|v| *v == entry.voice) {
        entry.voice = choices[(at + 1) % choices.len()].clone();
    } else if let Some(first) = choices.first() {
        entry.voice = first.clone();
    }
}

fn result_of_selected(model: &Model) -> Option<(String, PathBuf)> {
    let entry = model.selected();
    let path = entry.output().filter(|p| p.exists())?.to_path_buf();
    Some((format!("{} result", entry.language.code), path))
}

fn no_result_message(model: &Model) -> String {
    format!(
        "no result for {} yet: run it first (r)",
        model.selected().language.code
    )
}
