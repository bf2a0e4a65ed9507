//! The legacy IOTA transaction: 2673 trytes in fixed fields, identified by
//! its Curl-P-81 hash.

mod layout;

use core::str::FromStr;

use crate::curl::{CurlP, Rounds, HASH_LENGTH};
use crate::ternary::{
    trits_to_value, value_to_trits, Hash81, Tag27, TernaryError, TryteArray, Trytes,
};
use layout::Field;

/// Trytes in an encoded transaction.
pub const TRANSACTION_TRYTES: usize = 2673;
/// Trits in an encoded transaction.
pub const TRANSACTION_TRITS: usize = 3 * TRANSACTION_TRYTES;
/// Trytes of message (or signature) a transaction carries.
pub const FRAGMENT_TRYTES: usize = 2187;
/// Trits of a value that may be non-zero (the rest of the field must be 0).
const VALUE_SIGNIFICANT_TRITS: usize = 33;

/// The message or signature fragment of a transaction.
pub type Fragment = TryteArray<FRAGMENT_TRYTES>;

/// The 2673 trytes of one transaction, alphabet and length checked (what
/// the IRI API carries; [`Transaction::from_trytes`] checks the fields).
pub type TransactionTrytes = TryteArray<TRANSACTION_TRYTES>;

/// Why trytes are not a transaction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransactionError {
    /// Not 2673 valid trytes.
    #[error("transaction trytes: {0}")]
    Trytes(#[from] TernaryError),
    /// A value with non-zero trits past the 33 the protocol allows.
    #[error("value uses trits beyond the 33 the protocol allows")]
    ValueOutOfRange,
    /// A negative index or timestamp.
    #[error("{0} is negative")]
    Negative(&'static str),
    /// A current index past the last index.
    #[error("current index {current} is past the last index {last}")]
    IndexPastLast {
        /// The transaction's position in its bundle.
        current: i64,
        /// The bundle's last position.
        last: i64,
    },
}

/// A transaction, every field decoded and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// Message or signature trytes.
    pub signature_message_fragment: Fragment,
    /// The address it is sent to.
    pub address: Hash81,
    /// IOTA moved (0 for data).
    pub value: i64,
    /// Tag used in the bundle hash (adjusted to make it signable).
    pub obsolete_tag: Tag27,
    /// Seconds since the Unix epoch, set by the sender.
    pub timestamp: i64,
    /// Position in the bundle.
    pub current_index: i64,
    /// Last position in the bundle.
    pub last_index: i64,
    /// The bundle hash.
    pub bundle: Hash81,
    /// First transaction it approves.
    pub trunk_transaction: Hash81,
    /// Second transaction it approves.
    pub branch_transaction: Hash81,
    /// A searchable tag.
    pub tag: Tag27,
    /// Milliseconds since the Unix epoch, set by proof of work.
    pub attachment_timestamp: i64,
    /// Lower bound of the attachment timestamp.
    pub attachment_timestamp_lower_bound: i64,
    /// Upper bound of the attachment timestamp.
    pub attachment_timestamp_upper_bound: i64,
    /// The proof-of-work nonce.
    pub nonce: Tag27,
}

fn number(trits: &[i8], field: Field) -> i64 {
    trits_to_value(&trits[field.trits()])
}

fn non_negative(trits: &[i8], field: Field) -> Result<i64, TransactionError> {
    let value = number(trits, field);
    if value < 0 {
        return Err(TransactionError::Negative(field.name()));
    }
    Ok(value)
}

