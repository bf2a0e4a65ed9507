//! Plain transfers (pairing, `MAM_DATA`) and the device channel's messages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use mam_lib::mam::SideKey;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use crate::seal::SealedBox;
use crate::PolicyId;

/// A message carried by a plain zero-value transfer to an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TransferMessage {
    /// My Home → device: "pair with me", with a proof of the pairing
    /// secret (v2). A claim without `nonce` and `proof` (v1) does not
    /// decode: it is ignored and counted.
    ClaimDevice {
        /// My Home's address, where the challenge goes.
        sender: Hash81,
        /// 81 random trytes, used once: the device answers each nonce once.
        nonce: Hash81,
        /// `Kerl(sender ‖ nonce ‖ secret)`, see [`crate::claim_proof`].
        proof: Hash81,
    },
    /// Device → My Home: prove you know the pairing secret.
    Challenge {
        /// The device's address.
        sender: Hash81,
        /// 81 random trytes, valid for one answer.
        challenge: Hash81,
        /// v2: `Kerl(secret ‖ nonce ‖ challenge)` with the nonce of the
        /// claim it answers, see [`crate::challenge_proof`]. A challenge
        /// without it does not decode.
        proof: Hash81,
    },
    /// My Home → device: the signed challenge, bound to My Home's root,
    /// and the root sealed under the challenge and the secret (v2: the root
    /// is the key of My Home's private channel and never travels in clear).
    #[serde(rename_all = "camelCase")]
    AnswerChallenge {
        /// My Home's address.
        sender: Hash81,
        /// `Kerl(challenge ‖ root ‖ secret)`, see
        /// [`super::signed_challenge`].
        signed_challenge: Hash81,
        /// `root ⊞ Kerl(challenge ‖ secret ‖ sender)`, see
        /// [`super::seal_root`].
        sealed_root: Hash81,
    },
    /// Device → My Home: the outcome of a claim.
    ClaimResult {
        /// `OK` or `NOK`.
        status: ClaimStatus,
        /// Why, in words for the owner.
        reason: String,
        /// The device's address (an addition: lets My Home tell answers of
        /// several devices apart; readers may ignore it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sender: Option<Hash81>,
        /// v2: `Kerl(secret ‖ reference ‖ status)`, where the reference is
        /// the challenge answered or the nonce of the claim refused, see
        /// [`crate::claim_result_proof`]. A result without it does not
        /// decode.
        proof: Hash81,
    },
    /// Device → provider: the keys of the device's channel, sealed to the
    /// provider's NTRU key. v2: no owner root (it would open the owner's
    /// private channel to every provider).
    #[serde(rename_all = "camelCase")]
    MamData {
        /// The policy this consent belongs to.
        policy_id: PolicyId,
        /// A sealed box of a [`KeyBundle`]
        /// (`{"root", "sideKey", "policyId", "requestNonce"}`).
        mam_data: SealedBox,
    },
}

/// The outcome of a claim.
///
/// Its word (`OK`, `NOK`) is both the JSON value and, as trytes, part of
/// the result's proof ([`crate::status_trytes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimStatus {
    /// Paired.
    #[serde(rename = "OK")]
    Ok,
    /// Refused.
    #[serde(rename = "NOK")]
    Nok,
}

impl ClaimStatus {
    /// The word on the wire: `OK` or `NOK`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Ok => "OK",
            ClaimStatus::Nok => "NOK",
        }
    }
}

/// A message on the device's restricted channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeviceMessage {
    /// Meter readings: one or more telegrams, oldest first.
    Data {
        /// The telegrams.
        telegrams: Vec<TelegramRecord>,
    },
    /// A new side key for each provider still authorized, published under
    /// the old key; every later message uses the new one. Empty on a reset.
    KeyRotation {
        /// Provider address → sealed [`RotatedKey`] (`{"sideKey": ...}`).
        keys: BTreeMap<Hash81, SealedBox>,
    },
}

/// One telegram as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TelegramRecord {
    /// The telegram text from `/` to the CRC line.
    pub raw: String,
    /// Reception time.
    pub timestamp: UnixMillis,
}

/// The plaintext sealed in `MAM_DATA`: where to start reading and the key,
/// bound (v2) to the consent it is for, so a box a stranger seals to the
/// provider's public key cannot pass as the device's.
///
/// `Debug` never shows the side key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyBundle {
    /// The device channel root of the first message the provider may read.
    pub root: Hash81,
    /// The channel's side key.
    pub side_key: SideKey,
    /// The policy the keys are for; must equal the outer `policyId`.
    pub policy_id: PolicyId,
    /// The nonce of the provider's consent request, copied from the policy;
    /// absent when the policy carries none (a provider refuses that).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_nonce: Option<Hash81>,
}

/// The plaintext sealed for each provider in a `KEY_ROTATION`.
///
/// `Debug` never shows the side key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RotatedKey {
    /// The new side key.
    pub side_key: SideKey,
}
