//! Building a zero-value bundle from transfers, exactly as `@iota/core`
//! 1.0.0-beta.30's `prepareTransfers` does.

use crate::ternary::{Hash81, Tag27, TryteArray, Trytes};
use crate::transaction::{Fragment, Transaction, FRAGMENT_TRYTES};

use super::hash::{
    hash_essences, increment, is_secure_bundle_hash, ESSENCE_TRITS, OBSOLETE_TAG_IN_ESSENCE,
};
use super::{Bundle, BundleError, Transfer};

/// The largest value a 27-trit field holds: (3^27 - 1) / 2.
pub const MAX_TIMESTAMP: u64 = 3_812_798_742_493;

/// How many transactions a message takes. `prepareTransfers` allocates
/// `1 + floor(len / 2187)` fragments, so a message of exactly k·2187 trytes
/// gets one more, empty, transaction; we do the same to stay byte-equal.
pub fn fragments_for(message_trytes: usize) -> usize {
    1 + message_trytes / FRAGMENT_TRYTES
}

impl Bundle {
    /// The bundle `prepareTransfers(seed, transfers)` makes for zero-value
    /// transfers issued at `timestamp` (Unix seconds): each transfer's
    /// message split into 2187-tryte fragments, tag and obsolete tag set to
    /// the transfer's tag, the obsolete tag of the first transaction then
    /// incremented until the normalized bundle hash holds no 13, and trunk,
    /// branch, attachment fields and nonce left all `9`.
    pub fn from_transfers(transfers: &[Transfer], timestamp: u64) -> Result<Bundle, BundleError> {
        if transfers.is_empty() {
            return Err(BundleError::NoTransfers);
        }
        if timestamp > MAX_TIMESTAMP {
            return Err(BundleError::TimestampOutOfRange(timestamp));
        }
        let count: usize = transfers
            .iter()
            .map(|transfer| fragments_for(transfer.message.len()))
            .sum();
        let last_index = count as i64 - 1;
        let mut transactions = Vec::with_capacity(count);
        for transfer in transfers {
            for fragment in split_message(&transfer.message)? {
                transactions.push(Transaction {
                    signature_message_fragment: fragment,
                    address: transfer.address.clone(),
                    value: 0,
                    obsolete_tag: transfer.tag.clone(),
                    timestamp: timestamp as i64,
                    current_index: transactions.len() as i64,
                    last_index,
                    bundle: Hash81::nines(),
                    trunk_transaction: Hash81::nines(),
                    branch_transaction: Hash81::nines(),
                    tag: transfer.tag.clone(),
                    attachment_timestamp: 0,
                    attachment_timestamp_lower_bound: 0,
                    attachment_timestamp_upper_bound: 0,
                    nonce: Tag27::nines(),
                });
            }
        }
        let (bundle, obsolete_tag) = find_secure_bundle_hash(&transactions)?;
        if let Some(first) = transactions.first_mut() {
            first.obsolete_tag = obsolete_tag;
        }
        for transaction in &mut transactions {
            transaction.bundle = bundle.clone();
        }
        Ok(Bundle::new_unchecked(transactions))
    }
}

/// The message cut into fragments, the last one padded with `9`.
fn split_message(message: &Trytes) -> Result<Vec<Fragment>, BundleError> {
    (0..fragments_for(message.len()))
        .map(|i| {
            let start = (i * FRAGMENT_TRYTES).min(message.len());
            let end = ((i + 1) * FRAGMENT_TRYTES).min(message.len());
            let piece = message.slice(start..end).unwrap_or_default();
            Ok(TryteArray::from_trytes(piece.padded(FRAGMENT_TRYTES))?)
        })
        .collect()
}

/// Increments the first transaction's obsolete tag until the bundle hash is
/// secure (legacy `finalizeBundle`); returns that hash and obsolete tag.
/// About one hash in twenty is secure, so this takes some twenty Kerl runs.
fn find_secure_bundle_hash(transactions: &[Transaction]) -> Result<(Hash81, Tag27), BundleError> {
    let mut essences = Vec::with_capacity(transactions.len() * ESSENCE_TRITS);
    for transaction in transactions {
        essences.extend(transaction.essence_trits());
    }
    loop {
        let hash = hash_essences(&essences)?;
        if is_secure_bundle_hash(&hash) {
            let tag = Tag27::from_valid_trits(&essences[OBSOLETE_TAG_IN_ESSENCE]);
            return Ok((Hash81::from_valid_trits(&hash), tag));
        }
        increment(&mut essences[OBSOLETE_TAG_IN_ESSENCE]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ternary::{trits_to_value, value_to_trits};

    fn fits_27_trits(value: u64) -> bool {
        let mut trits = [0i8; 27];
        let wide = i64::try_from(value).expect("small");
        value_to_trits(wide, &mut trits);
        trits_to_value(&trits) == wide
    }

    fn transfer(message_len: usize) -> Transfer {
        Transfer::new(
            "A".repeat(81).parse().expect("address"),
            "B".repeat(message_len).parse().expect("message"),
            Tag27::padded("TAG".parse().expect("tag")).expect("short tag"),
        )
    }

    #[test]
    fn whole_fragments_get_an_extra_empty_transaction() {
        assert_eq!(fragments_for(0), 1);
        assert_eq!(fragments_for(2186), 1);
        assert_eq!(fragments_for(2187), 2);
        assert_eq!(fragments_for(2188), 2);
    }

    #[test]
    fn bundle_is_valid_and_secure() {
        let bundle =
            Bundle::from_transfers(&[transfer(5000), transfer(0)], 1_700_000_000).expect("bundle");
        assert_eq!(bundle.len(), 4);
        let hash: [i8; 243] = bundle.hash().to_trits().try_into().expect("243 trits");
        assert!(is_secure_bundle_hash(&hash));
        assert!(Bundle::from_transactions(bundle.transactions().to_vec()).is_ok());
        assert_eq!(&bundle.message().as_str()[..5000], "B".repeat(5000));
    }

    #[test]
    fn no_transfers_is_an_error() {
        assert_eq!(
            Bundle::from_transfers(&[], 0),
            Err(BundleError::NoTransfers)
        );
    }

    #[test]
    fn timestamp_must_fit_its_field() {
        assert!(fits_27_trits(MAX_TIMESTAMP));
        assert!(!fits_27_trits(MAX_TIMESTAMP + 1));
        assert_eq!(
            Bundle::from_transfers(&[transfer(1)], MAX_TIMESTAMP + 1),
            Err(BundleError::TimestampOutOfRange(MAX_TIMESTAMP + 1))
        );
    }
}
