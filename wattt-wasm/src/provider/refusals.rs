//! Why something at Wattt's address did not become a connection: typed,
//! and counted, never a crash (anyone can send anything to an address).

use consent_protocol::provider::OpenError;
use serde::{Deserialize, Serialize};

/// Why one transfer at the address was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Not a protocol message at all (garbage, or another app's transfer).
    #[error("not a protocol message")]
    Undecodable,
    /// A protocol message, but not `MAM_DATA`.
    #[error("not a MAM_DATA message")]
    NotMamData,
    /// The box does not open with Wattt's key pair: sealed to another
    /// provider, or changed on the way.
    #[error("sealed to another key, or changed on the way")]
    NotOurs,
    /// It opens, but holds no root, side key and policy id.
    #[error("the sealed box holds no channel keys")]
    NotKeys,
    /// The sealed policy id is not the one next to the box.
    #[error("the sealed policy id is not the outer one")]
    PolicyMismatch,
    /// The box names no request nonce.
    #[error("the sealed keys name no request nonce")]
    MissingRequestNonce,
    /// The box names a nonce Wattt never issued.
    #[error("the sealed request nonce is none Wattt issued")]
    UnknownRequestNonce,
    /// Keys for a policy Wattt already holds a connection for.
    #[error("keys for a policy already held")]
    Duplicate,
}

impl From<&OpenError> for Refusal {
    fn from(error: &OpenError) -> Refusal {
        match error {
            OpenError::NotMamData => Refusal::NotMamData,
            OpenError::Seal(_) => Refusal::NotOurs,
            OpenError::Keys(_) => Refusal::NotKeys,
            OpenError::PolicyMismatch { .. } => Refusal::PolicyMismatch,
            OpenError::MissingRequestNonce => Refusal::MissingRequestNonce,
            OpenError::UnknownRequestNonce => Refusal::UnknownRequestNonce,
        }
    }
}

/// How many transfers were refused, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Refusals {
    undecodable: usize,
    not_mam_data: usize,
    not_ours: usize,
    not_keys: usize,
    policy_mismatch: usize,
    missing_request_nonce: usize,
    unknown_request_nonce: usize,
    duplicate: usize,
}

impl Refusals {
    /// Counts one refusal.
    pub fn add(&mut self, refusal: Refusal) {
        *self.slot(refusal) += 1;
    }

    /// How many were refused for `refusal`.
    pub fn count(&self, refusal: Refusal) -> usize {
        let mut copy = *self;
        *copy.slot(refusal)
    }

    /// How many were refused in all.
    pub fn total(&self) -> usize {
        self.undecodable
            + self.not_mam_data
            + self.not_ours
            + self.not_keys
            + self.policy_mismatch
            + self.missing_request_nonce
            + self.unknown_request_nonce
            + self.duplicate
    }

    fn slot(&mut self, refusal: Refusal) -> &mut usize {
        match refusal {
            Refusal::Undecodable => &mut self.undecodable,
            Refusal::NotMamData => &mut self.not_mam_data,
            Refusal::NotOurs => &mut self.not_ours,
            Refusal::NotKeys => &mut self.not_keys,
            Refusal::PolicyMismatch => &mut self.policy_mismatch,
            Refusal::MissingRequestNonce => &mut self.missing_request_nonce,
            Refusal::UnknownRequestNonce => &mut self.unknown_request_nonce,
            Refusal::Duplicate => &mut self.duplicate,
        }
    }
}
