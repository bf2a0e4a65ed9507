//! Side key rotation: a `KEY_ROTATION`, published under the old key, that
//! hands a new key, sealed, to each provider that stays; every later message
//! uses the new key. A reset is a rotation that hands it to nobody.

use std::collections::BTreeMap;

use mam_lib::mam::SideKey;

use super::AuthorizedProvider;
use crate::seal::seal;
use crate::{to_ascii_json, DeviceMessage, RotatedKey};

/// A rotation ready to publish.
#[derive(Debug, Clone)]
pub struct Rotation {
    new_key: SideKey,
    message: DeviceMessage,
    handed: usize,
}

impl Rotation {
    /// A new side key from the CSPRNG, sealed for each of `staying` (one
    /// entry per provider address). A provider whose key cannot be sealed to
    /// is left out: it reads no further, which is the safe side.
    pub fn for_providers(staying: &[AuthorizedProvider]) -> Rotation {
        let new_key = SideKey::random();
        let plaintext = to_ascii_json(&RotatedKey {
            side_key: new_key.clone(),
        });
        let mut keys = BTreeMap::new();
        for provider in staying {
            if keys.contains_key(&provider.address) {
                continue;
            }
            if let Ok(sealed) = seal(&provider.public_key, plaintext.as_bytes()) {
                keys.insert(provider.address.clone(), sealed);
            }
        }
        Rotation {
            new_key,
            handed: keys.len(),
            message: DeviceMessage::KeyRotation { keys },
        }
    }

    /// A reset's rotation: the new key for nobody.
    pub fn for_nobody() -> Rotation {
        Rotation::for_providers(&[])
    }

    /// The `KEY_ROTATION` to publish, still under the old side key.
    pub fn message(&self) -> &DeviceMessage {
        &self.message
    }

    /// The side key of every message after the rotation.
    pub fn new_key(&self) -> &SideKey {
        &self.new_key
    }

    /// How many providers were handed the new key.
    pub fn handed(&self) -> usize {
        self.handed
    }
}
