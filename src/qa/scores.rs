//! A take's QA as one value, carried unchanged from scoring to report.json, the console, the
//! metrics endpoint, the headless lines and `voxdeck qa`. Each score's rule (its threshold,
//! its flag, the words that name it) is written here once; the views only place it.

use serde::Serialize;

pub use super::loudness::Loudness;

/// Why a take has no transcription while the recogniser still works on it; the views show
/// it as "pending", not as a reason.
pub const NOT_TRANSCRIBED_YET: &str = "not transcribed yet";

/// What a flagged transcription asks of the operator, and which settings set the limits.
pub const OVER_ERROR_RATE_LIMITS: &str = "over the error-rate limits ([qa] max_cer, max_wer)";

/// Every score of one take. Serialised flat into its report entry, so report.json keeps
/// its keys (`similarity`, `similarity_error`, `transcription`, `transcription_error`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TakeScores {
    /// Speaker similarity (cosine of GE2E embeddings) of the take to the source clip.
    pub similarity: Option<f32>,
    /// Why there is no similarity (no source clip, encoder missing, clip too short...).
    pub similarity_error: Option<String>,
    /// What the recogniser heard, and its error rates against the text asked for.
    pub transcription: Option<Transcription>,
    /// Why there is no transcription (transcription off, nothing to transcribe...).
    pub transcription_error: Option<String>,
    /// How loud the take is (EBU R128), once measured.
    pub loudness: Option<Loudness>,
    /// Why there is no loudness (the take could not be read).
    pub loudness_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Transcription {
    pub text: String,
    /// Whisper's code of the language it transcribed in ("en" for en-us).
    pub language: String,
    /// Character error rate against the text asked for, both sides normalised (README).
    pub cer: f32,
    /// Word error rate; absent for languages written without spaces between words.
    pub wer: Option<f32>,
    /// Over the `[qa]` thresholds (max_cer, max_wer) when it was scored.
    pub flagged: bool,
    /// Time spent transcribing.
    pub elapsed_seconds: f64,
}

/// Where a take's transcription stands, as every view tells it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Heard<'a> {
    /// Neither transcribed nor a reason why (a take still being made).
    Nothing,
    /// The recogniser is at work on it.
    Pending,
    Scored(&'a Transcription),
    /// Not transcribed, or not scored: why.
    Unscored(&'a str),
}

/// How a similarity compares with the operator's threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// At or above the threshold.
    Good,
    Weak,
    /// No score, or not a number.
    Unscored,
}

impl TakeScores {
    /// A take just kept: nothing scored yet, its transcription to come.
    pub fn pending() -> TakeScores {
        TakeScores {
            transcription_error: Some(NOT_TRANSCRIBED_YET.to_string()),
            ..TakeScores::default()
        }
    }

    pub fn heard(&self) -> Heard<'_> {
        match (&self.transcription, &self.transcription_error) {
            (Some(t), _) => Heard::Scored(t),
            (None, Some(e)) if e == NOT_TRANSCRIBED_YET => Heard::Pending,
            (None, Some(e)) => Heard::Unscored(e),
            (None, None) => Heard::Nothing,
        }
    }

    /// Over the error-rate limits: the take asks for a listen (it does not fail the run).
    pub fn flagged(&self) -> bool {
        self.transcription.as_ref().is_some_and(|t| t.flagged)
    }

    pub fn similarity_match(&self, threshold: f32) -> Match {
        similarity_match(self.similarity, threshold)
    }
}

/// The similarity rule: a score at or above the threshold is a good match.
pub fn similarity_match(similarity: Option<f32>, threshold: f32) -> Match {
    match similarity {
        Some(v) if v.is_finite() && v >= threshold => Match::Good,
        Some(v) if v.is_finite() => Match::Weak,
        _ => Match::Unscored,
    }
}

/// How far apart (LU) a job's languages' integrated loudness may be, unless
/// `[qa] max_loudness_spread_lu` says otherwise: a listener hearing them in turn notices more.
pub const DEFAULT_MAX_LOUDNESS_SPREAD_LU: f64 = 3.0;

/// The spread limit the settings give, else the default.
pub fn loudness_spread_limit(config: &crate::config::Config) -> f64 {
    config
        .max_loudness_spread_lu
        .unwrap_or(DEFAULT_MAX_LOUDNESS_SPREAD_LU)
}

