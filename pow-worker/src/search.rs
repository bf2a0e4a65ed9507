//! One job: the transaction's nonce range set for its worker, the search
//! on the worker's thread, the nonce back as trytes.

use core::num::NonZeroUsize;

use mam_lib::pow::{search_nonce, PowOptions, NONCE_OFFSET, NONCE_TRITS};
use mam_lib::ternary::Trytes;

use super::{Job, Reply};

/// Nonce trits that `search_nonce` leaves as given (48..81): the ones that
/// number the worker.
pub const RANGE_TRITS: usize = 33;

/// Sets the last [`RANGE_TRITS`] trits of the nonce of `transaction` (8019
/// trits) to `worker`'s number in base 3, so that workers given the same
/// transaction search apart.
pub fn worker_nonce_range(transaction: &mut [i8], worker: u32) {
    let start = NONCE_OFFSET + NONCE_TRITS - RANGE_TRITS;
    let mut rest = worker;
    for trit in transaction.iter_mut().skip(start).take(RANGE_TRITS) {
        // Digit d as trit d - 1, as mam-lib's search numbers its batches.
        *trit = (rest % 3) as i8 - 1;
        rest /= 3;
    }
}

/// Runs `job` on this thread until a nonce is found: the reply to post.
pub fn run_job(job: &Job) -> Reply {
    let trytes: Trytes = match job.transaction.parse() {
        Ok(trytes) => trytes,
        Err(error) => {
            return Reply::Failed {
                error: format!("the job's transaction is not trytes: {error}"),
            }
        }
    };
    let mut trits = trytes.to_trits();
    if trits.len() == NONCE_OFFSET + NONCE_TRITS {
        worker_nonce_range(&mut trits, job.worker);
    }
    // One thread: a worker is one, and the pool runs one worker per core.
    let options = PowOptions {
        threads: NonZeroUsize::new(1),
        ..PowOptions::default()
    };
    match search_nonce(&trits, job.min_weight_magnitude, &options) {
        Ok(nonce) => match Trytes::from_trits(&nonce) {
            Ok(nonce) => Reply::Nonce {
                nonce: nonce.as_str().to_owned(),
                worker: job.worker,
            },
            Err(error) => Reply::Failed {
                error: format!("internal error: nonce {error}"),
            },
        },
        Err(error) => Reply::Failed {
            error: error.to_string(),
        },
    }
}

/// What the worker answers to a message from the page: the reply to a job,
/// or a [`Reply::Failed`] for anything that is not one.
pub fn handle_message(text: &str) -> Reply {
    match serde_json::from_str::<Job>(text) {
        Ok(job) => run_job(&job),
        Err(error) => Reply::Failed {
            error: format!("the worker got something that is not a job ({error})"),
        },
    }
}

#[cfg(test)]
mod tests;
