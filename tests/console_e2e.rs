//! The real console in a real terminal (tmux): run two languages on the real models, wait
//! for the screen to show both done, play one result into a PulseAudio null sink and check
//! that sound reached it, quit, and check the exit code and that the alternate screen was
//! left. Waits poll the screen with deadlines; nothing sleeps for a fixed time.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::sink::{NullSink, Recording};

struct Tmux {
    session: String,
}

impl Tmux {
    fn start(dir: &Path, command: &str) -> Tmux {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let session = format!("voxdeck-e2e-{}-{n}", std::process::id());
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                "120",
                "-y",
                "40",
                "-c",
            ])
            .arg(dir)
            .arg(command)
            .status()
            .expect("tmux (scripts/setup installs it)");
        assert!(status.success());
        Tmux { session }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn alternate_screen_on(&self) -> bool {
        let out = Command::new("tmux")
            .args([
                "display-message",
                "-p",
                "-t",
                &self.session,
                "#{alternate_on}",
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// The console's exit code, once the command line has written it to `file` (within 30 s).
    fn exit_code(&self, file: &Path) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !file.exists() {
            assert!(
                Instant::now() < deadline,
                "the console did not quit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        std::fs::read_to_string(file).unwrap().trim().to_string()
    }

    /// Polls until `done(screen)` holds; panics with the last screen after `limit`.
    fn wait_for(&self, what: &str, limit: Duration, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

#[test]
fn run_play_and_quit_in_a_real_terminal() {
    let Some(_sink) = NullSink::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let job = "name = \"e2e\"\n[run]\nworkers = 2\n\
               [[language]]\ncode = \"fr\"\ntext = \"Bonjour à tous.\"\n\
               [[language]]\ncode = \"it\"\ntext = \"Ciao a tutti.\"\n";
    std::fs::write(dir.path().join("job.toml"), job).unwrap();
    let exit_file = dir.path().join("exit-code");
    let command = format!(
        "XDG_STATE_HOME={state} VOXDECK_RESULT_CACHE={state}/results {bin} job.toml; echo $? > {exit}; sleep 600",
        state = dir.path().join("state").display(),
        bin = env!("CARGO_BIN_EXE_voxdeck"),
        exit = exit_file.display()
    );
    let tmux = Tmux::start(dir.path(), &command);
    tmux.wait_for("the console", Duration::from_secs(30), |s| {
        s.contains("languages") && s.contains("progress")
    });
    assert!(tmux.alternate_screen_on());

    tmux.keys(&["r"]);
    tmux.wait_for("both languages done", Duration::from_secs(180), |s| {
        s.contains("2/2 done")
    });
    // The run ends once its takes are kept, scored and transcribed, a moment after the
    // rows say done.
    tmux.wait_for("the run to finish", Duration::from_secs(60), |s| {
        s.contains("run finished")
    });
    assert!(
        dir.path().join("out/e2e/fr.wav").exists()
            && dir.path().join("out/e2e/report.json").exists()
    );

    // The cursor starts on en-us; fr is two rows down.
    let recording = Recording::start(dir.path().join("sink.wav"));
    tmux.keys(&["j", "j", "p"]);
    tmux.wait_for("playback to start", Duration::from_secs(30), |s| {
        s.contains("fr result")
    });
    tmux.wait_for("playback to end", Duration::from_secs(30), |s| {
        !s.contains("fr result")
    });
    let heard = recording.finish();
    let loudest = heard
        .samples
        .chunks(1024)
        .map(|c| (c.iter().map(|s| s * s).sum::<f32>() / c.len() as f32).sqrt())
        .fold(0.0, f32::max);
    assert!(
        loudest > 0.02,
        "the sink heard near silence (loudest block RMS {loudest})"
    );

    tmux.keys(&["q"]);
    assert_eq!(tmux.exit_code(&exit_file), "0");
    assert!(
        !tmux.alternate_screen_on(),
        "the alternate screen was not left"
    );
}

#[test]
fn sigterm_mid_run_cancels_writes_the_report_and_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let job = "name = \"term\"\n[run]\nworkers = 1\n\
               [[language]]\ncode = \"fr\"\ntext = \"Un. Deux. Trois. Quatre. Cinq. Six.\"\n\
               [[language]]\ncode = \"it\"\ntext = \"Uno. Due. Tre. Quattro. Cinque. Sei.\"\n";
    std::fs::write(dir.path().join("job.toml"), job).unwrap();
    let (pid_file, exit_file, stty_file) = (
        dir.path().join("pid"),
        dir.path().join("exit-code"),
        dir.path().join("stty"),
    );
    // `exec` keeps the shell's pid, so the pid file names the console itself.
    let command = format!(
        "sh -c 'echo $$ > {pid}; XDG_STATE_HOME={state} VOXDECK_RESULT_CACHE={state}/results exec {bin} job.toml'; echo $? > {exit}.part; stty -a > {stty}; mv {exit}.part {exit}; sleep 600",
        pid = pid_file.display(),
        state = dir.path().join("state").display(),
        bin = env!("CARGO_BIN_EXE_voxdeck"),
        exit = exit_file.display(),
        stty = stty_file.display(),
    );
    let tmux = Tmux::start(dir.path(), &command);
    tmux.wait_for("the console", Duration::from_secs(30), |s| {
        s.contains("languages") && s.contains("progress")
    });
    tmux.keys(&["r"]);
    tmux.wait_for("a first sentence", Duration::from_secs(120), |s| {
        s.contains(" 1/6")
    });
    let pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // SAFETY: signalling the console this test started.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !exit_file.exists() {
        assert!(
            Instant::now() < deadline,
            "the console did not stop on SIGTERM; screen:\n{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        std::fs::read_to_string(&exit_file).unwrap().trim(),
        "1",
        "a cancelled run exits 1, as headless"
    );
    assert!(!tmux.alternate_screen_on(), "the alternate screen was left");
    let stty = std::fs::read_to_string(&stty_file).unwrap();
    assert!(
        stty.split_whitespace().any(|w| w == "echo"),
        "echo is back on: {stty}"
    );
    let out = dir.path().join("out/term");
    let report = common::report(&out);
    for language in report["languages"].as_array().unwrap() {
        if let Some(output) = language["output"].as_str() {
            assert!(Path::new(output).is_file(), "{output} listed but missing");
        }
        assert_ne!(language["status"], "running", "{language}");
    }
    assert!(report["totals"]["cancelled"].as_bool().unwrap(), "{report}");
}

#[test]
fn qa_opens_the_console_on_outside_files_to_compare() {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let exit_file = dir.path().join("exit-code");
    // A Kokoro clip taken to 16 kHz by sox stands in for another system's result.
    let command = format!(
        "XDG_STATE_HOME={state} VOXDECK_CONFIG=/nonexistent/config.toml {bin} qa --console \
         --source {root}/assets/demo/source.wav \
         --text 'fr=Le train de sept heures arrive toujours en retard, mais personne ne se plaint.' \
         fr={root}/tests/fixtures/whisper/fr.wav; echo $? > {exit}; sleep 600",
        state = dir.path().join("state").display(),
        bin = env!("CARGO_BIN_EXE_voxdeck"),
        exit = exit_file.display()
    );
    let tmux = Tmux::start(dir.path(), &command);
    // The fr row is done with its scores; the source pane shows what was heard in it.
    let screen = tmux.wait_for(
        "the scored file in the console",
        Duration::from_secs(90),
        |s| s.contains("progress") && s.contains("Good morning") && s.contains("%"),
    );
    assert!(screen.contains("fr    done"), "{screen}");
    // Its take is the outside file, with what Whisper heard in it.
    tmux.keys(&["j", "j", "t"]);
    let screen = tmux.wait_for("the takes popup", Duration::from_secs(10), |s| {
        s.contains("takes of fr")
    });
    assert!(
        screen.contains("outside") && screen.contains("heard:"),
        "{screen}"
    );
    // Esc and q apart: sent together, a terminal reads them as Alt-q.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the popup to close", Duration::from_secs(10), |s| {
        !s.contains("takes of fr")
    });
    tmux.keys(&["q"]);
    assert_eq!(tmux.exit_code(&exit_file), "0");
}

#[test]
fn the_fit_key_fits_a_voice_charts_it_and_sets_a_stock_take_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let exit_file = dir.path().join("exit-code");
    let config = dir.path().join("config.toml");
    // A small budget, so the test stays short: the two Italian voices and their four blends,
    // then one generation of four. No transcription, which the fit needs not.
    std::fs::write(
        &config,
        "[fit]\nbudget = 12\nseed = 2\n[qa]\ntranscribe = false\n",
    )
    .unwrap();
    let job = dir.path().join("job.toml");
    std::fs::write(
        &job,
        format!(
            "[source]\nclip = \"{root}/assets/demo/source.wav\"\n[run]\nworkers = 2\nintra_threads = 1\n\
             [[language]]\ncode = \"it\"\ntext = \"Oggi il cielo è sereno.\"\n"
        ),
    )
    .unwrap();
    let voices = dir.path().join("voices");
    let command = format!(
        "XDG_STATE_HOME={state} VOXDECK_RESULT_CACHE={cache} VOXDECK_CONFIG={config} \
         VOXDECK_VOICES={voices} {bin} {job}; echo $? > {exit}; sleep 600",
        state = dir.path().join("state").display(),
        cache = dir.path().join("cache").display(),
        config = config.display(),
        voices = voices.display(),
        bin = env!("CARGO_BIN_EXE_voxdeck"),
        job = job.display(),
        exit = exit_file.display()
    );
    let tmux = Tmux::start(dir.path(), &command);
    tmux.wait_for("the console", Duration::from_secs(60), |s| {
        s.contains("languages")
    });
    // The it row (en-us, en-gb, fr, es, it), then the fit key.
    tmux.keys(&["j", "j", "j", "j"]);
    tmux.keys(&["F"]);
    tmux.wait_for("the fit popup", Duration::from_secs(20), |s| {
        s.contains("fitting a voice for it") && s.contains("/12 evaluations")
    });
    let screen = tmux.wait_for("the fitted voice", Duration::from_secs(240), |s| {
        s.contains("fit:it-") && s.contains(" vs ")
    });
    assert!(
        screen.contains("ge2e") && screen.contains("d-vector"),
        "{screen}"
    );
    let name = std::fs::read_dir(&voices)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .find(|n| n.ends_with(".bin"))
        .expect("the fitted voice file");
    assert_eq!(
        std::fs::metadata(voices.join(&name)).unwrap().len(),
        510 * 256 * 4
    );
    // The fitted voice speaks the row's text; then Enter makes a take with the stock voice.
    // The header says `done` once that run ends; Enter closes the popup and shows the next
    // run going in the same draw, so the second wait cannot see the first run's `done`.
    tmux.wait_for("the fitted take", Duration::from_secs(120), |s| {
        s.contains("job  done")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the stock take", Duration::from_secs(120), |s| {
        s.contains("job  done") && !s.contains("fitting a voice for it")
    });
    tmux.keys(&["t"]);
    let screen = tmux.wait_for("both takes", Duration::from_secs(60), |s| {
        s.contains("takes of it") && s.contains("fit:it-") && s.contains("if_sara")
            || s.contains("takes of it") && s.contains("fit:it-") && s.contains("im_nicola")
    });
    // Both runs of the row ended done (the log pane may hold sound-card warnings).
    assert!(screen.contains("it    done"), "{screen}");
    tmux.keys(&["Escape"]);
    tmux.wait_for("the popup to close", Duration::from_secs(10), |s| {
        !s.contains("takes of it")
    });
    tmux.keys(&["q"]);
    assert_eq!(tmux.exit_code(&exit_file), "0");
}
