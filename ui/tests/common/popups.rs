//! The voice ranking and takes popups as the console fills them.

use voxdeck_ui::snapshot::*;

use super::progress::{takes_table, Cer, TakeFacts};

/// Nearest-voice matching for fr: eight stock voices ranked, six probes from the cache.
pub fn voice_ranking() -> Popup {
    let ranking = [
        ("ff_siwis", 0.86),
        ("af_bella", 0.79),
        ("bf_emma", 0.77),
        ("af_heart", 0.74),
        ("ef_dora", 0.69),
        ("if_sara", 0.66),
        ("am_michael", 0.52),
        ("jm_kumo", 0.41),
    ]
    .into_iter()
    .map(|(voice, similarity)| RankedVoice {
        voice: voice.into(),
        similarity,
        good: similarity >= 0.75,
    })
    .collect();
    Popup::VoiceRanking {
        code: "fr".into(),
        probe_text: "Bonjour à tous, bienvenue dans notre émission.".into(),
        ranking,
        selected: 1,
        cached: 6,
    }
}

/// Three takes of fr: the first marked as A, the third (not yet scored) selected.
pub fn takes() -> Popup {
    let text = "Bonjour à tous, bienvenue dans notre émission.";
    let scored = |take: usize| {
        Some(Cer::Scored {
            rate: 0.05 * take as f32,
            flagged: false,
        })
    };
    let takes = [
        TakeFacts {
            take: 1,
            voice: "ff_siwis",
            speed: 1.0,
            text,
            similarity: Some(0.81),
            cer: scored(1),
        },
        TakeFacts {
            take: 2,
            voice: "af_bella",
            speed: 0.9,
            text,
            similarity: Some(0.72),
            cer: scored(2),
        },
        TakeFacts {
            take: 3,
            voice: "ff_siwis",
            speed: 1.15,
            text: "Bonjour à toutes et à tous, et bienvenue dans notre émission de ce soir consacrée à la synthèse vocale.",
            similarity: None,
            cer: Some(Cer::Pending),
        },
    ];
    Popup::Takes {
        code: "fr".into(),
        table: takes_table(&takes, 2, Some(0)),
        heard: vec![
            Part::new("heard: ", Tone::Dim),
            Part::new("transcribing…", Tone::Dim),
        ],
        selected: 2,
        marked: Some(0),
    }
}
