//! Sealed boxes: a plaintext encrypted to an NTRU public key, and sealing.

use core::fmt;

use mam_lib::ternary::Trytes;

use super::kem::{self, Encapsulation, SharedSecret};
use super::wire_form::tryte_wire_form;
use super::{payload, NtruPublicKey, SealError, CIPHERTEXT_BYTES, MIN_SEALED_BOX_BYTES};

/// `kem_ciphertext ‖ aead_ciphertext_with_tag`: what `mamData` and each
/// `KEY_ROTATION` entry carry (see the [module docs](super)).
///
/// Holds at least [`MIN_SEALED_BOX_BYTES`] bytes; whether it opens is known
/// only to the holder of the key pair.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedBox(Vec<u8>);

/// Seals `plaintext` to `recipient`: a fresh KEM shared secret from the
/// system CSPRNG (the browser's in wasm), and the plaintext encrypted under
/// a key derived from it. Only `recipient`'s key pair opens the box.
pub fn seal(recipient: &NtruPublicKey, plaintext: &[u8]) -> Result<SealedBox, SealError> {
    SealedBox::assemble(kem::encapsulate(recipient.as_bytes())?, plaintext)
}

impl SealedBox {
    /// Encrypts `plaintext` under the shared secret of `encapsulation` and
    /// puts the box together.
    pub(super) fn assemble(
        (kem_ciphertext, shared): Encapsulation,
        plaintext: &[u8],
    ) -> Result<SealedBox, SealError> {
        let sealed = payload::encrypt(&shared, plaintext)?;
        let mut bytes = Vec::with_capacity(CIPHERTEXT_BYTES + sealed.len());
        bytes.extend_from_slice(&kem_ciphertext);
        bytes.extend_from_slice(&sealed);
        Ok(SealedBox(bytes))
    }

    /// The plaintext, if `shared` is the secret this box was sealed with.
    pub(super) fn open_with(&self, shared: &SharedSecret) -> Result<Vec<u8>, SealError> {
        payload::decrypt(shared, &self.0[CIPHERTEXT_BYTES..])
    }

    /// Reads a sealed box from its bytes; only the length can be checked
    /// before opening.
    pub fn from_bytes(bytes: &[u8]) -> Result<SealedBox, SealError> {
        if bytes.len() < MIN_SEALED_BOX_BYTES {
            return Err(SealError::SealedBoxTooShort {
                min: MIN_SEALED_BOX_BYTES,
                actual: bytes.len(),
            });
        }
        Ok(SealedBox(bytes.to_vec()))
    }

    /// Reads a sealed box from its wire form (two trytes per byte).
    pub fn from_trytes(trytes: &Trytes) -> Result<SealedBox, SealError> {
        SealedBox::from_bytes(&trytes.to_bytes()?)
    }

    /// The box's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The box's wire form: its bytes, two trytes each.
    pub fn to_trytes(&self) -> Trytes {
        Trytes::from_bytes(&self.0)
    }

    /// The KEM ciphertext at the front of the box.
    pub(super) fn kem_ciphertext(&self) -> &[u8; CIPHERTEXT_BYTES] {
        self.0[..CIPHERTEXT_BYTES]
            .try_into()
            .unwrap_or_else(|_| unreachable!("a sealed box is longer than its KEM ciphertext"))
    }
}

tryte_wire_form!(SealedBox);

impl fmt::Debug for SealedBox {
    /// The size only: the contents mean nothing without the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealedBox({} bytes)", self.0.len())
    }
}
