//! The device's rules: what a claim, an answer or an event from the owner's
//! channel means to the device, and what it must do about it.
//!
//! No I/O: the caller (pi-reader) reads the facts the rules need from its
//! state, asks, and applies the decision (keep a challenge, send a
//! transfer, keep or drop a provider, rotate the side key) in one
//! transaction, so a crash leaves all of a step or none of it.
//!
//! - Pairing ([`on_transfer`], protocol v2): a `CLAIM_DEVICE` whose proof
//!   verifies gets a single-use challenge (at most
//!   [`MAX_CHALLENGES_PER_HOUR`]); a right `ANSWER_CHALLENGE` uses the
//!   claimant's open challenges, pairs, draws a new secret and gets a
//!   `CLAIM_RESULT`; a wrong one uses nothing. While paired, claims get
//!   `NOK` `already paired`. A new owner resets the device.
//! - The owner's channel security is pinned at `DEVICE_ADDED`; events
//!   signed at another level are ignored ([`DeviceConsent::decide`]).
//! - Consent ([`DeviceConsent`]): each event is authorize, revoke, reset or
//!   ignore (with the reason); a policy's `expiresAt` ends it
//!   ([`DeviceConsent::expiry`]).
//! - What those decisions publish: the sealed `MAM_DATA` of a new provider
//!   ([`grant`]) and the `KEY_ROTATION` that hands a new side key to the
//!   providers that stay ([`Rotation`]).

mod consent;
mod grant;
mod pairing;
mod rotation;
#[cfg(test)]
mod tests;

pub use consent::{AuthorizedProvider, DeviceConsent, EventDecision, Expiry, IgnoredEvent, Reset};
pub use grant::grant;
pub use pairing::{
    answerable_since, claim_nonce, claimant, on_transfer, rate_window_start, ClaimDecision,
    ClaimIgnored, OpenChallenge, Owner, PairingFacts, ALREADY_PAIRED_REASON, CHALLENGE_TTL,
    MAX_CHALLENGES_PER_HOUR, PAIRED_REASON,
};
pub use rotation::Rotation;
