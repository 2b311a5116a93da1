//! The console's model driven by actions and by real engine events (no terminal): what
//! the operator does changes the model as expected, and a real run reaches it.

use std::path::Path;

use voxdeck::console::action::Action;
use voxdeck::console::model::Model;
use voxdeck::console::sync::sync;
use voxdeck::console::update::{update, Effect};
use voxdeck::job::{JobSpec, Mode, MAX_WORKERS};
use voxdeck::qa::scores::Heard;
use voxdeck::session::published::Notice;
use voxdeck::session::state::{RunPhase, SessionState};
use voxdeck::session::{Session, SessionOptions};
use voxdeck_ui::snapshot::{LanguageState, Popup, RunState, Transcript};

#[path = "console_model/fit.rs"]
mod fit;

fn demo_like() -> JobSpec {
    let text = "[source]\nclip = \"assets/demo/source.wav\"\n[[language]]\ncode = \"fr\"\ntext = \"Bonjour.\"\n[[language]]\ncode = \"it\"\ntext = \"Ciao a tutti. Buona sera.\"\n";
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
        Default::default(),
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
    for _ in 0..MAX_WORKERS + 10 {
        update(&mut m, Action::WorkersUp);
    }
    assert_eq!(m.workers, MAX_WORKERS);
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
    let session = Session::start(uncached(), || {});
    let out = tempfile::tempdir().unwrap();
    let id = session.run(job, out.path().to_path_buf());
    // The console's path: wait for a notice, sync the model from the state it points at.
    loop {
        session.state().wait_for_notice();
        let phase = session.state().take(|state, notices| {
            sync(&mut m, state, &notices);
            state.run.phase.clone()
        });
        if let RunPhase::SetupFailed(message) = &phase {
            panic!("{message}");
        }
        if !phase.is_active() && session.state().read(|s| s.run.id) == id {
            break;
        }
    }
    let (mut takes, mut scores) = (Vec::new(), Vec::new());
    for entry in m.languages.iter().filter(|l| !l.takes().is_empty()) {
        for take in entry.takes() {
            assert!(take.output.as_ref().unwrap().exists());
            let voice = &take.voice;
            assert!(voice == "ff_siwis" || voice == "if_sara", "{voice}");
            let value = take.scores.similarity.expect("the demo source clip scores");
            assert!((-1.0..=1.0).contains(&value));
            takes.push((entry.language.code.to_string(), take.take));
            scores.push(entry.language.code);
        }
    }
    assert_eq!(m.run.provider.as_deref(), Some("CPUExecutionProvider"));
    takes.sort();
    scores.sort();
    assert_eq!(takes, [("fr".to_string(), 1), ("it".to_string(), 1)]);
    assert_eq!(scores, ["fr", "it"]);
    assert_eq!(m.run.state, RunState::Done);
    let it = &m.languages[row(&m, "it")];
    assert_eq!(it.state(), LanguageState::Done);
    let progress = &it.record.as_ref().unwrap().progress;
    assert_eq!((progress.sentences_done, progress.sentences_total), (2, 2));
    assert!(it.output().unwrap().exists());
    assert!(out.path().join("report.json").exists());

    // Every take was heard and scored; the run transcribed the source clip too.
    for code in ["fr", "it"] {
        let entry = &m.languages[row(&m, code)];
        let scores = entry.scores().expect("the run's take");
        match scores.heard() {
            Heard::Scored(t) => {
                assert!(t.cer < 0.5, "{code}: CER {} for {:?}", t.cer, t.text);
                assert_eq!(&entry.takes()[0].scores, scores);
            }
            other => panic!("{code}: {other:?}"),
        }
    }
    let english = match &m.source.transcript {
        Some(Transcript::Heard { language, text }) if language == "en" => text.clone(),
        other => panic!("source transcript: {other:?}"),
    };
    assert!(english.starts_with("Good morning"), "{english}");
    // The transcript fits an English row, and no other.
    m.cursor = row(&m, "fr");
    update(&mut m, Action::UseTranscript);
    assert_eq!(m.languages[row(&m, "fr")].text, "Bonjour.");
    assert!(
        m.status
            .as_deref()
            .unwrap()
            .contains("on a row of that language"),
        "{:?}",
        m.status
    );
    m.cursor = row(&m, "en-us");
    update(&mut m, Action::UseTranscript);
    assert_eq!(m.languages[row(&m, "en-us")].text, english);
}

