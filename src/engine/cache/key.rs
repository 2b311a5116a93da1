//! A cache entry's key: the sha256 of everything an utterance's audio depends on.

use sha2::{Digest, Sha256};

use crate::engine::piper::PiperVoice;

/// What identifies an utterance's audio.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(pub(super) [u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.hex())
    }
}

/// Everything an utterance's audio depends on.
#[derive(Debug, Clone, Copy)]
pub struct KeyParts<'a> {
    /// sha256 of the model file, hex.
    pub model_sha256: &'a str,
    /// sha256 of the voice's style data (`style_hash`, `piper_voice_hash`).
    pub voice: [u8; 32],
    pub speed: f32,
    pub token_ids: &'a [i64],
    /// "cpu" or "cuda" (`provider_kind`).
    pub provider: &'a str,
}

impl Key {
    pub fn new(parts: &KeyParts<'_>) -> Key {
        let mut hasher = Sha256::new();
        hasher.update(b"voxdeck.result/1");
        field(&mut hasher, parts.model_sha256.as_bytes());
        field(&mut hasher, &parts.voice);
        field(&mut hasher, &parts.speed.to_bits().to_le_bytes());
        let ids: Vec<u8> = parts
            .token_ids
            .iter()
            .flat_map(|id| id.to_le_bytes())
            .collect();
        field(&mut hasher, &ids);
        field(&mut hasher, parts.provider.as_bytes());
        Key(hasher.finalize().into())
    }

    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Length-prefixed, so no two different lists of fields hash alike.
fn field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// The hash of a Kokoro style vector (the row `VoicePack::style_for` gives).
pub fn style_hash(style: &[f32]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"kokoro-style");
    for value in style {
        hasher.update(value.to_le_bytes());
    }
    hasher.finalize().into()
}

/// The identity of a Piper voice besides its model file: its name, rate, inference scales
/// and speaker (always the first; the phoneme map is in the token ids already).
pub fn piper_voice_hash(voice: &PiperVoice) -> [u8; 32] {
    let config = &voice.config;
    let mut hasher = Sha256::new();
    hasher.update(b"piper-voice");
    field(&mut hasher, voice.name.as_bytes());
    hasher.update(config.audio.sample_rate.to_le_bytes());
    for scale in [
        config.inference.noise_scale,
        config.inference.length_scale,
        config.inference.noise_w,
    ] {
        hasher.update(scale.to_bits().to_le_bytes());
    }
    hasher.update(config.num_speakers.to_le_bytes());
    hasher.update(0u32.to_le_bytes()); // the speaker id synthesis uses
    hasher.finalize().into()
}

/// "cuda" for the CUDA execution provider, else "cpu".
pub fn provider_kind(provider: &str) -> &'static str {
    if provider.starts_with("CUDA") {
        "cuda"
    } else {
        "cpu"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_in_every_part() {
        let parts = KeyParts {
            model_sha256: "model",
            voice: style_hash(&[0.5; 4]),
            speed: 1.0,
            token_ids: &[1, 2, 3],
            provider: "cpu",
        };
        let base = Key::new(&parts);
        assert_eq!(base, Key::new(&parts));
        let variants = [
            KeyParts {
                model_sha256: "other",
                ..parts
            },
            KeyParts {
                voice: style_hash(&[0.25; 4]),
                ..parts
            },
            KeyParts {
                speed: 1.1,
                ..parts
            },
            KeyParts {
                token_ids: &[1, 2],
                ..parts
            },
            KeyParts {
                provider: "cuda",
                ..parts
            },
        ];
        for variant in variants {
            assert_ne!(Key::new(&variant), base, "{variant:?}");
        }
        assert_eq!(provider_kind("CUDAExecutionProvider"), "cuda");
        assert_eq!(provider_kind("CPUExecutionProvider"), "cpu");
    }
}
