//! Filling in a bundle's attachment fields the way a node's
//! `attachToTangle` does, with the nonce search left to the caller.

use crate::ternary::{Hash81, Tag27};
use crate::transaction::Transaction;

use super::{Bundle, BundleError, MAX_TIMESTAMP};

impl Bundle {
    /// Attaches the bundle to `trunk` and `branch` (a node's tips), as IRI's
    /// `attachToTangle` does: from the last transaction to the first, each
    /// approves the one after it (trunk) and `trunk` (branch), while the last
    /// approves `trunk` and `branch`; an all-`9` tag takes the obsolete tag;
    /// the attachment timestamp is `attachment_timestamp_ms` with bounds 0
    /// and 3^27 - 1 / 2; and `find_nonce` gets each finished transaction's
    /// trits to choose its nonce (proof of work).
    pub fn attach<E: From<BundleError>>(
        &self,
        trunk: &Hash81,
        branch: &Hash81,
        attachment_timestamp_ms: u64,
        mut find_nonce: impl FnMut(&[i8]) -> Result<Tag27, E>,
    ) -> Result<Bundle, E> {
        if attachment_timestamp_ms > MAX_TIMESTAMP {
            return Err(BundleError::TimestampOutOfRange(attachment_timestamp_ms).into());
        }
        let mut attached: Vec<Transaction> = Vec::with_capacity(self.len());
        let mut previous: Option<Hash81> = None;
        for transaction in self.transactions().iter().rev() {
            let mut next = transaction.clone();
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
            next.attachment_timestamp = attachment_timestamp_ms as i64;
            next.attachment_timestamp_lower_bound = 0;
            next.attachment_timestamp_upper_bound = MAX_TIMESTAMP as i64;
            next.nonce = find_nonce(&next.to_trits())?;
            previous = Some(next.hash());
            attached.push(next);
        }
        attached.reverse();
        Ok(Bundle::from_transactions(attached)?)
    }
}
