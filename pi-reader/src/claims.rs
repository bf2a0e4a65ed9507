//! Pairing, the device's side, applied: what `consent_protocol::device`
//! decides about a transfer at the device address (a proven claim gets a
//! challenge, a right answer pairs and draws a new secret) is kept in the
//! state file, in the caller's transaction; and the local unpair.
//!
//! The pairing secret is read from the state file in that transaction,
//! not from the caller's copy of the identity: a pairing or an `unpair`
//! (another process) replaces it.

use consent_protocol::device::{self, ClaimDecision, PairingFacts, Reset};
use consent_protocol::{decode, PairingSecret, TransferMessage};
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
) -> Result<ClaimDecision, RotationError> {
    let Some(claimant) = device::claimant(message) else {
        return Ok(ClaimDecision::NotForDevice);
    };
    let open = db.open_challenges(claimant, device::answerable_since(now))?;
    let this_hour = db.pairing_replies_since(device::rate_window_start(now))?;
    let owner = db.pairing()?.map(|pairing| pairing.owner());
    let secret = db
        .identity()?
        .map(|stored| stored.pairing_secret)
        .unwrap_or_else(|| identity.pairing_secret.clone());
    let nonce_seen = match device::claim_nonce(message) {
        Some(nonce) => db.claim_nonce_seen(nonce)?,
        None => false,
    };
    let facts = PairingFacts {
        device: &identity.address,
        secret: &secret,
        owner: owner.as_ref(),
        owner_active: db.device_active()?,
        nonce_seen,
        open_challenges: &open,
        challenges_this_hour: usize::try_from(this_hour).unwrap_or(usize::MAX),
    };
    Ok(device::on_transfer(&facts, message, now)?)
}

/// Keeps what `decision` changes (besides the reset).
fn apply(db: &Db<'_>, decision: &ClaimDecision, now: UnixMillis) -> Result<(), StoreError> {
    if let Some(nonce) = decision.seen_nonce() {
        db.add_claim_nonce(nonce, now)?;
    }
    match decision {
        ClaimDecision::Challenge {
            claimant,
            challenge,
            reply,
            ..
        } => {
            db.add_challenge(challenge, claimant, now)?;
            db.queue_outgoing(TransferPurpose::Challenge, reply, now)?;
        }
        ClaimDecision::AlreadyChallenged { .. } => {}
        ClaimDecision::AlreadyPaired { reply, .. } => {
            db.queue_outgoing(TransferPurpose::ClaimResult, reply, now)?;
            db.count(Counter::RefusedClaims, 1)?;
        }
        ClaimDecision::Ignored(_) => db.count(Counter::RefusedClaims, 1)?,
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
            new_secret,
        } => {
            for challenge in used {
                db.use_challenge(challenge)?;
            }
            db.queue_outgoing(TransferPurpose::ClaimResult, reply, now)?;
            if *new_owner {
                db.set_pairing(&owner.address, &owner.root, now)?;
            }
            // The secret just proven is dead; the owner has the device.
            db.set_pairing_secret(new_secret)?;
            db.set_device_active(true)?;
        }
        ClaimDecision::NotForDevice => db.count(Counter::InvalidTransfers, 1)?,
    }
    Ok(())
}

/// The local unpair (someone with the device in hand): a new pairing
/// secret, the pairing and every open challenge forgotten, and a reset
/// (every provider dropped, the side key rotated for nobody). Returns the
/// new secret to show. Call inside a transaction; safe while the daemon
/// runs, which reads the secret and the pairing inside its own.
pub fn unpair(
    db: &Db<'_>,
    identity: &Identity,
    now: UnixMillis,
) -> Result<PairingSecret, RotationError> {
    let secret = PairingSecret::random()?;
    db.set_pairing_secret(&secret)?;
    db.clear_pairing()?;
    db.drop_open_challenges()?;
    reset(
        db,
        identity,
        Reset {
            device_active: true,
            pin_security: None,
        },
        now,
    )?;
    Ok(secret)
}
