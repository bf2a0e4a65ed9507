//! What can go wrong sealing a box or opening one.

use mam_lib::ternary::TernaryError;

#[cfg(doc)]
use super::MIN_SEALED_BOX_BYTES;
use super::PUBLIC_KEY_BYTES;

/// Why a public key or sealed box could not be read, or a box not sealed or
/// opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The trytes do not encode bytes (two trytes per byte).
    #[error("not a byte string in trytes: {0}")]
    Trytes(#[from] TernaryError),
    /// A public key of the wrong length.
    #[error(
        "an ntruhps2048677 public key is {expected} bytes ({} trytes), got {actual} bytes",
        2 * PUBLIC_KEY_BYTES
    )]
    PublicKeyLength {
        /// [`PUBLIC_KEY_BYTES`].
        expected: usize,
        /// The length found, in bytes.
        actual: usize,
    },
    /// Public key bytes that no key generation writes: the four unused bits
    /// at the end are set.
    #[error("not an ntruhps2048677 public key: the unused top four bits of its last byte are set")]
    PublicKeyNotCanonical,
    /// A sealed box too short to hold the KEM ciphertext and the tag.
    #[error("a sealed box is at least {min} bytes, got {actual} bytes: it was cut short or is not a sealed box")]
    SealedBoxTooShort {
        /// [`MIN_SEALED_BOX_BYTES`].
        min: usize,
        /// The length found, in bytes.
        actual: usize,
    },
    /// The authentication tag did not match: the box was sealed to another
    /// key, or changed after sealing.
    #[error("the sealed box does not open with this key pair: it was sealed to another key or changed on the way")]
    TagMismatch,
    /// A plaintext longer than ChaCha20-Poly1305 can encrypt under one key.
    #[error("the plaintext is too long to seal (ChaCha20-Poly1305 takes at most 256 GiB)")]
    PlaintextTooLong,
    /// The NTRU implementation reported an error (a bug there, not bad input).
    #[error("the NTRU implementation failed: {0}")]
    Kem(String),
}
