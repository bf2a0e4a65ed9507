//! Filling in the attachment fields the way IRI's `attachToTangle` does,
//! with the nonce search left to the caller: the one copy of this chaining,
//! used by the client's local proof of work ([`Bundle::attach`]) and by
//! `tangle-node`'s `attachToTangle` ([`attach_transactions`]).

use crate::ternary::{Hash81, Tag27};
use crate::transaction::Transaction;

use super::{Bundle, BundleError, MAX_TIMESTAMP};

/// Attaches `transactions`, taken in the order given (the order
/// `prepareTransfers` returns and `attachToTangle` receives them: last
/// index first), to `trunk` and `branch` (a node's tips), as IRI's
/// `attachToTangle` does:
///
/// - the first approves `trunk` and `branch`; each later one approves the
///   one processed before it (trunk) and `trunk` (branch), so a bundle
///   chains from its tail to its head and hangs off the two tips;
/// - an all-`9` tag takes the obsolete tag;
/// - the attachment timestamp is what `attachment_timestamp_ms` says when
///   the transaction's turn comes (IRI reads its clock once per
///   transaction), with bounds 0 and [`MAX_TIMESTAMP`];
/// - `find_nonce` gets each finished transaction's 8019 trits and chooses
///   its nonce (proof of work).
///
/// Returns the attached transactions in the reverse order of processing:
/// tail first, as IRI answers. Nothing here checks that the transactions
/// form a bundle; [`Bundle::attach`] is the checked form.
pub fn attach_transactions<E: From<BundleError>>(
    transactions: impl IntoIterator<Item = Transaction>,
    trunk: &Hash81,
    branch: &Hash81,
    mut attachment_timestamp_ms: impl FnMut() -> u64,
    mut find_nonce: impl FnMut(&[i8]) -> Result<Tag27, E>,
) -> Result<Vec<Transaction>, E> {
    let mut attached: Vec<Transaction> = Vec::new();
    let mut previous: Option<Hash81> = None;
    for mut next in transactions {
        match previous.take() {
            None => {
                next.trunk_transaction = trunk.clone();
                next.branch_transaction = branch.clone();
            }
            Some(hash) => {
                next.trunk_transaction = hash;
                next.branch_transaction = trunk.clone();
            }
        }
        if next.tag == Tag27::nines() {
            next.tag = next.obsolete_tag.clone();
        }
        let timestamp = attachment_timestamp_ms();
        if timestamp > MAX_TIMESTAMP {
            return Err(BundleError::TimestampOutOfRange(timestamp).into());
        }
        // At most MAX_TIMESTAMP, so it fits.
        next.attachment_timestamp = timestamp as i64;
        next.attachment_timestamp_lower_bound = 0;
        next.attachment_timestamp_upper_bound = MAX_TIMESTAMP as i64;
        next.nonce = find_nonce(&next.to_trits())?;
        previous = Some(next.hash());
        attached.push(next);
    }
    attached.reverse();
    Ok(attached)
}

impl Bundle {
    /// Attaches the bundle to `trunk` and `branch` (a node's tips) with
    /// attachment timestamp `attachment_timestamp_ms` for every
    /// transaction, as [`attach_transactions`] describes, and checks that
    /// the result is still a valid bundle.
    pub fn attach<E: From<BundleError>>(
        &self,
        trunk: &Hash81,
        branch: &Hash81,
        attachment_timestamp_ms: u64,
        find_nonce: impl FnMut(&[i8]) -> Result<Tag27, E>,
    ) -> Result<Bundle, E> {
        let attached = attach_transactions(
            self.transactions().iter().rev().cloned(),
            trunk,
            branch,
            || attachment_timestamp_ms,
            find_nonce,
        )?;
        Ok(Bundle::from_transactions(attached)?)
    }
}
