//! The bundle hash: Kerl over the essences of all transactions, and the
//! normalized form that decides whether a bundle hash is safe to sign.

use crate::curl::HASH_LENGTH;
use crate::kerl::{Kerl, KerlError};
use crate::ternary::Hash81;
use crate::transaction::Transaction;

use super::BundleError;

/// Trits of one transaction essence (address, value, obsolete tag,
/// timestamp, current index, last index).
pub const ESSENCE_TRITS: usize = 486;
/// Where the obsolete tag sits inside an essence (trits 324..405).
pub(super) const OBSOLETE_TAG_IN_ESSENCE: core::ops::Range<usize> = 324..405;
/// Trytes of a normalized bundle hash.
pub const NORMALIZED_BUNDLE_TRYTES: usize = 81;
/// The tryte value a normalized bundle hash must not contain: signing with
/// it would reveal an unhashed private key chunk (legacy `MAX_TRYTE_VALUE`).
pub const INSECURE_TRYTE: i8 = 13;

/// The bundle hash of `transactions` as they are: Kerl of their essences in
/// the order given.
pub fn bundle_hash(transactions: &[Transaction]) -> Result<Hash81, BundleError> {
    let mut essences = Vec::with_capacity(transactions.len() * ESSENCE_TRITS);
    for transaction in transactions {
        essences.extend(transaction.essence_trits());
    }
    Ok(Hash81::from_valid_trits(&hash_essences(&essences)?))
}

/// Kerl of concatenated essence trits.
pub(super) fn hash_essences(essences: &[i8]) -> Result<[i8; HASH_LENGTH], KerlError> {
    Kerl::new().digest(essences)
}

/// The normalized bundle hash, as legacy `normalizedBundle`: the 81 tryte
/// values, where each third (27 trytes) is shifted tryte by tryte until its
/// values add up to zero.
pub fn normalized_bundle(hash: &[i8; HASH_LENGTH]) -> [i8; NORMALIZED_BUNDLE_TRYTES] {
    let mut normalized = [0i8; NORMALIZED_BUNDLE_TRYTES];
    for (tryte, trits) in normalized.iter_mut().zip(hash.chunks_exact(3)) {
        *tryte = trits[0] + 3 * trits[1] + 9 * trits[2];
    }
    for third in normalized.chunks_exact_mut(NORMALIZED_BUNDLE_TRYTES / 3) {
        let mut sum: i32 = third.iter().map(|&t| i32::from(t)).sum();
        // Each step moves the first tryte that can still move by one.
        while sum > 0 {
            match third.iter_mut().find(|t| **t > -13) {
                Some(tryte) => *tryte -= 1,
                None => break,
            }
            sum -= 1;
        }
        while sum < 0 {
            match third.iter_mut().find(|t| **t < 13) {
                Some(tryte) => *tryte += 1,
                None => break,
            }
            sum += 1;
        }
    }
    normalized
}

/// Whether a bundle hash is safe to sign: its normalized form has no 13.
pub fn is_secure_bundle_hash(hash: &[i8; HASH_LENGTH]) -> bool {
    !normalized_bundle(hash).contains(&INSECURE_TRYTE)
}

/// Adds one to little-endian balanced trits, dropping a carry out of the
/// top (as legacy `increment`).
pub(super) fn increment(trits: &mut [i8]) {
    for trit in trits {
        if *trit == 1 {
            *trit = -1;
        } else {
            *trit += 1;
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ternary::Trytes;

    #[test]
    fn increment_carries_in_balanced_ternary() {
        let mut trits = [1, 1, 0];
        increment(&mut trits);
        assert_eq!(trits, [-1, -1, 1]);
        let mut all_ones = [1, 1, 1];
        increment(&mut all_ones);
        assert_eq!(
            all_ones,
            [-1, -1, -1],
            "the carry out of the top is dropped"
        );
    }

    #[test]
    fn normalized_thirds_sum_to_zero() {
        let hash: Trytes =
            "MMMMMMMMMMMMMMMMMMMMMMMMMMMNNNNNNNNNNNNNNNNNNNNNNNNNNNABCDEFGHIJKLMNOPQRSTUVWXYZ9"
                .parse()
                .expect("trytes");
        let trits: [i8; HASH_LENGTH] = hash.to_trits().try_into().expect("81 trytes");
        let normalized = normalized_bundle(&trits);
        for third in normalized.chunks_exact(27) {
            assert_eq!(third.iter().map(|&t| i32::from(t)).sum::<i32>(), 0);
        }
        // 27 × 13 = 351 steps of one: 13 trytes go all the way to -13
        // (26 steps each), the 14th goes to 0, the rest stay 13.
        assert_eq!(normalized[0], -13);
        assert_eq!(normalized[13], 0);
        assert_eq!(normalized[14], 13);
        // The last third already sums to zero and stays as it is.
        assert_eq!(normalized[54], 1);
        assert_eq!(normalized[80], 0);
    }
}
