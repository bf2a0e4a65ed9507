//! Pairing, the owner's side (protocol v2): a claim with a proof of the
//! secret, the answer to the device's challenge with the root sealed, and
//! its result.

use mam_lib::seed::{try_random_trytes, RandomError};
use mam_lib::ternary::Hash81;

use crate::{
    claim_proof, seal_root, signed_challenge, ClaimStatus, Outgoing, PairingSecret, TransferMessage,
};

/// Where a claim stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimState {
    /// `CLAIM_DEVICE` sent; waiting for the device's challenge.
    AwaitingChallenge,
    /// The challenge answered; waiting for the result.
    AwaitingResult {
        /// The challenge answered.
        challenge: Hash81,
    },
    /// The device follows the owner's channel.
    Paired,
    /// The device refused the answer.
    Refused {
        /// The device's reason.
        reason: String,
    },
}

/// What one message read at the owner's address does to a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimStep {
    /// The device's challenge: send this `ANSWER_CHALLENGE` to the device.
    Answer {
        /// The challenge answered.
        challenge: Hash81,
        /// The answer.
        answer: Outgoing,
    },
    /// The device accepted the answer.
    Paired,
    /// The device refused the answer (the secret was wrong, or the
    /// challenge expired or was used).
    Refused {
        /// The device's reason.
        reason: String,
    },
    /// Not for this claim, or not now: nothing to do.
    Ignored(&'static str),
}

/// One owner claiming one device, from `CLAIM_DEVICE` to the result.
///
/// The pairing secret (read off the device by its owner) stays inside;
/// `Debug` does not show it.
#[derive(Debug, Clone)]
pub struct Claim {
    owner: Hash81,
    root: Hash81,
    device: Hash81,
    secret: PairingSecret,
    state: ClaimState,
}

impl Claim {
    /// Starts a claim of `device` by the owner at `owner` whose event
    /// channel starts at `root`, with the device's pairing `secret`; returns
    /// the claim and the `CLAIM_DEVICE` to send (a fresh nonce and its
    /// proof). Fails only when the CSPRNG does.
    pub fn start(
        owner: Hash81,
        root: Hash81,
        device: Hash81,
        secret: PairingSecret,
    ) -> Result<(Claim, Outgoing), RandomError> {
        let nonce = Hash81::from_trytes(try_random_trytes(81)?)
            .map_err(|error| RandomError::other(format!("drew a wrong nonce: {error}")))?;
        Ok(Claim::start_with_nonce(owner, root, device, secret, nonce))
    }

    /// [`start`](Self::start) with a given `nonce` (known-answer tests; a
    /// real claim takes a fresh random one, as the device answers each
    /// nonce once).
    pub fn start_with_nonce(
        owner: Hash81,
        root: Hash81,
        device: Hash81,
        secret: PairingSecret,
        nonce: Hash81,
    ) -> (Claim, Outgoing) {
        let claim = Outgoing {
            to: device.clone(),
            message: TransferMessage::ClaimDevice {
                sender: owner.clone(),
                proof: claim_proof(&owner, &nonce, &secret),
                nonce,
            },
        };
        (
            Claim {
                owner,
                root,
                device,
                secret,
                state: ClaimState::AwaitingChallenge,
            },
            claim,
        )
    }

    /// The device claimed.
    pub fn device(&self) -> &Hash81 {
        &self.device
    }

    /// Where the claim stands.
    pub fn state(&self) -> &ClaimState {
        &self.state
    }

    /// Takes one message read at the owner's address.
    pub fn on_message(&mut self, message: &TransferMessage) -> ClaimStep {
        match message {
            TransferMessage::Challenge { sender, challenge } => {
                if sender != &self.device {
                    return ClaimStep::Ignored("a challenge from another device");
                }
                if self.state != ClaimState::AwaitingChallenge {
                    return ClaimStep::Ignored("a challenge was answered already");
                }
                self.answer(challenge)
            }
            TransferMessage::ClaimResult {
                status,
                reason,
                sender,
            } => {
                // Devices name themselves in results; results without a
                // sender (older devices) are taken as this device's.
                if sender.as_ref().is_some_and(|s| s != &self.device) {
                    return ClaimStep::Ignored("a result from another device");
                }
                // A claim is refused outright (`already paired`, v2)
                // before any challenge; an `OK` only ends an answer.
                let refused_claim =
                    self.state == ClaimState::AwaitingChallenge && *status == ClaimStatus::Nok;
                if !matches!(self.state, ClaimState::AwaitingResult { .. }) && !refused_claim {
                    return ClaimStep::Ignored("no answer is waiting for a result");
                }
                match status {
                    ClaimStatus::Ok => {
                        self.state = ClaimState::Paired;
                        ClaimStep::Paired
                    }
                    ClaimStatus::Nok => {
                        self.state = ClaimState::Refused {
                            reason: reason.clone(),
                        };
                        ClaimStep::Refused {
                            reason: reason.clone(),
                        }
                    }
                }
            }
            _ => ClaimStep::Ignored("not a pairing message for the owner"),
        }
    }

    fn answer(&mut self, challenge: &Hash81) -> ClaimStep {
        self.state = ClaimState::AwaitingResult {
            challenge: challenge.clone(),
        };
        ClaimStep::Answer {
            challenge: challenge.clone(),
            answer: Outgoing {
                to: self.device.clone(),
                message: TransferMessage::AnswerChallenge {
                    sender: self.owner.clone(),
                    signed_challenge: signed_challenge(challenge, &self.root, &self.secret),
                    sealed_root: seal_root(&self.root, challenge, &self.secret, &self.owner),
                },
            },
        }
    }
}
