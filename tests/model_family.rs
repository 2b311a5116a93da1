//! Capabilities are the family's answer: a family that cannot fit or match a voice is
//! refused by the job parser and by the console alike. The test family is Kokoro under
//! Kokoro's own kind with both switched off, so a refusal made by comparing kinds would
//! let it through and fail here.

use std::path::{Path, PathBuf};

use voxdeck::console::action::Action;
use voxdeck::console::model::Model;
use voxdeck::console::update::{update, Effect};
use voxdeck::engine::family::{family, Kokoro, ModelFamily};
use voxdeck::engine::plan::{LanguagePlan, PlanError, PlanFailure, Planner};
use voxdeck::job::{JobError, JobSpec, LanguageJob};
use voxdeck::languages::{Language, ModelKind};

/// Kokoro in every answer but two: it speaks, and cannot match or fit a voice.
#[derive(Debug)]
struct SpeakOnly;

impl ModelFamily for SpeakOnly {
    fn kind(&self) -> ModelKind {
        Kokoro.kind()
    }
    fn label(&self) -> &'static str {
        "Speak-only"
    }
    fn trained_for(&self, language: &Language) -> bool {
        Kokoro.trained_for(language)
    }
    fn default_voice(&self, language: &Language) -> Option<String> {
        Kokoro.default_voice(language)
    }
    fn has_stock_voices(&self) -> bool {
        Kokoro.has_stock_voices()
    }
    fn can_match(&self) -> bool {
        false
    }
    fn can_fit(&self) -> bool {
        false
    }
    fn plan_language(
        &self,
        planner: &mut Planner<'_>,
        language: &'static Language,
        job: &LanguageJob,
    ) -> Result<Result<LanguagePlan, PlanFailure>, PlanError> {
        Kokoro.plan_language(planner, language, job)
    }
}

/// voxdeck's families, but the one behind `kokoro` is the speak-only one.
fn speak_only_kokoro(kind: ModelKind) -> &'static dyn ModelFamily {
    match kind {
        ModelKind::Kokoro => &SpeakOnly,
        other => family(other),
    }
}

fn italian(voice: &str, model: &str) -> String {
    format!("[[language]]\ncode = \"it\"\ntext = \"Ciao.\"\nvoice = \"{voice}\"\n{model}")
}

fn parse_with(
    text: &str,
    family_of: voxdeck::engine::family::FamilyOf,
) -> Result<JobSpec, JobError> {
    JobSpec::parse_with_families(
        text,
        Path::new("t.toml"),
        Path::new("."),
        "t".into(),
        family_of,
    )
}

#[test]
fn the_job_parser_refuses_what_the_family_cannot() {
    for model in ["", "model = \"kokoro\"\n"] {
        for (voice, verb) in [("fit", "fitted"), ("match", "matched")] {
            let text = italian(voice, model);
            assert!(parse_with(&text, family).is_ok(), "Kokoro grants {voice}");
            let refused = parse_with(&text, speak_only_kokoro).unwrap_err();
            assert!(
                matches!(refused, JobError::ModelNotForLanguage { .. }),
                "{refused}"
            );
            let message = refused.to_string();
            assert!(
                message.contains("Speak-only") && message.contains(verb),
                "{message}"
            );
        }
    }
    // What the family can do is still granted: it speaks a stock voice.
    assert!(parse_with(&italian("if_sara", ""), speak_only_kokoro).is_ok());
}

/// A console with the Italian row ready to match or fit (a source clip, a text), spoken
/// by `family`.
fn console_with(family: &'static dyn ModelFamily) -> Model {
    let mut model = Model::new(None, vec!["if_sara".into()], Default::default());
    model.source.path = Some(PathBuf::from("assets/demo/source.wav"));
    let row = (model.languages.iter())
        .position(|l| l.language.code == "it")
        .unwrap();
    model.cursor = row;
    model.languages[row].family = family;
    model.languages[row].text = "Ciao.".into();
    model
}

#[test]
fn the_console_refuses_what_the_family_cannot() {
    for (action, verb) in [
        (Action::FitVoice, "fitted"),
        (Action::MatchVoice, "matched"),
    ] {
        let mut granted = console_with(&Kokoro);
        let effects = update(&mut granted, action.clone());
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::MatchVoice { .. } | Effect::StartRun(_))),
            "Kokoro grants {action:?}: {effects:?}"
        );
        let mut refused = console_with(&SpeakOnly);
        let effects = update(&mut refused, action.clone());
        assert!(effects.is_empty(), "{action:?}: {effects:?}");
        let status = refused.status.unwrap_or_default();
        assert!(
            status.contains("Speak-only") && status.contains(verb),
            "{status}"
        );
        assert!(refused.popup.is_none() && refused.fit.is_none());
    }
}
