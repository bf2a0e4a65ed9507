//! Proof of work for legacy IOTA transactions: finding a nonce whose
//! transaction hash ends in enough zero trits.
//!
//! A transaction is 8019 trits; its hash is Curl-P-81 over all of them
//! (33 chunks of 243) and it meets minimum weight magnitude `mwm` when the
//! hash's last `mwm` trits are 0. The nonce is the transaction's last 81
//! trits, so only the final transform depends on it: [`search_nonce`]
//! absorbs the first 32 chunks once and then runs the final transform for
//! hundreds of nonces at a time, one per bit of a vector register (see
//! `kernel` for how), on every core, until one lane's hash has the weight.
//! The nonce it returns is checked against the plain single-state
//! [`CurlP`] before it is handed out.
//!
//! What it is not for: hashing transactions in general (that is
//! `transaction::hash_transaction_trits`) or choosing the nonce's other
//! fields (timestamps, tag); it only fills the nonce.

mod bitslice;
mod kernel;
mod search;

use core::fmt;
use core::num::NonZeroUsize;
use core::time::Duration;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::curl::{CurlP, Rounds, HASH_LENGTH};
use crate::ternary::Tag27;

/// Trits in a transaction (2673 trytes).
const TRANSACTION_TRITS: usize = 8019;
/// Trits in the nonce, the last field of a transaction.
pub const NONCE_TRITS: usize = 81;
/// Where the nonce starts in a transaction's trits.
pub const NONCE_OFFSET: usize = TRANSACTION_TRITS - NONCE_TRITS;
/// The largest minimum weight magnitude [`search_nonce`] accepts. Only 3^81
/// nonces exist, so above 81 zero trits a transaction is not expected to
/// have any nonce that works; well before that the search is hopeless
/// anyway (3^30 ≈ 2·10^14 hashes is weeks on a desktop). The legacy
/// networks used 14 (mainnet) and 9 (devnet).
pub const MAX_MWM: u8 = 81;

/// Why no nonce came back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PowError {
    /// The input is not one transaction's trits.
    #[error("a transaction is {expected} trits, got {actual}")]
    WrongLength {
        /// 8019.
        expected: usize,
        /// What was passed.
        actual: usize,
    },
    /// A value other than -1, 0 or 1.
    #[error("transaction value {value} at position {position} is not a trit (-1, 0 or 1)")]
    InvalidTrit {
        /// Its index in the transaction.
        position: usize,
        /// The value.
        value: i8,
    },
    /// The weight asked for is 0 or above [`MAX_MWM`].
    #[error("minimum weight magnitude {0} is outside 1..={MAX_MWM}")]
    InvalidMwm(u8),
    /// [`PowOptions::cancel`] was set.
    #[error("proof of work was cancelled")]
    Cancelled,
    /// Every nonce the search enumerates was tried (2^64 batches: not
    /// reachable in practice).
    #[error("every nonce the search can try was tried without success")]
    Exhausted,
    /// A worker thread could not be started.
    #[error("could not start a proof-of-work thread: {0}")]
    Thread(String),
    /// The nonce found does not give the weight when hashed again: a bug
    /// in the search, never expected.
    #[error("internal error: the nonce found does not verify (please report this bug)")]
    Unverified,
}

/// How far a search has got, given to [`PowOptions::progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PowProgress {
    /// Nonces tried so far, over all threads.
    pub nonces_tried: u64,
}

/// How [`search_nonce`] runs. `PowOptions::default()` uses every core,
/// cannot be cancelled and reports nothing; set fields with
/// `PowOptions { threads, ..PowOptions::default() }`.
#[derive(Clone, Copy)]
pub struct PowOptions<'a> {
    /// Worker threads; `None` for one per core
    /// (`std::thread::available_parallelism`). In WebAssembly, which has no
    /// threads here, the search always runs on the calling thread.
    pub threads: Option<NonZeroUsize>,
    /// Set it to `true` (from another thread, or from the progress
    /// callback) to stop the search: it returns [`PowError::Cancelled`]
    /// once the workers finish their current batch, well under a
    /// millisecond.
    pub cancel: Option<&'a AtomicBool>,
    /// Called with the nonces tried so far, always on the thread that
    /// called [`search_nonce`]: natively every
    /// [`PowOptions::progress_interval`], in WebAssembly (no clock here)
    /// after every 2^16 nonces, a few tens of milliseconds.
    pub progress: Option<&'a dyn Fn(PowProgress)>,
    /// Time between progress reports (natively); at least 1 ms is used.
    pub progress_interval: Duration,
}

