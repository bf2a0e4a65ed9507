//! Pairing, the device's side: claims and answers arriving at the device
//! address become challenges and claim results.
//!
//! A challenge is 81 CSPRNG trytes, handed to one claimant, valid for one
//! answer within [`CHALLENGE_TTL`]. An answer must equal
//! `Kerl(challenge ‖ root ‖ secret)` for one of the claimant's open
//! challenges; any answer uses up the claimant's open challenges, so an
//! answer cannot be replayed and a wrong one cannot be retried against the
//! same challenge.

use std::time::Duration;

use consent_protocol::{encode_transfer, signed_challenge, ClaimStatus, TransferMessage};
use mam_lib::seed::random_trytes;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use crate::store::{Counter, Db, Identity, StoreError, TransferPurpose};

/// How long a challenge can be answered: 1 hour.
pub const CHALLENGE_TTL: Duration = Duration::from_secs(60 * 60);

/// Challenges handed out per hour at most: each costs proof of work, and a
/// flood of claims must not keep the device from publishing.
pub const MAX_CHALLENGES_PER_HOUR: i64 = 30;

/// What became of one transfer at the device address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// A challenge was queued for the claimant.
    Challenged,
    /// A claimant with an open challenge claimed again: nothing sent.
    AlreadyChallenged,
    /// Too many claims this hour: ignored.
    RateLimited,
    /// Paired with the owner whose channel starts at `root`.
    Paired {
        /// My Home's channel root.
        root: Hash81,
        /// Whether it is another owner (or channel) than before.
        new_owner: bool,
    },
    /// An answer that matched no open challenge: `NOK` sent.
    Refused,
    /// An answer from someone never challenged: ignored.
    Unsolicited,
    /// Not a message the device takes.
    NotForDevice,
}

impl ClaimOutcome {
    /// A short word for the processed-transfers table and logs.
    pub fn label(&self) -> &'static str {
        match self {
            ClaimOutcome::Challenged => "challenged",
            ClaimOutcome::AlreadyChallenged => "already-challenged",
            ClaimOutcome::RateLimited => "rate-limited",
            ClaimOutcome::Paired { .. } => "paired",
            ClaimOutcome::Refused => "refused",
            ClaimOutcome::Unsolicited => "unsolicited",
            ClaimOutcome::NotForDevice => "not-for-device",
        }
    }
}

/// Handles one decoded message at the device address. Call inside a
/// transaction; the caller resets the channel on a new pairing.
pub fn handle_claim(
    db: &Db<'_>,
    identity: &Identity,
    message: &TransferMessage,
    now: UnixMillis,
) -> Result<ClaimOutcome, StoreError> {
    match message {
        TransferMessage::ClaimDevice { sender } => challenge(db, identity, sender, now),
        TransferMessage::AnswerChallenge {
            sender,
            root,
            signed_challenge: answer,
        } => answer_challenge(db, identity, sender, root, answer, now),
        _ => {
            db.count(Counter::InvalidTransfers, 1)?;
            Ok(ClaimOutcome::NotForDevice)
        }
    }
}

fn challenge(
    db: &Db<'_>,
    identity: &Identity,
    claimant: &Hash81,
    now: UnixMillis,
) -> Result<ClaimOutcome, StoreError> {
    let since = now.saturating_sub(CHALLENGE_TTL);
    if !db.open_challenges(claimant, since)?.is_empty() {
        return Ok(ClaimOutcome::AlreadyChallenged);
    }
    if db.challenges_since(now.saturating_sub(Duration::from_secs(60 * 60)))?
        >= MAX_CHALLENGES_PER_HOUR
    {
        db.count(Counter::RefusedClaims, 1)?;
        return Ok(ClaimOutcome::RateLimited);
    }
    let challenge =
        Hash81::from_trytes(random_trytes(81)).map_err(|e| StoreError::corrupt("challenge", e))?;
    db.add_challenge(&challenge, claimant, now)?;
    let message = TransferMessage::Challenge {
        sender: identity.address.clone(),
        challenge,
    };
    db.queue_transfer(
        TransferPurpose::Challenge,
        claimant,
        &encode_transfer(&message),
        now,
    )?;
    Ok(ClaimOutcome::Challenged)
}

fn answer_challenge(
    db: &Db<'_>,
    identity: &Identity,
    claimant: &Hash81,
    root: &Hash81,
    answer: &Hash81,
    now: UnixMillis,
) -> Result<ClaimOutcome, StoreError> {
    let open = db.open_challenges(claimant, now.saturating_sub(CHALLENGE_TTL))?;
    if open.is_empty() {
        db.count(Counter::RefusedClaims, 1)?;
        return Ok(ClaimOutcome::Unsolicited);
    }
    let matched = open
        .iter()
        .any(|c| &signed_challenge(&c.challenge, root, &identity.pairing_secret) == answer);
    for challenge in &open {
        db.use_challenge(&challenge.challenge)?;
    }
    let result = TransferMessage::ClaimResult {
        status: if matched {
            ClaimStatus::Ok
        } else {
            ClaimStatus::Nok
        },
        reason: if matched {
            "paired: the device follows your channel".into()
        } else {
            "the answer does not match the challenge: check the pairing secret and claim again"
                .into()
        },
        sender: Some(identity.address.clone()),
    };
    db.queue_transfer(
        TransferPurpose::ClaimResult,
        claimant,
        &encode_transfer(&result),
        now,
    )?;
    if !matched {
        db.count(Counter::RefusedClaims, 1)?;
        return Ok(ClaimOutcome::Refused);
    }
    let previous = db.pairing()?;
    let new_owner = previous
        .as_ref()
        .map(|p| &p.root != root || &p.owner != claimant)
        .unwrap_or(true);
    if new_owner {
        db.set_pairing(claimant, root, now)?;
    }
    Ok(ClaimOutcome::Paired {
        root: root.clone(),
        new_owner,
    })
}
