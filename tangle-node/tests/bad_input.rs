//! Hostile and broken requests: each is refused with HTTP 400 and a message
//! that says what is wrong; the node stays up and its data stays intact.

mod common;

use common::{attach_locally, decode, find, hash, unattached_bundle, TestNode};
use mam_lib::ternary::Hash81;
use mam_lib::transaction::hash_weight;
use serde_json::json;
use test_support::ScratchDir;

fn store_body(trytes: &[String]) -> Vec<u8> {
    json!({"command": "storeTransactions", "trytes": trytes})
        .to_string()
        .into_bytes()
}

#[test]
fn bad_requests_are_refused_with_a_reason_and_change_nothing() {
    let dir = ScratchDir::new("bad-input");
    let node = TestNode::start(
        dir.path(),
        &[
            "--mwm",
            "5",
            "--max-body-bytes",
            "20000",
            "--max-request-list",
            "3",
        ],
    );
    let genesis = Hash81::nines();
    let good = attach_locally(&unattached_bundle(2, 'G', 'G', ""), &genesis, &genesis, 5);
    node.call(json!({"command": "storeTransactions", "trytes": good}));
    let stored = find(&node, "addresses", &[&hash('G')]);
    assert_eq!(stored.len(), 2);

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "malformed JSON",
            b"{\"command\": \"getNodeInfo\"".to_vec(),
            "invalid JSON",
        ),
        (
            "not an object",
            b"[\"getNodeInfo\"]".to_vec(),
            "JSON object",
        ),
        (
            "no command",
            b"{\"depth\": 3}".to_vec(),
            "COMMAND parameter",
        ),
        (
            "unknown command",
            br#"{"command":"getMilestone"}"#.to_vec(),
            "Command [getMilestone] is unknown",
        ),
        (
            "missing parameter",
            br#"{"command":"getTrytes"}"#.to_vec(),
            "missing field `hashes`",
        ),
        (
            "invalid tryte",
            json!({"command": "getTrytes", "hashes": [format!("{}a", "9".repeat(80))]})
                .to_string()
                .into_bytes(),
            "hashes[0]: invalid tryte character 'a' at position 80",
        ),
        (
            "short hash",
            json!({"command": "findTransactions", "addresses": ["ABC"]})
                .to_string()
                .into_bytes(),
            "expected 81 trytes, got 3",
        ),
        (
            "short transaction",
            store_body(&[good[0][1..].to_owned()]),
            "trytes[0]: expected 2673 trytes, got 2672",
        ),
        (
            "too many items",
            json!({"command": "getTrytes", "hashes": vec![hash('A').to_string(); 4]})
                .to_string()
                .into_bytes(),
            "more than this node's limit of 3",
        ),
        (
            "oversized body",
            format!(
                r#"{{"command":"getNodeInfo","pad":"{}"}}"#,
                "9".repeat(30_000)
            )
            .into_bytes(),
            "Request too long",
        ),
        (
            "empty find",
            br#"{"command":"findTransactions"}"#.to_vec(),
            "at least one of addresses, bundles, tags or approvees",
        ),
        (
            "attach above the node's ceiling",
            json!({
                "command": "attachToTangle",
                "trunkTransaction": genesis.to_string(),
                "branchTransaction": genesis.to_string(),
                "minWeightMagnitude": 30,
                "trytes": unattached_bundle(1, 'X', 'X', ""),
            })
            .to_string()
            .into_bytes(),
            "at most 14",
        ),
        (
            "attach below the node's minimum",
            json!({
                "command": "attachToTangle",
                "trunkTransaction": genesis.to_string(),
                "branchTransaction": genesis.to_string(),
                "minWeightMagnitude": 2,
                "trytes": unattached_bundle(1, 'X', 'X', ""),
            })
            .to_string()
            .into_bytes(),
            "at least 5",
        ),
        (
            "attach to an unknown trunk",
            json!({
                "command": "attachToTangle",
                "trunkTransaction": hash('U').to_string(),
                "branchTransaction": genesis.to_string(),
                "minWeightMagnitude": 5,
                "trytes": unattached_bundle(1, 'X', 'X', ""),
            })
            .to_string()
            .into_bytes(),
            "trunkTransaction UUU",
        ),
        (
            "depth too deep",
            br#"{"command":"getTransactionsToApprove","depth":99}"#.to_vec(),
            "Invalid depth input",
        ),
        (
            "threshold out of range",
            json!({"command": "getBalances", "addresses": [hash('A').to_string()], "threshold": 0})
                .to_string()
                .into_bytes(),
            "Illegal 'threshold'",
        ),
    ];
    for (name, body, expected) in cases {
        let error = node.refused(&body);
        assert!(
            error.contains(expected),
            "{name}: {error:?} lacks {expected:?}"
        );
    }

    // Insufficient proof of work: the whole batch is refused.
    let light = loop {
        let candidate = attach_locally(&unattached_bundle(1, 'L', 'L', ""), &genesis, &genesis, 1);
        if hash_weight(&decode(&candidate[0]).1) < 5 {
            break candidate;
        }
    };
    let fresh = attach_locally(&unattached_bundle(1, 'L', 'L', ""), &genesis, &genesis, 5);
    let error = node.refused(&store_body(&[fresh[0].clone(), light[0].clone()]));
    assert!(
        error.contains("trytes[1]") && error.contains("minimum weight magnitude of 5"),
        "{error}"
    );

    // Unknown trunk: refused, nothing of the batch stored.
    let orphan = attach_locally(&unattached_bundle(1, 'O', 'O', ""), &hash('Q'), &genesis, 5);
    let error = node.refused(&store_body(&[fresh[0].clone(), orphan[0].clone()]));
    assert!(error.contains("which this node does not have"), "{error}");
    assert!(find(&node, "addresses", &[&hash('L')]).is_empty());
    assert!(find(&node, "addresses", &[&hash('O')]).is_empty());

    // The node is up and its data intact.
    assert_eq!(find(&node, "addresses", &[&hash('G')]), stored);
    assert_eq!(node.call(json!({"command": "getNodeInfo"}))["tips"], 1);
}