impl Default for PowOptions<'_> {
    fn default() -> Self {
        PowOptions {
            threads: None,
            cancel: None,
            progress: None,
            progress_interval: Duration::from_millis(250),
        }
    }
}

impl fmt::Debug for PowOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PowOptions")
            .field("threads", &self.threads)
            .field("cancel", &self.cancel)
            .field("progress", &self.progress.as_ref().map(|_| "callback"))
            .field("progress_interval", &self.progress_interval)
            .finish()
    }
}

impl PowOptions<'_> {
    fn report(&self, nonces_tried: u64) {
        if let Some(progress) = &self.progress {
            progress(PowProgress { nonces_tried });
        }
    }
}

fn cancelled(cancel: Option<&AtomicBool>) -> bool {
    cancel.is_some_and(|cancel| cancel.load(Ordering::Relaxed))
}

/// Finds a nonce for `transaction` (8019 trits; its last 81, the nonce
/// field, are the search's to choose) whose transaction hash ends in at
/// least `mwm` zero trits, and returns it. Put it at [`NONCE_OFFSET`] to
/// get the finished transaction.
///
/// The nonce field's trits 48..81 are kept as given (see `search` for the
/// layout): randomize them to keep independent searches on the same
/// transaction from trying the same nonces.
///
/// Expect about 3^mwm hashes: for MWM 14, 4.8 million.
pub fn search_nonce(
    transaction: &[i8],
    mwm: u8,
    options: &PowOptions<'_>,
) -> Result<[i8; NONCE_TRITS], PowError> {
    let transaction: &[i8; TRANSACTION_TRITS] =
        transaction.try_into().map_err(|_| PowError::WrongLength {
            expected: TRANSACTION_TRITS,
            actual: transaction.len(),
        })?;
    if let Some(position) = transaction.iter().position(|t| !(-1..=1).contains(t)) {
        return Err(PowError::InvalidTrit {
            position,
            value: transaction[position],
        });
    }
    if !(1..=MAX_MWM).contains(&mwm) {
        return Err(PowError::InvalidMwm(mwm));
    }

    let last_chunk = TRANSACTION_TRITS - HASH_LENGTH;
    let mut sponge = CurlP::new(Rounds::R81);
    sponge.absorb(&transaction[..last_chunk]);
    let mut start = sponge.state();
    start[..HASH_LENGTH].copy_from_slice(&transaction[last_chunk..]);
    let job = search::Job {
        start,
        tail: kernel::Tail::new(usize::from(mwm)),
    };

    let nonce = run_workers(&job, options)?;

    let mut finished = *transaction;
    finished[NONCE_OFFSET..].copy_from_slice(&nonce);
    if hash_weight(&transaction_hash(&finished)) < usize::from(mwm) {
        return Err(PowError::Unverified);
    }
    Ok(nonce)
}

/// The nonce an attach gives `transaction` (8019 trits) for weight `mwm`,
/// as IRI's `attachToTangle` does it: weight 0 needs no search and keeps
/// the nonce the transaction already has; any other weight is a
/// [`search_nonce`] with `options`.
pub fn attach_nonce(
    transaction: &[i8],
    mwm: u8,
    options: &PowOptions<'_>,
) -> Result<Tag27, PowError> {
    if mwm == 0 {
        if transaction.len() != TRANSACTION_TRITS {
            return Err(PowError::WrongLength {
                expected: TRANSACTION_TRITS,
                actual: transaction.len(),
            });
        }
        if let Some(position) = transaction.iter().position(|t| !(-1..=1).contains(t)) {
            return Err(PowError::InvalidTrit {
                position,
                value: transaction[position],
            });
        }
        return Ok(Tag27::from_valid_trits(&transaction[NONCE_OFFSET..]));
    }
    search_nonce(transaction, mwm, options).map(|nonce| Tag27::from_valid_trits(&nonce))
}

/// How many trits at the end of `hash` are zero: the weight a transaction
/// hash has.
pub fn hash_weight(hash: &[i8]) -> usize {
    hash.iter().rev().take_while(|&&trit| trit == 0).count()
}

