//! My Home's state: a fold over the events on its channel.
//!
//! The seed is My Home's only state; its devices, policies and history are
//! rebuilt by reading the channel from its root and folding every event in
//! order. Each event is judged by the device's own rules
//! ([`DeviceConsent`]), so the ledger shows what the devices do, not only
//! what was asked of them.

use mam_lib::address::Security;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use crate::device::{DeviceConsent, EventDecision, IgnoredEvent};
use crate::{ConsentEvent, Policy, PolicyId};

/// What became of a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyStatus {
    /// The device serves the provider.
    InForce,
    /// The consent ran out (`expiresAt` passed): the device ended it.
    Expired,
    /// The owner revoked it.
    Revoked,
    /// The device was added again or deleted since: it dropped every
    /// provider.
    EndedByReset,
    /// The device did not apply it.
    NotApplied(IgnoredEvent),
}

/// A policy and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRecord {
    /// The policy as authorized.
    pub policy: Policy,
    /// Its status after the last event read.
    pub status: PolicyStatus,
}

impl PolicyRecord {
    /// Its status at `now`: a consent in force whose `expiresAt` has passed
    /// is expired (the device ends it by itself).
    pub fn status_at(&self, now: UnixMillis) -> PolicyStatus {
        match self.status {
            PolicyStatus::InForce if self.policy.expires_at.is_some_and(|at| at <= now) => {
                PolicyStatus::Expired
            }
            status => status,
        }
    }

    /// Whether the provider may read new data at `now`.
    pub fn is_in_force(&self, now: UnixMillis) -> bool {
        self.status_at(now) == PolicyStatus::InForce
    }
}

/// A device the owner's events name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedDevice {
    /// Its address.
    pub address: Hash81,
    /// Whether the last of `DEVICE_ADDED` / `DEVICE_DELETED` was an add.
    pub added: bool,
    /// Its consent state, as the device holds it.
    pub consent: DeviceConsent,
}

/// One event read, and whether the device ignored it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The event.
    pub event: ConsentEvent,
    /// Why the device ignored it, if it did.
    pub ignored: Option<IgnoredEvent>,
}

/// Devices, policies and history folded from My Home's events.
///
/// Policies keep everything the events carry, including the provider's
/// `requestNonce` (v2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentLedger {
    /// The security level My Home's channel signs with (the devices pin it);
    /// `Security::Medium` by default.
    security: Security,
    devices: Vec<OwnedDevice>,
    policies: Vec<PolicyRecord>,
    history: Vec<HistoryEntry>,
}

impl ConsentLedger {
    /// An empty ledger of a channel that signs at `security`.
    pub fn with_security(security: Security) -> Self {
        ConsentLedger {
            security,
            ..ConsentLedger::default()
        }
    }

    /// The ledger of `events`, in channel order, read at `now`, of a channel
    /// signed at security 2.
    pub fn from_events(events: impl IntoIterator<Item = ConsentEvent>, now: UnixMillis) -> Self {
        let mut ledger = ConsentLedger::default();
        for event in events {
            ledger.apply(event, now);
        }
        ledger
    }

    /// Folds in the next event of the channel, read at `now`.
    pub fn apply(&mut self, event: ConsentEvent, now: UnixMillis) {
        let address = event.device_address().clone();
        let index = self.device_index(&address);
        // The device ends consents that ran out by itself, before it reads
        // anything after them.
        if let Some(expiry) = self.devices[index].consent.expiry(now) {
            self.devices[index].consent.apply_expiry(&expiry);
            for id in &expiry.expired {
                self.set_status(id, PolicyStatus::Expired);
            }
        }
        let decision = self.devices[index]
            .consent
            .decide(&address, &event, self.security, now);
        self.devices[index].consent.apply(&decision);
        let ignored = match &decision {
            EventDecision::Authorize(_) => {
                if let ConsentEvent::Authorized { policy } = &event {
                    self.record(policy, PolicyStatus::InForce);
                }
                None
            }
            EventDecision::Revoke { policy_id, .. } => {
                self.set_status(policy_id, PolicyStatus::Revoked);
                None
            }
            EventDecision::Reset(reset) => {
                self.devices[index].added = reset.device_active;
                for record in &mut self.policies {
                    if record.policy.device.address == address
                        && record.status == PolicyStatus::InForce
                    {
                        record.status = PolicyStatus::EndedByReset;
                    }
                }
                None
            }
            EventDecision::Ignore(why) => {
                if let ConsentEvent::Authorized { policy } = &event {
                    if self.policy(&policy.id).is_none() {
                        self.record(policy, PolicyStatus::NotApplied(*why));
                    }
                }
                Some(*why)
            }
        };
        self.history.push(HistoryEntry { event, ignored });
    }

    /// Every device the events name, in order of first mention.
    pub fn devices(&self) -> &[OwnedDevice] {
        &self.devices
    }

    /// The device at `address`, if the events name it.
    pub fn device(&self, address: &Hash81) -> Option<&OwnedDevice> {
        self.devices.iter().find(|d| &d.address == address)
    }

    /// Every policy authorized, in order of authorization.
    pub fn policies(&self) -> &[PolicyRecord] {
        &self.policies
    }

    /// The policy `id`, if it was authorized.
    pub fn policy(&self, id: &PolicyId) -> Option<&PolicyRecord> {
        self.policies.iter().find(|r| &r.policy.id == id)
    }

    /// The policies in force at `now`.
    pub fn in_force(&self, now: UnixMillis) -> impl Iterator<Item = &PolicyRecord> {
        self.policies.iter().filter(move |r| r.is_in_force(now))
    }

    /// Every event read, in order.
    pub fn history(&self) -> &[HistoryEntry] {
        &self.history
    }

    fn device_index(&mut self, address: &Hash81) -> usize {
        if let Some(index) = self.devices.iter().position(|d| &d.address == address) {
            return index;
        }
        self.devices.push(OwnedDevice {
            address: address.clone(),
            added: false,
            consent: DeviceConsent::default(),
        });
        self.devices.len() - 1
    }

    /// Records `policy` with `status`, replacing an earlier record of its id
    /// (a policy authorized again after it ended).
    fn record(&mut self, policy: &Policy, status: PolicyStatus) {
        let record = PolicyRecord {
            policy: policy.clone(),
            status,
        };
        match self.policies.iter_mut().find(|r| r.policy.id == policy.id) {
            Some(existing) => *existing = record,
            None => self.policies.push(record),
        }
    }

    fn set_status(&mut self, id: &PolicyId, status: PolicyStatus) {
        if let Some(record) = self.policies.iter_mut().find(|r| &r.policy.id == id) {
            record.status = status;
        }
    }
}
