//! A service provider's NTRU key pair, derived from its seed.

use core::fmt;

use mam_lib::seed::Seed;

use super::kdf::hkdf_sha256;
use super::kem::{self, SecretKeyBytes, DRBG_ENTROPY_BYTES};
use super::{NtruPublicKey, SealError, SealedBox, KEYPAIR_INFO};

/// A provider's key pair. The provider's seed is its only state, so the key
/// pair is derived from it and never stored: the same seed gives the same
/// key pair in any browser.
#[derive(Clone)]
pub struct ProviderKeyPair {
    public_key: NtruPublicKey,
    secret_key: SecretKeyBytes,
}

impl ProviderKeyPair {
    /// Derives the key pair of `seed`: 48 bytes of HKDF-SHA256(salt: none,
    /// ikm: the 81 seed trytes as ASCII, info: [`KEYPAIR_INFO`]) seed the
    /// NIST KAT DRBG (AES-256 CTR), which drives `ntruhps2048677` key
    /// generation.
    pub fn from_seed(seed: &Seed) -> ProviderKeyPair {
        let entropy =
            hkdf_sha256::<DRBG_ENTROPY_BYTES>(seed.as_trytes().as_str().as_bytes(), KEYPAIR_INFO);
        let (public_key, secret_key) = kem::portable::keypair(&mut kem::portable::drbg(&entropy));
        ProviderKeyPair {
            public_key: NtruPublicKey::generated(public_key),
            secret_key,
        }
    }

    /// The public key, to publish as `publicKeyTrytes`.
    pub fn public_key(&self) -> &NtruPublicKey {
        &self.public_key
    }

    /// Opens a box sealed to this key pair's public key.
    ///
    /// Fails with [`SealError::TagMismatch`] when the box was sealed to
    /// another key or changed on the way.
    pub fn open(&self, sealed: &SealedBox) -> Result<Vec<u8>, SealError> {
        let shared = kem::decapsulate(&self.secret_key, sealed.kem_ciphertext())?;
        sealed.open_with(&shared)
    }

    /// The secret key bytes, for the interoperability tests.
    #[cfg(test)]
    pub(super) fn secret_key(&self) -> &SecretKeyBytes {
        &self.secret_key
    }
}

impl fmt::Debug for ProviderKeyPair {
    /// Shows the public key only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderKeyPair")
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}
