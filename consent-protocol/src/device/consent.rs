//! Consent, the device's side: what each event on the owner's channel
//! means, and when a consent runs out.
//!
//! Only events about the device's own address count. `AUTHORIZED` adds a
//! provider (unless the device was deleted, the policy has expired or is
//! applied already); `AUTHORIZATION_REVOKED` drops one and rotates the key
//! for those that stay; `DEVICE_ADDED` and `DEVICE_DELETED` reset (every
//! provider dropped, the key rotated for nobody), and after
//! `DEVICE_DELETED` authorizations are ignored until the next
//! `DEVICE_ADDED`.
//!
//! The owner's channel uses security 2 or 3. The device pins the level of
//! the `DEVICE_ADDED` it applies and ignores events signed at another
//! level, and, before any pin, every event but `DEVICE_ADDED`: a weaker
//! signature cannot slip in an event.

use mam_lib::address::Security;
use mam_lib::ternary::{Hash81, Trytes};
use mam_lib::time::UnixMillis;

use crate::seal::NtruPublicKey;
use crate::{decode, ConsentEvent, Policy, PolicyId};

/// A provider the device serves under one policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizedProvider {
    /// The policy that authorized it.
    pub policy_id: PolicyId,
    /// Where its keys go.
    pub address: Hash81,
    /// What its keys are sealed to.
    pub public_key: NtruPublicKey,
    /// Its web address.
    pub url: String,
    /// What it reads the data for.
    pub goal: String,
    /// When the consent ends by itself.
    pub expires_at: Option<UnixMillis>,
    /// The nonce of the provider's consent request, sealed into its
    /// `MAM_DATA`.
    pub request_nonce: Option<Hash81>,
    /// When the device authorized it.
    pub authorized_at: UnixMillis,
}

impl AuthorizedProvider {
    /// The provider `policy` names, authorized at `at`.
    pub fn from_policy(policy: &Policy, at: UnixMillis) -> AuthorizedProvider {
        AuthorizedProvider {
            policy_id: policy.id.clone(),
            address: policy.service_provider.iota_address.clone(),
            public_key: policy.service_provider.public_key_trytes.clone(),
            url: policy.service_provider.url.clone(),
            goal: policy.goal.clone(),
            expires_at: policy.expires_at,
            request_nonce: policy.request_nonce.clone(),
            authorized_at: at,
        }
    }

    /// Whether the consent has run out at `now`.
    pub fn is_expired(&self, now: UnixMillis) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

/// A reset: every provider dropped and the side key rotated for nobody.
/// What `DEVICE_ADDED`, `DEVICE_DELETED` and pairing with a new owner do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reset {
    /// Whether the owner has the device afterwards (`false` after
    /// `DEVICE_DELETED`: authorizations are ignored until it is added).
    pub device_active: bool,
    /// The owner channel's security level to pin (`DEVICE_ADDED`); `None`
    /// leaves the pin as it is.
    pub pin_security: Option<Security>,
}

/// Why the device ignores an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IgnoredEvent {
    /// The message on the owner's channel is not a consent event.
    Unreadable,
    /// The event names another device.
    AnotherDevice,
    /// An authorization while the owner has deleted the device.
    DeviceDeleted,
    /// An authorization whose `expiresAt` has passed.
    AlreadyExpired,
    /// An authorization of a policy the device already applies.
    AlreadyApplied,
    /// A revocation of a policy the device does not hold.
    NotHeld,
    /// The keys could not be sealed to the provider's key (decided by the
    /// caller, which seals: [`super::grant`]).
    SealingFailed,
    /// Signed at security 1, which the owner's channel never uses.
    WeakSecurity,
    /// Signed at another security level than the one pinned at
    /// `DEVICE_ADDED`.
    SecurityMismatch,
    /// An event other than `DEVICE_ADDED` before any level was pinned.
    NotPinned,
    /// Read under a pairing the device no longer has (decided by the
    /// caller: a local unpair while the event was on its way).
    NotPaired,
}

impl IgnoredEvent {
    /// In words, for logs.
    pub fn reason(self) -> &'static str {
        match self {
            IgnoredEvent::Unreadable => "not a consent event",
            IgnoredEvent::AnotherDevice => "about another device",
            IgnoredEvent::DeviceDeleted => "the device was deleted",
            IgnoredEvent::AlreadyExpired => "the policy has already expired",
            IgnoredEvent::AlreadyApplied => "the policy is already applied",
            IgnoredEvent::NotHeld => "revokes a policy the device does not hold",
            IgnoredEvent::SealingFailed => "sealing to the provider's key failed",
            IgnoredEvent::WeakSecurity => "signed at security 1",
            IgnoredEvent::SecurityMismatch => "signed at another security level than pinned",
            IgnoredEvent::NotPinned => "no DEVICE_ADDED has pinned the channel's security yet",
            IgnoredEvent::NotPaired => "the device is no longer paired with this channel",
        }
    }

    /// Whether the device counts it as an ignored event: it says something
    /// is off (a stranger's or a broken event). A repeat of what is already
    /// so says nothing and is not counted.
    pub fn is_counted(self) -> bool {
        !matches!(self, IgnoredEvent::AlreadyApplied | IgnoredEvent::NotHeld)
    }
}

/// What one event means to the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventDecision {
    /// Serve this provider from the next message on: keep it and send it
    /// the keys ([`super::grant`]).
    Authorize(AuthorizedProvider),
    /// Stop serving the provider of `policy_id`: drop it and rotate the
    /// side key for `staying` ([`super::Rotation`]).
    Revoke {
        /// The policy revoked.
        policy_id: PolicyId,
        /// The providers that keep reading.
        staying: Vec<AuthorizedProvider>,
    },
    /// Reset the device.
    Reset(Reset),
    /// Nothing changes.
    Ignore(IgnoredEvent),
}

