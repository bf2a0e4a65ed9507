//! Proof of work for the apps: where it runs ([`PowChoice`], kept in an
//! app's settings) and the [`Attacher`] that attaches messages with it.
//!
//! `Local` runs in Web Workers (`pool`, browser only): one per core, each
//! searching its own nonce range, so the page stays responsive; the
//! worker (the `pow-worker` crate) is built by Trunk next to each app,
//! whose `index.html` links it. `Node` leaves the work to the node's
//! `attachToTangle`. Natively (tests, lints) `Local` is the CPU search of
//! `iri-client` on every core.
//!
//! Not here: which node, which weight an app uses (the app's settings), or
//! showing progress (the app, from [`Attacher::with_progress`]).

mod attacher;
mod choice;
#[cfg(target_arch = "wasm32")]
mod pool;
mod search;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

pub use attacher::Attacher;
pub use choice::PowChoice;
pub use iri_client::PowStep;
#[cfg(target_arch = "wasm32")]
pub use pool::{WorkerPool, WORKER_SCRIPT};
pub use search::LocalSearch;
