//! `voxdeck doctor`: one line per part of the box voxdeck depends on, ok or fail with the fix.

use std::io::Read;

use serde::Serialize;
use sha2::{Digest, Sha256};
use voxdeck::assets::{self, Assets};
use voxdeck::engine::espeak::Espeak;
use voxdeck::engine::languages::LANGUAGES;
use voxdeck::engine::runtime::{self, SessionOptions};
use voxdeck::job::Device;

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
    out.push(if info.cuda_provider_available {
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

/// Looks for the NVIDIA management library the GPU pane samples from.
fn check_nvml() -> Check {
    // SAFETY: loading a system library by name; nvmlInit_v2 has no preconditions.
    let probe = unsafe {
        libloading::Library::new("libnvidia-ml.so.1")
            .map_err(|e| format!("libnvidia-ml.so.1 not loadable ({e})"))
            .and_then(|lib| {
                let init: libloading::Symbol<unsafe extern "C" fn() -> i32> =
                    lib.get(b"nvmlInit_v2").map_err(|e| e.to_string())?;
                let count: libloading::Symbol<unsafe extern "C" fn(*mut u32) -> i32> = lib
                    .get(b"nvmlDeviceGetCount_v2")
                    .map_err(|e| e.to_string())?;
                let status = init();
                if status != 0 {
                    return Err(format!("nvmlInit failed with code {status}"));
                }
                let mut n = 0u32;
                count(&mut n);
                Ok(n)
            })
    };
    match probe {
        Ok(n) => check("nvml", true, format!("{n} NVIDIA device(s)")),
        Err(e) if e.starts_with("libnvidia-ml.so.1 not loadable") => {
            check("nvml", false, "libnvidia-ml.so.1 not found: no NVIDIA driver on this box, so GPU memory cannot be sampled")
        }
        Err(e) => check("nvml", false, format!("{e}: check the NVIDIA driver (nvidia-smi)")),
    }
}

fn check_audio() -> Check {
    let cards = std::fs::read_to_string("/proc/asound/cards").unwrap_or_default();
    let alsa = cards
        .lines()
        .filter(|l| {
            l.trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
        .count();
    let pulse = std::env::var_os("PULSE_SERVER").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|d| std::path::Path::new(&d).join("pulse/native").exists());
    check(
        "audio output",
        false,
        format!(
            "playback is not built yet (console issue); {alsa} ALSA card(s), PulseAudio {}",
            if pulse { "reachable" } else { "not reachable" }
        ),
    )
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

fn sha256_file(path: &std::path::Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    let digest = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((digest, total))
}
