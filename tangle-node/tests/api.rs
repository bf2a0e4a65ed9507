//! Every command against the real binary, in the shapes legacy clients read.

mod common;

use common::{attach_locally, decode, find, hash, strings, tag, unattached_bundle, TestNode};
use mam_lib::ternary::Hash81;
use mam_lib::transaction::hash_weight;
use serde_json::json;
use test_support::ScratchDir;

const MWM: u8 = 3;

fn genesis() -> String {
    "9".repeat(81)
}

#[test]
fn node_info_has_the_fields_clients_read() {
    let dir = ScratchDir::new("node-info");
    let node = TestNode::start(dir.path(), &["--mwm", "3"]);
    let info = node.call(json!({"command": "getNodeInfo"}));
    for field in [
        "appName",
        "appVersion",
        "latestMilestone",
        "latestMilestoneIndex",
        "latestSolidSubtangleMilestone",
        "latestSolidSubtangleMilestoneIndex",
        "milestoneStartIndex",
        "neighbors",
        "packetsQueueSize",
        "time",
        "tips",
        "transactionsToRequest",
        "features",
        "coordinatorAddress",
    ] {
        assert!(!info[field].is_null(), "getNodeInfo lacks {field}: {info}");
    }
    assert_eq!(info["appName"], "tangle-node");
    assert_eq!(
        info["latestMilestoneIndex"],
        info["latestSolidSubtangleMilestoneIndex"]
    );
    assert_eq!(info["tips"], 0);
}

#[test]
fn an_empty_tangle_offers_the_genesis_to_approve() {
    let dir = ScratchDir::new("genesis");
    let node = TestNode::start(dir.path(), &["--mwm", "3"]);
    let tips = node.call(json!({"command": "getTransactionsToApprove", "depth": 3}));
    assert_eq!(tips["trunkTransaction"], genesis());
    assert_eq!(tips["branchTransaction"], genesis());
    assert_eq!(
        node.call(json!({"command": "getTips"}))["hashes"],
        json!([])
    );
}

#[test]
fn a_bundle_attached_by_the_node_is_stored_found_and_read_back() {
    let dir = ScratchDir::new("roundtrip");
    let node = TestNode::start(dir.path(), &["--mwm", "3"]);

    // attachToTangle: chained tail first, with the weight asked for.
    let prepared = unattached_bundle(3, 'A', 'B', "FIRST");
    let attached = strings(
        &node.call(json!({
            "command": "attachToTangle",
            "trunkTransaction": genesis(),
            "branchTransaction": genesis(),
            "minWeightMagnitude": MWM,
            "trytes": prepared,
        }))["trytes"],
    );
    let txs: Vec<_> = attached.iter().map(|t| decode(t)).collect();
    assert_eq!(
        txs.iter().map(|(t, _)| t.current_index).collect::<Vec<_>>(),
        [0, 1, 2],
        "attachToTangle answers tail first, as IRI"
    );
    for (i, (tx, hash)) in txs.iter().enumerate() {
        assert!(hash_weight(hash) >= usize::from(MWM));
        assert_eq!(tx.tag, tag("FIRST"), "empty tag takes the obsolete tag");
        if i + 1 < txs.len() {
            assert_eq!(tx.trunk_transaction, txs[i + 1].1);
        }
    }

    // storeTransactions, then everything is found.
    node.call(json!({"command": "storeTransactions", "trytes": attached}));
    let hashes: Vec<Hash81> = txs.iter().map(|(_, h)| h.clone()).collect();
    let mut all: Vec<String> = hashes.iter().map(|h| h.to_string()).collect();
    all.sort();
    assert_eq!(find(&node, "addresses", &[&hash('A')]), all);
    assert_eq!(find(&node, "bundles", &[&hash('B')]), all);
    assert_eq!(
        strings(&node.call(json!({"command": "findTransactions", "tags": ["FIRST"]}))["hashes"])
            .len(),
        3
    );
    assert_eq!(
        find(&node, "approvees", &[&hashes[1]]),
        vec![hashes[0].to_string()]
    );
    assert_eq!(
        node.call(json!({"command": "getTips"}))["hashes"],
        json!([hashes[0].to_string()]),
        "only the tail is unapproved"
    );

    // getTrytes: in order, nines for an unknown hash.
    let trytes = strings(
        &node.call(json!({
            "command": "getTrytes",
            "hashes": [hashes[2].to_string(), hash('Q').to_string(), hashes[0].to_string()],
        }))["trytes"],
    );
    assert_eq!(
        trytes,
        vec![attached[2].clone(), "9".repeat(2673), attached[0].clone()]
    );

    // A second bundle approving the first; the intersection of lists.
    let approve = node.call(json!({"command": "getTransactionsToApprove", "depth": 3}));
    assert_eq!(approve["trunkTransaction"], hashes[0].to_string());
    let second = attach_locally(
        &unattached_bundle(1, 'A', 'C', "SECOND"),
        &hashes[0],
        &hashes[0],
        MWM,
    );
    node.call(json!({"command": "broadcastTransactions", "trytes": second}));
    let second_hash = decode(&second[0]).1.to_string();
    assert_eq!(find(&node, "addresses", &[&hash('A')]).len(), 4);
    let both = node.call(json!({
        "command": "findTransactions",
        "addresses": [hash('A').to_string()],
        "bundles": [hash('C').to_string()],
    }));
    assert_eq!(both["hashes"], json!([second_hash]));
    let none = node.call(json!({
        "command": "findTransactions",
        "addresses": [hash('Z').to_string()],
        "bundles": [hash('C').to_string()],
    }));
    assert_eq!(none["hashes"], json!([]));

    // Storing again changes nothing.
    node.call(json!({"command": "storeTransactions", "trytes": attached}));
    assert_eq!(find(&node, "addresses", &[&hash('A')]).len(), 4);

    // Inclusion, balances, spent addresses.
    let states = node.call(json!({
        "command": "getInclusionStates",
        "transactions": [hashes[0].to_string(), hash('Q').to_string()],
        "tips": [genesis()],
    }));
    assert_eq!(states["states"], json!([true, false]));
    let balances = node.call(json!({
        "command": "getBalances",
        "addresses": [hash('A').to_string(), hash('Z').to_string()],
        "threshold": 100,
    }));
    assert_eq!(balances["balances"], json!(["0", "0"]));
    assert_eq!(balances["references"], json!([genesis()]));
    assert_eq!(balances["milestoneIndex"], 0);
    let spent = node.call(json!({
        "command": "wereAddressesSpentFrom",
        "addresses": [hash('A').to_string()],
    }));
    assert_eq!(spent["states"], json!([false]));
    assert_eq!(node.call(json!({"command": "getNodeInfo"}))["tips"], 1);
    node.call(json!({"command": "interruptAttachingToTangle"}));
}

