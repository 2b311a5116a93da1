//! ONNX Runtime: which library is loaded, the one Environment, and sessions opened with
//! the execution provider the job asked for, with an honest record of what really runs.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, OnceLock};

use ort::environment::Environment;
use ort::ep::{self, ExecutionProvider};
use ort::logging::LogLevel;

use ort::session::Session;

use super::library_check::{not_a_library_for_this_machine, why_unloadable};
use super::weights::SharedWeights;
use crate::assets::{self, Assets};
use crate::job::Device;

/// The oldest ONNX Runtime whose API this build uses (ort's `api-20` feature).
pub const MIN_ORT_MINOR: u32 = 20;

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("ONNX Runtime library not found at {path} (from {origin}): run scripts/setup, or pass --ort-lib PATH / set ORT_DYLIB_PATH to a libonnxruntime.so of version 1.{MIN_ORT_MINOR} or newer")]
    LibraryMissing { path: PathBuf, origin: &'static str },
    #[error("cannot use the ONNX Runtime library {path} (from {origin}): {detail}; voxdeck needs libonnxruntime 1.{MIN_ORT_MINOR} or newer: run scripts/setup, or point --ort-lib / ORT_DYLIB_PATH at one")]
    LibraryUnusable {
        path: PathBuf,
        origin: &'static str,
        detail: String,
    },
    #[error(
        "ONNX Runtime was already loaded from {loaded} in this process; cannot switch to {wanted}"
    )]
    AlreadyLoaded { loaded: PathBuf, wanted: PathBuf },
    #[error("CUDA was asked for ({device}) but cannot be used ({reason}); use --device cpu, or run `VOXDECK_GPU=1 scripts/setup` on a box with an NVIDIA driver")]
    CudaUnavailable { device: Device, reason: String },
    #[error("cannot open model {path}: {detail}")]
    Session { path: PathBuf, detail: String },
}

/// What was loaded, for `doctor` and the report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RuntimeInfo {
    pub library: PathBuf,
    pub origin: &'static str,
    pub version: String,
    pub cuda_provider_available: bool,
    /// Why the CUDA libraries beside the ORT library could not be loaded, if they could not.
    pub cuda_preload_error: Option<String>,
}

pub struct Runtime {
    pub env: Environment,
    pub info: RuntimeInfo,
}

static RUNTIME: OnceLock<Arc<Runtime>> = OnceLock::new();
static PLACEMENTS: OnceLock<Mutex<HashMap<String, BTreeMap<String, usize>>>> = OnceLock::new();
static NEXT_SESSION_ID: AtomicUsize = AtomicUsize::new(0);

/// The library to load: `--ort-lib`, else `ORT_DYLIB_PATH`, else the copy setup fetched.
pub fn choose_library(explicit: Option<&Path>, assets: &Assets) -> (PathBuf, &'static str) {
    if let Some(path) = explicit {
        return (path.to_path_buf(), "--ort-lib");
    }
    if let Some(path) = std::env::var_os("ORT_DYLIB_PATH").filter(|p| !p.is_empty()) {
        return (PathBuf::from(path), "ORT_DYLIB_PATH");
    }
    let gpu = assets.path(assets::ORT_LIBRARY_GPU);
    if gpu.exists() {
        return (gpu, "VOXDECK_GPU=1 scripts/setup");
    }
    (assets.path(assets::ORT_LIBRARY), "scripts/setup")
}

/// When the CUDA and cuDNN libraries sit next to the ORT library (as `VOXDECK_GPU=1
/// scripts/setup` lays them out), ort's `preload_dylibs` loads them from there first, so the
/// CUDA provider finds them without LD_LIBRARY_PATH. The error says which one is missing.
fn preload_cuda_libraries(ort_library: &Path) -> Option<String> {
    let dir = ort_library.parent()?;
    let first = ep::cuda::CUDA_DYLIBS.first()?;
    if !dir.join(first).exists() {
        return None;
    }
    if let Some(missing) = ep::cuda::CUDA_DYLIBS
        .iter()
        .chain(ep::cuda::CUDNN_DYLIBS)
        .find(|name| !dir.join(name).exists())
    {
        return Some(format!(
            "{missing} is missing from {}; run VOXDECK_GPU=1 scripts/setup again",
            dir.display()
        ));
    }
    ep::cuda::preload_dylibs(Some(dir), Some(dir))
        .err()
        .map(|e| e.to_string())
}

