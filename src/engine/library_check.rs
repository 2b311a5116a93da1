//! Why a file given as the ONNX Runtime library cannot be it, in words with the fix: a
//! folder, a text file, not ELF, built for another architecture, not a shared library, or
//! a shared library without ONNX Runtime's entry point.

use std::path::{Path, PathBuf};

/// The fix every "this is not the library" answer ends with.
const GIVE_THE_LIBRARY: &str =
    "give the path of the ONNX Runtime library file itself (libonnxruntime.so.1.x)";

/// Why `path` cannot be loaded as ONNX Runtime, in words with the fix, or `None` when
/// nothing is found wrong with it (a version too old is reported by ort itself). Looks at
/// the file first (a folder, not ELF, another architecture, not a shared library), then
/// opens it to look for `OrtGetApiBase`.
pub fn why_unloadable(path: &Path) -> Option<String> {
    if let Some(why) = not_a_library_for_this_machine(path) {
        return Some(why);
    }
    // SAFETY: as in ort's own loader, which is about to run (or just ran) the same dlopen;
    // the library is only opened and searched for a symbol, nothing in it is called.
    let lib = match unsafe { libloading::Library::new(path) } {
        Ok(lib) => lib,
        Err(e) => {
            return Some(format!(
                "the dynamic loader refused it: {}",
                error_chain(&e)
            ))
        }
    };
    // SAFETY: the symbol's address is looked up, never called.
    let found = unsafe { lib.get::<unsafe extern "C" fn()>(b"OrtGetApiBase") }.is_ok();
    (!found).then(|| {
        format!("it is a shared library but does not export `OrtGetApiBase`, so it is not ONNX Runtime: {GIVE_THE_LIBRARY}")
    })
}

/// An error's message followed by its sources' ("dlopen failed: libfoo.so: cannot open ...").
/// ONNX Runtime reports the system's limits in C++'s words ("system error number 24",
/// "std::bad_alloc"); the message says what they mean and which limit to raise.
pub fn explain_limits(detail: String) -> String {
    let fix = if detail.contains("system error number 24") || detail.contains("Too many open files")
    {
        "too many open files for this process: raise the limit, e.g. `ulimit -n 4096`"
    } else if detail.contains("bad_alloc") || detail.contains("Cannot allocate memory") {
        "out of memory: ONNX Runtime could not allocate; raise or remove the memory limit (`ulimit -v`), or free memory"
    } else {
        return detail;
    };
    format!("{detail} ({fix})")
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// What the file at `path` is, when it is not a shared library this process could load:
/// read from its metadata and the first 64 bytes (the ELF header), without dlopen.
pub(crate) fn not_a_library_for_this_machine(path: &Path) -> Option<String> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return Some(format!("cannot read it: {e}")),
    };
    if meta.is_dir() {
        let inside = library_in_folder(path)
            .map(|lib| format!(", e.g. --ort-lib {}", lib.display()))
            .unwrap_or_default();
        return Some(format!(
            "it is a directory: give the path of libonnxruntime.so.1.x inside it, not its folder{inside}"
        ));
    }
    if !meta.is_file() {
        return Some(format!("it is not a regular file: {GIVE_THE_LIBRARY}"));
    }
    if !cfg!(target_os = "linux") {
        return None;
    }
    let mut header = Vec::with_capacity(64);
    let read = std::fs::File::open(path).and_then(|f| f.take(64).read_to_end(&mut header));
    if let Err(e) = read {
        return Some(format!("cannot read it: {e}"));
    }
    if header.is_empty() {
        return Some(format!(
            "it is an empty file, not a shared library: {GIVE_THE_LIBRARY}"
        ));
    }
    if !header.starts_with(b"\x7fELF") {
        return Some(match text_start(&header) {
            Some(line) => format!(
                "it is a text file (it begins `{line}`), not an ELF shared library: {GIVE_THE_LIBRARY}"
            ),
            None => format!(
                "it is not an ELF shared library (it begins with the bytes {}, not the ELF magic 7f 45 4c 46): {GIVE_THE_LIBRARY}",
                hex(&header[..header.len().min(4)])
            ),
        });
    }
    elf_header_problem(&header)
}

/// The first `libonnxruntime.so*` file in `dir`, to suggest in place of the folder.
fn library_in_folder(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let version = name.strip_prefix("libonnxruntime.so");
            // libonnxruntime.so or libonnxruntime.so.1.32.0, not a marker such as `.ok`.
            version.is_some_and(|v| v.chars().all(|c| c == '.' || c.is_ascii_digit()))
                && p.is_file()
                && not_a_library_for_this_machine(p).is_none()
        })
        .collect();
    // The longest name is the most versioned one (libonnxruntime.so.1.32.0).
    found.sort_by_key(|p| std::cmp::Reverse(p.as_os_str().len()));
    found.into_iter().next()
}

