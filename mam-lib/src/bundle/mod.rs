//! Zero-value bundles: the transactions that carry messages to addresses.
//!
//! [`Bundle::from_transfers`] builds what `@iota/core` 1.0.0-beta.30's
//! `prepareTransfers` builds for zero-value transfers, tryte for tryte.
//! [`Bundle::from_transactions`] (and [`validate_bundle`]) accept only valid
//! bundles, so a [`Bundle`] value is always one; [`group_bundles`] sorts the
//! loose transactions a node returns into bundles; [`Bundle::message`]
//! reassembles what they carry.
//!
//! Not here: signatures (bundles that move IOTA are rejected, not built),
//! proof of work and talking to a node (the `iri-client` crate).

mod attach;
mod build;
mod error;
mod group;
mod hash;
mod transfer;
mod validate;

pub use attach::{attach_transactions, AttachChain, AwaitingNonce};
pub use build::{fragments_for, MAX_TIMESTAMP};
pub use error::BundleError;
pub use group::{group_bundles, BundleGroups};
pub use hash::{
    bundle_hash, is_secure_bundle_hash, normalized_bundle, ESSENCE_TRITS, INSECURE_TRYTE,
    NORMALIZED_BUNDLE_TRYTES,
};
pub use transfer::Transfer;
pub use validate::validate_bundle;

use std::sync::OnceLock;

use crate::ternary::{Hash81, Trytes};
use crate::transaction::{hash_transactions, Transaction};

/// A valid bundle: its transactions in index order.
#[derive(Debug, Clone)]
pub struct Bundle {
    transactions: Vec<Transaction>,
    /// The transaction hashes, computed here once: when checking the trunk
    /// chain, or on first use for a bundle that is not attached.
    hashes: OnceLock<Vec<Hash81>>,
}

/// Bundles are equal when their transactions are (the hashes follow).
impl PartialEq for Bundle {
    fn eq(&self, other: &Bundle) -> bool {
        self.transactions == other.transactions
    }
}

impl Eq for Bundle {}

impl Bundle {
    /// Takes transactions in index order if they form a valid bundle (see
    /// [`validate_bundle`]). Each transaction is hashed once, side by side.
    pub fn from_transactions(transactions: Vec<Transaction>) -> Result<Bundle, BundleError> {
        validate::check_contents(&transactions)?;
        let bundle = Bundle::new_unchecked(transactions);
        if bundle.is_attached() {
            validate::check_trunk_chain(&bundle.transactions, bundle.transaction_hashes())?;
        }
        Ok(bundle)
    }

    /// [`Bundle::from_transactions`] for transactions whose hashes this
    /// crate has just computed (as [`group_bundles`] does to follow
    /// trunks), so that none is hashed twice. `hashes[i]` must be the hash
    /// of `transactions[i]`; a hash a node claims is never one.
    fn from_hashed(
        transactions: Vec<Transaction>,
        hashes: Vec<Hash81>,
    ) -> Result<Bundle, BundleError> {
        debug_assert_eq!(transactions.len(), hashes.len());
        validate::check_contents(&transactions)?;
        if validate::is_attached(&transactions) {
            validate::check_trunk_chain(&transactions, &hashes)?;
        }
        Ok(Bundle {
            transactions,
            hashes: OnceLock::from(hashes),
        })
    }

    /// Decodes transaction trytes in any order (for example as
    /// `prepareTransfers` returns them, last index first) and validates them
    /// as one bundle.
    pub fn from_trytes(trytes: &[Trytes]) -> Result<Bundle, BundleError> {
        let mut transactions = trytes
            .iter()
            .enumerate()
            .map(|(position, trytes)| {
                Transaction::from_trytes(trytes)
                    .map_err(|source| BundleError::Transaction { position, source })
            })
            .collect::<Result<Vec<_>, _>>()?;
        transactions.sort_by_key(|t| t.current_index);
        Bundle::from_transactions(transactions)
    }

    /// For transactions made valid by construction in this module.
    fn new_unchecked(transactions: Vec<Transaction>) -> Bundle {
        Bundle {
            transactions,
            hashes: OnceLock::new(),
        }
    }

    /// The hash of each transaction, index 0 first (computed once, side by
    /// side, and kept).
    pub fn transaction_hashes(&self) -> &[Hash81] {
        self.hashes.get_or_init(|| {
            let each: Vec<&Transaction> = self.transactions.iter().collect();
            hash_transactions(&each)
        })
    }

    /// The hash of the tail transaction: what identifies this attachment.
    pub fn tail_hash(&self) -> &Hash81 {
        // Never empty; `validate_bundle` and `from_transfers` see to that.
        &self.transaction_hashes()[0]
    }

    /// The transactions, index 0 first.
    pub fn transactions(&self) -> &[Transaction] {
        &self.transactions
    }

    /// The transactions, index 0 first.
    pub fn into_transactions(self) -> Vec<Transaction> {
        self.transactions
    }

    /// The number of transactions (at least one).
    pub fn len(&self) -> usize {
        self.transactions.len()
    }

    /// Always false: a bundle has at least one transaction.
    pub fn is_empty(&self) -> bool {
        self.transactions.is_empty()
    }

    /// The bundle hash.
    pub fn hash(&self) -> &Hash81 {
        // Never empty; `validate_bundle` and `from_transfers` see to that.
        &self.tail().bundle
    }

    /// The transaction with index 0 (the one a bundle is referenced by).
    pub fn tail(&self) -> &Transaction {
        &self.transactions[0]
    }

    /// Whether the bundle has been attached (trunks set by proof of work).
    pub fn is_attached(&self) -> bool {
        validate::is_attached(&self.transactions)
    }

    /// All message fragments in index order, concatenated (each fragment is
    /// 2187 trytes, so the end is padded with `9`).
    pub fn message(&self) -> Trytes {
        concatenate(self.transactions.iter())
    }

    /// The fragments of the transactions to `address`, in index order: the
    /// message of that address's transfer(s).
    pub fn message_to(&self, address: &Hash81) -> Trytes {
        concatenate(self.transactions.iter().filter(|t| &t.address == address))
    }

    /// The transaction trytes in the order `prepareTransfers` returns them
    /// and `attachToTangle` expects them: last index first.
    pub fn prepared_trytes(&self) -> Vec<Trytes> {
        self.transactions
            .iter()
            .rev()
            .map(Transaction::to_trytes)
            .collect()
    }

    /// The transaction trytes, index 0 first (the order `attachToTangle`
    /// returns).
    pub fn to_trytes(&self) -> Vec<Trytes> {
        self.transactions
            .iter()
            .map(Transaction::to_trytes)
            .collect()
    }
}

fn concatenate<'a>(transactions: impl Iterator<Item = &'a Transaction>) -> Trytes {
    let mut message = Trytes::new();
    for transaction in transactions {
        message.push_trytes(transaction.signature_message_fragment.as_trytes());
    }
    message
}

#[cfg(test)]
mod tests;
