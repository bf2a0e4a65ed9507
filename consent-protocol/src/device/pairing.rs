//! Pairing, the device's side: a claim gets a challenge, an answer gets a
//! claim result.
//!
//! A challenge is 81 CSPRNG trytes handed to one claimant and valid for one
//! answer within [`CHALLENGE_TTL`]. An answer must equal
//! `Kerl(challenge ‖ root ‖ secret)` for one of the claimant's open
//! challenges, and any answer uses them all up: an answer cannot be
//! replayed, and a wrong one cannot be retried against the same challenge.

use std::time::Duration;

use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use super::Reset;
use crate::{signed_challenge, ClaimStatus, Outgoing, PairingSecret, TransferMessage};

/// How long a challenge can be answered: one hour.
pub const CHALLENGE_TTL: Duration = Duration::from_secs(60 * 60);

/// Challenges handed out per hour at most, to anyone: each costs proof of
/// work, and a flood of claims must not keep the device from publishing.
pub const MAX_CHALLENGES_PER_HOUR: usize = 30;

/// The window [`MAX_CHALLENGES_PER_HOUR`] counts over.
const RATE_WINDOW: Duration = Duration::from_secs(60 * 60);

/// The reason a `CLAIM_RESULT` `OK` gives.
pub const PAIRED_REASON: &str = "paired: the device follows your channel";

/// The reason a `CLAIM_RESULT` `NOK` gives.
pub const WRONG_ANSWER_REASON: &str =
    "the answer does not match the challenge: check the pairing secret and claim again";

/// A challenge the device handed out and nobody has used yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenChallenge {
    /// The 81 random trytes.
    pub challenge: Hash81,
    /// When it was handed out.
    pub issued_at: UnixMillis,
}

/// The owner a device is paired with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// My Home's address.
    pub address: Hash81,
    /// The root of My Home's private channel (its event store).
    pub root: Hash81,
}

/// What the pairing rules need to know about the device and its state.
#[derive(Debug, Clone, Copy)]
pub struct PairingFacts<'a> {
    /// The device's address (named in its replies).
    pub device: &'a Hash81,
    /// The device's pairing secret.
    pub secret: &'a PairingSecret,
    /// The owner it is paired with now, if any.
    pub owner: Option<&'a Owner>,
    /// The [claimant]'s unused challenges issued since
    /// [`answerable_since`]`(now)` (older ones are not counted anyway).
    pub open_challenges: &'a [OpenChallenge],
    /// Challenges handed out to anyone since [`rate_window_start`]`(now)`.
    pub challenges_this_hour: usize,
}

/// What a transfer at the device address means to the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimDecision {
    /// A claim: keep `challenge` for `claimant` (single use) and send
    /// `reply` (`CHALLENGE`).
    Challenge {
        /// Who claimed.
        claimant: Hash81,
        /// The new challenge.
        challenge: Hash81,
        /// The `CHALLENGE` to send to the claimant.
        reply: Outgoing,
    },
    /// A claimant with an open challenge claimed again: nothing is sent.
    AlreadyChallenged,
    /// Too many challenges this hour: the claim is ignored (and counted as
    /// refused).
    RateLimited,
    /// An answer from someone holding no open challenge: ignored (and
    /// counted as refused).
    Unsolicited,
    /// A wrong answer: `used` are used up, `reply` (`NOK`) is sent, and it
    /// is counted as refused.
    Refused {
        /// The claimant's challenges, now used.
        used: Vec<Hash81>,
        /// The `CLAIM_RESULT` to send.
        reply: Outgoing,
    },
    /// A right answer: `used` are used up, `reply` (`OK`) is sent and the
    /// device follows `owner`'s channel.
    Paired {
        /// The claimant's challenges, now used.
        used: Vec<Hash81>,
        /// The `CLAIM_RESULT` to send.
        reply: Outgoing,
        /// The owner now.
        owner: Owner,
        /// Another owner (or channel) than before: the pairing is stored
        /// afresh and the device resets ([`ClaimDecision::reset`]). The
        /// same owner pairing again keeps its place in the channel.
        new_owner: bool,
    },
    /// Not a message the device takes (counted as invalid).
    NotForDevice,
}