#[test]
fn a_reference_becomes_the_trunk() {
    let dir = ScratchDir::new("reference");
    let node = TestNode::start(dir.path(), &["--mwm", "3"]);
    let genesis = Hash81::nines();
    let stored = attach_locally(&unattached_bundle(1, 'R', 'R', ""), &genesis, &genesis, MWM);
    node.call(json!({"command": "storeTransactions", "trytes": stored}));
    let reference = decode(&stored[0]).1.to_string();
    let approve = node.call(json!({
        "command": "getTransactionsToApprove",
        "depth": 3,
        "reference": reference,
    }));
    assert_eq!(approve["trunkTransaction"], reference);
    let error = node.refused(
        json!({
            "command": "getTransactionsToApprove",
            "depth": 3,
            "reference": hash('X').to_string(),
        })
        .to_string()
        .as_bytes(),
    );
    assert!(error.contains("reference transaction not found"), "{error}");
}

#[test]
fn browsers_get_cors_answers() {
    let dir = ScratchDir::new("cors");
    let node = TestNode::start(dir.path(), &["--mwm", "3"]);
    let preflight = node.request(
        "OPTIONS",
        &[
            ("Origin", "http://localhost:8080"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "content-type,x-iota-api-version",
            ),
        ],
        b"",
    );
    assert!(preflight.status < 300, "{preflight:?}");
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("http://localhost:8080")
    );
    let allowed = preflight
        .header("access-control-allow-headers")
        .expect("allowed headers")
        .to_ascii_lowercase();
    assert!(allowed.contains("x-iota-api-version") && allowed.contains("content-type"));
    assert!(preflight
        .header("access-control-allow-methods")
        .expect("methods")
        .contains("POST"));

    let answer = node.request(
        "POST",
        &[
            ("Origin", "http://localhost:8080"),
            ("Content-Type", "text/plain"),
            ("X-IOTA-API-Version", "1"),
        ],
        br#"{"command":"getNodeInfo"}"#,
    );
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("http://localhost:8080")
    );
    assert_eq!(answer.header("content-type"), Some("application/json"));
}

