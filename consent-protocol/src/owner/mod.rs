//! The owner's rules (My Home): pairing with a device, and the state its
//! event channel folds into.
//!
//! No I/O: My Home (and the tests' stand-in for it) reads its address and
//! channel, hands what it read to these types, and sends or records what
//! they return.
//!
//! - [`Claim`]: pairing as a state machine: start a claim (`CLAIM_DEVICE`),
//!   answer the device's `CHALLENGE` (`ANSWER_CHALLENGE`), then paired or
//!   refused on its `CLAIM_RESULT`.
//! - [`ConsentLedger`]: the fold of the `ConsentEvent`s on My Home's channel
//!   into devices, policies and history, by the device's own rules, so what
//!   it shows is what the devices do.

mod ledger;
mod pairing;
#[cfg(test)]
mod tests;

pub use ledger::{ConsentLedger, HistoryEntry, OwnedDevice, PolicyRecord, PolicyStatus};
pub use pairing::{Claim, ClaimState, ClaimStep};
