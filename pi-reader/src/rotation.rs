//! Side key rotation, applied: the `KEY_ROTATION` the device's rules make
//! ([`Rotation`]) is created on the channel under the old key, and the new
//! key becomes current, in the caller's transaction.

use consent_protocol::device::{AuthorizedProvider, Rotation};
use mam_lib::seed::Seed;
use mam_lib::time::UnixMillis;

use crate::channel::{append, ChannelError};
use crate::store::{Counter, Db, StoreError};

/// Why a rotation failed (nothing of it is kept).
#[derive(Debug, thiserror::Error)]
pub enum RotationError {
    /// The channel failed.
    #[error(transparent)]
    Channel(#[from] ChannelError),
    /// The state file failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The system's CSPRNG failed (a challenge or a new pairing secret
    /// could not be drawn).
    #[error(transparent)]
    Random(#[from] mam_lib::seed::RandomError),
}

/// Rotates the side key, handing the new one to `staying`; how many
/// provider addresses got it. Call inside a transaction.
pub fn rotate(
    db: &Db<'_>,
    seed: &Seed,
    staying: &[AuthorizedProvider],
    now: UnixMillis,
) -> Result<usize, RotationError> {
    publish(db, seed, &Rotation::for_providers(staying), now)
}

/// Creates `rotation`'s message with the current key, then makes its new
/// key current. Call inside a transaction.
pub fn publish(
    db: &Db<'_>,
    seed: &Seed,
    rotation: &Rotation,
    now: UnixMillis,
) -> Result<usize, RotationError> {
    append(db, seed, rotation.message(), 0, None, now)?;
    db.set_side_key(rotation.new_key(), now)?;
    db.count(Counter::KeyRotations, 1)?;
    Ok(rotation.handed())
}
