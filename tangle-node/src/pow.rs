//! Remote proof of work for `attachToTangle`, done exactly as IRI does it.
//!
//! The chaining (trunk and branch of each transaction, tag, attachment
//! timestamps; see [`mam_lib::bundle::attach_transactions`]) and the nonce
//! (including IRI's weight-0 shortcut, [`mam_lib::pow::attach_nonce`]) are
//! `mam_lib`'s, the same code the client's local proof of work runs. What
//! is the node's own: the clock (read once per transaction, as IRI does),
//! the stop flag of `interruptAttachingToTangle`, and the errors it answers
//! with. The transactions are processed in the order given (clients send
//! them last index first, as `prepareTransfers` returns them); the answer
//! lists them tail first, as IRI answers.

use std::num::NonZeroUsize;
use std::sync::atomic::AtomicBool;

use mam_lib::bundle::{attach_transactions, BundleError, MAX_TIMESTAMP};
use mam_lib::pow::{attach_nonce, PowError, PowOptions};
use mam_lib::ternary::{Hash81, Tag27, TernaryError};
use mam_lib::time::UnixMillis;
use mam_lib::transaction::{Transaction, TransactionError, TransactionTrytes};

/// Why proof of work did not produce transactions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachError {
    /// One of the given transactions does not decode.
    #[error("trytes[{position}]: not a valid transaction: {error}")]
    Malformed {
        /// Position in the request.
        position: usize,
        /// What is wrong with it.
        error: TransactionError,
    },
    /// The search was stopped (`interruptAttachingToTangle`, or shutdown).
    #[error("proof of work was interrupted (interruptAttachingToTangle or node shutdown)")]
    Interrupted,
    /// The search failed (bad arguments, no thread could start).
    #[error("proof of work failed: {0}")]
    Pow(PowError),
    /// The attachment fields could not be filled (a clock past what an
    /// attachment timestamp holds).
    #[error("attaching failed: {0}")]
    Chain(#[from] BundleError),
    /// Encoding the result failed (a bug, not input).
    #[error("encoding the attached transaction failed: {0}")]
    Encoding(#[from] TernaryError),
}

/// What `attachToTangle` needs besides the transactions.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// The trunk of the first transaction processed.
    pub trunk: Hash81,
    /// The branch of the first one, the trunk of the others.
    pub branch: Hash81,
    /// Trailing zero trits every hash must have.
    pub mwm: u8,
    /// Threads for the nonce search.
    pub threads: usize,
}

/// Chains and attaches `trytes` (see the module documentation); `stop`
/// interrupts the search.
pub fn attach(
    trytes: &[TransactionTrytes],
    attachment: &Attachment,
    stop: &AtomicBool,
) -> Result<Vec<TransactionTrytes>, AttachError> {
    let transactions = trytes
        .iter()
        .enumerate()
        .map(|(position, given)| {
            Transaction::from_trytes(given.as_trytes())
                .map_err(|error| AttachError::Malformed { position, error })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let options = PowOptions {
        threads: NonZeroUsize::new(attachment.threads),
        cancel: Some(stop),
        ..PowOptions::default()
    };
    let attached = attach_transactions(
        transactions,
        &attachment.trunk,
        &attachment.branch,
        // Past 2090 the clock no longer fits; IRI would write garbage.
        || UnixMillis::now().as_millis().min(MAX_TIMESTAMP),
        |trits| find_nonce(trits, attachment.mwm, &options),
    )?;
    attached
        .iter()
        .map(|tx| Ok(TransactionTrytes::from_trytes(tx.to_trytes())?))
        .collect()
}

/// The nonce giving `trits` a hash with `mwm` trailing zero trits, with
/// `mam_lib::pow`'s bitsliced search (weight 0 keeps the nonce given).
fn find_nonce(trits: &[i8], mwm: u8, options: &PowOptions<'_>) -> Result<Tag27, AttachError> {
    attach_nonce(trits, mwm, options).map_err(|error| match error {
        PowError::Cancelled => AttachError::Interrupted,
        other => AttachError::Pow(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mam_lib::transaction::hash_weight;

    fn bundle_of(n: i64) -> Vec<TransactionTrytes> {
        // Last index first, as prepareTransfers returns them.
        (0..n)
            .rev()
            .map(|index| {
                let nines = TransactionTrytes::nines();
                let mut tx = Transaction::from_trytes(nines.as_trytes()).expect("decode");
                tx.current_index = index;
                tx.last_index = n - 1;
                tx.obsolete_tag = Tag27::padded("TAG".parse().expect("trytes")).expect("tag");
                TransactionTrytes::from_trytes(tx.to_trytes()).expect("trytes")
            })
            .collect()
    }

    #[test]
    fn a_bundle_is_chained_tail_first_with_the_weight_asked_for() {
        let trunk: Hash81 = "A".repeat(81).parse().expect("hash");
        let branch: Hash81 = "B".repeat(81).parse().expect("hash");
        let attachment = Attachment {
            trunk: trunk.clone(),
            branch: branch.clone(),
            mwm: 5,
            threads: 1,
        };
        let attached = attach(&bundle_of(3), &attachment, &AtomicBool::new(false)).expect("pow");
        let txs: Vec<Transaction> = attached
            .iter()
            .map(|t| Transaction::from_trytes(t.as_trytes()).expect("decode"))
            .collect();
        assert_eq!(
            txs.iter().map(|t| t.current_index).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        assert_eq!(txs[2].trunk_transaction, trunk);
        assert_eq!(txs[2].branch_transaction, branch);
        for i in 0..2 {
            assert_eq!(txs[i].trunk_transaction, txs[i + 1].hash());
            assert_eq!(txs[i].branch_transaction, trunk);
        }
        for tx in &txs {
            assert!(hash_weight(&tx.hash()) >= 5);
            assert_eq!(tx.tag, tx.obsolete_tag);
            assert_eq!(tx.attachment_timestamp_upper_bound, MAX_TIMESTAMP as i64);
            assert!(tx.attachment_timestamp > 0);
        }
    }

    #[test]
    fn a_stop_request_ends_the_search() {
        let attachment = Attachment {
            trunk: Hash81::nines(),
            branch: Hash81::nines(),
            mwm: 60,
            threads: 1,
        };
        assert_eq!(
            attach(&bundle_of(1), &attachment, &AtomicBool::new(true)),
            Err(AttachError::Interrupted)
        );
    }
}
