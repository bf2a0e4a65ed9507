//! `mam-lib`: the shared core of the smart-meter consent system.
//!
//! What it is for: balanced-ternary encoding ([`ternary`]), the Curl-P sponge
//! ([`curl`]), Kerl ([`kerl`]), seeds and legacy IOTA addresses ([`seed`],
//! [`address`]), transactions and bundles ([`transaction`], [`bundle`]),
//! proof of work ([`pow`]), Masked Authenticated Messaging v0 ([`mam`]) and
//! the legacy IRI node API client ([`client`]), all wire-compatible with
//! IOTA's reference implementations (`@iota/core` 1.0.0-beta.30, `@iota/mam`
//! 0.7.3 and `@iota/mam.js` 1.0.0-beta.10).
//! It also seals side keys to a service provider's NTRU public key ([`seal`]).
//!
//! What it is not for: user interfaces. It does no I/O except through the
//! node client's transport (plain HTTP natively, `fetch` in the browser). It
//! builds natively and for `wasm32-unknown-unknown`, where the browser apps
//! use it.

pub mod address;
pub mod bundle;
pub mod client;
pub mod curl;
pub mod kerl;
pub mod mam;
pub mod pow;
pub mod protocol;
pub mod seal;
pub mod seed;
pub mod ternary;
pub mod transaction;
