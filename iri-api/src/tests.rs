//! Both ends of the wire: what a client writes, a node reads back
//! unchanged, and the other way round.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

use crate::*;
use mam_lib::ternary::{Hash81, Tag27};
use mam_lib::transaction::TransactionTrytes;

fn hash(letter: char) -> Hash81 {
    letter.to_string().repeat(81).parse().expect("hash")
}

fn tag(text: &str) -> Tag27 {
    Tag27::padded(text.parse().expect("trytes")).expect("tag")
}

/// Sends `command` as a client would and reads it as a node would.
fn read_back<C: Command + DeserializeOwned>(command: &C) -> C {
    let body = request_body(command).expect("encodes");
    serde_json::from_str(&body).expect("decodes")
}

fn answer_round_trip<T: Serialize + DeserializeOwned>(answer: &T) -> T {
    serde_json::from_str(&serde_json::to_string(answer).expect("encodes")).expect("decodes")
}

#[test]
fn every_request_reads_back_as_it_was_sent() {
    let find = FindTransactions {
        addresses: Some(vec![hash('A')]),
        tags: Some(vec![tag("MAM")]),
        ..FindTransactions::default()
    };
    assert_eq!(read_back(&find), find);
    let attach = AttachToTangle {
        trunk_transaction: hash('T'),
        branch_transaction: hash('B'),
        min_weight_magnitude: 14,
        trytes: vec![TransactionTrytes::nines()],
    };
    assert_eq!(read_back(&attach), attach);
    let balances = GetBalances {
        addresses: vec![hash('A')],
        threshold: Some(100),
        tips: None,
    };
    assert_eq!(read_back(&balances), balances);
    let tips = GetTransactionsToApprove {
        depth: 3,
        reference: Some(hash('R')),
    };
    assert_eq!(read_back(&tips), tips);
    let states = GetInclusionStates {
        transactions: vec![hash('H')],
        tips: Some(vec![hash('T')]),
    };
    assert_eq!(read_back(&states), states);
    let tails = CheckConsistency {
        tails: vec![hash('H')],
    };
    assert_eq!(read_back(&tails), tails);
    assert_eq!(
        request_body(&GetNeighbors {}).expect("encodes"),
        r#"{"command":"getNeighbors"}"#
    );
}

#[test]
fn numbers_and_tags_read_as_iri_reads_them() {
    let tips: GetTransactionsToApprove =
        serde_json::from_value(json!({"command": "getTransactionsToApprove", "depth": 3.0}))
            .expect("a float that is an integer");
    assert_eq!(tips.depth, 3);
    assert!(serde_json::from_value::<GetTransactionsToApprove>(json!({"depth": -1})).is_err());
    assert!(serde_json::from_value::<GetTransactionsToApprove>(json!({"depth": 2.5})).is_err());
    let balances: GetBalances =
        serde_json::from_value(json!({"addresses": [], "threshold": null})).expect("null");
    assert_eq!(balances.threshold, None);

    let long_form = format!("ABC{}", "9".repeat(78));
    let find: FindTransactions =
        serde_json::from_value(json!({"tags": ["ABC", long_form]})).expect("tags");
    assert_eq!(find.tags, Some(vec![tag("ABC"), tag("ABC")]));
    let too_long = "A".repeat(28);
    let error = serde_json::from_value::<FindTransactions>(json!({ "tags": [too_long] }))
        .expect_err("28 trytes");
    assert!(error.to_string().contains("at most 27 trytes"), "{error}");
}

#[test]
fn a_transaction_of_the_wrong_length_is_not_read() {
    let short = "9".repeat(2672);
    let error = serde_json::from_value::<StoreTransactions>(json!({ "trytes": [short] }))
        .expect_err("2672 trytes");
    assert!(
        error.to_string().contains("expected 2673 trytes"),
        "{error}"
    );
}

#[test]
fn answers_a_node_writes_read_back_unchanged() {
    let info = NodeInfo {
        app_name: "tangle-node".into(),
        app_version: "0.1.0".into(),
        jre_available_processors: Some(2),
        latest_milestone: Some(Hash81::nines()),
        latest_milestone_index: Some(0),
        last_snapshotted_milestone_index: Some(0),
        features: vec!["RemotePOW".into()],
        ..NodeInfo::default()
    };
    assert_eq!(answer_round_trip(&info), info);
    let balances = Balances {
        balances: vec![0, 7],
        references: vec![Hash81::nines()],
        milestone_index: Some(0),
        duration: None,
    };
    assert_eq!(
        serde_json::to_value(&balances).expect("encodes")["balances"],
        json!(["0", "7"]),
        "balances as decimal strings, as IRI writes them"
    );
    assert_eq!(answer_round_trip(&balances), balances);
    let consistency = Consistency {
        state: false,
        info: Some("tails are not solid".into()),
        duration: Some(1),
    };
    assert_eq!(answer_round_trip(&consistency), consistency);
    let error = ErrorBody {
        error: Some("Command [mine] is unknown".into()),
        exception: None,
        duration: Some(0),
    };
    assert_eq!(
        serde_json::to_value(&error).expect("encodes"),
        json!({"error": "Command [mine] is unknown", "duration": 0})
    );
    assert_eq!(
        answer_round_trip(&error).message().as_deref(),
        Some("Command [mine] is unknown")
    );
}
