//! The NTRU KEM `ntruhps2048677` behind one interface, whichever
//! implementation does the work.
//!
//! Natively, encapsulation and decapsulation use PQClean's C code
//! (`pqcrypto-ntru`); for `wasm32-unknown-unknown`, where that code does not
//! build, they use the pure-Rust `ntrust-native`. Key pairs are always made by
//! `ntrust-native`, because only it takes the caller's random generator, and a
//! provider's key pair must follow from its seed. Both write the same bytes
//! (the tests in `seal::tests` hold them to it).

use zeroize::Zeroizing;

use super::{SealError, CIPHERTEXT_BYTES, PUBLIC_KEY_BYTES, SECRET_KEY_BYTES, SHARED_SECRET_BYTES};

/// Bytes that seed the NIST KAT DRBG.
pub(super) const DRBG_ENTROPY_BYTES: usize = 48;

/// A secret key in the NIST round 3 byte format.
pub(super) type SecretKeyBytes = Zeroizing<[u8; SECRET_KEY_BYTES]>;

/// A KEM shared secret.
pub(super) type SharedSecret = Zeroizing<[u8; SHARED_SECRET_BYTES]>;

/// A KEM ciphertext with the shared secret it carries.
pub(super) type Encapsulation = ([u8; CIPHERTEXT_BYTES], SharedSecret);

/// Encapsulates a fresh shared secret to `public_key` with the system CSPRNG.
pub(super) fn encapsulate(public_key: &[u8; PUBLIC_KEY_BYTES]) -> Result<Encapsulation, SealError> {
    #[cfg(not(target_arch = "wasm32"))]
    return pqclean::encapsulate(public_key);
    #[cfg(target_arch = "wasm32")]
    return portable::encapsulate(public_key, &mut portable::system_drbg());
}

/// Recovers the shared secret from a ciphertext. A ciphertext made for
/// another key yields an unrelated secret (NTRU rejects implicitly), which
/// the AEAD tag then refuses.
pub(super) fn decapsulate(
    secret_key: &SecretKeyBytes,
    ciphertext: &[u8; CIPHERTEXT_BYTES],
) -> Result<SharedSecret, SealError> {
    #[cfg(not(target_arch = "wasm32"))]
    return pqclean::decapsulate(secret_key, ciphertext);
    #[cfg(target_arch = "wasm32")]
    return portable::decapsulate(secret_key, ciphertext);
}

/// PQClean's C implementation (`pqcrypto-ntru`), randomness from the OS.
#[cfg(not(target_arch = "wasm32"))]
pub(super) mod pqclean {
    use pqcrypto_ntru::ntruhps2048677 as ntru;
    use pqcrypto_traits::kem::{
        Ciphertext as _, PublicKey as _, SecretKey as _, SharedSecret as _,
    };
    use zeroize::Zeroizing;

    use super::{Encapsulation, SecretKeyBytes, SharedSecret};
    #[cfg(test)]
    use crate::seal::SECRET_KEY_BYTES;
    use crate::seal::{SealError, CIPHERTEXT_BYTES, PUBLIC_KEY_BYTES};

    /// See [`super::encapsulate`].
    pub(in crate::seal) fn encapsulate(
        public_key: &[u8; PUBLIC_KEY_BYTES],
    ) -> Result<Encapsulation, SealError> {
        let public_key = ntru::PublicKey::from_bytes(public_key).map_err(kem_error)?;
        let (shared, ciphertext) = ntru::encapsulate(&public_key);
        Ok((fixed(ciphertext.as_bytes())?, shared_secret(&shared)?))
    }

    /// See [`super::decapsulate`].
    pub(in crate::seal) fn decapsulate(
        secret_key: &SecretKeyBytes,
        ciphertext: &[u8; CIPHERTEXT_BYTES],
    ) -> Result<SharedSecret, SealError> {
        let secret_key = ntru::SecretKey::from_bytes(secret_key.as_ref()).map_err(kem_error)?;
        let ciphertext = ntru::Ciphertext::from_bytes(ciphertext).map_err(kem_error)?;
        shared_secret(&ntru::decapsulate(&ciphertext, &secret_key))
    }

    /// A key pair from the OS CSPRNG, for the interoperability tests.
    #[cfg(test)]
    pub(in crate::seal) fn keypair() -> ([u8; PUBLIC_KEY_BYTES], SecretKeyBytes) {
        let (public_key, secret_key) = ntru::keypair();
        let public_key = fixed(public_key.as_bytes()).expect("pqcrypto public key size");
        let secret_key: [u8; SECRET_KEY_BYTES] =
            fixed(secret_key.as_bytes()).expect("pqcrypto secret key size");
        (public_key, Zeroizing::new(secret_key))
    }

