//! Pairing: the device's secret and the root-bound signed challenge.
//!
//! `signedChallenge = Kerl(challenge ‖ root ‖ secret)`, each part 81
//! trytes (the 27-tryte secret padded with `9`): Kerl absorbs 243 trytes and
//! squeezes 81. Binding My Home's channel root stops an answer being
//! replayed with another root.

use core::fmt;
use core::str::FromStr;

use mam_lib::kerl;
use mam_lib::seed::random_trytes;
use mam_lib::ternary::{Hash81, TernaryError, TryteArray};

/// Trytes in a pairing secret: 27 trytes, 128 bits of entropy.
pub const PAIRING_SECRET_TRYTES: usize = 27;

/// The secret a device shows its owner (text and QR code) and My Home
/// proves it knows.
#[derive(Clone, PartialEq, Eq)]
pub struct PairingSecret(TryteArray<PAIRING_SECRET_TRYTES>);

impl PairingSecret {
    /// A new secret from the CSPRNG.
    pub fn random() -> PairingSecret {
        // `random_trytes` returns exactly the length asked for.
        PairingSecret(
            TryteArray::from_trytes(random_trytes(PAIRING_SECRET_TRYTES))
                .unwrap_or_else(|_| TryteArray::nines()),
        )
    }

    /// The secret as 27 trytes of text, as shown to the owner.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The secret padded with `9` to 81 trytes, as every Kerl input of the
    /// protocol takes it.
    pub fn padded(&self) -> Hash81 {
        // 27 valid trytes always pad to 81.
        Hash81::padded(self.0.as_trytes().clone()).unwrap_or_else(|_| Hash81::nines())
    }
}

impl FromStr for PairingSecret {
    type Err = TernaryError;

    fn from_str(text: &str) -> Result<PairingSecret, TernaryError> {
        text.trim().parse().map(PairingSecret)
    }
}

impl fmt::Debug for PairingSecret {
    /// Never prints the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PairingSecret(…)")
    }
}

/// `Kerl(challenge ‖ root ‖ secret padded to 81)`: what My Home answers to
/// a challenge, and what the device expects.
pub fn signed_challenge(challenge: &Hash81, root: &Hash81, secret: &PairingSecret) -> Hash81 {
    kerl::hash81(&[challenge, root, &secret.padded()])
}
