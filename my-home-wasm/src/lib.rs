//! My Home: the home owner's consent manager.
//!
//! A browser-only Yew app whose only state is an IOTA seed in the browser's
//! storage. It reads the home's private MAM channel back from the Tangle and
//! folds its events into devices, consents and history; it pairs meter
//! readers (`pi-reader`), answers providers' consent requests and revokes
//! them, each as an event on that channel.
//!
//! Layout: [`home`] is the pure state (tested natively), [`tangle`] the
//! talk with the node, [`app`] the pages.
//!
//! Built for `wasm32-unknown-unknown` by Trunk (`scripts/build-web.sh`). The
//! crate also compiles natively so that the workspace builds, lints and tests
//! in one go, but it only runs in a browser.

pub mod app;
pub mod home;
pub mod tangle;
