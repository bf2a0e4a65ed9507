//! Zero-value bundles against `@iota/core` 1.0.0-beta.30's
//! `prepareTransfers` (vectors written by
//! `interop/generate-bundle-vectors.mjs`): equal tryte for tryte, in the
//! order it returns them, and read back into the same transfers.

use mam_lib::bundle::{fragments_for, validate_bundle, Bundle, Transfer};
use mam_lib::ternary::{Tag27, Trytes};
use mam_lib::transaction::Transaction;

#[derive(serde::Deserialize)]
struct VectorFile {
    reference: String,
    vectors: Vec<Vector>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vector {
    name: String,
    timestamp: u64,
    transfers: Vec<VectorTransfer>,
    bundle: String,
    obsolete_tag: String,
    trytes: Vec<String>,
}

#[derive(serde::Deserialize)]
struct VectorTransfer {
    address: String,
    message: String,
    tag: String,
}

fn vectors() -> VectorFile {
    serde_json::from_str(include_str!("vectors/bundles.json")).expect("vector file")
}

fn transfers(vector: &Vector) -> Vec<Transfer> {
    vector
        .transfers
        .iter()
        .map(|t| {
            Transfer::new(
                t.address.parse().expect("address"),
                t.message.parse().expect("message"),
                Tag27::padded(t.tag.parse().expect("tag")).expect("tag fits"),
            )
        })
        .collect()
}

#[test]
fn covers_the_interesting_lengths() {
    let file = vectors();
    assert!(file.reference.starts_with("@iota/core 1.0.0-beta.30"));
    let lengths: Vec<usize> = file
        .vectors
        .iter()
        .flat_map(|v| v.transfers.iter().map(|t| t.message.len()))
        .collect();
    for wanted in [0, 1, 2187, 2188, 4374, 5000] {
        assert!(lengths.contains(&wanted), "no message of {wanted} trytes");
    }
    assert!(file.vectors.iter().any(|v| v.transfers.len() >= 3));
}

#[test]
fn bundles_equal_prepare_transfers_tryte_for_tryte() {
    for vector in vectors().vectors {
        let bundle = Bundle::from_transfers(&transfers(&vector), vector.timestamp)
            .unwrap_or_else(|e| panic!("{}: {e}", vector.name));
        assert_eq!(bundle.hash().as_str(), vector.bundle, "{}", vector.name);
        assert_eq!(
            bundle.tail().obsolete_tag.as_str(),
            vector.obsolete_tag,
            "{}",
            vector.name
        );
        let ours: Vec<String> = bundle
            .prepared_trytes()
            .iter()
            .map(|t| t.to_string())
            .collect();
        assert_eq!(ours.len(), vector.trytes.len(), "{}", vector.name);
        for (i, (mine, theirs)) in ours.iter().zip(&vector.trytes).enumerate() {
            assert_eq!(
                mine, theirs,
                "{}: transaction {i} of the returned array",
                vector.name
            );
        }
    }
}

#[test]
fn their_bundles_validate_and_carry_the_messages() {
    for vector in vectors().vectors {
        let trytes: Vec<Trytes> = vector
            .trytes
            .iter()
            .map(|t| t.parse().expect("trytes"))
            .collect();
        let bundle =
            Bundle::from_trytes(&trytes).unwrap_or_else(|e| panic!("{}: {e}", vector.name));
        let transactions: Vec<Transaction> = bundle.transactions().to_vec();
        assert_eq!(validate_bundle(&transactions), Ok(()));
        // Each transfer's message padded to whole fragments; transfers to
        // the same address follow one another.
        let sent = transfers(&vector);
        for transfer in &sent {
            let expected: String = sent
                .iter()
                .filter(|t| t.address == transfer.address)
                .map(|t| {
                    let padded = fragments_for(t.message.len()) * 2187;
                    t.message.clone().padded(padded).to_string()
                })
                .collect();
            assert_eq!(
                bundle.message_to(&transfer.address).as_str(),
                expected,
                "{}: message",
                vector.name
            );
        }
    }
}
