//! `mam-lib`: the shared core of the smart-meter consent system.
//!
//! What it is for: balanced-ternary encoding ([`ternary`]), the Curl-P sponge
//! ([`curl`]), Kerl ([`kerl`]), seeds and legacy IOTA addresses ([`seed`],
//! [`address`]), transactions and bundles ([`transaction`], [`bundle`]),
//! proof of work ([`pow`]) and Masked Authenticated Messaging v0 ([`mam`]),
//! all wire-compatible with IOTA's reference implementations (`@iota/core`
//! 1.0.0-beta.30, `@iota/mam` 0.7.3 and `@iota/mam.js` 1.0.0-beta.10), and
//! the project's one clock ([`time`]).
//!
//! What it is not for: talking to a node (`iri-client` does that), the
//! consent protocol and NTRU sealing (`consent-protocol`), user interfaces,
//! or any I/O: it reads only the clock and the system's random source. It
//! builds natively and for `wasm32-unknown-unknown`, where the browser apps
//! use it.

pub mod address;
pub mod bundle;
pub mod calendar;
pub mod curl;
pub mod kerl;
pub mod mam;
pub mod pow;
pub mod seed;
pub mod ternary;
pub mod time;
pub mod transaction;
