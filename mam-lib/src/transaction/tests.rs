//! Decoding, encoding and hashing against a bundle made by `@iota/core`
//! 1.0.0-beta.30's `prepareTransfers` (hash from `@iota/transaction`).

use super::*;

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vector {
    trytes: String,
    hash: String,
    timestamp: i64,
    current_index: i64,
    last_index: i64,
    bundle: String,
    tag: String,
}

fn vectors() -> Vec<Vector> {
    serde_json::from_str(include_str!("prepared_transfer.json")).expect("vector file")
}

#[test]
fn decodes_fields_and_hashes_like_iota_core() {
    for vector in vectors() {
        let transaction: Transaction = vector.trytes.parse().expect("valid transaction");
        assert_eq!(transaction.timestamp, vector.timestamp);
        assert_eq!(transaction.current_index, vector.current_index);
        assert_eq!(transaction.last_index, vector.last_index);
        assert_eq!(transaction.bundle.as_str(), vector.bundle);
        assert_eq!(transaction.tag.as_str(), vector.tag);
        assert_eq!(transaction.value, 0);
        assert_eq!(transaction.hash().as_str(), vector.hash);
        assert_eq!(
            transaction.to_trytes().as_str(),
            vector.trytes,
            "encode(decode(x)) == x"
        );
    }
}

#[test]
fn wrong_length_is_rejected() {
    let result = "9".repeat(2672).parse::<Transaction>();
    assert_eq!(
        result,
        Err(TransactionError::Trytes(TernaryError::WrongLength {
            expected: 2673,
            actual: 2672
        }))
    );
}

#[test]
fn invalid_characters_are_rejected() {
    let mut text = vectors()[0].trytes.clone();
    text.replace_range(100..101, "a");
    assert!(matches!(
        text.parse::<Transaction>(),
        Err(TransactionError::Trytes(TernaryError::InvalidTryte {
            position: 100,
            ..
        }))
    ));
}

#[test]
fn value_beyond_33_trits_is_rejected() {
    let mut text = vectors()[0].trytes.clone();
    // Tryte 2268 + 20 lies past the 11 significant trytes of the value.
    text.replace_range(2288..2289, "A");
    assert_eq!(
        text.parse::<Transaction>(),
        Err(TransactionError::ValueOutOfRange)
    );
}

#[test]
fn current_index_past_last_index_is_rejected() {
    let mut text = vectors()[0].trytes.clone();
    // currentIndex = 4 ('D'), lastIndex stays 1.
    text.replace_range(2331..2332, "D");
    assert!(matches!(
        text.parse::<Transaction>(),
        Err(TransactionError::IndexPastLast { current: 4, .. })
    ));
}

#[test]
fn weight_counts_trailing_zero_trits() {
    let hash: Hash81 = format!("{}A99", "B".repeat(78)).parse().expect("hash");
    // A is the trits 1, 0, 0: two more zeros before the six of "99".
    assert_eq!(hash_weight(&hash), 8);
}

#[test]
fn many_transactions_hash_like_one_at_a_time() {
    let transactions: Vec<Transaction> = vectors()
        .iter()
        .map(|v| v.trytes.parse().expect("valid"))
        .collect();
    let trits: Vec<Vec<i8>> = transactions.iter().map(Transaction::to_trits).collect();
    let views: Vec<&[i8]> = trits.iter().map(Vec::as_slice).collect();
    let hashes = hash_many_transaction_trits(&views).expect("8019 trits each");
    for (transaction, hash) in transactions.iter().zip(hashes) {
        assert_eq!(Hash81::from_valid_trits(&hash), transaction.hash());
    }
    assert!(hash_many_transaction_trits(&[&[0; 10]]).is_err());
}

#[test]
fn hashing_many_agrees_with_one_at_a_time_in_every_batch_width() {
    let vectors: Vec<Transaction> = vectors()
        .iter()
        .map(|v| v.trytes.parse().expect("valid"))
        .collect();
    // Distinct transactions, more than one batch of 64.
    let transactions: Vec<Transaction> = (0..70)
        .map(|i| {
            let mut transaction = vectors[i % vectors.len()].clone();
            transaction.attachment_timestamp = i as i64;
            transaction
        })
        .collect();
    for count in [0, 1, 7, 9, 17, 64, 70] {
        let each: Vec<&Transaction> = transactions[..count].iter().collect();
        let one_at_a_time: Vec<Hash81> = each.iter().map(|t| t.hash()).collect();
        assert_eq!(
            hash_transactions(&each),
            one_at_a_time,
            "{count} transactions"
        );
    }
}

#[test]
fn essence_is_the_slice_of_the_trits_from_address_to_last_index() {
    for vector in vectors() {
        let transaction: Transaction = vector.trytes.parse().expect("valid transaction");
        let trits = transaction.to_trits();
        assert_eq!(transaction.essence_trits(), trits[ESSENCE_RANGE].to_vec());
        assert_eq!(Trytes::from_valid_trits(&trits).as_str(), vector.trytes);
    }
}