    fn shared_secret(shared: &ntru::SharedSecret) -> Result<SharedSecret, SealError> {
        fixed(shared.as_bytes()).map(Zeroizing::new)
    }

    /// The crate's slices have the sizes its constants name; this holds
    /// them to ours without a panic path.
    fn fixed<const N: usize>(bytes: &[u8]) -> Result<[u8; N], SealError> {
        bytes.try_into().map_err(|_| {
            SealError::Kem(format!(
                "pqcrypto-ntru gave {} bytes where {N} were expected",
                bytes.len()
            ))
        })
    }

    fn kem_error(error: pqcrypto_traits::Error) -> SealError {
        SealError::Kem(format!("pqcrypto-ntru: {error}"))
    }
}

/// The pure-Rust `ntrust-native`, driven by the NIST KAT DRBG (AES-256 CTR).
pub(super) mod portable {
    use ntrust_native::{AesState, RNGState};
    use zeroize::Zeroizing;

    #[cfg(any(test, target_arch = "wasm32"))]
    use super::{Encapsulation, SharedSecret};
    use super::{SecretKeyBytes, DRBG_ENTROPY_BYTES};
    use crate::seal::PUBLIC_KEY_BYTES;
    #[cfg(any(test, target_arch = "wasm32"))]
    use crate::seal::{SealError, CIPHERTEXT_BYTES, SHARED_SECRET_BYTES};

    /// The DRBG after `randombytes_init(entropy)`.
    pub(in crate::seal) fn drbg(entropy: &[u8; DRBG_ENTROPY_BYTES]) -> AesState {
        let mut drbg = AesState::new();
        drbg.randombytes_init(*entropy);
        drbg
    }

    /// A DRBG seeded from the system (or browser) CSPRNG.
    #[cfg(any(test, target_arch = "wasm32"))]
    pub(in crate::seal) fn system_drbg() -> AesState {
        let mut entropy = Zeroizing::new([0u8; DRBG_ENTROPY_BYTES]);
        mam_lib::seed::fill_random(entropy.as_mut());
        drbg(&entropy)
    }

    /// The key pair that `crypto_kem_keypair` makes with `drbg`.
    pub(in crate::seal) fn keypair(
        drbg: &mut AesState,
    ) -> ([u8; PUBLIC_KEY_BYTES], SecretKeyBytes) {
        let mut public_key = [0u8; PUBLIC_KEY_BYTES];
        let mut secret_key: SecretKeyBytes = Zeroizing::new([0u8; crate::seal::SECRET_KEY_BYTES]);
        // With fixed-size buffers the only error `crypto_kem_keypair` can
        // return is its generator's, and the AES DRBG never fails.
        if let Err(error) =
            ntrust_native::crypto_kem_keypair(&mut public_key, &mut secret_key, drbg)
        {
            unreachable!("ntrust-native key generation with the AES DRBG failed: {error}");
        }
        (public_key, secret_key)
    }

    /// `crypto_kem_enc` with randomness from `drbg`.
    #[cfg(any(test, target_arch = "wasm32"))]
    pub(in crate::seal) fn encapsulate(
        public_key: &[u8; PUBLIC_KEY_BYTES],
        drbg: &mut AesState,
    ) -> Result<Encapsulation, SealError> {
        let mut ciphertext = [0u8; CIPHERTEXT_BYTES];
        let mut shared = Zeroizing::new([0u8; SHARED_SECRET_BYTES]);
        ntrust_native::crypto_kem_enc(&mut ciphertext, &mut shared, public_key, drbg)
            .map_err(|error| SealError::Kem(format!("ntrust-native: {error}")))?;
        Ok((ciphertext, shared))
    }

    /// `crypto_kem_dec`.
    #[cfg(any(test, target_arch = "wasm32"))]
    pub(in crate::seal) fn decapsulate(
        secret_key: &SecretKeyBytes,
        ciphertext: &[u8; CIPHERTEXT_BYTES],
    ) -> Result<SharedSecret, SealError> {
        let mut shared = Zeroizing::new([0u8; SHARED_SECRET_BYTES]);
        ntrust_native::crypto_kem_dec(&mut shared, ciphertext, secret_key)
            .map_err(|error| SealError::Kem(format!("ntrust-native: {error}")))?;
        Ok(shared)
    }
}
