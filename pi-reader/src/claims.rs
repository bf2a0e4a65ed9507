//! Pairing, the device's side, applied: what `consent_protocol::device`
//! decides about a transfer at the device address (a claim gets a
//! challenge, an answer a claim result) is kept in the state file, in the
//! caller's transaction.

use consent_protocol::device::{self, ClaimDecision, PairingFacts};
use consent_protocol::{decode, TransferMessage};
use mam_lib::ternary::Trytes;
use mam_lib::time::UnixMillis;

use crate::consent::reset;
use crate::rotation::RotationError;
use crate::store::{Counter, Db, Identity, StoreError, TransferPurpose};

/// Handles one transfer read at the device address, as it was read. Call
/// inside a transaction.
pub fn handle_transfer(
    db: &Db<'_>,
    identity: &Identity,
    message: &Trytes,
    now: UnixMillis,
) -> Result<ClaimDecision, RotationError> {
    match decode::<TransferMessage>(message) {
        Ok(message) => handle_claim(db, identity, &message, now),
        Err(_) => {
            db.count(Counter::InvalidTransfers, 1)?;
            Ok(ClaimDecision::NotForDevice)
        }
    }
}

/// Handles one decoded message at the device address: decides with the
/// device's pairing rules, then applies the decision (a new owner resets
/// the device). Call inside a transaction.
pub fn handle_claim(
    db: &Db<'_>,
    identity: &Identity,
    message: &TransferMessage,
    now: UnixMillis,
) -> Result<ClaimDecision, RotationError> {
    let decision = decide(db, identity, message, now)?;
    apply(db, &decision, now)?;
    if let Some(change) = decision.reset() {
        reset(db, identity, change, now)?;
    }
    Ok(decision)
}

/// Reads the facts the pairing rules need and asks them.
fn decide(
    db: &Db<'_>,
    identity: &Identity,
    message: &TransferMessage,
    now: UnixMillis,
) -> Result<ClaimDecision, StoreError> {
    let Some(claimant) = device::claimant(message) else {
        return Ok(ClaimDecision::NotForDevice);
    };
    let open = db.open_challenges(claimant, device::answerable_since(now))?;
    let this_hour = db.challenges_since(device::rate_window_start(now))?;
    let owner = db.pairing()?.map(|pairing| pairing.owner());
    let facts = PairingFacts {
        device: &identity.address,
        secret: &identity.pairing_secret,
        owner: owner.as_ref(),
        open_challenges: &open,
        challenges_this_hour: usize::try_from(this_hour).unwrap_or(usize::MAX),
    };
    Ok(device::on_transfer(&facts, message, now))
}

/// Keeps what `decision` changes (besides the reset).
fn apply(db: &Db<'_>, decision: &ClaimDecision, now: UnixMillis) -> Result<(), StoreError> {
    match decision {
        ClaimDecision::Challenge {
            claimant,
            challenge,
            reply,
        } => {
            db.add_challenge(challenge, claimant, now)?;
            db.queue_outgoing(TransferPurpose::Challenge, reply, now)?;
        }
        ClaimDecision::AlreadyChallenged => {}
        ClaimDecision::RateLimited | ClaimDecision::Unsolicited => {
            db.count(Counter::RefusedClaims, 1)?;
        }
        ClaimDecision::Refused { used, reply } => {
            for challenge in used {
                db.use_challenge(challenge)?;
            }
            db.queue_outgoing(TransferPurpose::ClaimResult, reply, now)?;
            db.count(Counter::RefusedClaims, 1)?;
        }
        ClaimDecision::Paired {
            used,
            reply,
            owner,
            new_owner,
        } => {
            for challenge in used {
                db.use_challenge(challenge)?;
            }
            db.queue_outgoing(TransferPurpose::ClaimResult, reply, now)?;
            if *new_owner {
                db.set_pairing(&owner.address, &owner.root, now)?;
            }
        }
        ClaimDecision::NotForDevice => db.count(Counter::InvalidTransfers, 1)?,
    }
    Ok(())
}
