//! The device's rules: what a claim, an answer or an event from the owner's
//! channel means to the device, and what it must do about it.
//!
//! No I/O: the caller (pi-reader) reads the facts the rules need from its
//! state, asks, and applies the decision (keep a challenge, send a
//! transfer, keep or drop a provider, rotate the side key) in one
//! transaction, so a crash leaves all of a step or none of it.
//!
//! - Pairing ([`on_transfer`]): `CLAIM_DEVICE` gets a single-use challenge
//!   (at most [`MAX_CHALLENGES_PER_HOUR`]); `ANSWER_CHALLENGE` is checked
//!   against the claimant's open challenges, which it uses up, and gets a
//!   `CLAIM_RESULT`. A new owner resets the device.
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
    answerable_since, claimant, on_transfer, rate_window_start, ClaimDecision, OpenChallenge,
    Owner, PairingFacts, CHALLENGE_TTL, MAX_CHALLENGES_PER_HOUR, PAIRED_REASON,
    WRONG_ANSWER_REASON,
};
pub use rotation::Rotation;
