//! My Home's state, pure: no browser calls, so every rule is tested natively.
//!
//! - [`log`]: the events read from the home's private channel, in order,
//!   with where each sits and when it was attached; the cache of them.
//! - [`outbox`]: events created but not yet read back from the channel.
//! - [`views`]: what the pages show (devices, policies, history), folded
//!   from the log by the devices' own rules.
//! - [`pairing`]: the steps of pairing a device, and its failures in words.
//! - [`route`]: the pages and their hash routes.

pub mod log;
pub mod outbox;
pub mod pairing;
pub mod route;
pub mod views;

#[cfg(test)]
mod tests;