#[test]
fn every_flag_has_an_environment_variable() {
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_tangle-node"))
        .arg("--help")
        .output()
        .expect("--help");
    let text = String::from_utf8_lossy(&help.stdout);
    for variable in [
        "TANGLE_NODE_LISTEN",
        "TANGLE_NODE_DATA_DIR",
        "TANGLE_NODE_DB",
        "TANGLE_NODE_MWM",
        "TANGLE_NODE_MAX_BODY_BYTES",
        "TANGLE_NODE_MAX_TRYTES",
        "TANGLE_NODE_MAX_REQUEST_LIST",
        "TANGLE_NODE_MAX_FIND_RESULTS",
        "TANGLE_NODE_ATTACH_CONCURRENCY",
        "TANGLE_NODE_ATTACH_QUEUE",
        "TANGLE_NODE_MAX_POW_MWM",
        "TANGLE_NODE_POW_THREADS",
        "TANGLE_NODE_MAX_DEPTH",
        "TANGLE_NODE_SYNCHRONOUS",
        "TANGLE_NODE_REMOTE_POW",
        "TANGLE_NODE_POW_PER_MINUTE",
        "TANGLE_NODE_ALLOW_ORIGIN",
        "TANGLE_NODE_MAX_CONNECTIONS",
        "TANGLE_NODE_IDLE_TIMEOUT",
        "TANGLE_NODE_BODY_TIMEOUT",
        "TANGLE_NODE_REQUEST_TIMEOUT",
    ] {
        assert!(text.contains(variable), "--help does not name {variable}");
    }
}

#[test]
fn settings_come_from_the_environment_too() {
    let dir = ScratchDir::new("env");
    // TANGLE_NODE_MWM=20: a transaction with weight 3 is now too light.
    let node = TestNode::start_with_env(
        dir.path(),
        &[],
        &[("TANGLE_NODE_MWM", "20"), ("TANGLE_NODE_MAX_POW_MWM", "20")],
    );
    let genesis = Hash81::nines();
    let light = attach_locally(&unattached_bundle(1, 'E', 'E', ""), &genesis, &genesis, MWM);
    let weight = hash_weight(&decode(&light[0]).1);
    let error = node.refused(
        json!({"command": "storeTransactions", "trytes": light})
            .to_string()
            .as_bytes(),
    );
    if weight < 20 {
        assert!(error.contains("minimum weight magnitude of 20"), "{error}");
    }
}

#[test]
fn check_consistency_accepts_valid_bundles_only_and_there_are_no_neighbors() {
    use mam_lib::bundle::{Bundle, Transfer};
    use mam_lib::ternary::Trytes;

    let dir = ScratchDir::new("consistency");
    let node = TestNode::start(dir.path(), &["--mwm", "3"]);
    let message = Trytes::from_ascii(&"consistent ".repeat(300)).expect("ascii");
    let bundle =
        Bundle::from_transfers(&[Transfer::new(hash('C'), message, tag("OK"))], 1).expect("bundle");
    let prepared: Vec<String> = bundle
        .prepared_trytes()
        .iter()
        .map(|t| t.to_string())
        .collect();
    let valid = attach_locally(&prepared, &Hash81::nines(), &Hash81::nines(), MWM);
    node.call(json!({"command": "storeTransactions", "trytes": valid}));
    let hashes: Vec<String> = valid.iter().map(|t| decode(t).1.to_string()).collect();
    let consistency =
        |tails: &[&str]| node.call(json!({"command": "checkConsistency", "tails": tails}));

    assert_eq!(consistency(&[&hashes[0]])["state"], true);
    assert!(consistency(&[&hashes[0]]).get("info").is_none());
    let missing = consistency(&[&hashes[0], &hash('Z').to_string()]);
    assert_eq!(missing["state"], false);
    assert!(missing["info"]
        .as_str()
        .unwrap_or_default()
        .contains("not solid"));
    let body = json!({"command": "checkConsistency", "tails": [hashes[1]]}).to_string();
    assert!(node.refused(body.as_bytes()).contains("not a tail"));

    // A bundle whose hash does not match its transactions.
    let forged = attach_locally(
        &unattached_bundle(2, 'F', 'B', ""),
        &Hash81::nines(),
        &Hash81::nines(),
        MWM,
    );
    node.call(json!({"command": "storeTransactions", "trytes": forged}));
    let forged_tail = decode(&forged[0]).1.to_string();
    let invalid = consistency(&[&forged_tail]);
    assert_eq!(invalid["state"], false);
    assert!(invalid["info"]
        .as_str()
        .unwrap_or_default()
        .contains("bundle is invalid"));

    assert_eq!(
        node.call(json!({"command": "getNeighbors"}))["neighbors"],
        json!([])
    );
}
