//! Pairing (protocol v2): the device's secret and the proofs built from
//! it, in both directions.
//!
//! Every Kerl input is three 81-tryte parts (the 27-tryte secret padded
//! with `9`), so Kerl absorbs 243 trytes and squeezes 81:
//!
//! - [`claim_proof`] = `Kerl(sender ‖ nonce ‖ secret)`: a claim from
//!   someone who knows the secret. The device answers nothing else, so a
//!   stranger cannot spend its challenge budget.
//! - [`signed_challenge`] = `Kerl(challenge ‖ root ‖ secret)`: the answer,
//!   bound to My Home's channel root so it cannot be replayed with another.
//! - [`seal_root`] = `root ⊞ Kerl(challenge ‖ secret ‖ sender)`: the root
//!   itself, which is the decryption key of My Home's private channel,
//!   travels masked; [`open_root`] undoes it. `⊞` adds tryte values mod 27
//!   (`9` = 0, `A` = 1 … `Z` = 26). The mask is fresh for every challenge,
//!   so it is a one-time pad under a key only the secret's holders know.
//! - [`challenge_proof`] = `Kerl(secret ‖ nonce ‖ challenge)`: the device's
//!   `CHALLENGE` to a claim with that nonce. Anyone who sees the claim knows
//!   the owner's address, so My Home answers no challenge without it.
//! - [`claim_result_proof`] = `Kerl(secret ‖ reference ‖ status)`: the
//!   device's `CLAIM_RESULT`, bound to what it answers (the challenge of an
//!   answer, or the claim nonce of an `already paired` refusal) and to its
//!   status, so a stranger can neither end a claim nor fake a pairing.
//!
//! The device's two proofs put the secret first, the owner's put it last:
//! a reply proof is then never a claim proof (its "sender" would be the
//! secret itself), so nobody can send the device's public replies back to
//! it as claims and spend its hourly budget of replies.

use core::fmt;
use core::str::FromStr;

use mam_lib::kerl;
use mam_lib::seed::{try_random_trytes, RandomError};
use mam_lib::ternary::{Hash81, TernaryError, TryteArray, Trytes, TRYTE_ALPHABET};

use crate::ClaimStatus;

/// Trytes in a pairing secret: 27 trytes, 128 bits of entropy.
pub const PAIRING_SECRET_TRYTES: usize = 27;

/// The secret a device shows its owner (text and QR code) and My Home
/// proves it knows.
#[derive(Clone, PartialEq, Eq)]
pub struct PairingSecret(TryteArray<PAIRING_SECRET_TRYTES>);

impl PairingSecret {
    /// A new secret from the CSPRNG; a CSPRNG that fails is an error, never
    /// a predictable secret.
    pub fn random() -> Result<PairingSecret, RandomError> {
        let trytes = try_random_trytes(PAIRING_SECRET_TRYTES)?;
        TryteArray::from_trytes(trytes)
            .map(PairingSecret)
            .map_err(|error| RandomError::other(format!("drew a wrong secret: {error}")))
    }

    /// The secret as 27 trytes of text, as shown to the owner.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The secret padded with `9` to 81 trytes, as every Kerl input of the
    /// protocol takes it.
    pub fn padded(&self) -> Hash81 {
        let mut text = String::with_capacity(81);
        text.push_str(self.0.as_str());
        text.push_str(&"9".repeat(81 - PAIRING_SECRET_TRYTES));
        // 27 valid trytes and 54 nines are 81 valid trytes.
        text.parse().unwrap_or_else(|_| unreachable_padding())
    }
}