impl ClaimDecision {
    /// A short word for logs and the processed-transfers table.
    pub fn label(&self) -> &'static str {
        match self {
            ClaimDecision::Challenge { .. } => "challenged",
            ClaimDecision::AlreadyChallenged => "already-challenged",
            ClaimDecision::RateLimited => "rate-limited",
            ClaimDecision::Unsolicited => "unsolicited",
            ClaimDecision::Refused { .. } => "refused",
            ClaimDecision::Paired { .. } => "paired",
            ClaimDecision::NotForDevice => "not-for-device",
        }
    }

    /// The reset this decision brings: a new owner starts with no providers
    /// and a side key nobody else holds, as after `DEVICE_ADDED`.
    pub fn reset(&self) -> Option<Reset> {
        match self {
            ClaimDecision::Paired {
                new_owner: true, ..
            } => Some(Reset {
                device_active: true,
            }),
            _ => None,
        }
    }
}

/// The claimant a transfer speaks for, when it is one the device takes (a
/// claim or an answer): whose open challenges [`PairingFacts`] needs.
pub fn claimant(message: &TransferMessage) -> Option<&Hash81> {
    match message {
        TransferMessage::ClaimDevice { sender }
        | TransferMessage::AnswerChallenge { sender, .. } => Some(sender),
        _ => None,
    }
}

/// Challenges issued since this moment can still be answered at `now`.
pub fn answerable_since(now: UnixMillis) -> UnixMillis {
    now.saturating_sub(CHALLENGE_TTL)
}

/// Where the window starts that [`MAX_CHALLENGES_PER_HOUR`] counts over.
pub fn rate_window_start(now: UnixMillis) -> UnixMillis {
    now.saturating_sub(RATE_WINDOW)
}

/// What `message`, read at the device address, means at `now`.
pub fn on_transfer(
    facts: &PairingFacts<'_>,
    message: &TransferMessage,
    now: UnixMillis,
) -> ClaimDecision {
    match message {
        TransferMessage::ClaimDevice { sender } => on_claim(facts, sender, now),
        TransferMessage::AnswerChallenge {
            sender,
            root,
            signed_challenge: answer,
        } => on_answer(facts, sender, root, answer, now),
        _ => ClaimDecision::NotForDevice,
    }
}

/// The claimant's challenges that can still be answered at `now`.
fn open<'a>(facts: &PairingFacts<'a>, now: UnixMillis) -> Vec<&'a OpenChallenge> {
    let since = answerable_since(now);
    facts
        .open_challenges
        .iter()
        .filter(|c| c.issued_at >= since)
        .collect()
}

fn on_claim(facts: &PairingFacts<'_>, claimant: &Hash81, now: UnixMillis) -> ClaimDecision {
    if !open(facts, now).is_empty() {
        return ClaimDecision::AlreadyChallenged;
    }
    if facts.challenges_this_hour >= MAX_CHALLENGES_PER_HOUR {
        return ClaimDecision::RateLimited;
    }
    let challenge = Hash81::random();
    ClaimDecision::Challenge {
        claimant: claimant.clone(),
        challenge: challenge.clone(),
        reply: Outgoing {
            to: claimant.clone(),
            message: TransferMessage::Challenge {
                sender: facts.device.clone(),
                challenge,
            },
        },
    }
}

fn on_answer(
    facts: &PairingFacts<'_>,
    claimant: &Hash81,
    root: &Hash81,
    answer: &Hash81,
    now: UnixMillis,
) -> ClaimDecision {
    let open = open(facts, now);
    if open.is_empty() {
        return ClaimDecision::Unsolicited;
    }
    let matched = open
        .iter()
        .any(|c| &signed_challenge(&c.challenge, root, facts.secret) == answer);
    let used = open.iter().map(|c| c.challenge.clone()).collect();
    let (status, reason) = if matched {
        (ClaimStatus::Ok, PAIRED_REASON)
    } else {
        (ClaimStatus::Nok, WRONG_ANSWER_REASON)
    };
    let reply = Outgoing {
        to: claimant.clone(),
        message: TransferMessage::ClaimResult {
            status,
            reason: reason.to_owned(),
            sender: Some(facts.device.clone()),
        },
    };
    if !matched {
        return ClaimDecision::Refused { used, reply };
    }
    let owner = Owner {
        address: claimant.clone(),
        root: root.clone(),
    };
    let new_owner = facts.owner != Some(&owner);
    ClaimDecision::Paired {
        used,
        reply,
        owner,
        new_owner,
    }
}
