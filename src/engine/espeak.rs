//! The raw espeak-ng library: loaded at run time, initialised once, a voice picked, a
//! clause turned into IPA. espeak-ng keeps global state and is not thread-safe, so every
//! call goes through `Espeak::lock()`, one short critical section per phrase.
//!
//! The library is espeak-ng 1.52 as the PyPI wheel `espeakng-loader==0.2.4` ships it, with
//! its own `espeak-ng-data` (both fetched and pinned by scripts/setup): the build that
//! misaki and piper-tts phonemise with, so voxdeck's phonemes can match theirs. It is
//! loaded with dlopen rather than linked, so no system espeak-ng (Debian's is 1.51) can
//! stand in for it.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use crate::assets::{self, Assets};

pub mod clause;
pub mod phonemizer;
mod ucd;
pub use ucd::Ucd;

const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
const ESPEAK_INITIALIZE_DONT_EXIT: c_int = 0x8000;
/// Text is UTF-8. (piper-tts passes espeakCHARS_AUTO, which decodes valid UTF-8 the same
/// way and differs only on invalid bytes, which a Rust string never holds.)
const ESPEAK_CHARS_UTF8: c_int = 1;
/// phonememode bit 1: IPA names instead of espeak's ASCII mnemonics.
const PHONEMES_IPA: c_int = 0x02;
/// phonememode bit 7: bits 8..23 hold a tie character placed inside multi-letter phonemes.
/// Without it, bits 8..23 hold a separator placed between phonemes instead.
const PHONEMES_TIE: c_int = 0x80;

type InitializeFn = unsafe extern "C" fn(c_int, c_int, *const c_char, c_int) -> c_int;
type SetVoiceByNameFn = unsafe extern "C" fn(*const c_char) -> c_int;
type TextToPhonemesFn = unsafe extern "C" fn(*mut *const c_void, c_int, c_int) -> *const c_char;
type InfoFn = unsafe extern "C" fn(*mut *const c_char) -> *const c_char;

#[derive(Debug, thiserror::Error, Clone)]
pub enum EspeakError {
    #[error("espeak-ng 1.52 not found at {0}: run scripts/setup, which fetches it")]
    LibraryMissing(PathBuf),
    #[error("cannot load espeak-ng from {path}: {detail}; run scripts/setup to fetch it again")]
    LibraryUnusable { path: PathBuf, detail: String },
    #[error("espeak-ng could not start with its data in {0}: run scripts/setup, which fetches espeak-ng-data")]
    Init(PathBuf),
    #[error("espeak-ng has no voice `{0}`: run scripts/setup to fetch espeak-ng-data again, or pick another language")]
    Voice(String),
    #[error("text contains a NUL byte: remove it")]
    Nul,
}

/// How espeak writes a clause's phonemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhonemeNames {
    /// IPA, multi-letter phonemes joined by this tie (or not at all).
    Ipa { tie: Option<char> },
    /// IPA with this character between the phonemes of a word.
    IpaSeparated(char),
    /// espeak's ASCII mnemonics with this character between the phonemes of a word.
    MnemonicsSeparated(char),
}

impl PhonemeNames {
    fn mode(self) -> c_int {
        match self {
            PhonemeNames::Ipa { tie: None } => PHONEMES_IPA,
            PhonemeNames::Ipa { tie: Some(t) } => PHONEMES_IPA | PHONEMES_TIE | ((t as c_int) << 8),
            PhonemeNames::IpaSeparated(s) => PHONEMES_IPA | ((s as c_int) << 8),
            PhonemeNames::MnemonicsSeparated(s) => (s as c_int) << 8,
        }
    }
}

/// One `espeak_TextToPhonemes` call: a clause's phonemes, and how far into the text (in
/// bytes) espeak had read when it returned; `None` once it has read the whole text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseOutput {
    pub phonemes: String,
    pub read_to: Option<usize>,
}

/// The library's entry points. The `Library` is kept so they stay valid.
struct Api {
    _library: libloading::Library,
    set_voice_by_name: SetVoiceByNameFn,
    text_to_phonemes: TextToPhonemesFn,
    ucd: Ucd,
}

pub struct Espeak {
    api: Api,
    library: PathBuf,
    version: String,
    data_path: String,
    voice: Option<String>,
}

static ESPEAK: OnceLock<Result<Mutex<Espeak>, EspeakError>> = OnceLock::new();

/// Where setup puts the library, and the folder that holds its `espeak-ng-data`.
pub fn library_path(assets: &Assets) -> PathBuf {
    assets.path(assets::ESPEAK_LIBRARY)
}