/// Loads ONNX Runtime once per process. `ort::init_from` is used rather than `ort::init`,
/// which panics on a bad `ORT_DYLIB_PATH` instead of returning an error.
pub fn load(explicit: Option<&Path>, assets: &Assets) -> Result<Arc<Runtime>, RuntimeError> {
    // One thread at a time: ORT may be loaded and its Environment built only once.
    static LOADING: Mutex<()> = Mutex::new(());
    let _loading = LOADING.lock().unwrap_or_else(|p| p.into_inner());
    let (path, origin) = choose_library(explicit, assets);
    if let Some(existing) = RUNTIME.get() {
        if existing.info.library != path {
            return Err(RuntimeError::AlreadyLoaded {
                loaded: existing.info.library.clone(),
                wanted: path,
            });
        }
        return Ok(existing.clone());
    }
    if !path.exists() {
        return Err(RuntimeError::LibraryMissing { path, origin });
    }
    let unusable = |detail: String| RuntimeError::LibraryUnusable {
        path: path.clone(),
        origin,
        detail,
    };
    // A folder, a text file or a library for another machine is named before dlopen is
    // tried; anything dlopen or ort refuses is explained after.
    if let Some(why) = not_a_library_for_this_machine(&path) {
        return Err(unusable(why));
    }
    let cuda_preload_error = preload_cuda_libraries(&path);
    let builder = ort::init_from(&path)
        .map_err(|e| unusable(why_unloadable(&path).unwrap_or_else(|| e.to_string())))?;
    let env = builder
        .with_name("voxdeck")
        .with_logger(Arc::new(route_ort_log))
        .build()
        .map_err(|e| unusable(e.to_string()))?;
    let info = RuntimeInfo {
        library: path.clone(),
        origin,
        version: library_version(&path),
        cuda_provider_available: ep::CUDA::is_available().unwrap_or(false),
        cuda_preload_error,
    };
    let runtime = Arc::new(Runtime { env, info });
    Ok(RUNTIME.get_or_init(|| runtime).clone())
}

/// The loaded library's own version string ("1.32.0"). ort does not expose
/// `GetVersionString`, so the library is opened again (dlopen is refcounted: same handle).
fn library_version(path: &Path) -> String {
    // SAFETY: the library is already loaded and initialised by ort; OrtGetApiBase has no
    // side effects and GetVersionString returns a static string.
    let read = || unsafe {
        let lib = libloading::Library::new(path)?;
        let base: libloading::Symbol<unsafe extern "C" fn() -> *const ort::sys::OrtApiBase> =
            lib.get(b"OrtGetApiBase")?;
        let text = std::ffi::CStr::from_ptr(((*base()).GetVersionString)());
        Ok::<_, libloading::Error>(text.to_string_lossy().into_owned())
    };
    read().unwrap_or_else(|e| format!("unknown ({e})"))
}

/// ORT's log: node placements are recorded per session; the rest goes through `log`, so it
/// reaches the console's log pane or the headless logger like voxdeck's own lines.
fn route_ort_log(level: LogLevel, _category: &str, id: &str, _location: &str, message: &str) {
    if let Some((provider, count)) = parse_placement(message) {
        let mut all = PLACEMENTS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        *all.entry(id.to_string())
            .or_default()
            .entry(provider)
            .or_default() += count;
        return;
    }
    let level = match level {
        LogLevel::Fatal | LogLevel::Error => log::Level::Error,
        LogLevel::Warning => log::Level::Warn,
        LogLevel::Info => log::Level::Debug,
        LogLevel::Verbose => log::Level::Trace,
    };
    log::log!(target: "onnxruntime", level, "{message}");
}

/// ORT logs "All nodes placed on [CPUExecutionProvider]. Number of nodes: 123" or, split
/// across providers, one "Node(s) placed on [X]. Number of nodes: N" per provider.
fn parse_placement(message: &str) -> Option<(String, usize)> {
    let after = message.split("placed on [").nth(1)?;
    let (provider, rest) = after.split_once(']')?;
    let count = rest
        .split("Number of nodes:")
        .nth(1)?
        .trim()
        .split(|c: char| !c.is_ascii_digit())
        .next()?;
    Some((provider.to_string(), count.parse().ok()?))
}

