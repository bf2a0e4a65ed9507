//! Pairing, the device's side (protocol v2): a claim that proves the
//! secret gets a challenge, a right answer pairs.
//!
//! - A `CLAIM_DEVICE` is answered only when its proof
//!   `Kerl(sender ‖ nonce ‖ secret)` verifies and its nonce was never seen;
//!   anything else is ignored and counted and costs no challenge, so a
//!   stranger cannot spend the hourly budget.
//! - A challenge is 81 CSPRNG trytes handed to one claimant, valid for one
//!   answer within [`CHALLENGE_TTL`].
//! - An `ANSWER_CHALLENGE` pairs when `Kerl(challenge ‖ root ‖ secret)`
//!   matches, for the root it carries sealed, one of the claimant's open
//!   challenges; that uses them all up. A wrong answer uses nothing and is
//!   not answered (a forged answer in the owner's name must not burn the
//!   owner's challenge, nor send the owner a `NOK`).
//! - Pairing draws a new secret (the old one is dead), and while the
//!   device has an owner every claim that proves the current secret gets
//!   `NOK` `already paired`, until `DEVICE_DELETED` or a local unpair.
//! - Every reply proves the secret the claimant proved, as the claim and
//!   answer do: a `CHALLENGE` carries `Kerl(secret ‖ nonce ‖ challenge)`,
//!   a `CLAIM_RESULT` `Kerl(secret ‖ reference ‖ status)` with the
//!   challenge answered or the claim nonce refused as reference. The owner's
//!   address is public (it is the claim's `sender`), so without these anyone
//!   could send the owner a challenge or a result.

use std::time::Duration;

use mam_lib::seed::{try_random_trytes, RandomError};
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use super::Reset;
use crate::{
    challenge_proof, claim_proof, claim_result_proof, open_root, signed_challenge, ClaimStatus,
    Outgoing, PairingSecret, TransferMessage,
};

/// How long a challenge can be answered: one hour.
pub const CHALLENGE_TTL: Duration = Duration::from_secs(60 * 60);

/// Pairing replies (challenges, and `already paired` refusals) per hour at
/// most, to anyone: each costs proof of work, and a flood of claims must
/// not keep the device from publishing.
pub const MAX_CHALLENGES_PER_HOUR: usize = 30;

/// The window [`MAX_CHALLENGES_PER_HOUR`] counts over.
const RATE_WINDOW: Duration = Duration::from_secs(60 * 60);

/// The reason a `CLAIM_RESULT` `OK` gives.
pub const PAIRED_REASON: &str = "paired: the device follows your channel";

/// The reason a `CLAIM_RESULT` `NOK` gives to a claim while the device has
/// an owner.
pub const ALREADY_PAIRED_REASON: &str = "already paired";

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
    /// Whether that owner has the device (`false` after `DEVICE_DELETED`:
    /// the device takes claims again).
    pub owner_active: bool,
    /// Whether the nonce of the claim asked about was seen before (a claim
    /// is answered once per nonce).
    pub nonce_seen: bool,
    /// The [claimant]'s unused challenges issued since
    /// [`answerable_since`]`(now)` (older ones are not counted anyway).
    pub open_challenges: &'a [OpenChallenge],
    /// Pairing replies that cost proof of work (challenges and
    /// `CLAIM_RESULT`s) sent to anyone since [`rate_window_start`]`(now)`.
    pub challenges_this_hour: usize,
}

/// Why a claim or an answer is ignored without a reply (each is counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimIgnored {
    /// A claim whose proof does not verify with the current secret (a
    /// stranger, an old secret, or a v1 claim).
    BadProof,
    /// A claim whose nonce was answered before (a replay).
    NonceReused,
    /// Too many challenges this hour.
    RateLimited,
    /// An answer from someone holding no open challenge.
    Unsolicited,
    /// An answer that matches none of the claimant's challenges: a forgery
    /// (whoever knows the secret answers right). Nothing is used up.
    WrongAnswer,
}

impl ClaimIgnored {
    /// A short word for logs and the processed-transfers table.
    pub fn label(self) -> &'static str {
        match self {
            ClaimIgnored::BadProof => "bad-proof",
            ClaimIgnored::NonceReused => "nonce-reused",
            ClaimIgnored::RateLimited => "rate-limited",
            ClaimIgnored::Unsolicited => "unsolicited",
            ClaimIgnored::WrongAnswer => "wrong-answer",
        }
    }
}

