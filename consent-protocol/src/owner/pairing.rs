//! Pairing, the owner's side (protocol v2): a claim with a proof of the
//! secret, the answer to the device's challenge with the root sealed, and
//! its result.
//!
//! The owner's address is public (it is the claim's `sender`), so anyone
//! can send it a `CHALLENGE` or a `CLAIM_RESULT`. The claim takes only those
//! that prove the secret it proved, bound to its own claim nonce or
//! challenge; it ignores, with a reason, every other: a forged challenge
//! answered first would block the real one, a forged `NOK` would end the
//! claim, a forged `OK` would have the owner add a device that does not
//! follow it.

use mam_lib::seed::{try_random_trytes, RandomError};
use mam_lib::ternary::Hash81;

use crate::{
    challenge_proof, claim_proof, claim_result_proof, seal_root, signed_challenge, ClaimStatus,
    Outgoing, PairingSecret, TransferMessage,
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
    /// Not for this claim, not now, or not proven by the device: nothing
    /// to do.
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
    /// The claim's nonce: the device's challenge, and a refusal of the
    /// claim itself, prove the secret bound to it.
    nonce: Hash81,
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
                nonce: nonce.clone(),
            },
        };
        (
            Claim {
                owner,
                root,
                device,
                secret,
                nonce,
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

    /// Takes one message read at the owner's address. A `CHALLENGE` or a
    /// `CLAIM_RESULT` is taken only when its proof verifies under the
    /// secret and this claim's nonce (a challenge, a refusal of the claim)
    /// or the challenge answered (a result of the answer).
    pub fn on_message(&mut self, message: &TransferMessage) -> ClaimStep {
        match message {
            TransferMessage::Challenge {
                sender,
                challenge,
                proof,
            } => {
                if sender != &self.device {
                    return ClaimStep::Ignored("a challenge from another device");
                }
                // Before the state: a forged challenge must not be answered
                // in place of the device's, nor hide it.
                if proof != &challenge_proof(&self.nonce, challenge, &self.secret) {
                    return ClaimStep::Ignored("a challenge whose proof does not verify");
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
                proof,
            } => {
                // Devices name themselves in results; the proof, not the
                // sender, tells this device's results apart.
                if sender.as_ref().is_some_and(|s| s != &self.device) {
                    return ClaimStep::Ignored("a result from another device");
                }
                // A result answers the challenge answered; before any
                // challenge only a refusal of the claim (`already paired`,
                // v2) can come, bound to the claim nonce.
                let reference = match (&self.state, status) {
                    (ClaimState::AwaitingResult { challenge }, _) => challenge,
                    (ClaimState::AwaitingChallenge, ClaimStatus::Nok) => &self.nonce,
                    _ => return ClaimStep::Ignored("no answer is waiting for a result"),
                };
                if proof != &claim_result_proof(reference, *status, &self.secret) {
                    return ClaimStep::Ignored("a result whose proof does not verify");
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
