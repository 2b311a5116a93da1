//! The loop on a made-up objective (a voice's closeness to a target voice, read off its
//! rows), so the resume can be checked generation by generation in milliseconds; the
//! real models' fit and resume are in tests/fit.rs.
use super::*;
use crate::audio::wav::Clip;
use crate::languages::Language;

/// "Speaks" a pack as a clip of its first rows, so judges can compare voices.
struct RowSpeaker {
    spoken: usize,
}

impl PackSpeaker for RowSpeaker {
    fn speak(
        &mut self,
        _: &Language,
        _: &str,
        packs: &[Arc<VoicePack>],
    ) -> Result<Vec<Result<Clip, String>>, FitError> {
        self.spoken += packs.len();
        Ok(packs
            .iter()
            .map(|p| {
                Ok(Clip {
                    sample_rate: 1,
                    samples: p.rows()[..2048].to_vec(),
                })
            })
            .collect())
    }
}

/// Closeness to the target's rows: the cosine.
struct RowJudge(Vec<f32>);

impl Judge for RowJudge {
    fn name(&self) -> &str {
        "rows"
    }

    fn score(&mut self, clip: &Clip) -> Result<f32, crate::qa::QaError> {
        let dot: f32 = clip.samples.iter().zip(&self.0).map(|(a, b)| a * b).sum();
        let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
        Ok(dot / (norm(&clip.samples) * norm(&self.0)))
    }
}

fn voice(name: &str, seed: u32) -> Arc<VoicePack> {
    let rows = (0..510 * 256)
        .map(|i: u32| (i.wrapping_mul(2654435761) ^ seed.wrapping_mul(40503)) % 1000)
        .map(|x| x as f32 / 1000.0 - 0.5)
        .collect();
    Arc::new(VoicePack::from_rows(name, rows).unwrap())
}

fn run(
    stock: &[Arc<VoicePack>],
    budget: usize,
    resume: Option<SearchState>,
    stop_after: Option<usize>,
) -> (Result<FitOutcome, FitError>, Option<SearchState>) {
    let target = VoicePack::mix("t", &[(&stock[0], 0.3), (&stock[1], 0.7)]).unwrap();
    let mut judge = RowJudge(target.rows()[..2048].to_vec());
    let mut judges: [&mut dyn Judge; 1] = [&mut judge];
    let options = FitOptions {
        language: crate::languages::find("it").unwrap(),
        probe_text: "probe",
        held_out_text: "held out",
        budget,
        seed: 9,
        population: Some(4),
        dims: 3,
        patience: 100,
    };
    let stop = AtomicBool::new(false);
    let mut last = None;
    let outcome = fit(
        &mut RowSpeaker { spoken: 0 },
        &mut judges,
        stock,
        stock,
        &options,
        resume,
        &stop,
        |state| {
            // Through JSON, as the checkpoint file carries it. A state gone non-finite
            // (only from a damaged one) does not read back: no checkpoint then.
            let text = serde_json::to_string(state).unwrap();
            last = serde_json::from_str(&text).ok();
            if Some(state.generations.len()) == stop_after {
                stop.store(true, Ordering::SeqCst);
            }
        },
        |_| {},
    );
    (outcome, last)
}

#[test]
fn a_search_resumed_from_its_checkpoint_ends_as_one_never_stopped() {
    let stock: Vec<_> = (0..4).map(|i| voice(&format!("v{i}"), i)).collect();
    let (whole, _) = run(&stock, 40, None, None);
    let whole = whole.unwrap();
    let (cut, saved) = run(&stock, 40, None, Some(2));
    assert!(matches!(cut, Err(FitError::Cancelled)));
    let saved = saved.expect("a checkpoint after generation 2");
    assert_eq!(saved.generations.len(), 2);
    let (resumed, _) = run(&stock, 40, Some(saved), None);
    let resumed = resumed.unwrap();
    assert_eq!(resumed.generations, whole.generations);
    assert_eq!(resumed.fitted, whole.fitted);
    assert_eq!(resumed.evaluations, whole.evaluations);
    assert_eq!(
        resumed.voice.unwrap().rows(),
        whole.voice.unwrap().rows(),
        "the same voice, bit for bit"
    );
}

