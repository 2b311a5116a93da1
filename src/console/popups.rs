//! Keys while something takes the keyboard: inline text editing and the popups (help,
//! confirmations, text entry, the voice ranking, the takes table).

use std::path::PathBuf;

use voxdeck_ui::snapshot::{FitOutcome, FitView, Popup, RunState};

use super::action::Action;
use super::effect::Effect;
use super::model::Model;

pub fn update_inline(model: &mut Model, action: Action) {
    let cursor = model.cursor;
    let entry = &mut model.languages[cursor];
    match action {
        Action::Confirm => {
            entry.text = entry.text.trim().to_string();
            entry.checked |= !entry.text.is_empty();
            model.editing_inline = false;
        }
        Action::Dismiss | Action::Interrupt => {
            entry.text = std::mem::take(&mut model.inline_backup);
            model.editing_inline = false;
        }
        other => edit(&mut entry.text, other),
    }
}

pub fn update_popup(model: &mut Model, action: Action) -> Vec<Effect> {
    let mut effects = Vec::new();
    let popup = model.popup.take().expect("called with a popup open");
    model.popup = match (popup, action) {
        (Popup::Help, _) => None,
        (Popup::ConfirmCancel, Action::Confirm | Action::Input('y')) => {
            // The run may have ended while the question was open.
            if model.running() {
                effects.push(Effect::CancelRun);
                model.run.state = RunState::Cancelling;
            }
            None
        }
        (Popup::ConfirmQuit, Action::Confirm | Action::Input('y') | Action::Interrupt) => {
            effects.push(Effect::CancelRun);
            model.quit = true;
            None
        }
        (Popup::ConfirmCancel | Popup::ConfirmQuit, _) => None,
        (
            Popup::VoiceRanking {
                code,
                probe_text,
                ranking,
                selected,
                cached,
            },
            action,
        ) => match action {
            Action::Up | Action::Down => {
                let selected = step(selected, ranking.len(), action == Action::Down);
                Some(Popup::VoiceRanking {
                    code,
                    probe_text,
                    ranking,
                    selected,
                    cached,
                })
            }
            Action::Confirm => {
                if let (Some(entry), Some(choice)) = (
                    model.languages.iter_mut().find(|l| l.language.code == code),
                    ranking.get(selected),
                ) {
                    entry.voice = choice.voice.clone();
                    model.status = Some(format!(
                        "{code} now uses {} (similarity {:.3}); r or R to synthesise",
                        choice.voice, choice.similarity
                    ));
                }
                None
            }
            Action::Dismiss | Action::Interrupt => None,
            _ => Some(Popup::VoiceRanking {
                code,
                probe_text,
                ranking,
                selected,
                cached,
            }),
        },
        (
            Popup::Takes {
                code,
                table,
                heard,
                selected,
                marked,
            },
            action,
        ) => {
            let count = (model.languages.iter())
                .find(|l| l.language.code == code)
                .map_or(0, |l| l.takes().len());
            let path_of = |model: &Model, index: usize| {
                model
                    .languages
                    .iter()
                    .find(|l| l.language.code == code)
                    .and_then(|l| l.takes().get(index).and_then(|t| t.output.clone()))
            };
            let label = |index: usize| format!("{code} take {}", index + 1);
            match action {
                Action::Up | Action::Down => {
                    let selected = step(selected, count, action == Action::Down);
                    Some(Popup::Takes {
                        code,
                        table,
                        heard,
                        selected,
                        marked,
                    })
                }
                Action::Confirm => {
                    if let Some(path) = path_of(model, selected) {
                        effects.push(Effect::Play {
                            label: label(selected),
                            path,
                        });
                    }
                    Some(Popup::Takes {
                        code,
                        table,
                        heard,
                        selected,
                        marked,
                    })
                }
                Action::Input('a') => {
                    match (path_of(model, selected), model.source.path.clone()) {
                        (Some(a), Some(b)) => effects.push(Effect::PlayAb {
                            a_label: label(selected),
                            a,
                            b_label: "source".into(),
                            b,
                        }),
                        (_, None) => {
                            model.status =
                                Some("no source clip to compare with: press o to open one".into())
                        }
                        _ => {}
                    }
                    Some(Popup::Takes {
                        code,
                        table,
                        heard,
                        selected,
                        marked,
                    })
                }
                Action::Input('m') => Some(Popup::Takes {
                    code,
                    table,
                    heard,
                    selected,
                    marked: Some(selected),
                }),
                Action::Input('b') => {
                    match marked.and_then(|m| path_of(model, m).map(|p| (m, p))) {
                        Some((m, a)) if m != selected => {
                            if let Some(b) = path_of(model, selected) {
                                effects.push(Effect::PlayAb {
                                    a_label: label(m),
                                    a,
                                    b_label: label(selected),
                                    b,
                                });
                            }
                        }
                        _ => {
                            model.status = Some("mark a take with m, choose another, then b".into())
                        }
                    }
                    Some(Popup::Takes {
                        code,
                        table,
                        heard,
                        selected,
                        marked,
                    })
                }
                Action::Dismiss | Action::Interrupt => None,
                _ => Some(Popup::Takes {
                    code,
                    table,
                    heard,
                    selected,
                    marked,
                }),
            }
        }
        (Popup::EditText { code, text }, Action::Confirm) => {
            if let Some(entry) = model.languages.iter_mut().find(|l| l.language.code == code) {
                entry.text = text.trim().to_string();
                entry.checked |= !entry.text.is_empty();
            }
            None
        }
        (Popup::OpenClip { input }, Action::Confirm) => {
            let path = PathBuf::from(input.trim());
            effects.push(Effect::LoadClip(path));
            None
        }
        (Popup::EditText { .. } | Popup::OpenClip { .. }, Action::Dismiss | Action::Interrupt) => {
            None
        }
        (Popup::EditText { code, mut text }, action) => {
            edit(&mut text, action);
            Some(Popup::EditText { code, text })
        }
        (Popup::OpenClip { mut input }, action) => {
            edit(&mut input, action);
            Some(Popup::OpenClip { input })
        }
        (Popup::Fitting(fit), action) => fitting(model, fit, action, &mut effects),
    };
    effects
}

