//! `voxdeck doctor`: one line per part of the box voxdeck depends on: ok, not available
//! (an optional part absent here, with the reason) or FAIL, with the fix.
//!
//! Required: the ORT library, espeak-ng and its voices, the model files. Optional unless
//! `--require` names them: the CUDA provider, NVML and the audio output device.

use serde::Serialize;
use voxdeck::assets::{self, Assets};
use voxdeck::digest::sha256_entry;
use voxdeck::engine::espeak::Espeak;
use voxdeck::engine::runtime::{self, OrtOptions};
use voxdeck::job::Device;
use voxdeck::languages::LANGUAGES;

use super::Finished;
use crate::cli::{DoctorArgs, DoctorPart, RuntimeArgs};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum State {
    Ok,
    /// An optional part absent on this box; `detail` says why.
    NotAvailable,
    Fail,
}

#[derive(Serialize)]
struct Check {
    name: String,
    /// True only when `state` is `ok` (kept for the scripts that read it).
    ok: bool,
    state: State,
    /// Whether an absence fails doctor: always for the core parts, for the optional ones
    /// when `--require` names them.
    required: bool,
    detail: String,
}

fn check(name: impl Into<String>, ok: bool, detail: impl Into<String>) -> Check {
    Check {
        name: name.into(),
        ok,
        state: if ok { State::Ok } else { State::Fail },
        required: true,
        detail: detail.into(),
    }
}

/// An optional part: present is ok; absent is not available, or FAIL when required.
fn optional(
    name: impl Into<String>,
    part: DoctorPart,
    required: &[DoctorPart],
    found: Result<String, String>,
) -> Check {
    let required = required.contains(&part);
    let (state, detail) = match found {
        Ok(detail) => (State::Ok, detail),
        Err(reason) if required => (
            State::Fail,
            format!(
                "required by --require {}, not available: {reason}",
                part_name(part)
            ),
        ),
        Err(reason) => (State::NotAvailable, format!("not available: {reason}")),
    };
    Check {
        name: name.into(),
        ok: state == State::Ok,
        state,
        required,
        detail,
    }
}

fn part_name(part: DoctorPart) -> &'static str {
    match part {
        DoctorPart::Cuda => "cuda",
        DoctorPart::Nvml => "nvml",
        DoctorPart::Audio => "audio",
    }
}

pub fn execute(args: DoctorArgs, runtime_args: &RuntimeArgs) -> anyhow::Result<Finished> {
    let assets = Assets::locate();
    let mut checks = Vec::new();
    checks.extend(check_runtime(runtime_args, &assets, &args.require));
    checks.push(check_nvml(&args.require));
    checks.push(check_audio(&args.require));
    checks.extend(check_espeak());
    checks.extend(check_assets(&assets));
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&checks)?);
    } else {
        for c in &checks {
            outln!(
                "{} {:<28} {}",
                match c.state {
                    State::Ok => "ok  ",
                    State::NotAvailable => "n/a ",
                    State::Fail => "FAIL",
                },
                c.name,
                c.detail
            );
        }
    }
    Ok(if checks.iter().any(|c| c.state == State::Fail) {
        Finished::SomeFailed
    } else {
        Finished::AllDone
    })
}

fn check_runtime(
    runtime_args: &RuntimeArgs,
    assets: &Assets,
    required: &[DoctorPart],
) -> Vec<Check> {
    let cuda = |found| optional("execution provider cuda", DoctorPart::Cuda, required, found);
    let runtime = match runtime::load(runtime_args.ort_lib.as_deref(), assets) {
        Ok(r) => r,
        Err(e) => {
            return vec![
                check("onnxruntime", false, e.to_string()),
                cuda(Err(
                    "ONNX Runtime did not load, so its CUDA provider cannot be looked for".into(),
                )),
            ]
        }
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
    // Under `auto`, a library with the CUDA provider is tried on CUDA first: a fallback
    // says the provider is compiled in but cannot run here (no GPU, no driver, ...).
    let mut placement = None;
    let mut cuda_fallback = None;
    let model = assets.path(assets::KOKORO_MODEL);
    if model.exists() {
        let options = OrtOptions {
            device: Device::Auto,
            intra_threads: 1,
            shared_weights: None,
            arena: true,
        };
        placement = Some(match runtime.open(&model, &options) {
            Ok((_, placement, fallback)) => {
                let nodes: Vec<String> = placement
                    .nodes_per_provider
                    .iter()
                    .map(|(p, n)| format!("{p}: {n} nodes"))
                    .collect();
                let why = fallback
                    .as_ref()
                    .map(|f| format!("; not CUDA because {f}"))
                    .unwrap_or_default();
                cuda_fallback = fallback;
                check(
                    "kokoro placement (auto)",
                    true,
                    format!("{}{why}", nodes.join(", ")),
                )
            }
            Err(e) => check("kokoro placement (auto)", false, e.to_string()),
        });
    }
    out.push(cuda(match (info.cuda_provider_available, &info.cuda_preload_error) {
        (true, Some(problem)) => Err(format!("{problem}: rerun `VOXDECK_GPU=1 scripts/setup`")),
        (true, None) => match cuda_fallback {
            Some(reason) => Err(format!(
                "CUDAExecutionProvider is compiled into this library but cannot run Kokoro here: {reason}"
            )),
            None => Ok("CUDAExecutionProvider is compiled into this library".into()),
        },
        (false, _) => Err("this ONNX Runtime has no CUDA provider (CPU build): on a GPU box run `VOXDECK_GPU=1 scripts/setup`, or pass --ort-lib to an onnxruntime-gpu library".into()),
    }));
    out.extend(placement);
    out
}

/// NVML as the GPU sampler sees it, so doctor and the console give the same reason.
fn check_nvml(required: &[DoctorPart]) -> Check {
    let sample = voxdeck::gpu::sample_once();
    let found = match &sample.status {
        voxdeck::gpu::GpuStatus::Unavailable { reason } => Err(format!(
            "{reason}; GPU memory cannot be sampled (host memory is shown instead)"
        )),
        _ => {
            let names: Vec<String> = sample
                .devices
                .iter()
                .map(|d| format!("{}: {}", d.index, d.name))
                .collect();
            Ok(format!("{} device(s): {}", names.len(), names.join(", ")))
        }
    };
    optional("nvml", DoctorPart::Nvml, required, found)
}

fn check_audio(required: &[DoctorPart]) -> Check {
    let found = match voxdeck::audio::playback::probe_output() {
        Ok(()) => Ok("the default output device opens (rodio over ALSA)".into()),
        Err(reason) => Err(format!(
            "{reason} -- playback will be unavailable, everything else works; on a headless box `scripts/null-sink start` gives a PulseAudio null sink"
        )),
    };
    optional("audio output", DoctorPart::Audio, required, found)
}

fn check_espeak() -> Vec<Check> {
    let mut espeak = match Espeak::lock() {
        Ok(e) => e,
        Err(e) => return vec![check("espeak-ng", false, e.to_string())],
    };
    let mut out = vec![check(
        "espeak-ng",
        true,
        format!(
            "{} from {}, data in {}",
            espeak.version(),
            espeak.library().display(),
            espeak.data_path()
        ),
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
        match sha256_entry(&path) {
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
                "{} pinned files match their sha256 in {} (Kokoro + {voices} voices, Piper, espeak-ng, misaki lexicons)",
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
