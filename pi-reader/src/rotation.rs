//! Side key rotation: a `KEY_ROTATION` under the old key that hands the new
//! key, sealed, to each provider that stays; every later message uses the
//! new key. A reset is a rotation that hands it to nobody.

use std::collections::BTreeMap;

use consent_protocol::seal::{seal, SealedBox};
use consent_protocol::{to_ascii_json, DeviceMessage, RotatedKey};
use mam_lib::mam::SideKey;
use mam_lib::seed::Seed;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use crate::channel::{append, ChannelError};
use crate::store::{Counter, Db, Provider, StoreError};

/// Why a rotation failed (nothing of it is kept).
#[derive(Debug, thiserror::Error)]
pub enum RotationError {
    /// The channel failed.
    #[error(transparent)]
    Channel(#[from] ChannelError),
    /// The state file failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Rotates the side key, handing the new one to `staying` (one entry per
/// provider address). Call inside a transaction.
pub fn rotate(
    db: &Db<'_>,
    seed: &Seed,
    staying: &[Provider],
    now: UnixMillis,
) -> Result<usize, RotationError> {
    // The new key is chosen first so it can be sealed, then made current
    // after the rotation message (which still uses the old one).
    let new_key = SideKey::random();
    let plaintext = to_ascii_json(&RotatedKey {
        side_key: new_key.clone(),
    });
    let mut keys: BTreeMap<Hash81, SealedBox> = BTreeMap::new();
    for provider in staying {
        if keys.contains_key(&provider.address) {
            continue;
        }
        let Ok(sealed) = seal(&provider.public_key, plaintext.as_bytes()) else {
            continue;
        };
        keys.insert(provider.address.clone(), sealed);
    }
    let handed = keys.len();
    append(db, seed, &DeviceMessage::KeyRotation { keys }, 0, None, now)?;
    db.set_side_key(&new_key, now)?;
    db.count(Counter::KeyRotations, 1)?;
    Ok(handed)
}