#[test]
fn takes_and_voice_ranking_popups_drive_playback_and_voice_choice() {
    use voxdeck::engine::outcome::Status;
    use voxdeck::engine::progress::LanguageProgress;
    use voxdeck::languages::ModelKind;
    use voxdeck::qa::scores::TakeScores;
    use voxdeck::report::Take;
    use voxdeck::session::state::LanguageRecord;
    use voxdeck_ui::snapshot::RankedVoice;
    let mut m = model();
    m.cursor = row(&m, "fr");
    update(&mut m, Action::Takes);
    assert!(m.popup.is_none() && m.status.as_deref().unwrap().contains("no takes of fr"));
    let dir = tempfile::tempdir().unwrap();
    let mut progress = LanguageProgress::new("fr", ModelKind::Kokoro, "ff_siwis");
    progress.status = Status::Done;
    let mut record = LanguageRecord::new(1, progress);
    for take in 1..=2 {
        let path = dir.path().join(format!("fr-take{take}.wav"));
        std::fs::write(&path, b"").unwrap();
        record.takes.push(Take {
            take,
            run: 1,
            voice: "ff_siwis".into(),
            speed: 1.0,
            text: "Bonjour.".into(),
            output: Some(path),
            scores: TakeScores {
                similarity: Some(0.5),
                ..TakeScores::default()
            },
        });
    }
    m.languages[m.cursor].record = Some(record);
    update(&mut m, Action::Takes);
    assert!(
        matches!(&m.popup, Some(Popup::Takes { selected: 1, .. })),
        "opens on the newest take"
    );
    update(&mut m, Action::Input('m'));
    update(&mut m, Action::Up);
    match &update(&mut m, Action::Input('b'))[..] {
        [Effect::PlayAb {
            a_label, b_label, ..
        }] => assert_eq!(
            (a_label.as_str(), b_label.as_str()),
            ("fr take 2", "fr take 1")
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&update(&mut m, Action::Input('a'))[..], [Effect::PlayAb { b_label, .. }] if b_label == "source")
    );
    update(&mut m, Action::Dismiss);

    let ranking = vec![
        RankedVoice {
            voice: "ff_siwis".into(),
            similarity: 0.8,
            good: true,
        },
        RankedVoice {
            voice: "ff_other".into(),
            similarity: 0.7,
            good: false,
        },
    ];
    m.popup = Some(Popup::VoiceRanking {
        code: "fr".into(),
        probe_text: "x".into(),
        ranking,
        selected: 0,
        cached: 2,
    });
    update(&mut m, Action::Down);
    update(&mut m, Action::Confirm);
    assert_eq!(m.languages[m.cursor].voice, "ff_other");
    assert!(m.popup.is_none());
}

#[test]
fn confirming_a_cancel_after_the_run_ended_changes_nothing() {
    let mut m = model();
    update(&mut m, Action::Run);
    update(&mut m, Action::Cancel);
    // The run finishes while the question is open.
    let mut state = SessionState::default();
    state.run.phase = RunPhase::Finished {
        wall_seconds: 1.0,
        cancelled: false,
    };
    sync(&mut m, &state, &[Notice::Session]);
    assert!(update(&mut m, Action::Confirm).is_empty());
    assert_eq!(m.run.state, RunState::Done);
}

#[test]
fn voice_match_in_the_job_starts_on_the_default_voice_and_matches_on_open() {
    let text = "[[language]]\ncode = \"fr\"\nvoice = \"match\"\ntext = \"Bonjour.\"\n";
    let job = JobSpec::parse(text, Path::new("t.toml"), Path::new("."), "m".into()).unwrap();
    let m = Model::new(Some(&job), vec![], Default::default());
    assert_eq!(m.languages[row(&m, "fr")].voice, "ff_siwis");
    assert_eq!(m.match_on_open, ["fr"]);
}

#[test]
fn a_key_rebound_in_the_config_file_shows_in_the_footer_and_the_help() {
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    use voxdeck::console::config::ConsoleConfig;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "[keys]\nrun = \"F5\"\n").unwrap();
    let (config, warnings) = ConsoleConfig::load(&path);
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut m = model();
    m.key_labels = config.keymap.labels().clone();
    let screen = |m: &Model| {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let snap = voxdeck::console::snapshot::snapshot(m, std::time::Instant::now());
        terminal
            .draw(|frame| {
                voxdeck_ui::view::draw(frame, &snap, &voxdeck_ui::Theme::default());
            })
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
    };
    let lines = screen(&m);
    let footer = lines.last().unwrap();
    assert!(footer.contains("F5 run"), "{footer}");
    assert!(!footer.contains(" r run"), "{footer}");
    update(&mut m, Action::Help);
    let help = screen(&m).join("\n");
    assert!(
        help.contains("F5") && help.contains("run ticked languages"),
        "{help}"
    );
}

#[test]
fn a_late_ranking_waits_for_its_key_and_settings_changed_mid_run_are_the_next_runs() {
    use voxdeck::qa::matching::{MatchResult, VoiceScore};
    use voxdeck::session::state::Ranking;
    let mut m = model();
    update(&mut m, Action::Run);
    let mut state = SessionState::default();
    state.run.phase = RunPhase::Running;
    state.rankings.push(Ranking {
        id: 1,
        code: "fr".into(),
        result: Ok(MatchResult {
            language: "fr".into(),
            probe_text: "x".into(),
            ranking: vec![VoiceScore {
                voice: "ff_siwis".into(),
                similarity: 0.7,
            }],
            blend: None,
            cached: 1,
        }),
    });
    sync(&mut m, &state, &[Notice::Session]);
    assert!(m.popup.is_none(), "no popup takes the keys being typed");
    assert!(
        m.status.as_deref().unwrap().contains("press V"),
        "{:?}",
        m.status
    );
    update(&mut m, Action::WorkersUp);
    assert!(
        m.status.as_deref().unwrap().starts_with("next run:"),
        "{:?}",
        m.status
    );
    update(&mut m, Action::MatchVoice);
    assert!(matches!(m.popup, Some(Popup::VoiceRanking { .. })));
}

/// The library's session without the result cache, so these tests synthesise and never
/// touch the user's cache folder.
fn uncached() -> SessionOptions {
    SessionOptions {
        no_cache: true,
        ..SessionOptions::default()
    }
}
