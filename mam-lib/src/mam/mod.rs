//! Masked Authenticated Messaging, version 0, byte-compatible with the
//! original IOTA library (`@iota/mam` 0.7.3) and `@iota/mam.js`.
//!
//! A channel is a chain of Merkle trees of one-time Curl-P-27 Winternitz
//! keys. Each message names the next tree's root, is encrypted with a key
//! stream from the side key (all `9` unless restricted) and the root, and is
//! signed with one leaf key; readers verify the signature up to the root.

mod channel;
mod error;
mod iss;
mod mask;
mod merkle;
mod mode;
mod nonce;
mod parse;
mod pascal;
#[cfg(test)]
mod tests;

pub use channel::{Channel, ChannelPosition, CreatedMessage};
pub use error::MamError;
pub use mode::{Mode, SideKey, SIDE_KEY_TRYTES};
pub use parse::{parse, ParsedMessage};

use crate::ternary::Trytes;

/// The address a message published under `root` is stored at: the root
/// itself for public channels, Curl-P-81 of it otherwise.
pub fn message_address(root: &Trytes, mode: Mode) -> Result<Trytes, MamError> {
    let trits: [i8; 243] =
        root.to_trits()
            .try_into()
            .map_err(|_| crate::ternary::TernaryError::WrongLength {
                expected: 81,
                actual: root.len(),
            })?;
    Ok(Trytes::from_valid_trits(&channel::message_address_trits(
        &trits, mode,
    )))
}