/// The loudness rules, one line per flag: the job's languages further apart than `limit`
/// LU ask for levelling (the quietest and loudest named), and a take with samples at full
/// scale is clipped. `languages` are (code, the latest take's loudness).
pub fn loudness_flags(languages: &[(&str, Loudness)], limit: f64) -> Vec<String> {
    let mut flags = Vec::new();
    let measured: Vec<(&str, f64)> = (languages.iter())
        .filter_map(|(code, l)| Some((*code, l.integrated_lufs?)))
        .collect();
    let spread = super::loudness::spread(measured.iter().map(|(_, v)| *v));
    if let Some(spread) = spread.filter(|&s| s > limit) {
        let by_level = |a: &&(&str, f64), b: &&(&str, f64)| a.1.total_cmp(&b.1);
        let quietest = measured.iter().min_by(by_level).expect("two or more");
        let loudest = measured.iter().max_by(by_level).expect("two or more");
        flags.push(format!(
            "the languages' loudness is {spread:.1} LU apart, over [qa] max_loudness_spread_lu ({limit:.1}): {} at {:.1} LUFS, {} at {:.1} LUFS; level them before handing over",
            quietest.0, quietest.1, loudest.0, loudest.1
        ));
    }
    for (code, l) in languages.iter().filter(|(_, l)| l.clipped_samples > 0) {
        flags.push(format!(
            "{code} is clipped: {} samples at full scale; listen to it",
            l.clipped_samples
        ));
    }
    flags
}

/// A rate as whole percent, capped so it fits a narrow column (rates can pass 100 %).
pub fn percent(rate: f32) -> String {
    if rate.is_finite() {
        format!("{:.0}%", (rate * 100.0).clamp(0.0, 999.0))
    } else {
        "–".into()
    }
}

impl Transcription {
    /// `CER 6.0 %, WER 10.0 %` (no WER for languages written without spaces).
    pub fn rates(&self) -> String {
        let wer = self
            .wer
            .map(|w| format!(", WER {:.1} %", w * 100.0))
            .unwrap_or_default();
        format!("CER {:.1} %{wer}", self.cer * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heard(cer: f32, wer: Option<f32>, flagged: bool) -> Transcription {
        Transcription {
            text: "hola".into(),
            language: "es".into(),
            cer,
            wer,
            flagged,
            elapsed_seconds: 0.1,
        }
    }

    #[test]
    fn a_take_just_kept_is_pending_then_scored_or_unscored() {
        let mut scores = TakeScores::pending();
        assert_eq!(scores.heard(), Heard::Pending);
        scores.transcription_error = Some("transcription is off".into());
        assert_eq!(scores.heard(), Heard::Unscored("transcription is off"));
        let t = heard(0.2, Some(0.5), true);
        scores.transcription = Some(t.clone());
        assert_eq!(scores.heard(), Heard::Scored(&t));
        assert!(scores.flagged());
        assert_eq!(TakeScores::default().heard(), Heard::Nothing);
    }

    #[test]
    fn the_similarity_rule_is_at_or_above_the_threshold() {
        assert_eq!(similarity_match(Some(0.75), 0.75), Match::Good);
        assert_eq!(similarity_match(Some(0.7), 0.75), Match::Weak);
        assert_eq!(similarity_match(Some(f32::NAN), 0.75), Match::Unscored);
        assert_eq!(similarity_match(None, 0.75), Match::Unscored);
    }

    #[test]
    fn loudness_flags_name_the_spread_over_the_limit_and_clipped_takes() {
        let level = |lufs: f64, clipped| Loudness {
            integrated_lufs: Some(lufs),
            range_lu: None,
            true_peak_dbtp: Some(-1.0),
            clipped_samples: clipped,
        };
        let job = [
            ("fr", level(-23.0, 0)),
            ("es", level(-27.5, 0)),
            ("it", level(-22.0, 9)),
        ];
        let flags = loudness_flags(&job, DEFAULT_MAX_LOUDNESS_SPREAD_LU);
        assert_eq!(flags.len(), 2, "{flags:?}");
        assert!(flags[0].contains("5.5 LU apart") && flags[0].contains("es at -27.5"));
        assert!(flags[0].contains("it at -22.0"), "{}", flags[0]);
        assert!(
            flags[1].starts_with("it is clipped: 9 samples"),
            "{}",
            flags[1]
        );
        assert!(loudness_flags(&job[..1], 3.0).is_empty());
        assert_eq!(loudness_flags(&job[..2], 6.0), Vec::<String>::new());
    }

    #[test]
    fn rates_read_as_percent() {
        assert_eq!(
            heard(0.06, Some(0.1), false).rates(),
            "CER 6.0 %, WER 10.0 %"
        );
        assert_eq!(heard(0.5, None, false).rates(), "CER 50.0 %");
        assert_eq!(percent(0.064), "6%");
        assert_eq!(percent(12.0), "999%");
        assert_eq!(percent(f32::NAN), "–");
    }
}