/// The name of the search kernel this CPU runs, for logs and benchmarks
/// ("AVX-512, 1024 lanes", …).
pub fn kernel_name() -> &'static str {
    search::kernel_name()
}

/// Curl-P-81 of a transaction's trits, single state: the check on the
/// search. (`transaction::hash_transaction_trits` is the public one.)
fn transaction_hash(trits: &[i8; TRANSACTION_TRITS]) -> [i8; HASH_LENGTH] {
    let mut sponge = CurlP::new(Rounds::R81);
    sponge.absorb(trits);
    sponge.rate()
}

/// Runs the workers natively: one thread each, the calling thread waiting
/// for a nonce while reporting progress and watching for cancellation.
#[cfg(not(target_arch = "wasm32"))]
fn run_workers(job: &search::Job, options: &PowOptions<'_>) -> Result<[i8; NONCE_TRITS], PowError> {
    use std::sync::atomic::AtomicU64;
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::time::Instant;

    let threads = options.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
        NonZeroUsize::get,
    );
    let interval = options.progress_interval.max(Duration::from_millis(1));
    let stop = AtomicBool::new(false);
    let tried = AtomicU64::new(0);

    std::thread::scope(|scope| {
        // However this closure ends (a nonce, an error, a panicking progress
        // callback), the workers must stop, or the scope waits for ever.
        let _stop_workers = StopOnDrop(&stop);
        let (sender, receiver) = mpsc::channel();
        for thread in 0..threads {
            let sender = sender.clone();
            let (stop, tried, cancel) = (&stop, &tried, options.cancel);
            let worker = move || {
                // Checked after every batch, a few tens of microseconds.
                let mut after_batch = |lanes: u64| {
                    tried.fetch_add(lanes, Ordering::Relaxed);
                    !stop.load(Ordering::Relaxed) && !cancelled(cancel)
                };
                let outcome = search::run(job, thread as u64, threads as u64, &mut after_batch);
                // The receiver is gone only once a nonce has been taken.
                let _ = sender.send(outcome);
            };
            if let Err(error) = std::thread::Builder::new()
                .name(format!("pow-{thread}"))
                .spawn_scoped(scope, worker)
            {
                return Err(PowError::Thread(error.to_string()));
            }
        }
        drop(sender);

        let mut exhausted = false;
        let mut next_report = Instant::now() + interval;
        loop {
            let wait = next_report.saturating_duration_since(Instant::now());
            match receiver.recv_timeout(wait) {
                Ok(Ok(nonce)) => break Ok(nonce),
                Ok(Err(search::Stopped::Exhausted)) => {
                    exhausted = true;
                    stop.store(true, Ordering::Relaxed);
                }
                // Stopped because of cancellation: wait for the rest.
                Ok(Err(search::Stopped::Asked)) => {}
                Err(RecvTimeoutError::Timeout) => {
                    options.report(tried.load(Ordering::Relaxed));
                    // From now, so that a slow callback slows the reports.
                    next_report = Instant::now() + interval;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    break Err(if exhausted {
                        PowError::Exhausted
                    } else {
                        PowError::Cancelled
                    });
                }
            }
        }
    })
}

/// Sets its flag when dropped.
#[cfg(not(target_arch = "wasm32"))]
struct StopOnDrop<'a>(&'a AtomicBool);

#[cfg(not(target_arch = "wasm32"))]
impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Runs the search on the calling thread: WebAssembly has no threads here.
#[cfg(target_arch = "wasm32")]
fn run_workers(job: &search::Job, options: &PowOptions<'_>) -> Result<[i8; NONCE_TRITS], PowError> {
    const REPORT_EVERY: u64 = 1 << 16;
    let mut tried = 0u64;
    let mut next_report = REPORT_EVERY;
    let mut after_batch = |lanes: u64| {
        tried += lanes;
        if tried >= next_report {
            options.report(tried);
            next_report += REPORT_EVERY;
        }
        !cancelled(options.cancel)
    };
    search::run(job, 0, 1, &mut after_batch).map_err(|stopped| match stopped {
        search::Stopped::Asked => PowError::Cancelled,
        search::Stopped::Exhausted => PowError::Exhausted,
    })
}

#[cfg(test)]
mod tests;