#[test]
fn the_start_tries_blends_of_the_best_voices_and_keeps_the_better() {
    let stock: Vec<_> = (0..4).map(|i| voice(&format!("v{i}"), i)).collect();
    let (outcome, _) = run(&stock, 8, None, None);
    let outcome = outcome.unwrap();
    let blend = outcome.best_blend.expect("four voices give blends");
    assert!(blend.voice.contains('+'), "{}", blend.voice);
    // The target is a blend of v0 and v1: some blend of the best beats every voice.
    assert!(
        blend.held_out[0] > outcome.best_stock.held_out[0],
        "{blend:?}"
    );
    assert_eq!(outcome.fitted, blend);
    // Four stock voices and six blends, over a budget of 8: no generation.
    assert_eq!(outcome.evaluations, 10);
    assert!(outcome.generations.is_empty());
}

/// Numbers and arrays: the nodes of a JSON value that a mutation changes.
fn mutable(v: &serde_json::Value) -> bool {
    matches!(
        v,
        serde_json::Value::Number(_) | serde_json::Value::Array(_)
    )
}

fn count_mutable(v: &serde_json::Value) -> usize {
    let own = usize::from(mutable(v));
    own + match v {
        serde_json::Value::Array(items) => items.iter().map(count_mutable).sum(),
        serde_json::Value::Object(map) => map.values().map(count_mutable).sum(),
        _ => 0,
    }
}

/// Applies `change` to the `n`-th mutable node (depth first, parents first).
fn mutate_nth(
    v: &mut serde_json::Value,
    n: &mut usize,
    change: &mut dyn FnMut(&mut serde_json::Value),
) -> bool {
    if mutable(v) {
        if *n == 0 {
            change(v);
            return true;
        }
        *n -= 1;
    }
    match v {
        serde_json::Value::Array(items) => items.iter_mut().any(|i| mutate_nth(i, n, change)),
        serde_json::Value::Object(map) => map.values_mut().any(|i| mutate_nth(i, n, change)),
        _ => false,
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    /// Issue 20: a checkpoint whose contents are damaged (valid JSON, wrong sizes, zero
    /// or huge numbers) is refused by `check` or goes on without a panic.
    #[test]
    fn a_mutated_checkpoint_is_refused_or_resumes_without_panic(
        pick in 0usize..10_000,
        op in 0u8..6,
        number in proptest::prelude::prop_oneof![
            proptest::prelude::Just(0.0f64),
            proptest::prelude::Just(-1.0),
            proptest::prelude::Just(1e308),
            proptest::prelude::Just(3.0),
            proptest::prelude::Just(1e12),
            -10.0f64..10.0,
        ],
    ) {
        let stock: Vec<_> = (0..4).map(|i| voice(&format!("v{i}"), i)).collect();
        let saved = SAVED.get_or_init(|| {
            let (_, saved) = run(&stock, 40, None, Some(2));
            serde_json::to_value(saved.expect("a checkpoint after generation 2")).unwrap()
        });
        let mut damaged = saved.clone();
        let mut n = pick % count_mutable(&damaged);
        mutate_nth(&mut damaged, &mut n, &mut |node| match node {
            serde_json::Value::Array(items) if op < 2 => items.truncate(items.len() / 2),
            serde_json::Value::Array(items) if op < 4 => {
                if let Some(first) = items.first().cloned() {
                    items.push(first);
                }
            }
            serde_json::Value::Array(items) => items.clear(),
            other => *other = serde_json::json!(number),
        });
        if let Ok(state) = serde_json::from_value::<SearchState>(damaged) {
            if state.check(3, Some(4)).is_ok() {
                // Goes on (or ends in an error), but never panics.
                let _ = run(&stock, 40, Some(state), None);
            } else {
                let (outcome, _) = run(&stock, 40, Some(state), None);
                proptest::prop_assert!(matches!(outcome, Err(FitError::DamagedCheckpoint(_))));
            }
        }
    }
}

static SAVED: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
