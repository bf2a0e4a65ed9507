//! Creating messages on the device's restricted channel, one index at a
//! time, each stored with the channel's move in one transaction.

use consent_protocol::{encode, DeviceMessage};
use mam_lib::address::Security;
use mam_lib::mam::{Channel, Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use crate::store::{ChannelState, Db, MessageKind, StoreError};

/// Security level of the device channel (as the protocol fixes it).
pub const CHANNEL_SECURITY: Security = Security::Medium;

/// Why a channel message could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    /// The state file failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// MAM refused (should not happen with a valid state).
    #[error("creating the MAM message failed: {0}")]
    Mam(#[from] mam_lib::mam::MamError),
}

/// The device channel at the position and with the key `state` holds.
pub fn open_channel(seed: &Seed, state: &ChannelState) -> Result<Channel, ChannelError> {
    let mut channel = Channel::new(
        seed,
        Mode::Restricted,
        Some(state.side_key.clone()),
        CHANNEL_SECURITY,
    )?;
    channel.set_position(state.position)?;
    Ok(channel)
}

/// The root the next message will be published under: where a newly
/// authorized provider starts reading.
pub fn next_root(db: &Db<'_>, seed: &Seed) -> Result<Hash81, ChannelError> {
    let state = db.channel_state()?;
    root_hash(open_channel(seed, &state)?.root())
}

/// The root of the channel's first message.
pub fn first_root(seed: &Seed) -> Result<Hash81, ChannelError> {
    let mut channel = Channel::new(
        seed,
        Mode::Restricted,
        Some(SideKey::random()),
        CHANNEL_SECURITY,
    )?;
    root_hash(channel.root())
}

/// A channel root as the hash it is. (`mam-lib` hands roots out as
/// trytes; a tree root is always 81 of them.)
fn root_hash(root: mam_lib::ternary::Trytes) -> Result<Hash81, ChannelError> {
    Hash81::from_trytes(root).map_err(|e| ChannelError::Mam(e.into()))
}

/// Creates `message` at the channel's current position, with its current
/// side key, stores it and moves the channel on; returns its place in the
/// channel (`seq`). Call inside
/// [`crate::store::Store::atomically`] together with whatever the message
/// consumes.
pub fn append(
    db: &Db<'_>,
    seed: &Seed,
    message: &DeviceMessage,
    telegrams: i64,
    first_received_at: Option<UnixMillis>,
    now: UnixMillis,
) -> Result<i64, ChannelError> {
    let state = db.channel_state()?;
    let mut channel = open_channel(seed, &state)?;
    let created = channel.create(&encode(message))?;
    let kind = match message {
        DeviceMessage::Data { .. } => MessageKind::Data,
        DeviceMessage::KeyRotation { .. } => MessageKind::KeyRotation,
    };
    Ok(db.store_message(
        kind,
        &created,
        channel.position(),
        telegrams,
        first_received_at,
        now,
    )?)
}