/// The fit popup: `c` cancels a fit going on (no voice is saved), Esc hides it (the fit
/// goes on; the fit key shows it again); once fitted, Enter makes a take of the same text
/// with the best stock voice, so the takes popup can A/B the two against the source.
fn fitting(
    model: &mut Model,
    fit: FitView,
    action: Action,
    effects: &mut Vec<Effect>,
) -> Option<Popup> {
    match (&fit.outcome, action) {
        (FitOutcome::Searching, Action::Input('c')) => {
            if model.running() {
                effects.push(Effect::CancelRun);
                model.run.state = RunState::Cancelling;
                model.status = Some(format!(
                    "cancelling the fit for {}: no voice is saved",
                    fit.code
                ));
            }
            Some(Popup::Fitting(fit))
        }
        (FitOutcome::Fitted { stock_voice, .. }, Action::Confirm) => {
            let row = model
                .languages
                .iter()
                .position(|l| l.language.code == fit.code)?;
            let stock = stock_voice.clone();
            let started = super::start::start_run_voiced(model, vec![row], Some(stock.clone()));
            if !started.is_empty() {
                model.status = Some(format!(
                    "a take of {} with {stock}, the best stock voice: t shows both takes to A/B",
                    fit.code
                ));
            }
            effects.extend(started);
            None
        }
        (_, Action::Dismiss | Action::Interrupt) => None,
        _ => Some(Popup::Fitting(fit)),
    }
}

fn step(at: usize, len: usize, down: bool) -> usize {
    if down {
        (at + 1).min(len.saturating_sub(1))
    } else {
        at.saturating_sub(1)
    }
}

fn edit(text: &mut String, action: Action) {
    match action {
        Action::Input(c) => text.push(c),
        Action::Backspace => {
            text.pop();
        }
        _ => {}
    }
}
