//! Fuzzing the transaction reader (`mam_lib::transaction::Transaction`):
//! transaction trytes come from the node, so whatever they hold, reading
//! them returns an error or a transaction and never panics; and every
//! transaction read writes back as exactly the trytes it was read from (no
//! two spellings of one transaction, nothing lost).
//!
//! Valid transactions are built from random fields within their ranges and
//! taken from the committed `prepareTransfers` vectors
//! (`tests/vectors/bundles.json`). Cases per property: 512 in a normal run,
//! `PROPTEST_CASES` for a long one (README, "Fuzzing").

#![cfg(not(target_arch = "wasm32"))]

mod fuzz_support;

use std::sync::OnceLock;

use fuzz_support::{
    any_trytes, config, mutate_trytes, tryte_edits, tryte_replacements, vector_bundles,
};
use mam_lib::ternary::{Hash81, Tag27, TryteArray, Trytes};
use mam_lib::transaction::{Transaction, FRAGMENT_TRYTES, TRANSACTION_TRYTES};
use proptest::prelude::*;
use proptest::sample::Index;

/// The largest magnitude of a value: 33 trits, (3^33 - 1) / 2.
const MAX_VALUE: i64 = 2_779_530_283_277_761;
/// The largest magnitude of a 27-trit field (timestamps, indexes).
const MAX_27_TRITS: i64 = 3_812_798_742_493;

fn fixed<const N: usize>() -> impl Strategy<Value = TryteArray<N>> {
    any_trytes(N..N + 1).prop_map(|trytes| TryteArray::from_trytes(trytes).expect("N trytes"))
}

/// Any transaction the format can hold.
fn any_transaction() -> impl Strategy<Value = Transaction> {
    let field = -MAX_27_TRITS..=MAX_27_TRITS;
    (
        (
            fixed::<FRAGMENT_TRYTES>(),
            fixed::<81>(),
            -MAX_VALUE..=MAX_VALUE,
            fixed::<27>(),
            field.clone(),
            (0..=MAX_27_TRITS, 0..=MAX_27_TRITS),
            fixed::<81>(),
        ),
        (
            fixed::<81>(),
            fixed::<81>(),
            fixed::<27>(),
            field.clone(),
            field.clone(),
            field,
            fixed::<27>(),
        ),
    )
        .prop_map(
            |(
                (fragment, address, value, obsolete_tag, timestamp, (a, b), bundle),
                (trunk, branch, tag, attached, lower, upper, nonce),
            )| Transaction {
                signature_message_fragment: fragment,
                address,
                value,
                obsolete_tag,
                timestamp,
                current_index: a.min(b),
                last_index: a.max(b),
                bundle,
                trunk_transaction: trunk,
                branch_transaction: branch,
                tag,
                attachment_timestamp: attached,
                attachment_timestamp_lower_bound: lower,
                attachment_timestamp_upper_bound: upper,
                nonce,
            },
        )
}

/// The transactions of the committed `prepareTransfers` vectors.
fn vector_transactions() -> &'static [Trytes] {
    static TRANSACTIONS: OnceLock<Vec<Trytes>> = OnceLock::new();
    TRANSACTIONS.get_or_init(|| {
        vector_bundles(include_str!("vectors/bundles.json"))
            .into_iter()
            .flatten()
            .collect()
    })
}

/// Reading `trytes` (as trytes and as text) never panics, and what it
/// reads writes back unchanged.
fn check_reads_back(trytes: &Trytes) -> Result<(), TestCaseError> {
    let read = Transaction::from_trytes(trytes);
    prop_assert_eq!(&trytes.as_str().parse::<Transaction>(), &read);
    if let Ok(transaction) = read {
        prop_assert_eq!(&transaction.to_trytes(), trytes);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_text_is_an_error_or_a_transaction(text in ".{0,40}|[9A-Z]{2673}|[9A-Za-z]{2600,2700}") {
        if let Ok(transaction) = text.parse::<Transaction>() {
            prop_assert_eq!(transaction.to_trytes().to_string(), text);
        }
    }

    #[test]
    fn any_trytes_are_an_error_or_a_transaction_that_reads_back(
        trytes in prop_oneof![
            3 => any_trytes(TRANSACTION_TRYTES..TRANSACTION_TRYTES + 1),
            1 => any_trytes(0..3000),
        ],
    ) {
        check_reads_back(&trytes)?;
    }

    #[test]
    fn valid_transactions_round_trip(transaction in any_transaction()) {
        let trytes = transaction.to_trytes();
        prop_assert_eq!(trytes.len(), TRANSACTION_TRYTES);
        prop_assert_eq!(Transaction::from_trytes(&trytes), Ok(transaction));
    }

    #[test]
    fn changed_transactions_are_an_error_or_read_back(
        transaction in any_transaction(),
        edits in prop_oneof![3 => tryte_replacements(), 1 => tryte_edits()],
    ) {
        check_reads_back(&mutate_trytes(&transaction.to_trytes(), &edits))?;
    }

    #[test]
    fn changed_vector_transactions_are_an_error_or_read_back(
        transaction in any::<Index>(),
        edits in prop_oneof![3 => tryte_replacements(), 1 => tryte_edits()],
    ) {
        let trytes = transaction.get(vector_transactions());
        prop_assert!(Transaction::from_trytes(trytes).is_ok());
        check_reads_back(&mutate_trytes(trytes, &edits))?;
    }
}

#[test]
fn field_extremes_round_trip() {
    let mut transaction = Transaction::from_trytes(&Trytes::nines(TRANSACTION_TRYTES))
        .expect("all 9 is a transaction");
    for (value, field) in [(MAX_VALUE, MAX_27_TRITS), (-MAX_VALUE, -MAX_27_TRITS)] {
        transaction.value = value;
        transaction.timestamp = field;
        transaction.attachment_timestamp = field;
        transaction.last_index = MAX_27_TRITS;
        transaction.current_index = MAX_27_TRITS;
        transaction.tag = Tag27::nines();
        transaction.bundle = Hash81::nines();
        assert_eq!(
            Transaction::from_trytes(&transaction.to_trytes()),
            Ok(transaction.clone())
        );
    }
}
