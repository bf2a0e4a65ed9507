//! Wattt Insights: an example service provider.
//!
//! A browser-only Yew app whose only state is an IOTA seed in the browser's
//! storage (and caches it can rebuild from the Tangle). It asks homes for
//! consent, receives the sealed keys of their meters' channels at its
//! address, follows each channel through its key rotations until the
//! consent ends, and graphs the energy.
//!
//! Layout: [`provider`] is the pure state of the consents (the requests
//! issued, the homes and their connections) and [`energy`] the pure
//! readings and series (both tested natively), [`tangle`] the talk with the
//! node, [`app`] the pages.
//!
//! Built for `wasm32-unknown-unknown` by Trunk (`scripts/build-web.sh`). The
//! crate also compiles natively so that the workspace builds, lints and tests
//! in one go, but it only runs in a browser.

pub mod app;
pub mod charts;
pub mod energy;
pub mod provider;
pub mod store;
pub mod tangle;
pub mod view;