#[cold]
fn unreachable_padding() -> Hash81 {
    unreachable!("27 trytes padded with 54 nines are 81 trytes")
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

/// `Kerl(sender ‖ nonce ‖ secret padded to 81)`: the proof a v2
/// `CLAIM_DEVICE` carries that its sender knows the pairing secret.
pub fn claim_proof(sender: &Hash81, nonce: &Hash81, secret: &PairingSecret) -> Hash81 {
    kerl::hash81(&[sender, nonce, &secret.padded()])
}

/// `Kerl(challenge ‖ root ‖ secret padded to 81)`: what My Home answers to
/// a challenge, and what the device expects.
pub fn signed_challenge(challenge: &Hash81, root: &Hash81, secret: &PairingSecret) -> Hash81 {
    kerl::hash81(&[challenge, root, &secret.padded()])
}

/// `Kerl(secret padded to 81 ‖ nonce ‖ challenge)`: the proof a v2
/// `CHALLENGE` carries that the device holding the secret the claim with
/// `nonce` proved sent it.
pub fn challenge_proof(nonce: &Hash81, challenge: &Hash81, secret: &PairingSecret) -> Hash81 {
    kerl::hash81(&[&secret.padded(), nonce, challenge])
}

/// `Kerl(secret padded to 81 ‖ reference ‖ status)`: the proof a v2
/// `CLAIM_RESULT` carries. `reference` is the challenge answered (the result
/// of an `ANSWER_CHALLENGE`) or the claim nonce (an `already paired`
/// refusal of a `CLAIM_DEVICE`); `status` is the ASCII word `OK` or `NOK`
/// as trytes (two per byte, as `Trytes::from_ascii` maps them) padded with
/// `9` to 81, see [`status_trytes`]. The secret is the one the claimant
/// proved, not the one the device draws after pairing.
pub fn claim_result_proof(
    reference: &Hash81,
    status: ClaimStatus,
    secret: &PairingSecret,
) -> Hash81 {
    kerl::hash81(&[&secret.padded(), reference, &status_trytes(status)])
}

/// The status word of a `CLAIM_RESULT` (`OK`, `NOK`) as trytes, two per
/// byte, padded with `9` to 81: the last part of [`claim_result_proof`].
pub fn status_trytes(status: ClaimStatus) -> Hash81 {
    // The bytes mapping of `Trytes::from_ascii`, which cannot refuse these
    // two ASCII words.
    let mut text = Trytes::from_bytes(status.as_str().as_bytes())
        .as_str()
        .to_owned();
    text.push_str(&"9".repeat(81 - text.len()));
    // `OK` and `NOK` are ASCII: 4 or 6 trytes, then nines.
    text.parse().unwrap_or_else(|_| unreachable_padding())
}

/// `Kerl(challenge ‖ secret padded to 81 ‖ sender)`: the one-time mask over
/// the root in `ANSWER_CHALLENGE`.
pub fn root_mask(challenge: &Hash81, secret: &PairingSecret, sender: &Hash81) -> Hash81 {
    kerl::hash81(&[challenge, &secret.padded(), sender])
}

/// `root ⊞ mask`: My Home's root as `ANSWER_CHALLENGE` carries it
/// (`sealedRoot`), with the mask of [`root_mask`].
pub fn seal_root(
    root: &Hash81,
    challenge: &Hash81,
    secret: &PairingSecret,
    sender: &Hash81,
) -> Hash81 {
    combine(root, &root_mask(challenge, secret, sender), 1)
}

/// `sealed ⊟ mask`: the root a `sealedRoot` carries, for the device that
/// issued `challenge` to `sender`. Any secret opens some root: the
/// signed challenge is what tells whether it is the right one.
pub fn open_root(
    sealed: &Hash81,
    challenge: &Hash81,
    secret: &PairingSecret,
    sender: &Hash81,
) -> Hash81 {
    combine(sealed, &root_mask(challenge, secret, sender), 26)
}

/// The value of a tryte character: `9` = 0, `A` = 1 … `Z` = 26.
fn tryte_value(c: u8) -> usize {
    TRYTE_ALPHABET.iter().position(|&t| t == c).unwrap_or(0)
}

/// Tryte-wise `a + factor·b mod 27` (factor 1 adds, 26 subtracts).
fn combine(a: &Hash81, b: &Hash81, factor: usize) -> Hash81 {
    let text: String = a
        .as_str()
        .bytes()
        .zip(b.as_str().bytes())
        .map(|(x, y)| TRYTE_ALPHABET[(tryte_value(x) + factor * tryte_value(y)) % 27] as char)
        .collect();
    // 81 alphabet characters always parse.
    text.parse().unwrap_or_else(|_| unreachable_padding())
}