/// Why one attempt to open a session failed. Its message becomes the `detail` of a
/// `RuntimeError` or the reason a session fell back to the CPU, which the report shows.
#[derive(Debug, thiserror::Error)]
enum OpenError {
    #[error(transparent)]
    Ort(#[from] ort::Error),
    #[error("the CUDA provider registered but was given no nodes ({nodes:?})")]
    NoCudaNodes { nodes: BTreeMap<String, usize> },
}

/// How an ORT session is to be opened (not `session::SessionOptions`, which starts a voxdeck
/// session).
#[derive(Clone)]
pub struct OrtOptions {
    pub device: Device,
    pub intra_threads: usize,
    /// The weights shared by the sessions of one pool (CPU sessions only; see `weights`).
    pub shared_weights: Option<Arc<SharedWeights>>,
    /// Whether the session keeps ORT's CPU memory arena and memory patterns. Both keep
    /// the largest run's buffers for the next run and never return them: worth it for
    /// synthesis, which runs sentence after sentence; not for the QA models (Whisper, the
    /// speaker encoders), which run once per take and sit idle between runs.
    pub arena: bool,
}

/// The execution provider that really holds the model's nodes, and how many each got.
#[derive(Debug, Clone, Default, serde::Serialize, PartialEq)]
pub struct Placement {
    pub provider: String,
    pub nodes_per_provider: BTreeMap<String, usize>,
}

impl Runtime {
    /// Opens `model` with the options' device. CUDA is registered with `error_on_failure`
    /// so a failure is reported, never silently replaced by the CPU: under `auto` the
    /// session is reopened on the CPU and the reason kept; under `cuda` it is an error.
    pub fn open(
        &self,
        model: &Path,
        options: &OrtOptions,
    ) -> Result<(Session, Placement, Option<String>), RuntimeError> {
        let mut fallback_reason = None;
        let want_cuda = match options.device {
            Device::Cpu => None,
            Device::Cuda(n) => Some(n),
            Device::Auto if self.info.cuda_provider_available => Some(0),
            Device::Auto => {
                fallback_reason = Some(format!(
                    "the ONNX Runtime at {} has no CUDA provider",
                    self.info.library.display()
                ));
                None
            }
        };
        if let Some(index) = want_cuda {
            let cuda_model = float_copy_for_cuda(model);
            match self.open_with(&cuda_model, options, Some(index)) {
                Ok((session, placement)) => return Ok((session, placement, None)),
                Err(reason) if options.device == Device::Auto => {
                    fallback_reason = Some(reason.to_string())
                }
                Err(reason) => {
                    return Err(RuntimeError::CudaUnavailable {
                        device: options.device,
                        reason: reason.to_string(),
                    })
                }
            }
        }
        let (session, placement) =
            self.open_with(model, options, None)
                .map_err(|detail| RuntimeError::Session {
                    path: model.to_path_buf(),
                    detail: super::library_check::explain_limits(detail.to_string()),
                })?;
        Ok((session, placement, fallback_reason))
    }

    fn open_with(
        &self,
        model: &Path,
        options: &OrtOptions,
        cuda: Option<u32>,
    ) -> Result<(Session, Placement), OpenError> {
        let log_id = self.next_log_id("session");
        let mut builder = self.builder(options, cuda, &log_id)?;
        // CPU sessions of a pool take the pool's copy of the weights, less those ORT's
        // optimizer rewrites (see `weights`); a model that cannot be read for sharing
        // (logged once) loads its own.
        if let (None, Some(shared)) = (cuda, &options.shared_weights) {
            let rewritten = || self.rewritten_initializers(model, options);
            if let Ok(weights) = shared.for_model(model, rewritten) {
                for (name, value) in &weights.initializers {
                    // The error hands the builder back; it is not wanted.
                    builder = builder
                        .with_initializer(name, value.clone())
                        .map_err(ort::Error::from)?;
                }
            }
        }
        let session = builder.commit_from_file(model);
        release_freed_heap();
        let session = session?;
        let nodes = PLACEMENTS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&log_id)
            .unwrap_or_default();
        let requested = if cuda.is_some() {
            "CUDAExecutionProvider"
        } else {
            "CPUExecutionProvider"
        };
        if cuda.is_some() && nodes.get(requested).copied().unwrap_or(0) == 0 && !nodes.is_empty() {
            return Err(OpenError::NoCudaNodes { nodes });
        }
        let provider = if nodes.is_empty() {
            requested.to_string()
        } else {
            majority(&nodes)
        };
        Ok((
            session,
            Placement {
                provider,
                nodes_per_provider: nodes,
            },
        ))
    }
}

/// The int8 Kokoro's integer ops (ConvInteger, DynamicQuantizeLSTM, ...) have no CUDA
/// kernels, so on CUDA the float copy made by `VOXDECK_GPU=1 scripts/setup` is used when present.
fn float_copy_for_cuda(model: &Path) -> PathBuf {
    let int8 = Path::new(assets::KOKORO_MODEL);
    let float = Path::new(assets::KOKORO_MODEL_FLOAT);
    match (model.file_name(), model.parent()) {
        (Some(name), Some(dir)) if Some(name) == int8.file_name() => {
            let candidate = dir.join(float.file_name().expect("constant has a file name"));
            if candidate.exists() {
                candidate
            } else {
                model.to_path_buf()
            }
        }
        _ => model.to_path_buf(),
    }
}

/// glibc keeps freed blocks in the freeing thread's heap, where they stay resident.
/// Opening a session parses the whole ONNX file and frees most of it again: about the
/// model's size for every worker, shared weights or not (measured: 108 to 22-45 MiB per
/// extra Kokoro worker with shared weights). A run's transcripts and scores free their
/// buffers the same way (measured: 128 MB resident and free in the console after four
/// demo runs). Handing them back makes the resident figure what is really held.
pub(crate) fn release_freed_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn majority(nodes: &BTreeMap<String, usize>) -> String {
    nodes
        .iter()
        .max_by_key(|(_, &n)| n)
        .map(|(p, _)| p.clone())
        .unwrap_or_default()
}

mod builder;
#[cfg(test)]
mod tests;
