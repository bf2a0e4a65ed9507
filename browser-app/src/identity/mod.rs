//! The identity of a browser app: an IOTA seed kept in the browser's
//! `localStorage` and the address derived from it.
//!
//! What it is for: creating the seed on first load (from the browser's CSPRNG,
//! through `mam-lib`), finding it again on every later load, deriving the
//! app's address, and showing both with a clear way out when the stored value
//! cannot be read.
//!
//! What it is not for: anything that talks to the Tangle. The seed is the
//! only thing the apps keep (property 5 of the architecture); everything else
//! is rebuilt from the Tangle by the modules that use this one.
//!
//! Layout: [`state`] is the pure part (the reducer, tested natively),
//! [`browser`] holds the side effects (storage, clipboard) and the hook that
//! ties them to the reducer, and [`view`] renders the state.

pub mod backup;
pub mod browser;
pub mod state;
pub mod view;

pub use browser::{use_identity, SeedStore};
pub use view::{IdentityPanel, SeedBackupPanel};
