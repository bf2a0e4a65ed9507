//! Consent, applied: what `consent_protocol::device` decides about each
//! event on the owner's channel, and about expiry, is kept in the state
//! file in the caller's transaction: providers kept or dropped, `MAM_DATA`
//! queued, side keys rotated.

use consent_protocol::device::{self, EventDecision, IgnoredEvent, Reset, Rotation};
use consent_protocol::PolicyId;
use mam_lib::address::Security;
use mam_lib::ternary::Trytes;
use mam_lib::time::UnixMillis;

use crate::channel::next_root;
use crate::rotation::{publish, rotate, RotationError};
use crate::store::{Counter, Db, Identity, Pairing, TransferPurpose};

/// Applies the event `message`, signed at `security`, read from the
/// owner's channel (paired as `pairing`). Call inside a transaction,
/// together with moving the event cursor. An event read under a pairing
/// that is gone by now (a local `unpair` in between) is ignored.
pub fn apply_event(
    db: &Db<'_>,
    identity: &Identity,
    pairing: &Pairing,
    message: &Trytes,
    security: Security,
    now: UnixMillis,
) -> Result<EventDecision, RotationError> {
    // The same pairing: the same channel, paired at the same moment (a
    // re-pairing after an unpair starts the channel over).
    let still_paired = db.pairing()?.is_some_and(|now_paired| {
        now_paired.root == pairing.root && now_paired.paired_at == pairing.paired_at
    });
    if !still_paired {
        db.count(Counter::IgnoredEvents, 1)?;
        return Ok(EventDecision::Ignore(IgnoredEvent::NotPaired));
    }
    let decision = db
        .device_consent()?
        .decide_encoded(&identity.address, message, security, now);
    match &decision {
        EventDecision::Ignore(why) => {
            if why.is_counted() {
                db.count(Counter::IgnoredEvents, 1)?;
            }
        }
        EventDecision::Authorize(provider) => {
            // The provider reads from the next message on, with the key
            // every message uses until the next rotation.
            let root = next_root(db, &identity.seed)?;
            let side_key = db.channel_state()?.side_key;
            let Ok(grant) = device::grant(provider, &root, &side_key) else {
                db.count(Counter::IgnoredEvents, 1)?;
                return Ok(EventDecision::Ignore(IgnoredEvent::SealingFailed));
            };
            db.add_provider(provider)?;
            db.queue_outgoing(TransferPurpose::MamData, &grant, now)?;
        }
        EventDecision::Revoke { policy_id, staying } => {
            db.remove_provider(policy_id)?;
            rotate(db, &identity.seed, staying, now)?;
        }
        EventDecision::Reset(change) => reset(db, identity, *change, now)?,
    }
    Ok(decision)
}

/// Drops every provider whose consent has expired by `now`, rotating once
/// if any did. Returns the policies dropped. Call inside a transaction.
pub fn expire(
    db: &Db<'_>,
    identity: &Identity,
    now: UnixMillis,
) -> Result<Vec<PolicyId>, RotationError> {
    let Some(expiry) = db.device_consent()?.expiry(now) else {
        return Ok(Vec::new());
    };
    for policy_id in &expiry.expired {
        db.remove_provider(policy_id)?;
    }
    rotate(db, &identity.seed, &expiry.staying, now)?;
    Ok(expiry.expired)
}

/// A reset (`DEVICE_ADDED`, `DEVICE_DELETED`, a new owner): every provider
/// dropped and the key rotated for nobody. Call inside a transaction.
pub fn reset(
    db: &Db<'_>,
    identity: &Identity,
    change: Reset,
    now: UnixMillis,
) -> Result<(), RotationError> {
    db.set_device_active(change.device_active)?;
    if let Some(security) = change.pin_security {
        db.pin_owner_security(security)?;
    }
    db.clear_providers()?;
    publish(db, &identity.seed, &Rotation::for_nobody(), now)?;
    Ok(())
}
