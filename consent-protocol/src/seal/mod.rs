//! NTRU sealing: how a device hands a service provider the channel root and
//! side key so that only that provider can read them.
//!
//! A provider derives an `ntruhps2048677` key pair from its seed
//! ([`ProviderKeyPair::from_seed`]) and publishes the public key as
//! `publicKeyTrytes` ([`NtruPublicKey::to_trytes`]). A device [`seal`]s the
//! JSON text (`{"root": ..., "sideKey": ...}` for `MAM_DATA`,
//! `{"sideKey": ...}` for a `KEY_ROTATION` entry) to that key; the provider
//! [opens](ProviderKeyPair::open) it.
//!
//! What it is not for: choosing what to seal or to whom (the protocol and the
//! device do that), or signing: a sealed box says nothing about its sender.
//!
//! # The sealed box
//!
//! ```text
//! kem_ciphertext (930 bytes) ‖ aead_ciphertext (plaintext length) ‖ tag (16 bytes)
//! ```
//!
//! - `kem_ciphertext` encapsulates a fresh 32-byte shared secret to the
//!   recipient's public key (NTRU KEM `ntruhps2048677`, NIST round 3).
//! - The rest is ChaCha20-Poly1305 of the plaintext with key =
//!   HKDF-SHA256(salt: none, ikm: shared secret, info: [`SEAL_INFO`], 32
//!   bytes), a 12-byte all-zero nonce (each key seals exactly one box) and no
//!   associated data.
//! - On the wire the bytes travel as trytes, two per byte (byte `b` -> tryte
//!   `b mod 27`, then tryte `b div 27`, as legacy `asciiToTrytes`), so a box
//!   is `2 · (946 + plaintext length)` trytes.
//!
//! # Key pairs from seeds
//!
//! 48 bytes of HKDF-SHA256(salt: none, ikm: the 81 seed trytes as ASCII,
//! info: [`KEYPAIR_INFO`]) seed the NIST KAT DRBG (AES-256 CTR DRBG), which
//! drives `ntruhps2048677` key generation. `tests/vectors/seal.json` pins the
//! result.
//!
//! # Implementations
//!
//! Natively the KEM is PQClean's C code (`pqcrypto-ntru`); in the browser,
//! where that code does not build, the pure-Rust `ntrust-native`, which also
//! derives key pairs everywhere (only it takes a caller's random generator).
//! The tests hold the two byte-compatible in both directions.

mod error;
mod kdf;
mod kem;
mod keypair;
mod payload;
mod public_key;
mod sealed_box;
#[cfg(test)]
mod tests;
mod wire_form;

pub use error::SealError;
pub use keypair::ProviderKeyPair;
pub use public_key::NtruPublicKey;
pub use sealed_box::{seal, SealedBox};

/// Bytes in an `ntruhps2048677` public key (NIST round 3).
pub const PUBLIC_KEY_BYTES: usize = 930;
/// Bytes in an `ntruhps2048677` secret key (NIST round 3).
pub const SECRET_KEY_BYTES: usize = 1234;
/// Bytes in an `ntruhps2048677` KEM ciphertext (NIST round 3).
pub const CIPHERTEXT_BYTES: usize = 930;
/// Bytes in an `ntruhps2048677` shared secret (NIST round 3).
pub const SHARED_SECRET_BYTES: usize = 32;
/// Bytes in a ChaCha20-Poly1305 authentication tag.
pub const TAG_BYTES: usize = 16;
/// Bytes in the shortest sealed box, one of an empty plaintext.
pub const MIN_SEALED_BOX_BYTES: usize = CIPHERTEXT_BYTES + TAG_BYTES;
/// Trytes in a public key's wire form `publicKeyTrytes`.
pub const PUBLIC_KEY_TRYTES: usize = 2 * PUBLIC_KEY_BYTES;
/// HKDF info that turns a KEM shared secret into the box's AEAD key.
pub const SEAL_INFO: &[u8] = b"mam-seal-v1";
/// HKDF info that turns a provider's seed into DRBG entropy for its key pair.
pub const KEYPAIR_INFO: &[u8] = b"ntru-keypair-v1";

// Hold the spec's sizes to both implementations' own.
const _: () = assert!(PUBLIC_KEY_BYTES == ntrust_native::CRYPTO_PUBLICKEYBYTES);
const _: () = assert!(SECRET_KEY_BYTES == ntrust_native::CRYPTO_SECRETKEYBYTES);
const _: () = assert!(CIPHERTEXT_BYTES == ntrust_native::CRYPTO_CIPHERTEXTBYTES);
const _: () = assert!(SHARED_SECRET_BYTES == ntrust_native::CRYPTO_BYTES);
#[cfg(not(target_arch = "wasm32"))]
const _: () = {
    use pqcrypto_ntru::ntruhps2048677 as pqclean;
    assert!(PUBLIC_KEY_BYTES == pqclean::public_key_bytes());
    assert!(SECRET_KEY_BYTES == pqclean::secret_key_bytes());
    assert!(CIPHERTEXT_BYTES == pqclean::ciphertext_bytes());
    assert!(SHARED_SECRET_BYTES == pqclean::shared_secret_bytes());
};
