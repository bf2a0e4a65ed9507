//! Fixtures the parties' unit tests share.

use mam_lib::seed::Seed;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use crate::seal::ProviderKeyPair;
use crate::{ConsentEvent, Device, Policy, ServiceProvider};

/// 81 times `letter`.
pub fn hash(letter: char) -> Hash81 {
    letter.to_string().repeat(81).parse().expect("81 trytes")
}

/// The key pair of the seed that is 81 times `letter`.
pub fn provider_keys(letter: char) -> ProviderKeyPair {
    let seed: Seed = letter.to_string().repeat(81).parse().expect("seed");
    ProviderKeyPair::from_seed(&seed)
}

/// A moment, `millis` after the epoch.
pub fn at(millis: u64) -> UnixMillis {
    UnixMillis::from_millis(millis)
}

/// A policy `id` giving the provider at `provider` (with `keys`) the data
/// of `device`.
pub fn policy(id: &str, device: &Hash81, provider: &Hash81, keys: &ProviderKeyPair) -> Policy {
    Policy {
        id: id.parse().expect("policy id"),
        device: Device {
            address: device.clone(),
        },
        service_provider: ServiceProvider {
            iota_address: provider.clone(),
            public_key_trytes: keys.public_key().clone(),
            url: "https://wattt.example/".into(),
        },
        goal: "energy insights".into(),
        expires_at: None,
        request_nonce: Some(request_nonce()),
    }
}

/// The nonce of the consent request every test policy answers.
pub fn request_nonce() -> Hash81 {
    hash('Q')
}

/// `DEVICE_ADDED` for `device`.
pub fn added(device: &Hash81) -> ConsentEvent {
    ConsentEvent::DeviceAdded {
        device: Device {
            address: device.clone(),
        },
    }
}

/// `DEVICE_DELETED` for `device`.
pub fn deleted(device: &Hash81) -> ConsentEvent {
    ConsentEvent::DeviceDeleted {
        device: Device {
            address: device.clone(),
        },
    }
}