/// What a transfer at the device address means to the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimDecision {
    /// A claim with a valid proof: keep `nonce` as seen, keep `challenge`
    /// for `claimant` (single use) and send `reply` (`CHALLENGE`).
    Challenge {
        /// Who claimed.
        claimant: Hash81,
        /// The claim's nonce, never answered again.
        nonce: Hash81,
        /// The new challenge.
        challenge: Hash81,
        /// The `CHALLENGE` to send to the claimant.
        reply: Outgoing,
    },
    /// A claimant with an open challenge claimed again: keep `nonce` as
    /// seen; nothing is sent.
    AlreadyChallenged {
        /// The claim's nonce.
        nonce: Hash81,
    },
    /// A claim with a valid proof while the device has an active owner:
    /// keep `nonce` as seen and send `reply` (`NOK` `already paired`).
    /// Counted as refused.
    AlreadyPaired {
        /// The claim's nonce.
        nonce: Hash81,
        /// The `CLAIM_RESULT` to send.
        reply: Outgoing,
    },
    /// Ignored: nothing is kept or sent; counted as refused.
    Ignored(ClaimIgnored),
    /// A right answer after the device got an owner from another claim:
    /// `used` are used up and `reply` (`NOK` `already paired`) is sent.
    /// Counted as refused.
    Refused {
        /// The claimant's challenges, now used.
        used: Vec<Hash81>,
        /// The `CLAIM_RESULT` to send.
        reply: Outgoing,
    },
    /// A right answer: `used` are used up, `reply` (`OK`) is sent, the
    /// device follows `owner`'s channel and takes `new_secret` as its
    /// pairing secret (the one just proven is dead).
    Paired {
        /// The claimant's challenges, now used.
        used: Vec<Hash81>,
        /// The `CLAIM_RESULT` to send.
        reply: Outgoing,
        /// The owner now.
        owner: Owner,
        /// Another owner (or channel) than before: the pairing is stored
        /// afresh and the device resets ([`ClaimDecision::reset`]). The
        /// same owner pairing again after `DEVICE_DELETED` keeps its place
        /// in the channel.
        new_owner: bool,
        /// The device's pairing secret from now on.
        new_secret: PairingSecret,
    },
    /// Not a message the device takes (counted as invalid).
    NotForDevice,
}

impl ClaimDecision {
    /// A short word for logs and the processed-transfers table.
    pub fn label(&self) -> &'static str {
        match self {
            ClaimDecision::Challenge { .. } => "challenged",
            ClaimDecision::AlreadyChallenged { .. } => "already-challenged",
            ClaimDecision::AlreadyPaired { .. } => "already-paired",
            ClaimDecision::Ignored(why) => why.label(),
            ClaimDecision::Refused { .. } => "refused",
            ClaimDecision::Paired { .. } => "paired",
            ClaimDecision::NotForDevice => "not-for-device",
        }
    }

    /// The nonce of a claim the device must never answer again, if any.
    pub fn seen_nonce(&self) -> Option<&Hash81> {
        match self {
            ClaimDecision::Challenge { nonce, .. }
            | ClaimDecision::AlreadyChallenged { nonce }
            | ClaimDecision::AlreadyPaired { nonce, .. } => Some(nonce),
            _ => None,
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
                pin_security: None,
            }),
            _ => None,
        }
    }
}

/// The claimant a transfer speaks for, when it is one the device takes (a
/// claim or an answer): whose open challenges [`PairingFacts`] needs.
pub fn claimant(message: &TransferMessage) -> Option<&Hash81> {
    match message {
        TransferMessage::ClaimDevice { sender, .. }
        | TransferMessage::AnswerChallenge { sender, .. } => Some(sender),
        _ => None,
    }
}

