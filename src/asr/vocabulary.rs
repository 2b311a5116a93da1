//! Whisper's tokens: `vocabulary.txt` (one token per line, its line number the id, in GPT-2's
//! byte-level alphabet) and CTranslate2's `config.json` (which ids to suppress, which are
//! languages). Decoding to text is GPT-2's: every character of a token stands for one byte,
//! the bytes of a transcript are joined and read as UTF-8.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::AsrError;

/// The first special token: ids from here on are never text.
const END_OF_TEXT: &str = "<|endoftext|>";

#[derive(Debug, Deserialize)]
struct Config {
    lang_ids: Vec<u32>,
    suppress_ids: Vec<u32>,
    suppress_ids_begin: Vec<u32>,
}

pub struct Vocabulary {
    tokens: Vec<String>,
    ids: HashMap<String, u32>,
    /// Language token ids, in the model's order.
    pub languages: Vec<u32>,
    /// Never chosen (non-speech symbols and the control tokens).
    pub suppress: Vec<u32>,
    /// Not chosen as the first token (a blank, or ending at once).
    pub suppress_at_start: Vec<u32>,
    pub end_of_text: u32,
    pub start_of_transcript: u32,
    pub transcribe: u32,
    pub no_timestamps: u32,
    byte_of: HashMap<char, u8>,
}

impl Vocabulary {
    pub fn load(vocabulary: &Path, config: &Path) -> Result<Vocabulary, AsrError> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|source| match source.kind() {
                std::io::ErrorKind::NotFound => AsrError::ModelMissing {
                    path: path.to_path_buf(),
                },
                _ => AsrError::ModelRead {
                    path: path.to_path_buf(),
                    detail: source.to_string(),
                },
            })
        };
        let text = read(vocabulary)?;
        let config: Config = serde_json::from_str(&read(config)?).map_err(|e| bad(config, e))?;
        let tokens: Vec<String> = text.lines().map(str::to_string).collect();
        Vocabulary::new(tokens, config).map_err(|detail| AsrError::ModelRead {
            path: vocabulary.to_path_buf(),
            detail,
        })
    }

    fn new(tokens: Vec<String>, config: Config) -> Result<Vocabulary, String> {
        let ids: HashMap<String, u32> = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        let id = |token: &str| {
            ids.get(token)
                .copied()
                .ok_or_else(|| format!("no token {token}"))
        };
        let in_range = |list: &[u32]| list.iter().all(|&i| (i as usize) < tokens.len());
        if !in_range(&config.lang_ids)
            || !in_range(&config.suppress_ids)
            || !in_range(&config.suppress_ids_begin)
        {
            return Err("config.json names token ids past the vocabulary".to_string());
        }
        Ok(Vocabulary {
            end_of_text: id(END_OF_TEXT)?,
            start_of_transcript: id("<|startoftranscript|>")?,
            transcribe: id("<|transcribe|>")?,
            no_timestamps: id("<|notimestamps|>")?,
            languages: config.lang_ids,
            suppress: config.suppress_ids,
            suppress_at_start: config.suppress_ids_begin,
            ids,
            tokens,
            byte_of: byte_decoder(),
        })
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The token `<|code|>` of a Whisper language code ("en", "pt"), if the model has it.
    pub fn language_token(&self, code: &str) -> Option<u32> {
        let id = *self.ids.get(&format!("<|{code}|>"))?;
        self.languages.contains(&id).then_some(id)
    }

    /// The language code of a language token ("en" for `<|en|>`).
    pub fn language_code(&self, token: u32) -> Option<&str> {
        let text = self.tokens.get(token as usize)?;
        text.strip_prefix("<|")?.strip_suffix("|>")
    }

    /// The text of `tokens`, special tokens left out. Bytes that are not UTF-8 (a token
    /// sequence cut inside a character) become U+FFFD rather than an error.
    pub fn decode(&self, tokens: &[u32]) -> String {
        let mut bytes = Vec::new();
        for &token in tokens.iter().filter(|&&t| t < self.end_of_text) {
            let Some(text) = self.tokens.get(token as usize) else {
                continue;
            };
            bytes.extend(text.chars().filter_map(|c| self.byte_of.get(&c)));
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

fn bad(path: &Path, e: serde_json::Error) -> AsrError {
    AsrError::ModelRead {
        path: PathBuf::from(path),
        detail: e.to_string(),
    }
}

/// GPT-2's `bytes_to_unicode`, inverted: printable Latin-1 bytes stand for themselves, the
/// other 68 bytes (controls, space, DEL, NBSP, soft hyphen) for U+0100 onwards in byte order.
fn byte_decoder() -> HashMap<char, u8> {
    let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
    let mut next = 256u32;
    (0..=255u8)
        .map(|b| {
            if printable(b) {
                (char::from(b), b)
            } else {
                let c = char::from_u32(next).expect("below U+0200");
                next += 1;
                (c, b)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_level_alphabet_is_gpt2s() {
        let d = byte_decoder();
        assert_eq!(d.len(), 256);
        // GPT-2 writes a leading space as 'Ġ' (U+0120) and a newline as 'Ċ' (U+010A).
        assert_eq!(d[&'Ġ'], b' ');
        assert_eq!(d[&'Ċ'], b'\n');
        assert_eq!(d[&'a'], b'a');
    }

    #[test]
    fn decodes_words_and_skips_special_tokens() {
        let mut tokens: Vec<String> = ["Hello", "Ġw", "orld", "Ã©"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        tokens.extend(
            [
                END_OF_TEXT,
                "<|startoftranscript|>",
                "<|en|>",
                "<|transcribe|>",
                "<|notimestamps|>",
            ]
            .map(String::from),
        );
        let config = Config {
            lang_ids: vec![6],
            suppress_ids: vec![],
            suppress_ids_begin: vec![4],
        };
        let v = Vocabulary::new(tokens, config).unwrap();
        assert_eq!(v.decode(&[5, 0, 1, 2, 3, 4]), "Hello worldé");
        assert_eq!(v.language_token("en"), Some(6));
        assert_eq!(v.language_token("xx"), None);
        assert_eq!(v.language_code(6), Some("en"));
    }
}
