//! The run report (`report.json`). Schema `voxdeck.report/1`, documented in the README.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::engine::run::Status;

mod entries;
pub use entries::language_reports;

pub const SCHEMA: &str = "voxdeck.report/1";

pub use crate::qa::scores::{TakeScores, Transcription};

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub job: String,
    pub versions: Versions,
    pub ort_library: PathBuf,
    pub mode: String,
    pub workers: usize,
    pub intra_threads: usize,
    pub device: String,
    /// The result cache the runs used: kind "disk", "redis" or "off", and where it is.
    pub cache: crate::engine::cache::CacheInfo,
    /// The session that wrote this report; a file's `output_from` is `<session>/<run>`.
    pub session: String,
    pub totals: Totals,
    /// The source clip and what the speech recogniser heard in it.
    pub source: Option<SourceReport>,
    pub languages: Vec<LanguageReport>,
    /// WAV files in the output folder that no listed language owns (languages of earlier
    /// jobs), left alone.
    pub other_files: Vec<OtherFile>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceReport {
    pub clip: PathBuf,
    /// Whisper's transcript of the clip, in the language it detected.
    pub transcript: Option<String>,
    /// Whisper's code of the detected language ("en").
    pub language: Option<String>,
    /// Why there is no transcript (transcription off, recogniser missing, nothing said...).
    pub transcript_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OtherFile {
    pub output: PathBuf,
    /// `<session>/<run>` of the run that wrote it, when an earlier report said so.
    pub output_from: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Versions {
    pub voxdeck: &'static str,
    pub onnxruntime: String,
    pub espeak_ng: String,
    /// The espeak-ng library loaded (the espeakng-loader wheel's, from scripts/setup).
    pub espeak_ng_library: PathBuf,
}

/// Totals over the languages the report lists, and nothing else.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// Wall time of the runs that made the listed languages, added up.
    pub wall_seconds: f64,
    /// Sum over the listed languages' utterances of the time spent inside ORT `run()`.
    pub synthesis_seconds: f64,
    pub audio_seconds: f64,
    /// Sentences of the listed languages whose audio came from the result cache.
    pub cache_hits: usize,
    /// synthesis_seconds / wall_seconds: how many inferences ran side by side on average.
    /// (The bench's "speedup" is another measure: shared-lock wall over pool wall.)
    pub concurrency: f64,
    pub languages_done: usize,
    pub languages_failed: usize,
    pub languages_cancelled: usize,
    /// Some listed language was cancelled before it finished.
    pub cancelled: bool,
    /// Loudest minus quietest integrated loudness (LU) of the listed languages' latest
    /// takes; null with fewer than two measured.
    pub loudness_spread_lu: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageReport {
    pub code: String,
    /// The session's run (counting from 1) that made this entry and its output.
    pub run: u64,
    pub text: String,
    pub voice: String,
    pub model: String,
    pub execution_provider: Option<String>,
    pub nodes_per_provider: std::collections::BTreeMap<String, usize>,
    pub cuda_fallback: Option<String>,
    pub status: Status,
    pub error: Option<String>,
    /// The language's WAV in the output folder: this run's result when `status` is done,
    /// else the earlier result that was kept (a failed or cancelled run replaces nothing).
    pub output: Option<PathBuf>,
    /// `<session>/<run>` of the run that wrote `output`.
    pub output_from: Option<String>,
    pub audio_seconds: f64,
    pub synthesis_seconds: f64,
    /// synthesis seconds per audio second.
    pub rtf: Option<f64>,
    pub elapsed_seconds: f64,
    /// Sentences whose audio came from the result cache (ORT did not run for them).
    pub cache_hits: usize,
    pub warnings: Vec<String>,
    /// The latest take's scores (similarity, transcription and their errors), flat.
    #[serde(flatten)]
    pub scores: TakeScores,
    /// The voice ranking, when the job asked for `voice = "match"`.
    pub voice_match: Option<crate::qa::matching::MatchResult>,
    /// The fitted voice, when the job asked for `voice = "fit"`.
    pub voice_fit: Option<crate::fit::VoiceFit>,
    /// Every take of this language in the session that wrote the report (headless: one).
    pub takes: Vec<Take>,
    pub sentences: Vec<SentenceReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Take {
    pub take: usize,
    /// The session's run that made this take.
    pub run: u64,
    pub voice: String,
    pub speed: f32,
    pub text: String,
    pub output: Option<PathBuf>,
    /// Its scores, flat: the same keys as the language's own.
    #[serde(flatten)]
    pub scores: TakeScores,
}

#[derive(Debug, Clone, Serialize)]
pub struct SentenceReport {
    pub text: String,
    pub phonemes: String,
    pub token_ids: Vec<i64>,
    pub skipped_phonemes: String,
    pub audio_seconds: f64,
    pub synthesis_seconds: f64,
    /// The audio came from the result cache.
    pub cache_hit: bool,
}

/// Run settings that the report states next to the results.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSettings {
    pub job: String,
    pub mode: String,
    pub workers: usize,
    pub intra_threads: usize,
    pub device: String,
    pub ort_library: PathBuf,
    pub ort_version: String,
    pub espeak_version: String,
    pub espeak_library: PathBuf,
    pub cache: crate::engine::cache::CacheInfo,
}

impl RunSettings {
    /// The settings of a run on `engine`, with the versions of what ran it.
    pub fn of(job: &str, engine: &crate::engine::pool::Engine) -> RunSettings {
        let options = engine.options();
        let runtime = &engine.runtime().info;
        RunSettings {
            job: job.to_string(),
            mode: options.mode.name().to_string(),
            workers: options.workers,
            intra_threads: engine.intra_threads(),
            device: options.device.to_string(),
            ort_library: runtime.library.clone(),
            ort_version: runtime.version.clone(),
            espeak_version: crate::engine::espeak::Espeak::lock()
                .map(|e| e.version().to_string())
                .unwrap_or_else(|e| e.to_string()),
            espeak_library: crate::engine::espeak::library_path(&crate::assets::Assets::locate()),
            cache: engine
                .cache()
                .map_or_else(|| crate::engine::cache::CacheInfo::off(None), |c| c.info()),
        }
    }
}

impl RunSettings {
    /// The settings of `voxdeck qa`, which scores audio and synthesises nothing.
    pub fn for_scoring(runtime: &crate::engine::runtime::Runtime) -> RunSettings {
        RunSettings {
            job: "qa".to_string(),
            mode: "qa".to_string(),
            workers: 0,
            intra_threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            device: crate::job::Device::Cpu.to_string(),
            ort_library: runtime.info.library.clone(),
            ort_version: runtime.info.version.clone(),
            espeak_version: "not used".to_string(),
            espeak_library: PathBuf::new(),
            cache: crate::engine::cache::CacheInfo::off(None),
        }
    }
}

impl LanguageReport {
    /// The entry of a file voxdeck did not make (`voxdeck qa`): one take, scored; model and
    /// voice unknown, no synthesis timings.
    pub fn outside(code: &str, text: &str, output: &Path, audio_seconds: f64) -> LanguageReport {
        LanguageReport {
            code: code.to_string(),
            run: 1,
            text: text.to_string(),
            voice: String::new(),
            model: "outside audio".to_string(),
            execution_provider: None,
            nodes_per_provider: Default::default(),
            cuda_fallback: None,
            status: Status::Done,
            error: None,
            output: Some(output.to_path_buf()),
            output_from: None,
            audio_seconds,
            synthesis_seconds: 0.0,
            rtf: None,
            elapsed_seconds: 0.0,
            cache_hits: 0,
            warnings: Vec::new(),
            scores: TakeScores::default(),
            voice_match: None,
            voice_fit: None,
            takes: Vec::new(),
            sentences: Vec::new(),
        }
    }
}

impl Report {
    /// A report listing `languages`, made under `settings`, whose runs took `wall_seconds`
    /// in all; the totals are computed from the listed languages alone.
    pub fn new(
        settings: RunSettings,
        session: String,
        languages: Vec<LanguageReport>,
        wall_seconds: f64,
    ) -> Report {
        let synthesis_seconds: f64 = languages.iter().map(|l| l.synthesis_seconds).sum();
        let count = |status: Status| languages.iter().filter(|l| l.status == status).count();
        let languages_cancelled = count(Status::Cancelled);
        Report {
            schema: SCHEMA,
            job: settings.job,
            versions: Versions {
                voxdeck: env!("CARGO_PKG_VERSION"),
                onnxruntime: settings.ort_version,
                espeak_ng: settings.espeak_version,
                espeak_ng_library: settings.espeak_library,
            },
            ort_library: settings.ort_library,
            mode: settings.mode,
            workers: settings.workers,
            intra_threads: settings.intra_threads,
            device: settings.device,
            cache: settings.cache,
            session,
            totals: Totals {
                wall_seconds,
                synthesis_seconds,
                audio_seconds: languages.iter().map(|l| l.audio_seconds).sum(),
                cache_hits: languages.iter().map(|l| l.cache_hits).sum(),
                concurrency: synthesis_seconds / wall_seconds.max(1e-9),
                languages_done: count(Status::Done),
                languages_failed: count(Status::Failed),
                languages_cancelled,
                cancelled: languages_cancelled > 0,
                loudness_spread_lu: crate::qa::loudness::spread(
                    (languages.iter())
                        .filter_map(|l| l.scores.loudness.and_then(|l| l.integrated_lufs)),
                ),
            },
            source: None,
            languages,
            other_files: Vec::new(),
        }
    }

    /// The loudness flags of the listed languages' latest takes (`qa::scores`).
    pub fn loudness_flags(&self, spread_limit: f64) -> Vec<String> {
        let levels: Vec<(&str, crate::qa::scores::Loudness)> = (self.languages.iter())
            .filter_map(|l| Some((l.code.as_str(), l.scores.loudness?)))
            .collect();
        crate::qa::scores::loudness_flags(&levels, spread_limit)
    }

    /// Whether every listed language finished and was written.
    pub fn all_done(&self) -> bool {
        self.languages.iter().all(|l| l.status == Status::Done)
    }
}

/// Writes the report as pretty JSON, atomically.
pub fn write(report: &Report, path: &Path) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(report).map_err(std::io::Error::other)?;
    crate::atomic_file::write(path, &json)
}
