//! The service provider's rules: opening a `MAM_DATA` into a connection to
//! a device's channel, and following it through `DATA` and `KEY_ROTATION`
//! until the consent ends.
//!
//! No I/O: the provider's app (Wattt Insights, the tests' stand-in) reads
//! its address and the device channel, and hands what it read to a
//! [`Connection`], which says where to read next, with which key, and
//! whether the consent still holds.

mod connection;
#[cfg(test)]
mod tests;

pub use connection::{Connection, ConnectionState, EndReason, Ended, FollowStep, OpenError};
