//! Sentence joins through the real model: each sentence's own edge silence is trimmed and
//! exactly the configured pause goes between sentences, so no gap in the take is longer than
//! the pause plus 0.1 s, whatever the model put at the edges of each utterance.

mod common;

use common::{job, language, report, run_job, stderr};
use voxdeck::audio::wav;

/// The longest stretch of the clip quieter than -50 dBFS (10 ms frames), in seconds, not
/// counting the clip's own start and end.
fn longest_inner_gap(samples: &[f32], rate: u32) -> f64 {
    let frame = rate as usize / 100;
    let quiet: Vec<bool> = samples
        .chunks(frame)
        .map(|c| (c.iter().map(|s| s * s).sum::<f32>() / c.len() as f32).sqrt() < 0.00316)
        .collect();
    let first = quiet.iter().position(|q| !q).unwrap_or(0);
    let last = quiet.iter().rposition(|q| !q).unwrap_or(0);
    let mut longest = 0;
    let mut run = 0;
    for &q in &quiet[first..=last] {
        run = if q { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest as f64 * frame as f64 / rate as f64
}

#[test]
fn no_gap_between_sentences_is_longer_than_the_pause_plus_a_tenth() {
    let text = "The train leaves at noon. Please be on time.";
    for (model, extra) in [("kokoro", ""), ("piper", "model = \"piper\"\n")] {
        let body = language("en-us", text) + extra;
        let (dir, path) = job(&body);
        for pause in [0.3, 0.8] {
            let out = dir.path().join(format!("out-{pause}"));
            let output = run_job(&path, &out, &["--sentence-silence", &pause.to_string()]);
            assert!(output.status.success(), "{model}: {}", stderr(&output));
            let clip = wav::read(&out.join("en-us.wav")).unwrap();
            let gap = longest_inner_gap(&clip.samples, clip.sample_rate);
            assert!(
                gap <= pause + 0.1,
                "{model}: a {gap:.2} s gap with a {pause} s pause"
            );
            assert!(
                gap >= pause - 0.05,
                "{model}: the pause is there: {gap:.2} s"
            );
            // The report's audio is the file's.
            let seconds = clip.samples.len() as f64 / clip.sample_rate as f64;
            let reported = report(&out)["languages"][0]["audio_seconds"]
                .as_f64()
                .unwrap();
            assert!((seconds - reported).abs() < 1e-3, "{seconds} vs {reported}");
        }
    }
}

#[test]
fn a_pause_out_of_range_is_refused_in_the_job_and_on_the_command_line() {
    let (dir, path) = job(&format!(
        "[run]\nsentence_silence = 9.0\n{}",
        language("it", "Ciao.")
    ));
    let output = run_job(&path, &dir.path().join("out"), &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("run.sentence_silence") && err.contains("0 to 5"),
        "{err}"
    );
    let (dir, path) = job(&language("it", "Ciao."));
    let output = run_job(&path, &dir.path().join("out"), &["--sentence-silence=-1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("0 to 5"), "{}", stderr(&output));
}

#[test]
fn consecutive_sentences_share_an_utterance_up_to_the_budget() {
    let text = "The train leaves at noon. Please be on time. The station is far.";
    let (dir, path) = job(&language("en-us", text));
    let texts = |extra: &[&str]| -> Vec<(String, u64)> {
        let out = dir.path().join(format!("out{}", extra.len()));
        let output = run_job(&path, &out, extra);
        assert!(output.status.success(), "{}", stderr(&output));
        report(&out)["languages"][0]["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let tokens = s["token_ids"].as_array().unwrap().len() as u64;
                (s["text"].as_str().unwrap().to_string(), tokens)
            })
            .collect()
    };
    let alone = texts(&[]);
    assert_eq!(alone.len(), 3, "{alone:?}");
    let together = texts(&["--utterance-tokens", "510"]);
    assert_eq!(together.len(), 1, "{together:?}");
    assert_eq!(together[0].0, text);
    // The gathered utterance is the sentences' phonemes joined by a space: one token each.
    let sum: u64 = alone.iter().map(|(_, t)| t).sum();
    assert_eq!(together[0].1, sum + 2);
    // A budget that holds two sentences but not three.
    let budget = (alone[0].1 + alone[1].1 + 1).to_string();
    let two = texts(&["--utterance-tokens", &budget, "--no-cache"]);
    assert_eq!(two.len(), 2, "{two:?}");
}
