//! Requests and answers in the exact JSON shapes of IRI and `@iota/core`.

use serde_json::json;

use super::scripted::{answer, client, run};
use crate::{Balances, ClientError, FindTransactions, NodeInfo, TransactionsToApprove};
use mam_lib::ternary::{Hash81, Tag27};

fn hash(letter: char) -> Hash81 {
    letter.to_string().repeat(81).parse().expect("hash")
}

fn h(letter: char) -> String {
    letter.to_string().repeat(81)
}

/// Sends one request against a canned answer; returns what was sent.
fn sent_for<R>(
    answer_body: &str,
    call: impl FnOnce(&crate::Client<super::scripted::Scripted>) -> R,
) -> (R, serde_json::Value) {
    let client = client(vec![answer(200, answer_body)]);
    let result = call(&client);
    let body = client.transport.bodies().pop().expect("one request");
    (result, body)
}

#[test]
fn command_name_comes_first_as_iri_logs_it() {
    let client = client(vec![answer(
        200,
        r#"{"appName":"IRI","appVersion":"1.8.6"}"#,
    )]);
    run(client.get_node_info()).expect("node info");
    assert_eq!(
        client.transport.requests.borrow()[0].0,
        r#"{"command":"getNodeInfo"}"#
    );
}

#[test]
fn request_shapes_match_iota_core() {
    let (_, body) = sent_for(r#"{"hashes":[]}"#, |c| run(c.get_tips()));
    assert_eq!(body, json!({"command": "getTips"}));

    let answer_body =
        json!({"trunkTransaction": h('T'), "branchTransaction": h('B'), "duration": 3}).to_string();
    let (tips, body) = sent_for(&answer_body, |c| run(c.get_transactions_to_approve(3)));
    assert_eq!(
        body,
        json!({"command": "getTransactionsToApprove", "depth": 3})
    );
    assert_eq!(
        tips,
        Ok(TransactionsToApprove {
            trunk_transaction: hash('T'),
            branch_transaction: hash('B'),
            duration: Some(3)
        })
    );

    let (_, body) = sent_for(r#"{"trytes":[]}"#, |c| {
        run(c.attach_to_tangle(&hash('T'), &hash('B'), 14, &[]))
    });
    assert_eq!(
        body,
        json!({"command": "attachToTangle", "trunkTransaction": h('T'), "branchTransaction": h('B'), "minWeightMagnitude": 14, "trytes": []})
    );

    let trytes = vec!["9".repeat(2673).parse().expect("trytes")];
    let (_, body) = sent_for("{}", |c| run(c.store_transactions(&trytes)));
    assert_eq!(
        body,
        json!({"command": "storeTransactions", "trytes": ["9".repeat(2673)]})
    );
    let (_, body) = sent_for(r#"{"duration":1}"#, |c| {
        run(c.broadcast_transactions(&trytes))
    });
    assert_eq!(
        body,
        json!({"command": "broadcastTransactions", "trytes": ["9".repeat(2673)]})
    );

    let query = FindTransactions {
        addresses: Some(vec![hash('A')]),
        tags: Some(vec![
            Tag27::padded("MAM".parse().expect("tag")).expect("tag")
        ]),
        ..FindTransactions::default()
    };
    let (_, body) = sent_for(r#"{"hashes":[]}"#, |c| run(c.find_transactions(&query)));
    assert_eq!(
        body,
        json!({"command": "findTransactions", "addresses": [h('A')], "tags": [format!("MAM{}", "9".repeat(24))]})
    );
    let (_, body) = sent_for(r#"{"hashes":[]}"#, |c| {
        run(c.find_transactions(&FindTransactions::approvees(vec![hash('T')])))
    });
    assert_eq!(
        body,
        json!({"command": "findTransactions", "approvees": [h('T')]})
    );

    let (_, body) = sent_for(r#"{"trytes":[null]}"#, |c| run(c.get_trytes(&[hash('H')])));
    assert_eq!(body, json!({"command": "getTrytes", "hashes": [h('H')]}));

    let (_, body) = sent_for(r#"{"balances":["0"]}"#, |c| {
        run(c.get_balances(&[hash('A')]))
    });
    assert_eq!(
        body,
        json!({"command": "getBalances", "addresses": [h('A')], "threshold": 100})
    );

    let (_, body) = sent_for(r#"{"states":[false]}"#, |c| {
        run(c.were_addresses_spent_from(&[hash('A')]))
    });
    assert_eq!(
        body,
        json!({"command": "wereAddressesSpentFrom", "addresses": [h('A')]})
    );

    let (_, body) = sent_for(r#"{"states":[true]}"#, |c| {
        run(c.get_inclusion_states(&[hash('H')]))
    });
    assert_eq!(
        body,
        json!({"command": "getInclusionStates", "transactions": [h('H')]})
    );
}