/// The header's first line when it reads as text (UTF-8 with no control characters but
/// tab and line ends), cut short for a message.
fn text_start(header: &[u8]) -> Option<String> {
    let text = match std::str::from_utf8(header) {
        Ok(text) => text,
        // Cut inside a multi-byte character by the 64-byte read: still text.
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
            std::str::from_utf8(&header[..e.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return None;
    }
    let line: String = text
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .chars()
        .take(40)
        .collect();
    Some(line)
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks an ELF header (starting with the magic) against this process: word size, byte
/// order, machine (`e_machine`) and kind (`e_type`, a shared object).
fn elf_header_problem(header: &[u8]) -> Option<String> {
    if header.len() < 20 {
        return Some(format!(
            "it is a truncated ELF file ({} bytes), not a shared library: {GIVE_THE_LIBRARY}",
            header.len()
        ));
    }
    let ours = machine_name(RUNNING_MACHINE);
    let bits = match header[4] {
        1 => 32,
        2 => 64,
        other => {
            return Some(format!(
                "it is an ELF file of unknown class {other}: {GIVE_THE_LIBRARY}"
            ))
        }
    };
    let little = match header[5] {
        1 => true,
        2 => false,
        other => {
            return Some(format!(
                "it is an ELF file of unknown byte order {other}: {GIVE_THE_LIBRARY}"
            ))
        }
    };
    let half = |at: usize| {
        let pair = [header[at], header[at + 1]];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    };
    let (kind, machine) = (half(16), half(18));
    if (RUNNING_MACHINE != 0 && machine != RUNNING_MACHINE) || bits != usize::BITS {
        return Some(format!(
            "it is a {bits}-bit ELF file for {} (e_machine {machine}), but this voxdeck runs on {}-bit {ours}: use the libonnxruntime.so.1.x built for {ours}",
            machine_name(machine),
            usize::BITS,
        ));
    }
    if little != cfg!(target_endian = "little") {
        return Some(format!(
            "it is an ELF file of the other byte order: use the libonnxruntime.so.1.x built for {ours}"
        ));
    }
    let what = match kind {
        3 => return None,
        1 => "an object file (.o)",
        2 => "an executable",
        4 => "a core dump",
        _ => "an ELF file of unknown type",
    };
    Some(format!(
        "it is {what}, not a shared library: {GIVE_THE_LIBRARY}"
    ))
}

/// `e_machine` of the architecture this binary was built for.
const RUNNING_MACHINE: u16 = if cfg!(target_arch = "x86_64") {
    62
} else if cfg!(target_arch = "aarch64") {
    183
} else if cfg!(target_arch = "x86") {
    3
} else if cfg!(target_arch = "arm") {
    40
} else if cfg!(target_arch = "riscv64") {
    243
} else if cfg!(target_arch = "powerpc64") {
    21
} else if cfg!(target_arch = "s390x") {
    22
} else if cfg!(target_arch = "loongarch64") {
    258
} else {
    0
};

fn machine_name(machine: u16) -> String {
    match machine {
        3 => "x86 (i386)".into(),
        8 => "MIPS".into(),
        20 => "PowerPC".into(),
        21 => "PowerPC64".into(),
        22 => "s390x".into(),
        40 => "ARM (32-bit)".into(),
        62 => "x86_64".into(),
        183 => "aarch64".into(),
        243 => "RISC-V".into(),
        258 => "LoongArch".into(),
        other => format!("machine {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 64-byte little-endian ELF64 header of kind `e_type` for `e_machine`.
    fn elf64(e_type: u16, e_machine: u16) -> Vec<u8> {
        let mut h = vec![0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 2;
        h[5] = 1;
        h[16..18].copy_from_slice(&e_type.to_le_bytes());
        h[18..20].copy_from_slice(&e_machine.to_le_bytes());
        h
    }

    #[test]
    fn elf_headers_are_judged_against_this_machine() {
        assert_eq!(elf_header_problem(&elf64(3, RUNNING_MACHINE)), None);
        let other = if RUNNING_MACHINE == 183 { 62 } else { 183 };
        let wrong = elf_header_problem(&elf64(3, other)).unwrap();
        assert!(wrong.contains(&format!("e_machine {other}")), "{wrong}");
        assert!(wrong.contains(&machine_name(RUNNING_MACHINE)), "{wrong}");
        let exe = elf_header_problem(&elf64(2, RUNNING_MACHINE)).unwrap();
        assert!(exe.contains("an executable, not a shared library"), "{exe}");
        let short = elf_header_problem(&elf64(3, RUNNING_MACHINE)[..10]).unwrap();
        assert!(short.contains("truncated"), "{short}");
    }

    #[test]
    fn text_is_told_from_bytes() {
        assert_eq!(
            text_start(b"INPUT(libfoo.so)\nmore").as_deref(),
            Some("INPUT(libfoo.so)")
        );
        // Cut in the middle of a two-byte character: still text.
        assert_eq!(
            text_start("caf\u{e9}".as_bytes()[..4].as_ref()).as_deref(),
            Some("caf")
        );
        assert_eq!(text_start(&[0x00, 0xff, 0x13, 0x37]), None);
    }
}