impl Espeak {
    /// The process-wide espeak-ng, loaded from the assets and initialised on first use.
    pub fn lock() -> Result<MutexGuard<'static, Espeak>, EspeakError> {
        let cell = ESPEAK.get_or_init(|| Espeak::initialise(&Assets::locate()).map(Mutex::new));
        match cell {
            Ok(mutex) => Ok(mutex.lock().unwrap_or_else(|p| p.into_inner())),
            Err(e) => Err(e.clone()),
        }
    }

    fn initialise(assets: &Assets) -> Result<Espeak, EspeakError> {
        let library = library_path(assets);
        if !library.exists() {
            return Err(EspeakError::LibraryMissing(library));
        }
        let unusable = |detail: String| EspeakError::LibraryUnusable {
            path: library.clone(),
            detail,
        };
        // SAFETY: loading runs the library's initialisers; it is the pinned espeak-ng build.
        let lib =
            unsafe { libloading::Library::new(&library) }.map_err(|e| unusable(e.to_string()))?;
        // SAFETY: the symbols have these C signatures in espeak-ng's speak_lib.h.
        let (initialize, set_voice_by_name, text_to_phonemes, info, ucd) = unsafe {
            let symbol = |name: &[u8]| -> Result<*const (), EspeakError> {
                lib.get::<*const ()>(name)
                    .map(|s| *s)
                    .map_err(|e| unusable(e.to_string()))
            };
            let is = |name: &[u8]| -> Result<ucd::IsFn, EspeakError> {
                Ok(std::mem::transmute::<*const (), ucd::IsFn>(symbol(name)?))
            };
            (
                std::mem::transmute::<*const (), InitializeFn>(symbol(b"espeak_Initialize\0")?),
                std::mem::transmute::<*const (), SetVoiceByNameFn>(symbol(
                    b"espeak_SetVoiceByName\0",
                )?),
                std::mem::transmute::<*const (), TextToPhonemesFn>(symbol(
                    b"espeak_TextToPhonemes\0",
                )?),
                std::mem::transmute::<*const (), InfoFn>(symbol(b"espeak_Info\0")?),
                Ucd {
                    isalnum: is(b"ucd_isalnum\0")?,
                    isalpha: is(b"ucd_isalpha\0")?,
                    isdigit: is(b"ucd_isdigit\0")?,
                    islower: is(b"ucd_islower\0")?,
                    isspace: is(b"ucd_isspace\0")?,
                    lookup_category: std::mem::transmute::<*const (), ucd::CategoryFn>(symbol(
                        b"ucd_lookup_category\0",
                    )?),
                    properties: std::mem::transmute::<*const (), ucd::PropertiesFn>(symbol(
                        b"ucd_properties\0",
                    )?),
                },
            )
        };
        // espeak_Initialize takes the folder that holds espeak-ng-data: the library's own.
        let home = library.parent().unwrap_or(Path::new(".")).to_path_buf();
        let c_home = CString::new(home.as_os_str().as_encoded_bytes())
            .map_err(|_| unusable("its folder has a NUL byte in its name".into()))?;
        // SAFETY: called once, under OnceLock, with a valid C string.
        let rate = unsafe {
            initialize(
                AUDIO_OUTPUT_SYNCHRONOUS,
                0,
                c_home.as_ptr(),
                ESPEAK_INITIALIZE_DONT_EXIT,
            )
        };
        if rate <= 0 {
            return Err(EspeakError::Init(home.join("espeak-ng-data")));
        }
        let mut data: *const c_char = std::ptr::null();
        // SAFETY: espeak_Info returns static strings owned by the library.
        let version = unsafe { CStr::from_ptr(info(&mut data)) }
            .to_string_lossy()
            .into_owned();
        let data_path = if data.is_null() {
            String::new()
        } else {
            // SAFETY: espeak_Info set `data` to its data path, a string it owns and keeps.
            unsafe { CStr::from_ptr(data) }
                .to_string_lossy()
                .into_owned()
        };
        Ok(Espeak {
            api: Api {
                _library: lib,
                set_voice_by_name,
                text_to_phonemes,
                ucd,
            },
            library,
            version,
            data_path,
            voice: None,
        })
    }

    /// The library file loaded.
    pub fn library(&self) -> &Path {
        &self.library
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn data_path(&self) -> &str {
        &self.data_path
    }

    pub fn set_voice(&mut self, name: &str) -> Result<(), EspeakError> {
        if self.voice.as_deref() == Some(name) {
            return Ok(());
        }
        let c_name = CString::new(name).map_err(|_| EspeakError::Nul)?;
        // SAFETY: valid C string; espeak state is guarded by the mutex we hold.
        if unsafe { (self.api.set_voice_by_name)(c_name.as_ptr()) } != 0 {
            self.voice = None;
            return Err(EspeakError::Voice(name.to_string()));
        }
        self.voice = Some(name.to_string());
        Ok(())
    }

    /// espeak's own character classes, for reading clauses as it does.
    pub fn ucd(&self) -> Ucd {
        self.api.ucd
    }

    /// IPA for `text` with stress marks, one string per clause espeak finds (espeak
    /// stops at clause punctuation and drops it; callers put punctuation back).
    /// `tie`: the character joining multi-letter phonemes such as t͡ʃ, if any.
    pub fn clauses_to_ipa(
        &mut self,
        text: &str,
        tie: Option<char>,
    ) -> Result<Vec<String>, EspeakError> {
        let clauses = self.clauses(text, PhonemeNames::Ipa { tie })?;
        Ok(clauses.into_iter().map(|c| c.phonemes).collect())
    }

    /// `text` clause by clause, as successive `espeak_TextToPhonemes` calls return it.
    pub fn clauses(
        &mut self,
        text: &str,
        names: PhonemeNames,
    ) -> Result<Vec<ClauseOutput>, EspeakError> {
        let c_text = CString::new(text).map_err(|_| EspeakError::Nul)?;
        let base = c_text.as_ptr() as usize;
        let mut cursor = c_text.as_ptr() as *const c_void;
        let mut clauses = Vec::new();
        while !cursor.is_null() {
            // SAFETY: cursor points into c_text, which outlives the loop; espeak advances it
            // past the clause it translated and sets it to NULL at the end of the text.
            let out = unsafe {
                (self.api.text_to_phonemes)(&mut cursor, ESPEAK_CHARS_UTF8, names.mode())
            };
            if out.is_null() {
                break;
            }
            clauses.push(ClauseOutput {
                // SAFETY: `out` is espeak's NUL-terminated buffer, valid until the next call.
                phonemes: unsafe { CStr::from_ptr(out) }
                    .to_string_lossy()
                    .into_owned(),
                read_to: (!cursor.is_null()).then(|| cursor as usize - base),
            });
        }
        Ok(clauses)
    }
}