/// The nonce of a claim, whose reuse [`PairingFacts::nonce_seen`] reports.
pub fn claim_nonce(message: &TransferMessage) -> Option<&Hash81> {
    match message {
        TransferMessage::ClaimDevice { nonce, .. } => Some(nonce),
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

/// What `message`, read at the device address, means at `now`. Fails only
/// when the CSPRNG does (a challenge or a new secret cannot be drawn).
pub fn on_transfer(
    facts: &PairingFacts<'_>,
    message: &TransferMessage,
    now: UnixMillis,
) -> Result<ClaimDecision, RandomError> {
    match message {
        TransferMessage::ClaimDevice {
            sender,
            nonce,
            proof,
        } => on_claim(facts, sender, nonce, proof, now),
        TransferMessage::AnswerChallenge {
            sender,
            signed_challenge: answer,
            sealed_root,
        } => on_answer(facts, sender, sealed_root, answer, now),
        _ => Ok(ClaimDecision::NotForDevice),
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

/// Whether the device has an owner that has not deleted it.
fn has_active_owner(facts: &PairingFacts<'_>) -> bool {
    facts.owner.is_some() && facts.owner_active
}

/// A `CLAIM_RESULT` to `to`, proven under the secret the claimant proved
/// (`facts.secret`, before any new one is drawn) and bound to `reference`:
/// the challenge answered, or the nonce of the claim refused.
fn result(
    facts: &PairingFacts<'_>,
    to: &Hash81,
    reference: &Hash81,
    status: ClaimStatus,
    reason: &str,
) -> Outgoing {
    Outgoing {
        to: to.clone(),
        message: TransferMessage::ClaimResult {
            status,
            reason: reason.to_owned(),
            sender: Some(facts.device.clone()),
            proof: claim_result_proof(reference, status, facts.secret),
        },
    }
}

fn on_claim(
    facts: &PairingFacts<'_>,
    claimant: &Hash81,
    nonce: &Hash81,
    proof: &Hash81,
    now: UnixMillis,
) -> Result<ClaimDecision, RandomError> {
    // The proof first: an unproven claim gets nothing, not even a `NOK`
    // (each reply costs proof of work, and a reply would be an oracle).
    if &claim_proof(claimant, nonce, facts.secret) != proof {
        return Ok(ClaimDecision::Ignored(ClaimIgnored::BadProof));
    }
    if facts.nonce_seen {
        return Ok(ClaimDecision::Ignored(ClaimIgnored::NonceReused));
    }
    let nonce = nonce.clone();
    // Whoever holds the current secret (it is on the device's screen)
    // must not make it do unbounded proof of work either.
    if facts.challenges_this_hour >= MAX_CHALLENGES_PER_HOUR {
        return Ok(ClaimDecision::Ignored(ClaimIgnored::RateLimited));
    }
    if has_active_owner(facts) {
        return Ok(ClaimDecision::AlreadyPaired {
            reply: result(
                facts,
                claimant,
                &nonce,
                ClaimStatus::Nok,
                ALREADY_PAIRED_REASON,
            ),
            nonce,
        });
    }
    if !open(facts, now).is_empty() {
        return Ok(ClaimDecision::AlreadyChallenged { nonce });
    }
    let challenge = Hash81::from_trytes(try_random_trytes(81)?)
        .map_err(|error| RandomError::other(format!("drew a wrong challenge: {error}")))?;
    let reply = Outgoing {
        to: claimant.clone(),
        message: TransferMessage::Challenge {
            sender: facts.device.clone(),
            proof: challenge_proof(&nonce, &challenge, facts.secret),
            challenge: challenge.clone(),
        },
    };
    Ok(ClaimDecision::Challenge {
        claimant: claimant.clone(),
        nonce,
        challenge,
        reply,
    })
}

fn on_answer(
    facts: &PairingFacts<'_>,
    claimant: &Hash81,
    sealed_root: &Hash81,
    answer: &Hash81,
    now: UnixMillis,
) -> Result<ClaimDecision, RandomError> {
    let open = open(facts, now);
    if open.is_empty() {
        return Ok(ClaimDecision::Ignored(ClaimIgnored::Unsolicited));
    }
    let matched = open.iter().find_map(|c| {
        let root = open_root(sealed_root, &c.challenge, facts.secret, claimant);
        (&signed_challenge(&c.challenge, &root, facts.secret) == answer).then_some((c, root))
    });
    let Some((answered, root)) = matched else {
        return Ok(ClaimDecision::Ignored(ClaimIgnored::WrongAnswer));
    };
    let used = open.iter().map(|c| c.challenge.clone()).collect();
    if has_active_owner(facts) {
        return Ok(ClaimDecision::Refused {
            used,
            reply: result(
                facts,
                claimant,
                &answered.challenge,
                ClaimStatus::Nok,
                ALREADY_PAIRED_REASON,
            ),
        });
    }
    let owner = Owner {
        address: claimant.clone(),
        root,
    };
    let new_owner = facts.owner != Some(&owner);
    Ok(ClaimDecision::Paired {
        used,
        reply: result(
            facts,
            claimant,
            &answered.challenge,
            ClaimStatus::Ok,
            PAIRED_REASON,
        ),
        owner,
        new_owner,
        new_secret: PairingSecret::random()?,
    })
}
