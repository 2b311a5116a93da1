//! Job file parsing and validation: what is accepted, and each refusal with its fix.

use super::*;

fn parse(text: &str) -> Result<JobSpec, JobError> {
    JobSpec::parse(
        text,
        Path::new("job.toml"),
        Path::new("/jobs"),
        "job".into(),
    )
}

#[test]
fn parses_a_full_job() {
    let job = parse(
        "name = \"t\"\n[source]\nclip = \"a.wav\"\n[run]\nworkers = 2\nmode = \"shared-lock\"\ndevice = \"cuda:1\"\n\
         [[language]]\ncode = \"FR\"\ntext = \"Bonjour.\"\nvoice = \"ff_siwis\"\n",
    )
    .unwrap();
    assert_eq!(job.source_clip.as_deref(), Some(Path::new("/jobs/a.wav")));
    assert_eq!(
        (job.workers, job.mode, job.device),
        (Some(2), Mode::SharedLock, Device::Cuda(1))
    );
    assert_eq!(job.languages[0].code, "fr");
}

#[test]
fn reports_line_and_column_of_bad_toml() {
    let err = parse("[run]\nworkers = = 2\n").unwrap_err();
    assert!(matches!(err, JobError::Malformed { line: 2, .. }), "{err}");
}

#[test]
fn rejects_unknown_language_empty_text_and_bad_settings() {
    let lang =
        |code: &str, text: &str| format!("[[language]]\ncode = \"{code}\"\ntext = \"{text}\"\n");
    assert!(matches!(
        parse(&lang("xx", "hi")),
        Err(JobError::UnknownLanguage { .. })
    ));
    assert!(matches!(
        parse(&lang("fr", "  ")),
        Err(JobError::EmptyText { .. })
    ));
    let bad_mode = format!("[run]\nmode = \"fast\"\n{}", lang("fr", "a"));
    assert!(parse(&bad_mode).unwrap_err().to_string().contains("pool"));
    assert!(matches!(parse(""), Err(JobError::NoLanguages { .. })));
    for (workers, ok) in [
        (0, false),
        (MIN_WORKERS, true),
        (MAX_WORKERS, true),
        (MAX_WORKERS + 1, false),
    ] {
        let job = format!("[run]\nworkers = {workers}\n{}", lang("fr", "a"));
        assert_eq!(parse(&job).is_ok(), ok, "workers = {workers}");
    }
    let twice = format!("{}{}", lang("fr", "a"), lang("fr", "b"));
    assert!(matches!(
        parse(&twice),
        Err(JobError::DuplicateLanguage { .. })
    ));
}

fn lang(code: &str, text: &str) -> String {
    format!("[[language]]\ncode = \"{code}\"\ntext = \"{text}\"\n")
}

#[test]
fn nul_long_texts_and_thread_counts_are_refused_with_their_limit() {
    let nul = parse("[[language]]\ncode = \"fr\"\ntext = \"Bon\\u0000jour\"\n").unwrap_err();
    assert!(matches!(nul, JobError::NulInText { at: 4, .. }), "{nul}");
    let long = "a".repeat(MAX_TEXT_CHARS + 1);
    let err = parse(&lang("fr", &long)).unwrap_err();
    assert!(
        err.to_string().contains(&MAX_TEXT_CHARS.to_string()),
        "{err}"
    );
    let fifth = "a".repeat(MAX_JOB_TEXT_CHARS / 5 + 1);
    let many: String = ["fr", "es", "it", "pt-br", "hi"]
        .iter()
        .map(|c| lang(c, &fifth))
        .collect();
    assert!(matches!(parse(&many), Err(JobError::JobTextTooLong { .. })));
    for (threads, ok) in [
        (0, false),
        (1, true),
        (max_intra_threads(), true),
        (10_000, false),
    ] {
        let job = format!("[run]\nintra_threads = {threads}\n{}", lang("fr", "a"));
        assert_eq!(parse(&job).is_ok(), ok, "intra_threads = {threads}");
    }
}

#[test]
fn a_file_that_is_not_utf8_or_too_large_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(
        &latin1,
        b"[[language]]\ncode = \"fr\"\ntext = \"caf\xe9\"\n",
    )
    .unwrap();
    let err = JobSpec::load(&latin1).unwrap_err();
    assert!(matches!(err, JobError::NotUtf8 { offset: 36, .. }), "{err}");
    let huge = dir.path().join("huge.toml");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(MAX_JOB_FILE_BYTES + 1).unwrap();
    assert!(matches!(
        JobSpec::load(&huge),
        Err(JobError::FileTooLarge { .. })
    ));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

    /// Any text, valid TOML or not, is a job or an error, never a panic.
    #[test]
    fn any_text_parses_or_is_refused(text in proptest::prelude::any::<String>()) {
        let _ = parse(&text);
        let framed = format!("[[language]]\ncode = \"fr\"\ntext = {text:?}\n");
        let _ = parse(&framed);
    }
}

#[test]
fn the_default_worker_count_prefers_the_saved_one_then_tts_max_workers() {
    use crate::job::workers_by_rule;
    assert_eq!(
        workers_by_rule(Some(3), Some(8), 6),
        3,
        "saved, even under TTS_MAX_WORKERS"
    );
    assert_eq!(
        workers_by_rule(Some(5), None, 2),
        5,
        "saved, even over the languages"
    );
    assert_eq!(workers_by_rule(None, Some(2), 6), 2);
    assert_eq!(workers_by_rule(None, None, 6), 4);
    assert_eq!(workers_by_rule(None, None, 3), 3);
    assert_eq!(workers_by_rule(None, Some(500), 100), MAX_WORKERS);
}

#[test]
fn a_fit_takes_its_budget_and_seed_from_the_language_else_the_run() {
    let fit = |extra: &str| {
        format!("[[language]]\ncode = \"it\"\ntext = \"Ciao.\"\nvoice = \"fit\"\n{extra}")
    };
    assert_eq!(
        parse(&fit("")).unwrap().languages[0].voice.as_deref(),
        Some("fit")
    );
    let job = parse(&format!(
        "[run]\nfit_budget = 32\nfit_seed = 7\n{}",
        fit("fit_seed = 9\n")
    ))
    .unwrap();
    assert_eq!(
        job.languages[0].voice.as_deref(),
        Some("fit budget=32 seed=9")
    );
    let err = parse(&fit("fit_budget = 3\n")).unwrap_err().to_string();
    assert!(err.contains("fit_budget") && err.contains("8 to"), "{err}");
    let err = parse(&fit("model = \"piper\"\n")).unwrap_err().to_string();
    assert!(err.contains("Kokoro"), "{err}");
    let err = parse(
        "[[language]]\ncode = \"it\"\ntext = \"Ciao.\"\nvoice = \"match\"\nmodel = \"piper\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("cannot be matched") && err.contains("Kokoro"),
        "{err}"
    );
    let err = parse("[[language]]\ncode = \"it\"\ntext = \"Ciao.\"\nfit_seed = 2\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("voice = \"fit\""), "{err}");
    // A named fitted voice is no fit request.
    let named =
        parse("[[language]]\ncode = \"it\"\ntext = \"Ciao.\"\nvoice = \"fit:mine\"\n").unwrap();
    assert_eq!(named.languages[0].voice.as_deref(), Some("fit:mine"));
}
