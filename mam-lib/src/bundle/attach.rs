//! Filling in the attachment fields the way IRI's `attachToTangle` does,
//! with the nonce search left to the caller: the one copy of this chaining,
//! used by the client's local proof of work ([`Bundle::attach`], and
//! [`AttachChain`] step by step when the search is asynchronous, as in the
//! browser) and by `tangle-node`'s `attachToTangle` ([`attach_transactions`]).

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
/// form a bundle; [`Bundle::attach`] is the checked form. [`AttachChain`]
/// is the same, one transaction at a time.
pub fn attach_transactions<E: From<BundleError>>(
    transactions: impl IntoIterator<Item = Transaction>,
    trunk: &Hash81,
    branch: &Hash81,
    mut attachment_timestamp_ms: impl FnMut() -> u64,
    mut find_nonce: impl FnMut(&[i8]) -> Result<Tag27, E>,
) -> Result<Vec<Transaction>, E> {
    let mut chain = AttachChain::new(trunk, branch);
    for next in transactions {
        let awaiting = chain.prepare(next, attachment_timestamp_ms())?;
        let nonce = find_nonce(awaiting.trits())?;
        chain = awaiting.with_nonce(nonce);
    }
    Ok(chain.into_transactions())
}

/// [`attach_transactions`] one transaction at a time, for a nonce search
/// that is awaited between transactions: [`AttachChain::prepare`] the
/// next transaction, search a nonce for [`AwaitingNonce::trits`], hand it
/// to [`AwaitingNonce::with_nonce`] to get the chain back, and so on;
/// then [`AttachChain::into_transactions`] (or
/// [`AttachChain::into_bundle`], checked).
///
/// Each step consumes the value it is called on, so a transaction cannot be
/// chained twice or skipped.
#[derive(Debug, Clone)]
pub struct AttachChain {
    trunk: Hash81,
    branch: Hash81,
    /// The hash of the transaction processed last, which the next approves.
    previous: Option<Hash81>,
    /// Attached so far, in the order processed.
    attached: Vec<Transaction>,
}

/// A transaction of an [`AttachChain`] with every attachment field filled
/// in but its nonce.
#[derive(Debug, Clone)]
pub struct AwaitingNonce {
    chain: AttachChain,
    transaction: Transaction,
    trits: Vec<i8>,
}

impl AttachChain {
    /// A chain that hangs off `trunk` and `branch` (a node's tips) and has
    /// attached nothing yet.
    pub fn new(trunk: &Hash81, branch: &Hash81) -> AttachChain {
        AttachChain {
            trunk: trunk.clone(),
            branch: branch.clone(),
            previous: None,
            attached: Vec::new(),
        }
    }

    /// Fills in `next`'s trunk, branch, tag and attachment timestamp
    /// (`attachment_timestamp_ms`, with bounds 0 and [`MAX_TIMESTAMP`]) as
    /// [`attach_transactions`] describes; its nonce is the caller's to
    /// find. Fails when the timestamp is above [`MAX_TIMESTAMP`].
    pub fn prepare(
        self,
        mut next: Transaction,
        attachment_timestamp_ms: u64,
    ) -> Result<AwaitingNonce, BundleError> {
        match &self.previous {
            None => {
                next.trunk_transaction = self.trunk.clone();
                next.branch_transaction = self.branch.clone();
            }
            Some(hash) => {
                next.trunk_transaction = hash.clone();
                next.branch_transaction = self.trunk.clone();
            }
        }
        if next.tag == Tag27::nines() {
            next.tag = next.obsolete_tag.clone();
        }
        if attachment_timestamp_ms > MAX_TIMESTAMP {
            return Err(BundleError::TimestampOutOfRange(attachment_timestamp_ms));
        }
        // At most MAX_TIMESTAMP, so it fits.
        next.attachment_timestamp = attachment_timestamp_ms as i64;
        next.attachment_timestamp_lower_bound = 0;
        next.attachment_timestamp_upper_bound = MAX_TIMESTAMP as i64;
        let trits = next.to_trits();
        Ok(AwaitingNonce {
            chain: self,
            transaction: next,
            trits,
        })
    }

    /// The transactions attached, in the reverse order of processing: tail
    /// first, as IRI answers.
    pub fn into_transactions(self) -> Vec<Transaction> {
        let mut attached = self.attached;
        attached.reverse();
        attached
    }

    /// The transactions attached, checked to form a valid bundle.
    pub fn into_bundle(self) -> Result<Bundle, BundleError> {
        Bundle::from_transactions(self.into_transactions())
    }
}

impl AwaitingNonce {
    /// The transaction's 8019 trits, nonce as it came: what the nonce
    /// search works on.
    pub fn trits(&self) -> &[i8] {
        &self.trits
    }

    /// The transaction, every attachment field filled in but the nonce
    /// (still the one it came with).
    pub fn transaction(&self) -> &Transaction {
        &self.transaction
    }

    /// Sets the nonce and adds the finished transaction to the chain, which
    /// the next transaction then approves.
    pub fn with_nonce(self, nonce: Tag27) -> AttachChain {
        let AwaitingNonce {
            mut chain,
            mut transaction,
            ..
        } = self;
        transaction.nonce = nonce;
        chain.previous = Some(transaction.hash());
        chain.attached.push(transaction);
        chain
    }
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
            self.attach_order(),
            trunk,
            branch,
            || attachment_timestamp_ms,
            find_nonce,
        )?;
        Ok(Bundle::from_transactions(attached)?)
    }

    /// The transactions in the order an attach processes them (last index
    /// first, as `attachToTangle` receives them): what to feed an
    /// [`AttachChain`].
    pub fn attach_order(&self) -> impl Iterator<Item = Transaction> + '_ {
        self.transactions().iter().rev().cloned()
    }
}
