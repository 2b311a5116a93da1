//! A scrape in the Prometheus text format (0.0.4), through `prometheus-client`. A fresh
//! registry per scrape: the figures already live in the session, so nothing is kept here
//! between scrapes, and a series that has no value now (a GPU that is absent, an RTF before
//! any audio) is left out rather than reported as 0.

use std::sync::atomic::{AtomicI64, AtomicU64};

use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use super::scrape::{Scrape, RUN_PHASES};
use crate::engine::outcome::Status;
use crate::gpu::GpuSample;

/// The `Content-Type` of what [`render`] writes.
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

type Labels = Vec<(&'static str, String)>;
type Ints = Family<Labels, Gauge<i64, AtomicI64>>;
type Floats = Family<Labels, Gauge<f64, AtomicU64>>;

pub fn render(scrape: &Scrape) -> String {
    let mut registry = Registry::default();
    run_series(&mut registry, scrape);
    language_series(&mut registry, scrape);
    pool_series(&mut registry, scrape);
    if let Some(sample) = &scrape.sample {
        memory_series(&mut registry, sample);
    }
    let mut text = String::new();
    prometheus_text::encode(&mut text, &registry).expect("writing to a String cannot fail");
    text
}

fn ints(registry: &mut Registry, name: &str, help: &str) -> Ints {
    let family = Ints::default();
    registry.register(name, help, family.clone());
    family
}

fn floats(registry: &mut Registry, name: &str, help: &str) -> Floats {
    let family = Floats::default();
    registry.register(name, help, family.clone());
    family
}

fn int(registry: &mut Registry, name: &str, help: &str, value: impl TryInto<i64>) {
    ints(registry, name, help)
        .get_or_create(&Vec::new())
        .set(whole(value));
}

/// A count or byte figure as a gauge value (none comes near i64::MAX).
fn whole(value: impl TryInto<i64>) -> i64 {
    value.try_into().unwrap_or(i64::MAX)
}

fn counter(registry: &mut Registry, name: &str, help: &str, value: u64) {
    let counter = Counter::<u64>::default();
    counter.inc_by(value);
    registry.register(name, help, counter);
}

fn language(code: &str) -> Labels {
    vec![("language", code.to_string())]
}

/// The run phase as a state set: one series per phase, 1 for the current one, so a
/// dashboard can graph any phase without knowing a numeric code.
fn run_series(registry: &mut Registry, scrape: &Scrape) {
    int(
        registry,
        "voxdeck_run_id",
        "Number of the current (or last) run of this session; 0 before the first",
        scrape.run_id,
    );
    let phases = ints(
        registry,
        "voxdeck_run_state",
        "Phase of the current run: 1 for the phase it is in, 0 for the others",
    );
    for phase in RUN_PHASES {
        phases
            .get_or_create(&vec![("state", phase.to_string())])
            .set(i64::from(phase == scrape.run_phase));
    }
}

fn language_series(registry: &mut Registry, scrape: &Scrape) {
    let state = ints(
        registry,
        "voxdeck_language_state",
        "State of each language's latest run: 1 for the state it is in, 0 for the others",
    );
    let done = ints(
        registry,
        "voxdeck_language_sentences_done",
        "Sentences of each language synthesised (or read from the cache) in its latest run",
    );
    let planned = ints(
        registry,
        "voxdeck_language_sentences_planned",
        "Sentences each language's latest run has to synthesise",
    );
    let audio = floats(
        registry,
        "voxdeck_language_audio_seconds",
        "Seconds of audio each language's latest run has synthesised so far",
    );
    let synthesis = floats(
        registry,
        "voxdeck_language_synthesis_seconds",
        "Seconds spent inside ONNX Runtime for each language's latest run",
    );
    let rtf = floats(
        registry,
        "voxdeck_language_rtf",
        "Real-time factor of each language: synthesis seconds per audio second (below 1 is faster than real time)",
    );
    let similarity = floats(
        registry,
        "voxdeck_language_similarity",
        "Speaker similarity of each language's latest take to the source clip (cosine)",
    );
    let cer = floats(
        registry,
        "voxdeck_language_cer",
        "Character error rate of what the recogniser heard in each language's latest take",
    );
    let loudness = floats(
        registry,
        "voxdeck_language_loudness_lufs",
        "Integrated loudness (EBU R128) of each language's latest take",
    );
    for row in &scrape.languages {
        let p = &row.progress;
        for status in Status::ALL {
            let mut labels = language(&p.code);
            labels.push(("state", status.label().to_string()));
            state
                .get_or_create(&labels)
                .set(i64::from(status == p.status));
        }
        let labels = language(&p.code);
        done.get_or_create(&labels).set(whole(p.sentences_done));
        planned.get_or_create(&labels).set(whole(p.sentences_total));
        audio.get_or_create(&labels).set(p.audio_seconds);
        synthesis.get_or_create(&labels).set(p.synthesis_seconds);
        if let Some(value) = p.rtf() {
            rtf.get_or_create(&labels).set(value);
        }
        let scores = row.scores.as_ref();
        if let Some(value) = scores.and_then(|s| s.similarity) {
            similarity.get_or_create(&labels).set(f64::from(value));
        }
        if let Some(t) = scores.and_then(|s| s.transcription.as_ref()) {
            cer.get_or_create(&labels).set(f64::from(t.cer));
        }
        let lufs = scores.and_then(|s| s.loudness?.integrated_lufs);
        if let Some(value) = lufs {
            loudness.get_or_create(&labels).set(value);
        }
    }
}

fn pool_series(registry: &mut Registry, scrape: &Scrape) {
    if let Some(workers) = scrape.workers {
        int(
            registry,
            "voxdeck_pool_workers",
            "Worker threads of the current run",
            workers,
        );
    }
    if let Some(load) = scrape.live.load {
        int(
            registry,
            "voxdeck_pool_queued_units",
            "Work units (sentences, voice probes) waiting for a worker",
            load.queued_units,
        );
        int(
            registry,
            "voxdeck_pool_busy_workers",
            "Workers synthesising a work unit now",
            load.busy_workers,
        );
    }
    if let Some(cache) = scrape.live.cache {
        counter(
            registry,
            "voxdeck_cache_hits",
            "Result cache lookups that found the audio, since the session opened the cache",
            cache.hits,
        );
        counter(
            registry,
            "voxdeck_cache_misses",
            "Result cache lookups that did not find the audio, since the session opened the cache",
            cache.misses,
        );
    }
}

/// Memory of this process and the host, and each GPU NVML reads; a figure that could not
/// be read is left out.
fn memory_series(registry: &mut Registry, sample: &GpuSample) {
    let host = &sample.host;
    if host.process_rss_bytes > 0 {
        int(
            registry,
            "process_resident_memory_bytes",
            "Resident memory of this voxdeck process",
            host.process_rss_bytes,
        );
    }
    if host.system_total_bytes > 0 {
        int(
            registry,
            "voxdeck_host_memory_used_bytes",
            "Memory in use on the host (total less available)",
            host.system_used_bytes,
        );
        int(
            registry,
            "voxdeck_host_memory_total_bytes",
            "Memory of the host",
            host.system_total_bytes,
        );
    }
    let devices: Vec<_> = sample
        .devices
        .iter()
        .filter(|d| d.error.is_none())
        .collect();
    if devices.is_empty() {
        return;
    }
    let used = ints(
        registry,
        "voxdeck_gpu_memory_used_bytes",
        "Memory in use on each GPU, by every process",
    );
    let total = ints(
        registry,
        "voxdeck_gpu_memory_total_bytes",
        "Memory of each GPU",
    );
    let utilization = floats(
        registry,
        "voxdeck_gpu_utilization_ratio",
        "Share of the last sample period each GPU was busy, 0 to 1",
    );
    for device in devices {
        let labels = vec![
            ("gpu", device.index.to_string()),
            ("name", device.name.clone()),
        ];
        used.get_or_create(&labels)
            .set(whole(device.memory_used_bytes));
        total
            .get_or_create(&labels)
            .set(whole(device.memory_total_bytes));
        if let Some(percent) = device.utilization_percent {
            utilization
                .get_or_create(&labels)
                .set(f64::from(percent) / 100.0);
        }
    }
}
