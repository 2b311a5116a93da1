//! An entry on disk: a header (magic, key, sample count, sha256 over header and samples),
//! then the samples as little-endian f32; anything else is refused as damaged.

use sha2::{Digest, Sha256};

use super::{Key, HEADER_BYTES, MAGIC};

fn checksum(header: &[u8], payload: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(header);
    hasher.update(payload);
    hasher.finalize().into()
}

pub(super) fn encode(key: &Key, samples: &[f32]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(HEADER_BYTES + samples.len() * 4);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&key.0);
    bytes.extend_from_slice(&(samples.len() as u64).to_le_bytes());
    let payload: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    let sum = checksum(&bytes, &payload);
    bytes.extend_from_slice(&sum);
    bytes.extend_from_slice(&payload);
    bytes
}

/// The samples of a whole entry for `key`, or why it is not one.
pub(super) fn decode(key: &Key, bytes: &[u8]) -> Result<Vec<f32>, String> {
    if bytes.len() < HEADER_BYTES {
        return Err(format!("{} bytes, shorter than its header", bytes.len()));
    }
    let (header, rest) = bytes.split_at(8 + 32 + 8);
    let (stored_sum, payload) = rest.split_at(32);
    if &header[..8] != MAGIC {
        return Err("not a voxdeck result entry".into());
    }
    if header[8..40] != key.0 {
        return Err("it holds another key".into());
    }
    let count = u64::from_le_bytes(header[40..48].try_into().expect("8 bytes"));
    if count.checked_mul(4) != Some(payload.len() as u64) {
        return Err(format!(
            "{} bytes of samples, the header says {count} samples",
            payload.len()
        ));
    }
    if checksum(header, payload)[..] != stored_sum[..] {
        return Err("checksum mismatch".into());
    }
    Ok(payload
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect())
}
