//! The raw espeak-ng library: initialise once, pick a voice, turn a clause into IPA.
//! espeak-ng keeps global state and is not thread-safe, so every call goes through
//! `Espeak::lock()`, one short critical section per phrase.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::sync::{Mutex, MutexGuard, OnceLock};

const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
const ESPEAK_INITIALIZE_DONT_EXIT: c_int = 0x8000;
const ESPEAK_CHARS_UTF8: c_int = 1;
/// phonememode bit 1: IPA names instead of espeak's ASCII mnemonics.
const PHONEMES_IPA: c_int = 0x02;
/// phonememode bit 7: bits 8..23 hold a tie character placed inside multi-letter phonemes.
const PHONEMES_TIE: c_int = 0x80;

extern "C" {
    fn espeak_Initialize(
        output: c_int,
        buflength: c_int,
        path: *const c_char,
        options: c_int,
    ) -> c_int;
    fn espeak_SetVoiceByName(name: *const c_char) -> c_int;
    fn espeak_TextToPhonemes(
        textptr: *mut *const c_void,
        textmode: c_int,
        phonememode: c_int,
    ) -> *const c_char;
    fn espeak_Info(path_data: *mut *const c_char) -> *const c_char;
}

#[derive(Debug, thiserror::Error, Clone)]
pub enum EspeakError {
    #[error("espeak-ng could not start (its data folder was not found): run scripts/setup, which installs espeak-ng-data")]
    Init,
    #[error("espeak-ng has no voice `{0}`: run scripts/setup to install espeak-ng-data, or pick another language")]
    Voice(String),
    #[error("text contains a NUL byte: remove it")]
    Nul,
}

pub struct Espeak {
    version: String,
    data_path: String,
    voice: Option<String>,
}

static ESPEAK: OnceLock<Result<Mutex<Espeak>, EspeakError>> = OnceLock::new();

impl Espeak {
    /// The process-wide espeak-ng, initialised on first use.
    pub fn lock() -> Result<MutexGuard<'static, Espeak>, EspeakError> {
        let cell = ESPEAK.get_or_init(|| Espeak::initialise().map(Mutex::new));
        match cell {
            Ok(mutex) => Ok(mutex.lock().unwrap_or_else(|p| p.into_inner())),
            Err(e) => Err(e.clone()),
        }
    }

    fn initialise() -> Result<Espeak, EspeakError> {
        // SAFETY: called once, under OnceLock; NULL path means the library's default data folder.
        let rate = unsafe {
            espeak_Initialize(
                AUDIO_OUTPUT_SYNCHRONOUS,
                0,
                std::ptr::null(),
                ESPEAK_INITIALIZE_DONT_EXIT,
            )
        };
        if rate <= 0 {
            return Err(EspeakError::Init);
        }
        let mut data: *const c_char = std::ptr::null();
        // SAFETY: espeak_Info returns static strings owned by the library.
        let version = unsafe { CStr::from_ptr(espeak_Info(&mut data)) }
            .to_string_lossy()
            .into_owned();
        let data_path = if data.is_null() {
            String::new()
        } else {
            unsafe { CStr::from_ptr(data) }
                .to_string_lossy()
                .into_owned()
        };
        Ok(Espeak {
            version,
            data_path,
            voice: None,
        })
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
        if unsafe { espeak_SetVoiceByName(c_name.as_ptr()) } != 0 {
            self.voice = None;
            return Err(EspeakError::Voice(name.to_string()));
        }
        self.voice = Some(name.to_string());
        Ok(())
    }

    /// IPA for `text` with stress marks, one string per clause espeak finds (espeak
    /// stops at clause punctuation and drops it; callers put punctuation back).
    /// `tie`: the character joining multi-letter phonemes such as t͡ʃ, if any.
    pub fn clauses_to_ipa(
        &mut self,
        text: &str,
        tie: Option<char>,
    ) -> Result<Vec<String>, EspeakError> {
        let c_text = CString::new(text).map_err(|_| EspeakError::Nul)?;
        let mut mode = PHONEMES_IPA;
        if let Some(t) = tie {
            mode |= PHONEMES_TIE | ((t as c_int) << 8);
        }
        let mut cursor = c_text.as_ptr() as *const c_void;
        let mut clauses = Vec::new();
        while !cursor.is_null() {
            // SAFETY: cursor points into c_text, which outlives the loop; espeak advances it
            // past the clause it translated and sets it to NULL at the end of the text.
            let out = unsafe { espeak_TextToPhonemes(&mut cursor, ESPEAK_CHARS_UTF8, mode) };
            if out.is_null() {
                break;
            }
            clauses.push(
                unsafe { CStr::from_ptr(out) }
                    .to_string_lossy()
                    .into_owned(),
            );
        }
        Ok(clauses)
    }
}
