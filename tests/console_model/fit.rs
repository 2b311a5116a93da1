//! The fit key and its popup on the console's model.

use std::path::Path;

use voxdeck::console::action::Action;
use voxdeck::console::model::Model;
use voxdeck::console::sync::sync;
use voxdeck::console::update::{update, Effect};
use voxdeck::job::JobSpec;
use voxdeck::session::published::Notice;
use voxdeck::session::state::{RunPhase, SessionState};
use voxdeck_ui::snapshot::{Popup, RunState};

use super::{model, row};

#[test]
fn the_fit_key_runs_a_fit_charts_it_and_offers_the_stock_voice_to_compare() {
    use voxdeck::engine::progress::LanguageProgress as EngineProgress;
    use voxdeck::fit::{Generation, Scored, VoiceFit};
    use voxdeck::languages::ModelKind;
    use voxdeck::session::state::{FitProgress, LanguageRecord};
    use voxdeck_ui::snapshot::FitOutcome;

    // Without a source clip there is nothing to fit to.
    let text = "[[language]]\ncode = \"it\"\ntext = \"Ciao.\"\n";
    let job = JobSpec::parse(text, Path::new("t.toml"), Path::new("."), "f".into()).unwrap();
    let mut m = Model::new(Some(&job), vec![], Default::default());
    m.cursor = row(&m, "it");
    assert!(update(&mut m, Action::FitVoice).is_empty());
    assert!(
        m.status.as_deref().unwrap().contains("press o"),
        "{:?}",
        m.status
    );

    let mut m = model();
    let it = row(&m, "it");
    m.cursor = it;
    let effects = update(&mut m, Action::FitVoice);
    let [Effect::StartRun(job)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(job.languages.len(), 1);
    assert_eq!(job.languages[0].voice.as_deref(), Some("fit"));
    assert_eq!(
        m.languages[it].voice, "if_sara",
        "the row keeps its voice until fitted"
    );
    assert!(matches!(&m.popup, Some(Popup::Fitting(f)) if f.code == "it"));

    // Progress reaches the open popup: a point per generation, the pace.
    let mut state = SessionState::default();
    state.run.phase = RunPhase::Matching { code: "it".into() };
    let generation = |g: usize, s: f32| Generation {
        generation: g,
        evaluations: 8 * (g + 1),
        best_probe: s + 0.1,
        best_held_out: vec![s, s - 0.05],
    };
    state.fitting = Some(FitProgress {
        code: "it".into(),
        generation: 1,
        evaluations: 16,
        budget: 240,
        best_probe: 0.8,
        best_held_out: vec![0.7, 0.65],
        history: vec![generation(0, 0.6), generation(1, 0.7)],
        elapsed_seconds: 20.0,
    });
    sync(&mut m, &state, &[Notice::Session]);
    let Some(Popup::Fitting(shown)) = &m.popup else {
        panic!("{:?}", m.popup)
    };
    assert_eq!((shown.evaluations, shown.points.len()), (16, 2));
    assert_eq!(shown.points[1].held_out, vec![0.7, 0.65]);

    // Esc hides it; the status line keeps count; the key shows it again.
    update(&mut m, Action::Dismiss);
    assert!(m.popup.is_none());
    sync(&mut m, &state, &[Notice::Session]);
    assert!(
        m.status
            .as_deref()
            .unwrap()
            .contains("16/240 evaluations (F shows the chart)"),
        "{:?}",
        m.status
    );
    assert!(update(&mut m, Action::FitVoice).is_empty(), "no second fit");
    assert!(matches!(m.popup, Some(Popup::Fitting(_))));

    // `c` in the popup cancels the run the fit is part of.
    m.run.state = RunState::Running;
    let effects = update(&mut m, Action::Input('c'));
    assert!(
        matches!(effects.as_slice(), [Effect::CancelRun]),
        "{effects:?}"
    );
    m.run.state = RunState::Running;

    // The fitted voice arrives: the row speaks with it and the cycle offers it.
    let scored = |voice: &str, s: f32| Scored {
        voice: voice.into(),
        held_out: vec![s, s - 0.05],
        probe: s,
    };
    let mut record = LanguageRecord::new(1, EngineProgress::new("it", ModelKind::Kokoro, "x"));
    record.voice_fit = Some(VoiceFit {
        name: "it-0123abcd-s1".into(),
        file: "it-0123abcd-s1.bin".into(),
        source_clip_sha256: "0123abcd".into(),
        judges: vec!["ge2e".into(), "d-vector".into()],
        best_stock: scored("im_nicola", 0.66),
        best_blend: Some(scored("im_nicola:0.7+if_sara:0.3", 0.70)),
        fitted: scored("fit", 0.78),
        evaluations: 96,
        seed: 1,
        budget: 240,
        search_seconds: 130.0,
        wall_seconds: 131.0,
        reused: false,
    });
    state.fitting = None;
    state.languages.push(record);
    sync(&mut m, &state, &[Notice::Language("it".into())]);
    assert_eq!(m.languages[it].voice, "fit:it-0123abcd-s1");
    let Some(Popup::Fitting(shown)) = &m.popup else {
        panic!("{:?}", m.popup)
    };
    assert!(
        matches!(&shown.outcome, FitOutcome::Fitted { stock_voice, .. } if stock_voice == "im_nicola"),
        "{:?}",
        shown.outcome
    );
    // The run ends; Enter then makes a take with the best stock voice.
    state.run.phase = RunPhase::Finished {
        wall_seconds: 140.0,
        cancelled: false,
    };
    sync(&mut m, &state, &[Notice::Session]);
    let effects = update(&mut m, Action::Confirm);
    let [Effect::StartRun(job)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(job.languages[0].voice.as_deref(), Some("im_nicola"));
    assert_eq!(m.languages[it].voice, "fit:it-0123abcd-s1");
    assert!(m.popup.is_none());
    // The cycle comes back round to the fitted voice.
    let mut seen = Vec::new();
    for _ in 0..3 {
        update(&mut m, Action::CycleVoice);
        seen.push(m.languages[it].voice.clone());
    }
    assert!(seen.contains(&"fit:it-0123abcd-s1".to_string()), "{seen:?}");
}
