//! A plain transfer one party's rules ask to send.

use mam_lib::ternary::{Hash81, Trytes};

use crate::{encode_transfer, TransferMessage};

/// `message` to go to `to` as a plain zero-value transfer: what the rules
/// hand back when a party must send something. Sending is the caller's
/// business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The recipient's address.
    pub to: Hash81,
    /// The message.
    pub message: TransferMessage,
}

impl Outgoing {
    /// The message as a transfer carries it ([`encode_transfer`]).
    pub fn encoded(&self) -> Trytes {
        encode_transfer(&self.message)
    }
}