impl Transaction {
    /// Decodes and checks 2673 trytes.
    pub fn from_trytes(trytes: &Trytes) -> Result<Transaction, TransactionError> {
        if trytes.len() != TRANSACTION_TRYTES {
            return Err(TernaryError::WrongLength {
                expected: TRANSACTION_TRYTES,
                actual: trytes.len(),
            }
            .into());
        }
        let trits = trytes.to_trits();
        let value_trits = &trits[Field::Value.trits()];
        if value_trits[VALUE_SIGNIFICANT_TRITS..]
            .iter()
            .any(|&t| t != 0)
        {
            return Err(TransactionError::ValueOutOfRange);
        }
        let text = trytes.as_str();
        let current_index = non_negative(&trits, Field::CurrentIndex)?;
        let last_index = non_negative(&trits, Field::LastIndex)?;
        if current_index > last_index {
            return Err(TransactionError::IndexPastLast {
                current: current_index,
                last: last_index,
            });
        }
        Ok(Transaction {
            // The text as it came (already checked): no trip through trits.
            signature_message_fragment: Field::SignatureMessageFragment.slice(text).parse()?,
            address: Field::Address.slice(text).parse()?,
            value: trits_to_value(&value_trits[..VALUE_SIGNIFICANT_TRITS]),
            obsolete_tag: Field::ObsoleteTag.slice(text).parse()?,
            timestamp: number(&trits, Field::Timestamp),
            current_index,
            last_index,
            bundle: Field::Bundle.slice(text).parse()?,
            trunk_transaction: Field::TrunkTransaction.slice(text).parse()?,
            branch_transaction: Field::BranchTransaction.slice(text).parse()?,
            tag: Field::Tag.slice(text).parse()?,
            attachment_timestamp: number(&trits, Field::AttachmentTimestamp),
            attachment_timestamp_lower_bound: number(&trits, Field::AttachmentTimestampLowerBound),
            attachment_timestamp_upper_bound: number(&trits, Field::AttachmentTimestampUpperBound),
            nonce: Field::Nonce.slice(text).parse()?,
        })
    }

    /// The 8019 trits.
    pub fn to_trits(&self) -> Vec<i8> {
        let mut trits = vec![0i8; TRANSACTION_TRITS];
        self.write_trits(&mut trits);
        trits
    }

    /// Writes the 8019 trits into `trits` (exactly that long), field by
    /// field, without allocating.
    fn write_trits(&self, trits: &mut [i8]) {
        self.signature_message_fragment
            .write_trits(&mut trits[Field::SignatureMessageFragment.trits()]);
        self.write_essence(&mut trits[ESSENCE_RANGE]);
        self.bundle.write_trits(&mut trits[Field::Bundle.trits()]);
        self.trunk_transaction
            .write_trits(&mut trits[Field::TrunkTransaction.trits()]);
        self.branch_transaction
            .write_trits(&mut trits[Field::BranchTransaction.trits()]);
        self.tag.write_trits(&mut trits[Field::Tag.trits()]);
        self.nonce.write_trits(&mut trits[Field::Nonce.trits()]);
        for (field, value) in [
            (Field::AttachmentTimestamp, self.attachment_timestamp),
            (
                Field::AttachmentTimestampLowerBound,
                self.attachment_timestamp_lower_bound,
            ),
            (
                Field::AttachmentTimestampUpperBound,
                self.attachment_timestamp_upper_bound,
            ),
        ] {
            value_to_trits(value, &mut trits[field.trits()]);
        }
    }

    /// Writes the essence trits (address up to last index, as they sit in
    /// the transaction) into `essence` (exactly that long).
    fn write_essence(&self, essence: &mut [i8]) {
        let within = |field: Field| {
            let range = field.trits();
            range.start - ESSENCE_RANGE.start..range.end - ESSENCE_RANGE.start
        };
        self.address
            .write_trits(&mut essence[within(Field::Address)]);
        self.obsolete_tag
            .write_trits(&mut essence[within(Field::ObsoleteTag)]);
        for (field, value) in [
            (Field::Value, self.value),
            (Field::Timestamp, self.timestamp),
            (Field::CurrentIndex, self.current_index),
            (Field::LastIndex, self.last_index),
        ] {
            value_to_trits(value, &mut essence[within(field)]);
        }
    }

