//! One submitted run: the queue of utterances, each language's state machine
//! (queued -> running -> done | failed | cancelled), assembly of finished languages into
//! WAV files, and the outcome the report is built from.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use super::cache::{self, Key, KeyParts, ResultCache};
use super::load::PoolLoad;
use super::plan::{LanguagePlan, ModelId, Plan, PlanFailure, VoiceData};
use super::progress::{LanguageProgress, RunObserver};
use super::schedule::{schedule, Unit};
use super::sessions::{SessionFactory, Sessions};
use super::{kokoro, piper};
use crate::audio::wav::{self, Clip};
use crate::languages::ModelKind;

/// Silence put between sentences when a language's utterances are joined.
mod language;
use language::LanguageWork;

pub use super::outcome::{LanguageOutcome, RunOutcome, Status, UtteranceTiming};

pub(crate) struct RunWork {
    queue: Mutex<VecDeque<Unit>>,
    languages: Vec<Mutex<LanguageWork>>,
    models: std::collections::BTreeMap<ModelId, PathBuf>,
    out_dir: PathBuf,
    /// Seconds of silence between a language's utterances once joined.
    sentence_silence: f64,
    observer: Arc<dyn RunObserver>,
    cancel: Arc<AtomicBool>,
    started: Instant,
    workers_left: Mutex<usize>,
    finished: Condvar,
    outcome: Mutex<Option<RunOutcome>>,
    cache: Option<RunCache>,
    load: Arc<PoolLoad>,
}

/// The result cache as one run uses it: the store, and the sha256 of each model file the
/// run's plan names (a model missing here is synthesised without the cache).
pub(crate) struct RunCache {
    pub(crate) store: Arc<ResultCache>,
    pub(crate) models: std::collections::BTreeMap<ModelId, String>,
}

/// One utterance's audio from ORT, and what ran it.
struct Synthesised {
    audio: Result<Vec<f32>, String>,
    seconds: f64,
    placement: super::runtime::Placement,
    fallback: Option<String>,
    /// Where to store the audio once the session is released (a miss with a key).
    store_under: Option<Key>,
}

impl RunWork {
    pub(crate) fn new(
        plan: Plan,
        out_dir: PathBuf,
        observer: Arc<dyn RunObserver>,
        cancel: Arc<AtomicBool>,
        workers: usize,
        cache: Option<RunCache>,
        load: Arc<PoolLoad>,
    ) -> RunWork {
        let languages: Vec<LanguageWork> =
            plan.languages.into_iter().map(LanguageWork::new).collect();
        let counts: Vec<usize> = languages.iter().map(|l| l.audio.len()).collect();
        let queue = schedule(&counts);
        load.queued(queue.len());
        RunWork {
            queue: Mutex::new(queue),
            languages: languages.into_iter().map(Mutex::new).collect(),
            models: plan.models,
            out_dir,
            sentence_silence: plan.sentence_silence,
            observer,
            cancel,
            started: Instant::now(),
            workers_left: Mutex::new(workers),
            finished: Condvar::new(),
            outcome: Mutex::new(None),
            cache,
            load,
        }
    }

    /// Tells the observer what is about to happen, and which languages already failed.
    pub(crate) fn announce(&self) {
        for (index, lang) in self.languages.iter().enumerate() {
            // A previous run's file stays until this run's replaces it whole (temp file,
            // rename): a language that fails or is cancelled keeps it.
            self.publish(index, &lock(lang));
        }
    }

    fn publish(&self, index: usize, lang: &LanguageWork) {
        self.observer.language_changed(index, &lang.progress());
    }

