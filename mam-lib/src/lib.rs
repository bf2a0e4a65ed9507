//! `mam-lib`: the shared core of the smart-meter consent system.
//!
//! What it is for: balanced-ternary encoding ([`ternary`]), the Curl-P sponge
//! ([`curl`]), Kerl ([`kerl`]), seeds and legacy IOTA addresses ([`seed`],
//! [`address`]) and Masked Authenticated Messaging v0 ([`mam`]), all
//! wire-compatible with IOTA's reference implementations (`@iota/core`
//! 1.0.0-beta.30, `@iota/mam` 0.7.3 and `@iota/mam.js` 1.0.0-beta.10).
//!
//! What it is not for: user interfaces or I/O. It builds natively and for
//! `wasm32-unknown-unknown`, where the browser apps use it.

pub mod address;
pub mod curl;
pub mod kerl;
pub mod mam;
pub mod seed;
pub mod ternary;
pub mod transaction;