    /// The trits of the bundle essence (address, value, obsolete tag,
    /// timestamp, current and last index): what the bundle hash covers.
    pub fn essence_trits(&self) -> Vec<i8> {
        let mut essence = vec![0i8; ESSENCE_RANGE.len()];
        self.write_essence(&mut essence);
        essence
    }

    /// The 2673 trytes.
    pub fn to_trytes(&self) -> Trytes {
        Trytes::from_valid_trits(&self.to_trits())
    }

    /// The transaction hash: Curl-P-81 of the 8019 trits. Many at once:
    /// [`hash_transactions`].
    pub fn hash(&self) -> Hash81 {
        Hash81::from_valid_trits(&hash_transaction_trits(&self.to_trits()))
    }
}

impl FromStr for Transaction {
    type Err = TransactionError;

    fn from_str(text: &str) -> Result<Transaction, TransactionError> {
        Transaction::from_trytes(&text.parse()?)
    }
}

/// Where the bundle essence sits in a transaction's trits: address, value,
/// obsolete tag, timestamp, current and last index, back to back.
const ESSENCE_RANGE: core::ops::Range<usize> =
    Field::Address.trits().start..Field::LastIndex.trits().end;

/// The hashes of `transactions`, in order: each one's Curl-P-81, side by
/// side in the batch Curl (whose narrow words make even a handful cost no
/// more than one sponge each: `cargo bench -p mam-lib --bench
/// transaction_hash`). Each transaction is encoded once.
pub fn hash_transactions(transactions: &[&Transaction]) -> Vec<Hash81> {
    let lanes = crate::curl::batch::LANES;
    let mut hashes = Vec::with_capacity(transactions.len());
    let mut trits = vec![0i8; transactions.len().min(lanes) * TRANSACTION_TRITS];
    for batch in transactions.chunks(lanes) {
        let trits = &mut trits[..batch.len() * TRANSACTION_TRITS];
        for (transaction, out) in batch.iter().zip(trits.chunks_exact_mut(TRANSACTION_TRITS)) {
            transaction.write_trits(out);
        }
        let views: Vec<&[i8]> = trits.chunks_exact(TRANSACTION_TRITS).collect();
        match crate::curl::batch::hash_equal_length(Rounds::R81, &views) {
            Some(batched) => hashes.extend(batched.iter().map(|h| Hash81::from_valid_trits(h))),
            // Equal lengths, a multiple of 243: the batch never refuses
            // them; were it to, one sponge each gives the same hashes.
            None => hashes.extend(
                views
                    .iter()
                    .map(|view| Hash81::from_valid_trits(&hash_transaction_trits(view))),
            ),
        }
    }
    hashes
}

/// Curl-P-81 of a transaction's 8019 trits.
pub fn hash_transaction_trits(trits: &[i8]) -> [i8; HASH_LENGTH] {
    let mut sponge = CurlP::new(Rounds::R81);
    sponge.absorb(trits);
    sponge.rate()
}

/// Curl-P-81 of many transactions' 8019 trits at once (64 side by side),
/// in order: what a node validating a batch wants. Each must be 8019 trits.
pub fn hash_many_transaction_trits(
    transactions: &[&[i8]],
) -> Result<Vec<[i8; HASH_LENGTH]>, TransactionError> {
    if let Some(bad) = transactions.iter().find(|t| t.len() != TRANSACTION_TRITS) {
        return Err(TernaryError::WrongLength {
            expected: TRANSACTION_TRITS,
            actual: bad.len(),
        }
        .into());
    }
    if transactions.is_empty() {
        return Ok(Vec::new());
    }
    crate::curl::batch::hash_equal_length(Rounds::R81, transactions).ok_or(
        TransactionError::Trytes(TernaryError::WrongLength {
            expected: TRANSACTION_TRITS,
            actual: 0,
        }),
    )
}

/// How many trailing trits of a hash are zero: its proof-of-work weight.
pub fn hash_weight(hash: &Hash81) -> usize {
    crate::pow::hash_weight(&hash.to_trits())
}

#[cfg(test)]
mod tests;