#[test]
fn iri_node_info_reads_with_extra_fields() {
    let iri = json!({
        "appName": "IRI", "appVersion": "1.8.6-RELEASE", "jreAvailableProcessors": 8,
        "jreFreeMemory": 2_264_080_392_u64, "jreVersion": "1.8.0_171", "jreMaxMemory": 4_294_967_296_u64,
        "jreTotalMemory": 4_294_967_296_u64, "latestMilestone": h('M'), "latestMilestoneIndex": 1_050_373,
        "latestSolidSubtangleMilestone": h('M'), "latestSolidSubtangleMilestoneIndex": 1_050_373,
        "milestoneStartIndex": 1_050_101, "lastSnapshottedMilestoneIndex": 1_039_138, "neighbors": 7,
        "packetsQueueSize": 0, "time": 1_554_970_558_971_u64, "tips": 9018, "transactionsToRequest": 0,
        "features": ["snapshotPruning", "dnsRefresher", "tipSolidification"],
        "coordinatorAddress": h('C'), "duration": 0
    });
    let info: NodeInfo = serde_json::from_value(iri).expect("IRI's getNodeInfo");
    assert_eq!(info.app_name, "IRI");
    assert_eq!(info.latest_milestone, Some(hash('M')));
    assert_eq!(info.latest_solid_subtangle_milestone_index, Some(1_050_373));
    assert_eq!(info.features.len(), 3);
    let minimal: NodeInfo =
        serde_json::from_str(r#"{"appName":"tangle-node","appVersion":"0.1.0"}"#).expect("minimal");
    assert_eq!(minimal.tips, None);
}

#[test]
fn balances_read_as_iri_writes_them() {
    let iri = json!({"balances": ["114544444", "0"], "references": [h('R')], "milestoneIndex": 128, "duration": 30});
    let balances: Balances = serde_json::from_value(iri.clone()).expect("IRI's getBalances");
    assert_eq!(balances.balances, [114_544_444, 0]);
    assert_eq!(
        serde_json::to_value(&balances).expect("serializes"),
        iri,
        "round trip"
    );
    let numbers: Balances = serde_json::from_str(r#"{"balances":[5]}"#).expect("numbers too");
    assert_eq!(numbers.balances, [5]);
    assert!(serde_json::from_str::<Balances>(r#"{"balances":["-1"]}"#).is_err());
}

#[test]
fn invalid_trytes_from_the_node_are_typed_errors() {
    let node = client(vec![answer(
        200,
        &json!({"hashes": ["not trytes"]}).to_string(),
    )]);
    assert!(matches!(
        run(node.get_tips()),
        Err(ClientError::BadResponse {
            command: "getTips",
            ..
        })
    ));

    let client = client(vec![answer(200, &json!({"trytes": ["ABC"]}).to_string())]);
    assert!(matches!(
        run(client.get_trytes(&[hash('H')])),
        Err(ClientError::InvalidTransaction {
            command: "getTrytes",
            ..
        })
    ));
}

#[test]
fn missing_transactions_are_none() {
    let client = client(vec![answer(
        200,
        &json!({"trytes": [null, "9".repeat(2673)]}).to_string(),
    )]);
    assert_eq!(
        run(client.get_trytes(&[hash('H'), hash('I')])),
        Ok(vec![None, None])
    );
}

#[test]
fn answers_of_the_wrong_length_are_rejected() {
    let client = client(vec![answer(200, r#"{"states":[true,false]}"#)]);
    assert_eq!(
        run(client.get_inclusion_states(&[hash('H')])),
        Err(ClientError::WrongCount {
            command: "getInclusionStates",
            expected: 1,
            actual: 2
        })
    );
}

#[test]
fn get_trytes_is_sent_in_chunks_of_the_configured_list_size() {
    assert_eq!(crate::DEFAULT_LIST_CHUNK, 500);
    let hashes: Vec<Hash81> = (0..1200).map(|_| hash('H')).collect();
    let full = json!({"trytes": vec![serde_json::Value::Null; 500]}).to_string();
    let rest = json!({"trytes": vec![serde_json::Value::Null; 200]}).to_string();
    let client = client(vec![
        answer(200, &full),
        answer(200, &full),
        answer(200, &rest),
    ]);
    assert_eq!(run(client.get_trytes(&hashes)).map(|t| t.len()), Ok(1200));
    let sizes: Vec<usize> = client
        .transport
        .bodies()
        .iter()
        .map(|body| body["hashes"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [500, 500, 200]);
}
