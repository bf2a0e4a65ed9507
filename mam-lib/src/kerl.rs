//! Kerl: Keccak-384 over ternary, as legacy IOTA addresses and bundles use it.
//!
//! The hashing itself is `iota-crypto`'s implementation; this wraps it in the
//! same trit-slice sponge shape as [`crate::curl::CurlP`].

#![allow(deprecated)]

use crypto::encoding::ternary::{Trits, T1B1};
use crypto::hashes::ternary::{kerl, Sponge};

use crate::curl::HASH_LENGTH;
use crate::ternary::Hash81;

/// What can go wrong in Kerl.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KerlError {
    /// Kerl works on whole hashes of 243 trits.
    #[error("Kerl input and output must be a multiple of 243 trits, got {0}")]
    NotMultipleOfHashLength(usize),
    /// A value that is not a trit.
    #[error("Kerl input holds a value that is not a trit")]
    InvalidTrit,
}

/// The Kerl sponge.
#[derive(Clone, Default)]
pub struct Kerl {
    inner: kerl::Kerl,
}

impl Kerl {
    /// A fresh sponge.
    pub fn new() -> Kerl {
        Kerl::default()
    }

    /// Starts over.
    pub fn reset(&mut self) {
        self.inner.reset();
    }

    /// Absorbs whole hashes of 243 trits.
    pub fn absorb(&mut self, trits: &[i8]) -> Result<(), KerlError> {
        if !trits.len().is_multiple_of(HASH_LENGTH) {
            return Err(KerlError::NotMultipleOfHashLength(trits.len()));
        }
        let view =
            Trits::<T1B1>::try_from_raw(trits, trits.len()).map_err(|_| KerlError::InvalidTrit)?;
        self.inner
            .absorb(view)
            .map_err(|_| KerlError::NotMultipleOfHashLength(trits.len()))
    }

    /// Squeezes whole hashes of 243 trits.
    pub fn squeeze(&mut self, out: &mut [i8]) -> Result<(), KerlError> {
        let len = out.len();
        if !len.is_multiple_of(HASH_LENGTH) {
            return Err(KerlError::NotMultipleOfHashLength(len));
        }
        let view = Trits::<T1B1>::try_from_raw_mut(out, len).map_err(|_| KerlError::InvalidTrit)?;
        self.inner
            .squeeze_into(view)
            .map_err(|_| KerlError::NotMultipleOfHashLength(len))
    }

    /// Absorbs `trits`, squeezes one hash and resets.
    pub fn digest(&mut self, trits: &[i8]) -> Result<[i8; HASH_LENGTH], KerlError> {
        self.absorb(trits)?;
        let mut out = [0; HASH_LENGTH];
        self.squeeze(&mut out)?;
        self.reset();
        Ok(out)
    }
}

/// Kerl of whole 81-tryte parts, one after another, squeezed to one 81-tryte
/// hash: how the consent protocol binds challenges, roots and secrets.
pub fn hash81(parts: &[&Hash81]) -> Hash81 {
    let mut kerl = Kerl::new();
    let mut out = [0i8; HASH_LENGTH];
    for part in parts {
        // Whole 243-trit hashes of valid trits are what Kerl takes: this
        // cannot fail.
        let absorbed = kerl.absorb(&part.to_trits());
        debug_assert!(absorbed.is_ok());
    }
    let squeezed = kerl.squeeze(&mut out);
    debug_assert!(squeezed.is_ok());
    Hash81::from_valid_trits(&out)
}

impl core::fmt::Debug for Kerl {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Kerl")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ternary::Trytes;

    #[test]
    fn known_kerl_hash() {
        // Known answer from the legacy Kerl test vectors (iota.lib.js kerl.test).
        let input: Trytes =
            "GYOMKVTSNHVJNCNFBBAH9AAMXLPLLLROQY99QN9DLSJUHDPBLCFFAIQXZA9BKMBJCYSFHFPXAHDWZFEIZ"
                .parse()
                .expect("trytes");
        let hash = Kerl::new().digest(&input.to_trits()).expect("one hash");
        assert_eq!(
            Trytes::from_trits(&hash).expect("trits").as_str(),
            "OXJCNFHUNAHWDLKKPELTBFUCVW9KLXKOGWERKTJXQMXTKFKNWNNXYD9DMJJABSEIONOSJTTEVKVDQEWTW"
        );
    }

    #[test]
    fn partial_hash_is_an_error() {
        assert_eq!(
            Kerl::new().absorb(&[0; 5]),
            Err(KerlError::NotMultipleOfHashLength(5))
        );
    }
}