#[test]
fn wrong_methods_and_paths_answer_json() {
    let dir = ScratchDir::new("methods");
    let node = TestNode::start(dir.path(), &["--mwm", "3"]);
    let get = node.request("GET", &[], b"");
    assert_eq!(get.status, 405);
    assert!(get.body["error"]
        .as_str()
        .is_some_and(|e| e.contains("POST")));
    node.call(json!({"command": "getNodeInfo"}));
}

#[test]
fn proof_of_work_is_bounded_and_can_be_interrupted() {
    let dir = ScratchDir::new("pow-bounds");
    let node = TestNode::start(
        dir.path(),
        &["--mwm", "3", "--max-pow-mwm", "60", "--attach-queue", "0"],
    );
    let genesis = "9".repeat(81);
    let endless = json!({
        "command": "attachToTangle",
        "trunkTransaction": genesis,
        "branchTransaction": genesis,
        "minWeightMagnitude": 60,
        "trytes": unattached_bundle(1, 'P', 'P', ""),
    })
    .to_string();
    // Two at once with one turn and no waiting room: one is refused at
    // once, the other runs until interrupted (whichever arrives first).
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            let (done, node, endless) = (done.clone(), &node, &endless);
            scope.spawn(move || done.send(node.post_raw(endless.as_bytes())));
        }
        let refused = finished.recv().expect("one answer");
        assert_eq!(refused.status, 503, "{:?}", refused.body);
        assert!(refused.body["error"]
            .as_str()
            .is_some_and(|e| e.contains("retry later")));
        node.call(json!({"command": "interruptAttachingToTangle"}));
        let interrupted = finished.recv().expect("the other answer");
        assert_eq!(interrupted.status, 503, "{:?}", interrupted.body);
        assert!(interrupted.body["error"]
            .as_str()
            .is_some_and(|e| e.contains("interrupted")));
    });
    // Later searches run again.
    node.call(json!({
        "command": "attachToTangle",
        "trunkTransaction": "9".repeat(81),
        "branchTransaction": "9".repeat(81),
        "minWeightMagnitude": 3,
        "trytes": unattached_bundle(1, 'P', 'P', ""),
    }));
}

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off_and_others_are_served() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};

    let dir = ScratchDir::new("slow-headers");
    let node = TestNode::start(dir.path(), &["--mwm", "1"]);
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", node.port())).expect("connect");
    slow.write_all(b"POST / HTTP/1.1\r\nHost: node\r\nX-IOTA-API-Version: 1\r\n")
        .expect("partial headers");
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("read timeout");
    // Meanwhile the node answers everyone else.
    let info = node.call(json!({"command": "getNodeInfo"}));
    assert_eq!(info["appName"], "tangle-node");
    let started = Instant::now();
    let mut buffer = [0u8; 1024];
    let closed = match slow.read(&mut buffer) {
        Ok(0) => true,
        // hyper may answer 408 before closing.
        Ok(n) => String::from_utf8_lossy(&buffer[..n]).contains("408"),
        Err(error) => error.kind() == std::io::ErrorKind::ConnectionReset,
    };
    assert!(closed, "the stalled connection was not closed");
    assert!(
        started.elapsed() < Duration::from_secs(25),
        "closed only after {:?}",
        started.elapsed()
    );
}
