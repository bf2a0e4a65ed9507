//! Remote proof of work for `attachToTangle`, done exactly as IRI does it.
//!
//! The transactions are processed in the order given (clients send them
//! last index first, as `prepareTransfers` returns them). The first gets
//! `trunkTransaction` and `branchTransaction`; each later one gets the hash
//! of the one processed before it as trunk and `trunkTransaction` as branch,
//! so a bundle chains from its tail to its head and hangs off the two tips.
//! Each gets an attachment timestamp of now (Unix ms), bounds 0 and
//! (3^27 - 1) / 2, its obsolete tag as tag when the tag is empty, and a
//! nonce giving its hash `mwm` trailing zero trits. The answer lists them in
//! the reverse order of processing: tail first, as IRI answers.

use std::sync::atomic::AtomicBool;
use std::time::{SystemTime, UNIX_EPOCH};

use std::num::NonZeroUsize;

use mam_lib::pow::{self, PowError, PowOptions, NONCE_OFFSET};
use mam_lib::ternary::{Hash81, TernaryError, Trytes};
use mam_lib::transaction::{Transaction, TransactionError};

use crate::api::request::TransactionTrytes;
use crate::validation::transaction_hash;

/// The largest attachment timestamp: the largest 27-trit value.
pub const MAX_TIMESTAMP: i64 = (3i64.pow(27) - 1) / 2;

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

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(MAX_TIMESTAMP))
}

/// Chains and attaches `trytes` (see the module documentation); `stop`
/// interrupts the search.
pub fn attach(
    trytes: &[TransactionTrytes],
    attachment: &Attachment,
    stop: &AtomicBool,
) -> Result<Vec<TransactionTrytes>, AttachError> {
    let mut attached = Vec::with_capacity(trytes.len());
    let mut previous: Option<Hash81> = None;
    for (position, given) in trytes.iter().enumerate() {
        let mut tx = Transaction::from_trytes(given.as_trytes())
            .map_err(|error| AttachError::Malformed { position, error })?;
        tx.trunk_transaction = previous.clone().unwrap_or_else(|| attachment.trunk.clone());
        tx.branch_transaction = match previous {
            None => attachment.branch.clone(),
            Some(_) => attachment.trunk.clone(),
        };
        if tx.tag.as_trytes().trim_nines().is_empty() {
            tx.tag = tx.obsolete_tag.clone();
        }
        tx.attachment_timestamp = now_ms();
        tx.attachment_timestamp_lower_bound = 0;
        tx.attachment_timestamp_upper_bound = MAX_TIMESTAMP;
        let mut trits = tx.to_trits();
        search_nonce(&mut trits, attachment.mwm, attachment.threads, stop)?;
        previous = Some(transaction_hash(&trits)?);
        attached.push(TransactionTrytes::from_trytes(Trytes::from_trits(&trits)?)?);
    }
    attached.reverse();
    Ok(attached)
}

/// Sets the nonce (the last 81 trits) so the hash has `mwm` trailing zero
/// trits, with `mam_lib::pow`'s bitsliced search on `threads` threads.
fn search_nonce(
    trits: &mut [i8],
    mwm: u8,
    threads: usize,
    stop: &AtomicBool,
) -> Result<(), AttachError> {
    if mwm == 0 {
        // Every nonce has weight 0 or more: keep the one given.
        return Ok(());
    }
    let options = PowOptions {
        threads: NonZeroUsize::new(threads),
        cancel: Some(stop),
        ..PowOptions::default()
    };
    match pow::search_nonce(trits, mwm, &options) {
        Ok(nonce) => {
            trits[NONCE_OFFSET..].copy_from_slice(&nonce);
            Ok(())
        }
        Err(PowError::Cancelled) => Err(AttachError::Interrupted),
        Err(other) => Err(AttachError::Pow(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mam_lib::ternary::Tag27;
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
            assert_eq!(tx.attachment_timestamp_upper_bound, MAX_TIMESTAMP);
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
