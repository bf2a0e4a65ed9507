//! Proof of work in a Web Worker: what the page posts to a worker
//! ([`Job`]), what the worker posts back ([`Reply`]), and the search one
//! job runs ([`run_job`]). The binary (`src/main.rs`) is the worker Trunk
//! builds next to each app; `browser-app`'s `pow` module is the pool that
//! starts the workers and shares the search out.
//!
//! Each worker of a pool searches its own part of the nonces: the job
//! names the worker, and [`run_job`] writes its number into the nonce
//! trits that `mam_lib::pow::search_nonce` leaves alone (48..81), so no
//! two workers try the same nonce.
//!
//! Not here: starting workers, choosing the winner, attaching (the pool and
//! `iri-client` do that). The library does no I/O and runs natively too.

pub mod bench;
mod protocol;
mod search;

pub use protocol::{Job, Reply};
pub use search::{handle_message, run_job, worker_nonce_range, RANGE_TRITS};
