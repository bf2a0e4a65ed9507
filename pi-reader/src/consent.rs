//! Consent: the events on the owner's private channel, applied to the
//! device. Only events about this device's address count; the others are
//! ignored and counted.
//!
//! - `AUTHORIZED`: the provider is kept and sent `MAM_DATA`, the channel's
//!   next root and side key sealed to its NTRU key, so it reads from the
//!   next message on and nothing before.
//! - `AUTHORIZATION_REVOKED` (or a policy's `expiresAt` passing): the
//!   provider is dropped and the side key rotated for those that stay.
//! - `DEVICE_ADDED` / `DEVICE_DELETED`: every provider is dropped and the
//!   key rotated for nobody (a reset). After `DEVICE_DELETED` the device
//!   ignores authorizations until it is added again.

use consent_protocol::seal::seal;
use consent_protocol::{
    encode_transfer, to_ascii_json, ConsentEvent, KeyBundle, Policy, PolicyId, TransferMessage,
};
use mam_lib::time::UnixMillis;

use crate::channel::next_root;
use crate::rotation::{rotate, RotationError};
use crate::store::{Counter, Db, Identity, Pairing, Provider, TransferPurpose};

/// What one event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentOutcome {
    /// A provider was authorized and sent the keys.
    Authorized(PolicyId),
    /// A provider was dropped and the key rotated.
    Revoked(PolicyId),
    /// All providers dropped, key rotated.
    Reset,
    /// The device was deleted by its owner (and reset).
    Deleted,
    /// About another device, already applied, or unusable: ignored.
    Ignored(&'static str),
}

/// Applies `event` from the owner's channel. Call inside a transaction,
/// together with moving the event cursor.
pub fn apply_event(
    db: &Db<'_>,
    identity: &Identity,
    pairing: &Pairing,
    event: &ConsentEvent,
    now: UnixMillis,
) -> Result<ConsentOutcome, RotationError> {
    if event.device_address() != &identity.address {
        db.count(Counter::IgnoredEvents, 1)?;
        return Ok(ConsentOutcome::Ignored("about another device"));
    }
    match event {
        ConsentEvent::DeviceAdded { .. } => {
            db.set_device_active(true)?;
            reset(db, identity, now)?;
            Ok(ConsentOutcome::Reset)
        }
        ConsentEvent::DeviceDeleted { .. } => {
            db.set_device_active(false)?;
            reset(db, identity, now)?;
            Ok(ConsentOutcome::Deleted)
        }
        ConsentEvent::Authorized { policy } => authorize(db, identity, pairing, policy, now),
        ConsentEvent::AuthorizationRevoked { policy } => {
            if revoke(db, identity, &policy.id, now)? {
                Ok(ConsentOutcome::Revoked(policy.id.clone()))
            } else {
                Ok(ConsentOutcome::Ignored(
                    "revokes a policy the device does not hold",
                ))
            }
        }
    }
}

/// Drops every provider whose consent has expired by `now`, rotating
/// once if any did. Returns the policies dropped.
pub fn expire(
    db: &Db<'_>,
    identity: &Identity,
    now: UnixMillis,
) -> Result<Vec<PolicyId>, RotationError> {
    let providers = db.providers()?;
    let (expired, staying): (Vec<Provider>, Vec<Provider>) = providers
        .into_iter()
        .partition(|p| p.expires_at.is_some_and(|at| at <= now));
    if expired.is_empty() {
        return Ok(Vec::new());
    }
    for provider in &expired {
        db.remove_provider(&provider.policy_id)?;
    }
    rotate(db, &identity.seed, &staying, now)?;
    Ok(expired.into_iter().map(|p| p.policy_id).collect())
}

fn reset(db: &Db<'_>, identity: &Identity, now: UnixMillis) -> Result<(), RotationError> {
    db.clear_providers()?;
    rotate(db, &identity.seed, &[], now)?;
    Ok(())
}

fn revoke(
    db: &Db<'_>,
    identity: &Identity,
    policy_id: &PolicyId,
    now: UnixMillis,
) -> Result<bool, RotationError> {
    if !db.remove_provider(policy_id)? {
        return Ok(false);
    }
    let staying = db.providers()?;
    rotate(db, &identity.seed, &staying, now)?;
    Ok(true)
}

fn authorize(
    db: &Db<'_>,
    identity: &Identity,
    pairing: &Pairing,
    policy: &Policy,
    now: UnixMillis,
) -> Result<ConsentOutcome, RotationError> {
    if !db.device_active()? {
        db.count(Counter::IgnoredEvents, 1)?;
        return Ok(ConsentOutcome::Ignored("the device was deleted"));
    }
    if policy.expires_at.is_some_and(|at| at <= now) {
        db.count(Counter::IgnoredEvents, 1)?;
        return Ok(ConsentOutcome::Ignored("the policy has already expired"));
    }
    if db.providers()?.iter().any(|p| p.policy_id == policy.id) {
        return Ok(ConsentOutcome::Ignored("the policy is already applied"));
    }
    let provider = &policy.service_provider;
    let keys = KeyBundle {
        root: next_root(db, &identity.seed)?,
        side_key: db.channel_state()?.side_key,
    };
    let Ok(sealed) = seal(&provider.public_key_trytes, to_ascii_json(&keys).as_bytes()) else {
        db.count(Counter::IgnoredEvents, 1)?;
        return Ok(ConsentOutcome::Ignored(
            "sealing to the provider's key failed",
        ));
    };
    db.add_provider(&Provider {
        policy_id: policy.id.clone(),
        address: provider.iota_address.clone(),
        public_key: provider.public_key_trytes.clone(),
        url: provider.url.clone(),
        goal: policy.goal.clone(),
        expires_at: policy.expires_at,
        authorized_at: now,
    })?;
    let message = TransferMessage::MamData {
        root: pairing.root.clone(),
        policy_id: policy.id.clone(),
        mam_data: sealed,
    };
    db.queue_transfer(
        TransferPurpose::MamData,
        &provider.iota_address,
        &encode_transfer(&message),
        now,
    )?;
    Ok(ConsentOutcome::Authorized(policy.id.clone()))
}
