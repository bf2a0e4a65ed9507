//! The events on My Home's private channel; state is a fold over them.
//!
//! The channel's security level (2 or 3) is not in the events: it is the
//! MAM signature's, which the reader knows (`mam_lib::mam::ParsedMessage`)
//! and hands the device's rules as a fact.

use serde::{Deserialize, Serialize};

use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use crate::seal::NtruPublicKey;
use crate::PolicyId;

/// One event in My Home's event store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConsentEvent {
    /// A device was paired.
    DeviceAdded {
        /// The device.
        device: Device,
    },
    /// A device was removed.
    DeviceDeleted {
        /// The device.
        device: Device,
    },
    /// Consent given.
    Authorized {
        /// What was consented to.
        policy: Policy,
    },
    /// Consent taken back.
    AuthorizationRevoked {
        /// The policy revoked.
        policy: Policy,
    },
}

impl ConsentEvent {
    /// The address of the device the event is about.
    pub fn device_address(&self) -> &Hash81 {
        match self {
            ConsentEvent::DeviceAdded { device } | ConsentEvent::DeviceDeleted { device } => {
                &device.address
            }
            ConsentEvent::Authorized { policy } | ConsentEvent::AuthorizationRevoked { policy } => {
                &policy.device.address
            }
        }
    }
}

/// A device as the events name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// The device's address (where claims go).
    pub address: Hash81,
}

/// A consent: which provider may read which device, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// Unique id of the policy.
    pub id: PolicyId,
    /// The device whose data is shared.
    pub device: Device,
    /// Who receives it.
    pub service_provider: ServiceProvider,
    /// What for, in the provider's words.
    pub goal: String,
    /// When the consent ends by itself (*new*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<UnixMillis>,
    /// The nonce of the provider's consent request (v2): the device seals
    /// it into `MAM_DATA`, and the provider accepts only keys that name a
    /// nonce it issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_nonce: Option<Hash81>,
}

/// A service provider as a policy names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceProvider {
    /// Where `MAM_DATA` goes.
    pub iota_address: Hash81,
    /// The NTRU public key; on the wire its bytes, two trytes each.
    pub public_key_trytes: NtruPublicKey,
    /// The provider's web address.
    pub url: String,
}
