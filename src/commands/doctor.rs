//! `voxdeck doctor`: one line per part of the box voxdeck depends on, ok or fail with the fix.

use serde::Serialize;
use voxdeck::assets::{self, Assets};
use voxdeck::digest::sha256_file;
use voxdeck::engine::espeak::Espeak;
use voxdeck::engine::runtime::{self, SessionOptions};
use voxdeck::job::Device;
use voxdeck::languages::LANGUAGES;

use super::Finished;
use crate::cli::{DoctorArgs, RuntimeArgs};

#[derive(Serialize)]
struct Check {
    name: String,
    ok: bool,
    detail: String,
}

fn check(name: impl Into<String>, ok: bool, detail: impl Into<String>) -> Check {
    Check {
        name: name.into(),
        ok,
        detail: detail.into(),
    }
}

pub fn execute(args: DoctorArgs, runtime_args: &RuntimeArgs) -> anyhow::Result<Finished> {
    let assets = Assets::locate();
    let mut checks = Vec::new();
    checks.extend(check_runtime(runtime_args, &assets));
    checks.push(check_nvml());
    checks.push(check_audio());
    checks.extend(check_espeak());
    checks.extend(check_assets(&assets));
    if args.json {
        println!("{}", serde_json::to_string_pretty(&checks)?);
    } else {
        for c in &checks {
            println!(
                "{} {:<28} {}",
                if c.ok { "ok  " } else { "FAIL" },
                c.name,
                c.detail
            );
        }
    }
    Ok(if checks.iter().all(|c| c.ok) {
        Finished::AllDone
    } else {
        Finished::SomeFailed
    })
}

fn check_runtime(runtime_args: &RuntimeArgs, assets: &Assets) -> Vec<Check> {
    let runtime = match runtime::load(runtime_args.ort_lib.as_deref(), assets) {
        Ok(r) => r,
        Err(e) => return vec![check("onnxruntime", false, e.to_string())],
    };
    let info = &runtime.info;
    let mut out = vec![check(
        "onnxruntime",
        true,
        format!(
            "{} from {} ({}); built for API >= 1.{}",
            info.version,
            info.library.display(),
            info.origin,
            runtime::MIN_ORT_MINOR
        ),
    )];
    out.push(if let (true, Some(problem)) = (info.cuda_provider_available, &info.cuda_preload_error) {
        check("execution provider cuda", false, format!("{problem}: rerun `VOXDECK_GPU=1 scripts/setup`"))
    } else if info.cuda_provider_available {
        check("execution provider cuda", true, "CUDAExecutionProvider is compiled into this library")
    } else {
        check(
            "execution provider cuda",
            false,
            "this ONNX Runtime has no CUDA provider (CPU build): on a GPU box run `VOXDECK_GPU=1 scripts/setup`, or pass --ort-lib to an onnxruntime-gpu library",
        )
    });
    let model = assets.path(assets::KOKORO_MODEL);
    if model.exists() {
        let options = SessionOptions {
            device: Device::Auto,
            intra_threads: 1,
            prepacked: None,
        };
        out.push(match runtime.open(&model, &options) {
            Ok((_, placement, fallback)) => {
                let nodes: Vec<String> = placement
                    .nodes_per_provider
                    .iter()
                    .map(|(p, n)| format!("{p}: {n} nodes"))
                    .collect();
                let why = fallback
                    .map(|f| format!("; not CUDA because {f}"))
                    .unwrap_or_default();
                check(
                    "kokoro placement (auto)",
                    true,
                    format!("{}{why}", nodes.join(", ")),
                )
            }
            Err(e) => check("kokoro placement (auto)", false, e.to_string()),
        });
    }
    out
}

/// NVML as the GPU sampler sees it, so doctor and the console give the same reason.
fn check_nvml() -> Check {
    let sample = voxdeck::gpu::sample_once();
    match &sample.status {
        voxdeck::gpu::GpuStatus::Unavailable { reason } => check(
            "nvml",
            false,
            format!("{reason}; GPU memory cannot be sampled (host memory is shown instead)"),
        ),
        _ => {
            let names: Vec<String> = sample
                .devices
                .iter()
                .map(|d| format!("{}: {}", d.index, d.name))
                .collect();
            check(
                "nvml",
                true,
                format!("{} device(s): {}", names.len(), names.join(", ")),
            )
        }
    }
}

fn check_audio() -> Check {
    match voxdeck::audio::playback::probe_output() {
        Ok(()) => check("audio output", true, "the default output device opens (rodio over ALSA)"),
        Err(reason) => check(
            "audio output",
            false,
            format!("{reason} -- playback will be unavailable, everything else works; on a headless box `scripts/null-sink start` gives a PulseAudio null sink"),
        ),
    }
}

fn check_espeak() -> Vec<Check> {
    let mut espeak = match Espeak::lock() {
        Ok(e) => e,
        Err(e) => return vec![check("espeak-ng", false, e.to_string())],
    };
    let mut out = vec![check(
        "espeak-ng",
        true,
        format!("{} with data in {}", espeak.version(), espeak.data_path()),
    )];
    let missing: Vec<&str> = LANGUAGES
        .iter()
        .map(|l| l.espeak_voice)
        .filter(|v| espeak.set_voice(v).is_err())
        .collect();
    out.push(if missing.is_empty() {
        check("espeak-ng voices", true, "every language's voice loads")
    } else {
        check(
            "espeak-ng voices",
            false,
            format!(
                "cannot load {}: run scripts/setup (espeak-ng-data)",
                missing.join(", ")
            ),
        )
    });
    out
}

fn check_assets(assets: &Assets) -> Vec<Check> {
    let entries = assets::manifest();
    let mut bad = Vec::new();
    for entry in &entries {
        let path = assets.path(&entry.path);
        match sha256_file(&path) {
            Ok((digest, bytes)) if digest == entry.sha256 && bytes == entry.bytes => {}
            Ok(_) => bad.push(format!("{} (sha256 mismatch)", entry.path)),
            Err(_) => bad.push(format!("{} (missing)", entry.path)),
        }
    }
    let voices = entries
        .iter()
        .filter(|e| e.path.starts_with(assets::KOKORO_VOICES))
        .count();
    if bad.is_empty() {
        vec![check(
            "models",
            true,
            format!(
                "{} pinned files match their sha256 in {} (Kokoro + {voices} voices, Piper)",
                entries.len(),
                assets.root.display()
            ),
        )]
    } else {
        let shown: Vec<_> = bad.iter().take(5).cloned().collect();
        vec![check(
            "models",
            false,
            format!(
                "{} of {} files bad: {}; run scripts/setup",
                bad.len(),
                entries.len(),
                shown.join(", ")
            ),
        )]
    }
}
