//! The console's model driven by actions and by real engine events (no terminal): what
//! the operator does changes the model as expected, and a real run reaches it.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use voxdeck::console::action::Action;
use voxdeck::console::model::Model;
use voxdeck::console::runner::{Runner, RunnerEvent};
use voxdeck::console::update::{apply_engine_event, update, Effect};
use voxdeck::job::{JobSpec, Mode};
use voxdeck_ui::snapshot::{LanguageState, Popup, RunState};

fn demo_like() -> JobSpec {
    let text = "[[language]]\ncode = \"fr\"\ntext = \"Bonjour.\"\n[[language]]\ncode = \"it\"\ntext = \"Ciao a tutti. Buona sera.\"\n";
    JobSpec::parse(
        text,
        Path::new("t.toml"),
        Path::new("."),
        "console-test".into(),
    )
    .unwrap()
}

fn model() -> Model {
    Model::new(
        Some(&demo_like()),
        vec!["ff_siwis".into(), "if_sara".into(), "im_nicola".into()],
    )
}

fn row(model: &Model, code: &str) -> usize {
    model
        .languages
        .iter()
        .position(|l| l.language.code == code)
        .unwrap()
}

#[test]
fn job_languages_are_ticked_and_settings_steer() {
    let mut m = model();
    assert!(m.languages[row(&m, "fr")].checked && !m.languages[row(&m, "es")].checked);
    update(&mut m, Action::SelectAll);
    assert!(m.languages.iter().all(|l| l.checked));
    update(&mut m, Action::SelectNone);
    assert!(m.languages.iter().all(|l| !l.checked));
    for _ in 0..40 {
        update(&mut m, Action::WorkersUp);
    }
    assert_eq!(m.workers, 16);
    update(&mut m, Action::CycleMode);
    assert_eq!(m.mode, Mode::SharedLock);
    m.cursor = row(&m, "it");
    update(&mut m, Action::CycleVoice);
    assert_eq!(m.languages[m.cursor].voice, "im_nicola");
}

#[test]
fn editing_text_inline_and_in_a_popup() {
    let mut m = model();
    m.cursor = row(&m, "es");
    update(&mut m, Action::EditInline);
    for c in "Hola.".chars() {
        update(&mut m, Action::Input(c));
    }
    update(&mut m, Action::Confirm);
    assert_eq!(m.languages[m.cursor].text, "Hola.");
    assert!(
        m.languages[m.cursor].checked,
        "a language given text is ticked"
    );
    update(&mut m, Action::EditText);
    update(&mut m, Action::Backspace);
    update(&mut m, Action::Dismiss);
    assert_eq!(
        m.languages[m.cursor].text, "Hola.",
        "Esc keeps the old text"
    );
    assert!(m.popup.is_none());
}

#[test]
fn run_refuses_nothing_and_cancel_asks_first() {
    let mut m = model();
    update(&mut m, Action::SelectNone);
    assert!(update(&mut m, Action::Run).is_empty());
    assert!(m.status.as_deref().unwrap().contains("nothing to run"));
    update(&mut m, Action::SelectAll);
    let effects = update(&mut m, Action::Run);
    // Only languages with text run.
    match &effects[..] {
        [Effect::StartRun(job)] => assert_eq!(
            job.languages
                .iter()
                .map(|l| l.code.as_str())
                .collect::<Vec<_>>(),
            ["fr", "it"]
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(m.run.state, RunState::Running);
    update(&mut m, Action::Cancel);
    assert_eq!(m.popup, Some(Popup::ConfirmCancel));
    assert!(matches!(
        &update(&mut m, Action::Confirm)[..],
        [Effect::CancelRun]
    ));
    update(&mut m, Action::Quit);
    assert_eq!(
        m.popup,
        Some(Popup::ConfirmQuit),
        "quitting mid-run asks first"
    );
}

#[test]
fn a_real_run_reaches_the_model() {
    let mut m = model();
    let job = match &update(&mut m, Action::Run)[..] {
        [Effect::StartRun(job)] => (**job).clone(),
        other => panic!("{other:?}"),
    };
    let (tx, rx) = mpsc::channel();
    let runner = Runner::start(None, move |e| {
        let _ = tx.send(e);
    });
    let out = tempfile::tempdir().unwrap();
    runner.run(job, out.path().to_path_buf());
    let mut finished = false;
    while !finished {
        match rx
            .recv_timeout(Duration::from_secs(120))
            .expect("engine events within two minutes")
        {
            RunnerEvent::Engine(event) => {
                apply_engine_event(&mut m, &event);
            }
            RunnerEvent::Finished { provider, .. } => {
                assert_eq!(provider.as_deref(), Some("CPUExecutionProvider"));
                finished = true;
            }
            RunnerEvent::SetupFailed(message) => panic!("{message}"),
            RunnerEvent::Loading { .. } => {}
        }
    }
    assert_eq!(m.run.state, RunState::Done);
    let it = &m.languages[row(&m, "it")].progress;
    assert_eq!((it.state, it.done, it.total), (LanguageState::Done, 2, 2));
    assert!(it.output.as_ref().unwrap().exists());
    assert!(out.path().join("report.json").exists());
}
