//! Trytes to a checked transaction: decoded field by field
//! (`Transaction::from_trytes`), hashed (Curl-P-81) and held to the node's
//! minimum weight magnitude. Whether its trunk and branch are known is the
//! store's check, made under its write lock.

use mam_lib::ternary::{Hash81, TernaryError, Trytes};
use mam_lib::transaction::{
    hash_many_transaction_trits, hash_transaction_trits, hash_weight, Transaction,
    TransactionError, TransactionTrytes,
};

use crate::storage::codec;

/// A transaction that passed every check that needs no database.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidTransaction {
    /// Its Curl-P-81 hash.
    pub hash: Hash81,
    /// Its decoded fields.
    pub transaction: Transaction,
    /// Its 8019 trits packed five to a byte, as stored.
    pub packed: Vec<u8>,
}

impl std::fmt::Debug for ValidTransaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The 2673 trytes would drown any log or test failure.
        f.debug_struct("ValidTransaction")
            .field("hash", &self.hash.as_str())
            .finish_non_exhaustive()
    }
}

/// Why trytes are not a transaction this node accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidTransaction {
    /// The trytes do not decode (value out of range, index past last, ...).
    #[error("not a valid transaction: {0}")]
    Malformed(#[from] TransactionError),
    /// The proof of work is missing or too weak.
    #[error(
        "transaction {hash} has weight {weight} but this node requires a minimum weight \
         magnitude of {mwm}: do proof of work with minWeightMagnitude >= {mwm} \
         (attachToTangle does it)"
    )]
    InsufficientWeight {
        /// The transaction's hash.
        hash: Hash81,
        /// Trailing zero trits of the hash.
        weight: usize,
        /// The node's minimum.
        mwm: u8,
    },
    /// The hash is all `9`s, the name of the genesis (only the all-`9`
    /// transaction hashes to it).
    #[error("the transaction hashes to 81 9s, the genesis, and cannot be stored")]
    GenesisHash,
    /// Hashing produced something that is not a hash (a bug, not input).
    #[error("hashing failed: {0}")]
    Hashing(#[from] TernaryError),
}

/// The hash of a transaction's trits.
pub fn transaction_hash(trits: &[i8]) -> Result<Hash81, TernaryError> {
    Hash81::from_trytes(Trytes::from_trits(&hash_transaction_trits(trits))?)
}

/// Checks one transaction against the minimum weight magnitude `mwm`.
pub fn validate(
    trytes: &TransactionTrytes,
    mwm: u8,
) -> Result<ValidTransaction, InvalidTransaction> {
    let transaction = Transaction::from_trytes(trytes.as_trytes())?;
    let trits = trytes.to_trits();
    let hash = transaction_hash(&trits)?;
    checked(transaction, &trits, hash, mwm)
}

/// The checks that need the hash.
fn checked(
    transaction: Transaction,
    trits: &[i8],
    hash: Hash81,
    mwm: u8,
) -> Result<ValidTransaction, InvalidTransaction> {
    if hash.as_trytes().trim_nines().is_empty() {
        return Err(InvalidTransaction::GenesisHash);
    }
    let weight = hash_weight(&hash);
    if weight < usize::from(mwm) {
        return Err(InvalidTransaction::InsufficientWeight { hash, weight, mwm });
    }
    Ok(ValidTransaction {
        hash,
        transaction,
        packed: codec::pack_trits(trits),
    })
}

/// Checks a run of transactions, hashing them side by side (64 at a time,
/// about twenty times cheaper than one by one); `offset` numbers them in
/// errors.
fn validate_run(
    offset: usize,
    list: &[TransactionTrytes],
    mwm: u8,
) -> Result<Vec<ValidTransaction>, (usize, InvalidTransaction)> {
    let decoded = list
        .iter()
        .enumerate()
        .map(|(i, trytes)| {
            Transaction::from_trytes(trytes.as_trytes())
                .map(|transaction| (transaction, trytes.to_trits()))
                .map_err(|e| (offset + i, InvalidTransaction::from(e)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let views: Vec<&[i8]> = decoded.iter().map(|(_, trits)| trits.as_slice()).collect();
    let hashes =
        hash_many_transaction_trits(&views).map_err(|e| (offset, InvalidTransaction::from(e)))?;
    decoded
        .into_iter()
        .zip(hashes)
        .enumerate()
        .map(|(i, ((transaction, trits), hash))| {
            let hash =
                Hash81::from_trytes(Trytes::from_trits(&hash).map_err(|e| (offset + i, e.into()))?)
                    .map_err(|e| (offset + i, e.into()))?;
            checked(transaction, &trits, hash, mwm).map_err(|e| (offset + i, e))
        })
        .collect()
}

/// Batches smaller than this are checked on the calling thread: spawning
/// costs more than hashing a few transactions (about 0.2 ms each).
const PARALLEL_THRESHOLD: usize = 8;

/// Checks every transaction, on up to `threads` threads; on failure, the
/// position of the first invalid one and why.
pub fn validate_all(
    list: &[TransactionTrytes],
    mwm: u8,
    threads: usize,
) -> Result<Vec<ValidTransaction>, (usize, InvalidTransaction)> {
    let check_chunk = |offset: usize, chunk: &[TransactionTrytes]| validate_run(offset, chunk, mwm);
    if threads <= 1 || list.len() < PARALLEL_THRESHOLD {
        return check_chunk(0, list);
    }
    let chunk_len = list.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = list
            .chunks(chunk_len)
            .enumerate()
            .map(|(n, chunk)| scope.spawn(move || check_chunk(n * chunk_len, chunk)))
            .collect();
        let mut valid = Vec::with_capacity(list.len());
        for worker in workers {
            match worker.join() {
                Ok(result) => valid.extend(result?),
                // A panic in hashing is a bug; surface it where it happened.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(valid)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(address: char) -> TransactionTrytes {
        let mut text = "9".repeat(mam_lib::transaction::TRANSACTION_TRYTES);
        text.replace_range(2187..2268, &address.to_string().repeat(81));
        text.parse().expect("trytes")
    }

    #[test]
    fn weight_below_the_minimum_is_refused_with_the_numbers() {
        let zero = validate(&sample('A'), 0).expect("mwm 0 accepts any hash");
        let weight = hash_weight(&zero.hash);
        let err = validate(&sample('A'), (weight + 1) as u8).expect_err("too weak");
        assert!(matches!(
            err,
            InvalidTransaction::InsufficientWeight { weight: w, .. } if w == weight
        ));
        assert!(err.to_string().contains("minimum weight magnitude"));
    }

    #[test]
    fn the_all_nines_transaction_is_the_genesis_and_refused() {
        assert_eq!(
            validate(&TransactionTrytes::nines(), 0).err(),
            Some(InvalidTransaction::GenesisHash)
        );
    }

    #[test]
    fn parallel_and_serial_agree_and_name_the_first_bad_position() {
        let list: Vec<_> = "ABCDEFGHIJKLMNOPQRST".chars().map(sample).collect();
        let serial = validate_all(&list, 0, 1).expect("valid");
        let parallel = validate_all(&list, 0, 4).expect("valid");
        assert_eq!(serial, parallel);
        let mut with_bad = list.clone();
        with_bad[13] = TransactionTrytes::nines();
        assert_eq!(validate_all(&with_bad, 0, 4).err().map(|e| e.0), Some(13));
    }
}
