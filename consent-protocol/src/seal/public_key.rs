//! A provider's NTRU public key, and its wire form `publicKeyTrytes`.

use core::fmt;

use mam_lib::ternary::Trytes;

use super::wire_form::tryte_wire_form;
use super::{SealError, PUBLIC_KEY_BYTES};

/// An `ntruhps2048677` public key: what a provider publishes so that devices
/// can seal keys to it.
///
/// Valid by construction: exactly [`PUBLIC_KEY_BYTES`] bytes in the form key
/// generation writes, so each key has one wire form.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NtruPublicKey(Box<[u8; PUBLIC_KEY_BYTES]>);

impl NtruPublicKey {
    /// A short fingerprint to show people: the first 16 trytes of the Kerl
    /// hash of the wire form (padded with `9` to whole hashes), in groups
    /// of four (`ABCD-EFGH-IJKL-MNOP`). Two keys that show the same
    /// fingerprint are, for a person comparing them, the same key.
    pub fn fingerprint(&self) -> String {
        let trytes = self.to_trytes();
        let mut trits = trytes.to_trits();
        trits.resize(trits.len().div_ceil(243) * 243, 0);
        let mut kerl = mam_lib::kerl::Kerl::new();
        let mut hash = [0i8; 243];
        if kerl.absorb(&trits).is_err() || kerl.squeeze(&mut hash).is_err() {
            return String::new();
        }
        let text = Trytes::from_trits(&hash)
            .map(|t| t.to_string())
            .unwrap_or_default();
        text.as_bytes()
            .chunks(4)
            .take(4)
            .map(|group| String::from_utf8_lossy(group).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Reads a public key from its [`PUBLIC_KEY_BYTES`] bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<NtruPublicKey, SealError> {
        let bytes: [u8; PUBLIC_KEY_BYTES] =
            bytes.try_into().map_err(|_| SealError::PublicKeyLength {
                expected: PUBLIC_KEY_BYTES,
                actual: bytes.len(),
            })?;
        // 676 coefficients of 11 bits fill 929.5 bytes; the packing leaves
        // the last four bits zero and unpacking ignores them, so a key with
        // them set would be a second spelling of another key.
        if bytes[PUBLIC_KEY_BYTES - 1] & 0xF0 != 0 {
            return Err(SealError::PublicKeyNotCanonical);
        }
        Ok(NtruPublicKey(Box::new(bytes)))
    }

    /// Wraps bytes that key generation just wrote.
    pub(super) fn generated(bytes: [u8; PUBLIC_KEY_BYTES]) -> NtruPublicKey {
        debug_assert_eq!(
            bytes[PUBLIC_KEY_BYTES - 1] & 0xF0,
            0,
            "key generation packs canonically"
        );
        NtruPublicKey(Box::new(bytes))
    }

    /// Reads a public key from its wire form (two trytes per byte,
    /// [`PUBLIC_KEY_TRYTES`](super::PUBLIC_KEY_TRYTES) trytes).
    pub fn from_trytes(trytes: &Trytes) -> Result<NtruPublicKey, SealError> {
        NtruPublicKey::from_bytes(&trytes.to_bytes()?)
    }

    /// The key's bytes.
    pub fn as_bytes(&self) -> &[u8; PUBLIC_KEY_BYTES] {
        &self.0
    }

    /// The key's wire form `publicKeyTrytes`: its bytes, two trytes each.
    pub fn to_trytes(&self) -> Trytes {
        Trytes::from_bytes(self.0.as_slice())
    }
}

tryte_wire_form!(NtruPublicKey);

impl fmt::Debug for NtruPublicKey {
    /// The first trytes of the wire form: enough to tell keys apart in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let trytes = Trytes::from_bytes(&self.0[..8]);
        write!(f, "NtruPublicKey({trytes}…)")
    }
}
