//! The AEAD half of a sealed box: ChaCha20-Poly1305 under a key derived from
//! the KEM shared secret.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use super::kdf::hkdf_sha256;
use super::kem::SharedSecret;
use super::{SealError, SEAL_INFO};

/// Every shared secret is fresh and seals one box, so its key is used once
/// and a fixed nonce is safe.
const NONCE: [u8; 12] = [0; 12];

fn cipher(shared: &SharedSecret) -> ChaCha20Poly1305 {
    let key = hkdf_sha256::<32>(shared.as_ref(), SEAL_INFO);
    ChaCha20Poly1305::new(&Key::from(*key))
}

/// `plaintext` encrypted, with the 16-byte tag appended.
pub(super) fn encrypt(shared: &SharedSecret, plaintext: &[u8]) -> Result<Vec<u8>, SealError> {
    cipher(shared)
        .encrypt(&Nonce::from(NONCE), plaintext)
        .map_err(|_| SealError::PlaintextTooLong)
}

/// The plaintext of `ciphertext` (tag appended), if the tag matches.
pub(super) fn decrypt(shared: &SharedSecret, ciphertext: &[u8]) -> Result<Vec<u8>, SealError> {
    cipher(shared)
        .decrypt(&Nonce::from(NONCE), ciphertext)
        .map_err(|_| SealError::TagMismatch)
}
