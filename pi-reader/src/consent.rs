//! Consent, applied: what `consent_protocol::device` decides about each
//! event on the owner's channel, and about expiry, is kept in the state
//! file in the caller's transaction: providers kept or dropped, `MAM_DATA`
//! queued, side keys rotated.

use consent_protocol::device::{self, EventDecision, IgnoredEvent, Reset, Rotation};
use consent_protocol::{KeyBundle, PolicyId};
use mam_lib::ternary::Trytes;
use mam_lib::time::UnixMillis;

use crate::channel::next_root;
use crate::rotation::{publish, rotate, RotationError};
use crate::store::{Counter, Db, Identity, Pairing, TransferPurpose};

/// Applies the event `message` read from the owner's channel (paired as
/// `pairing`). Call inside a transaction, together with moving the event
/// cursor.
pub fn apply_event(
    db: &Db<'_>,
    identity: &Identity,
    pairing: &Pairing,
    message: &Trytes,
    now: UnixMillis,
) -> Result<EventDecision, RotationError> {
    let decision = db
        .device_consent()?
        .decide_encoded(&identity.address, message, now);
    match &decision {
        EventDecision::Ignore(why) => {
            if why.is_counted() {
                db.count(Counter::IgnoredEvents, 1)?;
            }
        }
        EventDecision::Authorize(provider) => {
            // The provider reads from the next message on, with the key
            // every message uses until the next rotation.
            let keys = KeyBundle {
                root: next_root(db, &identity.seed)?,
                side_key: db.channel_state()?.side_key,
            };
            let Ok(grant) = device::grant(provider, &keys, &pairing.root) else {
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
    db.clear_providers()?;
    publish(db, &identity.seed, &Rotation::for_nobody(), now)?;
    Ok(())
}