/// Consents that ran out: drop them, and rotate the side key once for
/// `staying`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiry {
    /// The policies that ended.
    pub expired: Vec<PolicyId>,
    /// The providers that keep reading.
    pub staying: Vec<AuthorizedProvider>,
}

/// A device's consent state: whether its owner has it, and the providers
/// it serves, in order of authorization. pi-reader keeps it in its state
/// file; My Home's ledger keeps one per device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceConsent {
    /// `false` after `DEVICE_DELETED` until the next `DEVICE_ADDED`.
    pub active: bool,
    /// The owner channel's security level, pinned at `DEVICE_ADDED`.
    pub pinned_security: Option<Security>,
    /// The providers served.
    pub providers: Vec<AuthorizedProvider>,
}

impl Default for DeviceConsent {
    /// A device nobody deleted, serving nobody.
    fn default() -> DeviceConsent {
        DeviceConsent {
            active: true,
            pinned_security: None,
            providers: Vec::new(),
        }
    }
}

impl DeviceConsent {
    /// Whether the device serves the provider of `policy_id`.
    pub fn holds(&self, policy_id: &PolicyId) -> bool {
        self.providers.iter().any(|p| &p.policy_id == policy_id)
    }

    /// What `event`, signed at `security` on the owner's channel, means to
    /// the device at `device` at `now`.
    pub fn decide(
        &self,
        device: &Hash81,
        event: &ConsentEvent,
        security: Security,
        now: UnixMillis,
    ) -> EventDecision {
        if event.device_address() != device {
            return EventDecision::Ignore(IgnoredEvent::AnotherDevice);
        }
        if security == Security::Low {
            return EventDecision::Ignore(IgnoredEvent::WeakSecurity);
        }
        match (self.pinned_security, event) {
            (Some(pinned), _) if pinned != security => {
                return EventDecision::Ignore(IgnoredEvent::SecurityMismatch)
            }
            (None, ConsentEvent::DeviceAdded { .. }) | (Some(_), _) => {}
            (None, _) => return EventDecision::Ignore(IgnoredEvent::NotPinned),
        }
        match event {
            ConsentEvent::DeviceAdded { .. } => EventDecision::Reset(Reset {
                device_active: true,
                pin_security: Some(security),
            }),
            ConsentEvent::DeviceDeleted { .. } => EventDecision::Reset(Reset {
                device_active: false,
                pin_security: None,
            }),
            ConsentEvent::Authorized { policy } => self.authorize(policy, now),
            ConsentEvent::AuthorizationRevoked { policy } => {
                if !self.holds(&policy.id) {
                    return EventDecision::Ignore(IgnoredEvent::NotHeld);
                }
                EventDecision::Revoke {
                    policy_id: policy.id.clone(),
                    staying: self
                        .providers
                        .iter()
                        .filter(|p| p.policy_id != policy.id)
                        .cloned()
                        .collect(),
                }
            }
        }
    }

    /// [`decide`](Self::decide) for a message as read from the owner's
    /// channel: one that is no consent event is ignored.
    pub fn decide_encoded(
        &self,
        device: &Hash81,
        message: &Trytes,
        security: Security,
        now: UnixMillis,
    ) -> EventDecision {
        match decode::<ConsentEvent>(message) {
            Ok(event) => self.decide(device, &event, security, now),
            Err(_) => EventDecision::Ignore(IgnoredEvent::Unreadable),
        }
    }

    fn authorize(&self, policy: &Policy, now: UnixMillis) -> EventDecision {
        if !self.active {
            return EventDecision::Ignore(IgnoredEvent::DeviceDeleted);
        }
        let provider = AuthorizedProvider::from_policy(policy, now);
        if provider.is_expired(now) {
            return EventDecision::Ignore(IgnoredEvent::AlreadyExpired);
        }
        if self.holds(&policy.id) {
            return EventDecision::Ignore(IgnoredEvent::AlreadyApplied);
        }
        EventDecision::Authorize(provider)
    }

    /// The consents that have run out at `now`, if any.
    pub fn expiry(&self, now: UnixMillis) -> Option<Expiry> {
        let (expired, staying): (Vec<_>, Vec<_>) = self
            .providers
            .iter()
            .cloned()
            .partition(|p| p.is_expired(now));
        if expired.is_empty() {
            return None;
        }
        Some(Expiry {
            expired: expired.into_iter().map(|p| p.policy_id).collect(),
            staying,
        })
    }

    /// The state after `decision` (what the caller's store holds once it has
    /// applied it).
    pub fn apply(&mut self, decision: &EventDecision) {
        match decision {
            EventDecision::Authorize(provider) => self.providers.push(provider.clone()),
            EventDecision::Revoke { staying, .. } => self.providers = staying.clone(),
            EventDecision::Reset(reset) => self.apply_reset(*reset),
            EventDecision::Ignore(_) => {}
        }
    }

    /// The state after `reset`.
    pub fn apply_reset(&mut self, reset: Reset) {
        self.active = reset.device_active;
        if let Some(security) = reset.pin_security {
            self.pinned_security = Some(security);
        }
        self.providers.clear();
    }

    /// The state after `expiry`.
    pub fn apply_expiry(&mut self, expiry: &Expiry) {
        self.providers = expiry.staying.clone();
    }
}