    /// A worker's share of the run: take units until none are left or the run is cancelled.
    pub(crate) fn work(&self, sessions: &mut Sessions, factory: &SessionFactory) {
        /// Whatever happens in this worker, the run hears that it is done with it, so the
        /// run always closes.
        struct Finished<'r>(&'r RunWork);
        impl Drop for Finished<'_> {
            fn drop(&mut self) {
                self.0.worker_lost();
            }
        }
        let _finished = Finished(self);
        while let Some(unit) = self.next_unit() {
            let language = unit.language;
            let _busy = self.load.start_unit();
            let step = std::panic::catch_unwind(AssertUnwindSafe(|| {
                self.process(unit, sessions, factory)
            }));
            if let Err(panic) = step {
                self.fail(
                    language,
                    format!("the worker panicked: {}", panic_text(&panic)),
                );
            }
        }
    }

    fn next_unit(&self) -> Option<Unit> {
        let mut queue = lock(&self.queue);
        if self.cancel.load(Ordering::SeqCst) {
            self.load.dropped(queue.len());
            queue.clear();
            return None;
        }
        queue.pop_front()
    }

    fn process(&self, unit: Unit, sessions: &mut Sessions, factory: &SessionFactory) {
        let (plan_model, tokens, phoneme_count, voice, speed) = {
            let mut lang = lock(&self.languages[unit.language]);
            if lang.outcome.status == Status::Failed {
                return;
            }
            lang.outcome.status = Status::Running;
            lang.started.get_or_insert_with(Instant::now);
            let plan = lang.plan.as_ref().expect("queued languages have a plan");
            let utterance = &plan.utterances[unit.utterance];
            (
                plan.model.clone(),
                utterance.token_ids.clone(),
                utterance.phonemes.chars().count(),
                plan.voice_data.clone(),
                plan.speed,
            )
        };
        let path = self.models.get(&plan_model).cloned().unwrap_or_default();
        // The cache key's parts that need no session: the model's digest and the style
        // data this utterance is synthesised with.
        let cached = self.cache.as_ref().and_then(|c| {
            let model_sha256 = c.models.get(&plan_model)?;
            let voice_hash = match &voice {
                VoiceData::Kokoro(pack) => cache::style_hash(pack.style_for(phoneme_count)),
                VoiceData::Piper(voice) => cache::piper_voice_hash(voice),
            };
            Some((c.store.as_ref(), model_sha256.as_str(), voice_hash))
        });
        // The lookup is made outside the session: under shared-lock a hit (a network
        // round-trip with a Redis store) must not hold the one session the others wait on.
        // The key needs the session's provider kind (under auto, CUDA or the CPU fallback),
        // so the session is asked for it first.
        let key = match cached {
            Some((store, model_sha256, voice)) => {
                let asked = sessions.with(&plan_model, &path, factory, |open| {
                    (open.placement.clone(), open.fallback.clone())
                });
                let (placement, fallback) = match asked {
                    Ok(found) => found,
                    Err(e) => return self.fail(unit.language, e.to_string()),
                };
                let key = Key::new(&KeyParts {
                    model_sha256,
                    voice,
                    speed,
                    token_ids: &tokens,
                    provider: cache::provider_kind(&placement.provider),
                });
                if let Some(samples) = store.get(&key) {
                    return self.record(unit, samples, 0.0, true, placement, fallback);
                }
                Some(key)
            }
            None => None,
        };
        let result = sessions.with(&plan_model, &path, factory, |open| {
            let placement = open.placement.clone();
            let fallback = open.fallback.clone();
            let started = Instant::now();
            let audio = std::panic::catch_unwind(AssertUnwindSafe(|| match &voice {
                VoiceData::Kokoro(pack) => kokoro::synthesize(
                    &mut open.session,
                    &tokens,
                    pack.style_for(phoneme_count),
                    speed,
                ),
                VoiceData::Piper(voice) => {
                    piper::synthesize(&mut open.session, &voice.config, &tokens, speed)
                }
            }));
            let seconds = started.elapsed().as_secs_f64();
            let audio = match audio {
                Ok(Ok(samples)) => Ok(samples),
                Ok(Err(e)) => Err(format!(
                    "ONNX Runtime failed on sentence {}: {}",
                    unit.utterance + 1,
                    super::library_check::explain_limits(e.to_string())
                )),
                Err(panic) => Err(format!(
                    "synthesis panicked on sentence {}: {}",
                    unit.utterance + 1,
                    panic_text(&panic)
                )),
            };
            Synthesised {
                audio,
                seconds,
                placement,
                fallback,
                store_under: key,
            }
        });
        match result {
            Ok(done) => match done.audio {
                Ok(samples) => {
                    // Stored after the session is released, so a shared-lock session is
                    // not held for the write.
                    if let (Some(key), Some((store, ..))) = (done.store_under, cached) {
                        store.put(&key, &samples);
                    }
                    self.record(
                        unit,
                        samples,
                        done.seconds,
                        false,
                        done.placement,
                        done.fallback,
                    );
                }
                Err(error) => self.fail(unit.language, error),
            },
            Err(e) => self.fail(unit.language, e.to_string()),
        }
    }

    fn record(
        &self,
        unit: Unit,
        samples: Vec<f32>,
        seconds: f64,
        cache_hit: bool,
        placement: super::runtime::Placement,
        fallback: Option<String>,
    ) {
        let mut lang = lock(&self.languages[unit.language]);
        if lang.outcome.status == Status::Failed {
            return;
        }
        let rate_hz = lang.plan.as_ref().map(|p| p.sample_rate).unwrap_or(1);
        let rate = f64::from(rate_hz);
        let timing = UtteranceTiming {
            audio_seconds: samples.len() as f64 / rate,
            synthesis_seconds: seconds,
            cache_hit,
        };
        lang.outcome.cache_hits += usize::from(cache_hit);
        // Progress counts the audio the file will hold: each sentence trimmed of its edge
        // silence, with the run's pause before every sentence but the first (as `join`
        // makes the file), not the model's raw output; `finish` sets the exact figure.
        let speech = super::join::trim_edges(&samples, rate_hz).len() as f64 / rate;
        if speech > 0.0 {
            let spoken_before = lang.outcome.audio_seconds > 0.0;
            lang.outcome.audio_seconds += speech
                + if spoken_before {
                    self.sentence_silence
                } else {
                    0.0
                };
        }
        lang.outcome.synthesis_seconds += timing.synthesis_seconds;
        lang.outcome.utterances[unit.utterance] = timing;
        lang.outcome.execution_provider = Some(placement.provider);
        lang.outcome.nodes_per_provider = placement.nodes_per_provider;
        lang.outcome.cuda_fallback = fallback;
        lang.audio[unit.utterance] = Some(samples);
        lang.done += 1;
        let elapsed = lang
            .started
            .map(|s| s.elapsed().as_secs_f64())
            .unwrap_or_default();
        lang.outcome.elapsed_seconds = elapsed;
        if lang.done == lang.audio.len() {
            lang.finish(&self.out_dir, self.sentence_silence);
        }
        self.publish(unit.language, &lang);
    }

    fn fail(&self, language: usize, error: String) {
        let mut lang = lock(&self.languages[language]);
        if lang.outcome.status == Status::Failed {
            return;
        }
        lang.outcome.status = Status::Failed;
        lang.outcome.error = Some(error);
        lang.audio.iter_mut().for_each(|a| *a = None);
        self.publish(language, &lang);
    }

    /// Called once per worker when it has nothing more to do for this run; the last one
    /// closes the run.
    pub(crate) fn worker_lost(&self) {
        let mut left = lock(&self.workers_left);
        *left = left.saturating_sub(1);
        if *left > 0 {
            return;
        }
        let cancelled = self.cancel.load(Ordering::SeqCst);
        let mut outcomes = Vec::new();
        for (index, lang) in self.languages.iter().enumerate() {
            let mut lang = lock(lang);
            if matches!(lang.outcome.status, Status::Queued | Status::Running) {
                lang.outcome.status = Status::Cancelled;
                self.publish(index, &lang);
            }
            outcomes.push(lang.outcome.clone());
        }
        let outcome = RunOutcome {
            languages: outcomes,
            wall_seconds: self.started.elapsed().as_secs_f64(),
            cancelled,
        };
        // The observer hears the end before `wait` returns, so a reader that saw the run
        // finish can rely on the observer's state being final.
        self.observer.run_finished(&outcome);
        *lock(&self.outcome) = Some(outcome);
        self.finished.notify_all();
    }

    pub(crate) fn wait(&self) -> RunOutcome {
        let outcome = lock(&self.outcome);
        let outcome = self
            .finished
            .wait_while(outcome, |o| o.is_none())
            .unwrap_or_else(|p| p.into_inner());
        outcome.clone().expect("waited until it was set")
    }
}

impl Drop for RunWork {
    /// Units no worker took (every worker was lost) leave the engine's queued count.
    fn drop(&mut self) {
        let left = self.queue.get_mut().map_or(0, |q| q.len());
        self.load.dropped(left);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
