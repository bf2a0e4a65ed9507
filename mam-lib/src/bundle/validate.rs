//! Checking that transactions form one valid zero-value bundle.

use crate::ternary::Hash81;
use crate::transaction::{hash_transactions, Transaction};

use super::hash::bundle_hash;
use super::BundleError;

/// Checks that `transactions`, in index order, form one valid bundle:
/// indexes `0..n` in order, the same last index and bundle hash everywhere,
/// the bundle hash equal to the Kerl hash of the essences, values adding up
/// to zero (bundles that move IOTA carry signatures, which are not
/// supported: they are rejected with [`BundleError::ValueTransfer`]), and,
/// once attached, each transaction's trunk the hash of the next one.
///
/// A bundle counts as attached unless every trunk is all `9` (as
/// `prepareTransfers` leaves them).
pub fn validate_bundle(transactions: &[Transaction]) -> Result<(), BundleError> {
    check_contents(transactions)?;
    if is_attached(transactions) {
        let each: Vec<&Transaction> = transactions.iter().collect();
        check_trunk_chain(transactions, &hash_transactions(&each))?;
    }
    Ok(())
}

/// Everything [`validate_bundle`] checks but the trunk chain: indexes, last
/// index, bundle hash claimed and computed, values.
pub(super) fn check_contents(transactions: &[Transaction]) -> Result<(), BundleError> {
    let first = transactions.first().ok_or(BundleError::Empty)?;
    let expected_last = transactions.len() as i64 - 1;
    for (position, transaction) in transactions.iter().enumerate() {
        if transaction.current_index != position as i64 {
            return Err(BundleError::IndexOutOfOrder {
                position,
                current_index: transaction.current_index,
            });
        }
        if transaction.last_index != expected_last {
            return Err(BundleError::LastIndexMismatch {
                position,
                last_index: transaction.last_index,
                expected: expected_last,
            });
        }
        if transaction.bundle != first.bundle {
            return Err(BundleError::MixedBundles {
                position,
                expected: first.bundle.clone(),
                actual: transaction.bundle.clone(),
            });
        }
    }
    check_values(transactions)?;
    let computed = bundle_hash(transactions)?;
    if computed != first.bundle {
        return Err(BundleError::WrongBundleHash {
            claimed: first.bundle.clone(),
            computed,
        });
    }
    Ok(())
}

fn check_values(transactions: &[Transaction]) -> Result<(), BundleError> {
    let sum: i128 = transactions.iter().map(|t| i128::from(t.value)).sum();
    if sum != 0 {
        return Err(BundleError::ValueSumNotZero(sum));
    }
    match transactions.iter().position(|t| t.value != 0) {
        Some(position) => Err(BundleError::ValueTransfer {
            position,
            value: transactions[position].value,
        }),
        None => Ok(()),
    }
}

/// Whether the transactions went through attachment (some trunk is set).
pub(super) fn is_attached(transactions: &[Transaction]) -> bool {
    transactions
        .iter()
        .any(|t| t.trunk_transaction.as_str().bytes().any(|b| b != b'9'))
}

/// Checks that each transaction's trunk is the next one's hash. `hashes`
/// are those of `transactions`, computed here (never a node's word for
/// them): the caller hashes once for this and for what else it needs.
pub(super) fn check_trunk_chain(
    transactions: &[Transaction],
    hashes: &[Hash81],
) -> Result<(), BundleError> {
    debug_assert_eq!(transactions.len(), hashes.len());
    for (position, (transaction, next_hash)) in transactions.iter().zip(&hashes[1..]).enumerate() {
        if &transaction.trunk_transaction != next_hash {
            return Err(BundleError::BrokenTrunkChain { position });
        }
    }
    Ok(())
}
