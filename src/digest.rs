//! sha256 as lower-case hex: the one helper for asset checks, the encoder's identity and the
//! embedding cache's file names.

use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The sha256 of `bytes`, as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The sha256 of a file's content (read in 1 MiB blocks, never whole) and its length in bytes.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex(&hasher.finalize()), total))
}

/// A folder's digest as scripts/setup pins it (`tree_sha`): the sha256 of the `sha256sum`
/// listing of its files, `<hex>  ./<relative path>` a line, sorted by path bytes; and the
/// total bytes of those files. Either form of the path (a file or a folder) checks:
/// a file gives `sha256_file`.
pub fn sha256_entry(path: &Path) -> std::io::Result<(String, u64)> {
    if !path.is_dir() {
        return sha256_file(path);
    }
    let mut files = Vec::new();
    collect_files(path, path, &mut files)?;
    files.sort();
    let mut listing = Vec::new();
    let mut total = 0;
    for relative in files {
        let (digest, bytes) = sha256_file(&path.join(std::ffi::OsStr::from_bytes(&relative)))?;
        total += bytes;
        listing.extend_from_slice(digest.as_bytes());
        listing.extend_from_slice(b"  ./");
        listing.extend_from_slice(&relative);
        listing.push(b'\n');
    }
    Ok((sha256_hex(&listing), total))
}

/// The files under `dir`, as paths relative to `root` in bytes.
fn collect_files(root: &Path, dir: &Path, out: &mut Vec<Vec<u8>>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            collect_files(root, &path, out)?;
        } else if kind.is_file() {
            let relative = path.strip_prefix(root).expect("under root");
            out.push(relative.as_os_str().as_bytes().to_vec());
        }
    }
    Ok(())
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_digest_is_the_one_setup_computes_with_coreutils() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("voices/b")).unwrap();
        std::fs::write(dir.path().join("phontab"), b"one").unwrap();
        std::fs::write(dir.path().join("voices/b/en"), b"two words").unwrap();
        std::fs::write(dir.path().join("voices/a-1"), b"").unwrap();
        std::fs::write(dir.path().join("Z_dict"), b"three").unwrap();
        let shell = std::process::Command::new("bash")
            .arg("-c")
            .arg("cd \"$1\" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1")
            .arg("-")
            .arg(dir.path())
            .output()
            .unwrap();
        let expected = String::from_utf8(shell.stdout).unwrap();
        assert_eq!(
            sha256_entry(dir.path()).unwrap(),
            (expected.trim().to_string(), 3 + 9 + 5)
        );
        let file = dir.path().join("phontab");
        assert_eq!(sha256_entry(&file).unwrap(), sha256_file(&file).unwrap());
    }

    #[test]
    fn known_vectors() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_file_hashes_as_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blob");
        let bytes: Vec<u8> = (0..(3 << 20) + 17).map(|i| (i * 31 % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(
            sha256_file(&path).unwrap(),
            (sha256_hex(&bytes), bytes.len() as u64)
        );
        assert!(sha256_file(&dir.path().join("missing")).is_err());
    }
}
