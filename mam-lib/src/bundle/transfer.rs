//! A zero-value transfer: a message for an address, with a tag.

use crate::ternary::{Hash81, Tag27, Trytes};

/// One message to one address. Zero-value only: the bundle moves no IOTA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The receiving address (81 trytes, without checksum).
    pub address: Hash81,
    /// The message, any length; it spans as many transactions as it needs.
    pub message: Trytes,
    /// A searchable tag (shorter tags are padded with `9` by [`Tag27::padded`]).
    pub tag: Tag27,
}

impl Transfer {
    /// A transfer of `message` to `address` with `tag`.
    pub fn new(address: Hash81, message: Trytes, tag: Tag27) -> Transfer {
        Transfer {
            address,
            message,
            tag,
        }
    }
}
