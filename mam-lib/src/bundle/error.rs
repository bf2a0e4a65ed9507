//! Why transfers cannot be bundled, or transactions are not a valid bundle.

use crate::kerl::KerlError;
use crate::ternary::{Hash81, TernaryError};
use crate::transaction::TransactionError;

/// What can go wrong building, decoding or validating a bundle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    /// A bundle needs at least one transfer.
    #[error("a bundle needs at least one transfer")]
    NoTransfers,
    /// An issuance timestamp that does not fit the 27-trit field.
    #[error("timestamp {0} does not fit a transaction (at most 3812798742493 seconds)")]
    TimestampOutOfRange(u64),
    /// No transactions at all.
    #[error("a bundle has at least one transaction")]
    Empty,
    /// Trytes that are not a transaction.
    #[error("transaction {position}: {source}")]
    Transaction {
        /// Position of the offending trytes in the input.
        position: usize,
        /// Why they are not a transaction.
        source: TransactionError,
    },
    /// A transaction out of place: the `position`-th has another index.
    #[error("transaction at position {position} has current index {current_index}")]
    IndexOutOfOrder {
        /// Its position in the input.
        position: usize,
        /// The index it carries.
        current_index: i64,
    },
    /// A last index that disagrees with the number of transactions.
    #[error("transaction {position} says the last index is {last_index}, but the bundle ends at {expected}")]
    LastIndexMismatch {
        /// The offending transaction's index.
        position: usize,
        /// The last index it carries.
        last_index: i64,
        /// The last index of the bundle as given.
        expected: i64,
    },
    /// A transaction that names another bundle than the first one.
    #[error("transaction {position} belongs to bundle {actual}, not {expected}")]
    MixedBundles {
        /// The offending transaction's index.
        position: usize,
        /// The bundle hash of the first transaction.
        expected: Hash81,
        /// The bundle hash it carries.
        actual: Hash81,
    },
    /// The bundle hash does not match the essences (altered transactions).
    #[error("bundle hash {claimed} does not match the transactions (they hash to {computed})")]
    WrongBundleHash {
        /// The hash the transactions carry.
        claimed: Hash81,
        /// The Kerl hash of their essences.
        computed: Hash81,
    },
    /// Values that do not add up to zero.
    #[error("values add up to {0}, not 0")]
    ValueSumNotZero(i128),
    /// A transaction that moves IOTA: signed value bundles are not supported.
    #[error("transaction {position} moves {value} IOTA; only zero-value bundles are supported")]
    ValueTransfer {
        /// The offending transaction's index.
        position: usize,
        /// Its value.
        value: i64,
    },
    /// An attached bundle whose trunk does not lead to the next transaction.
    #[error("transaction {position}'s trunk is not transaction {}", position + 1)]
    BrokenTrunkChain {
        /// The offending transaction's index.
        position: usize,
    },
    /// Input that is not valid trytes.
    #[error("{0}")]
    Trytes(#[from] TernaryError),
    /// Kerl refused its input (cannot happen with whole essences).
    #[error("bundle hash: {0}")]
    Kerl(#[from] KerlError),
}
