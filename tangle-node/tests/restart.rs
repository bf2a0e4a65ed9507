//! What was stored survives a graceful stop (SIGTERM), a kill (SIGKILL) and
//! concurrent writers, and the tips are rebuilt after a restart.

mod common;

use common::{attach_locally, decode, find, hash, strings, unattached_bundle, TestNode};
use mam_lib::ternary::Hash81;
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use test_support::ScratchDir;

/// Stores `bundles` one-transaction bundles to `address`, each approving the
/// previous; their hashes.
fn store_chain(node: &TestNode, address: char, bundles: usize) -> Vec<String> {
    let mut previous = Hash81::nines();
    let mut hashes = Vec::new();
    for _ in 0..bundles {
        let attached = attach_locally(
            &unattached_bundle(1, address, address, ""),
            &previous,
            &previous,
            3,
        );
        node.call(json!({"command": "storeTransactions", "trytes": attached}));
        previous = decode(&attached[0]).1;
        hashes.push(previous.to_string());
    }
    hashes.sort();
    hashes
}

fn tips(node: &TestNode) -> Vec<String> {
    let mut tips = strings(&node.call(json!({"command": "getTips"}))["hashes"]);
    tips.sort();
    tips
}

#[test]
fn everything_stored_is_found_after_sigterm_and_restart() {
    let dir = ScratchDir::new("sigterm");
    let node = TestNode::start(dir.path(), &["--mwm", "3"]);
    let hashes = store_chain(&node, 'S', 5);
    let tips_before = tips(&node);
    let status = node.terminate();
    assert!(status.success(), "graceful stop exits 0, got {status}");

    let node = TestNode::start(dir.path(), &["--mwm", "3"]);
    assert_eq!(find(&node, "addresses", &[&hash('S')]), hashes);
    assert_eq!(tips(&node), tips_before);
    assert_eq!(tips_before.len(), 1);
}

#[test]
fn everything_acknowledged_survives_kill_9() {
    let dir = ScratchDir::new("sigkill");
    let node = TestNode::start(dir.path(), &["--mwm", "3"]);
    let hashes = store_chain(&node, 'K', 5);
    node.kill();

    let node = TestNode::start(dir.path(), &["--mwm", "3"]);
    assert_eq!(find(&node, "addresses", &[&hash('K')]), hashes);
    assert_eq!(tips(&node).len(), 1);
    // The database still takes writes after the crash.
    let more = store_chain(&node, 'M', 1);
    assert_eq!(find(&node, "addresses", &[&hash('M')]), more);
}

#[test]
fn kill_9_during_concurrent_writes_leaves_whole_batches() {
    let dir = ScratchDir::new("sigkill-busy");
    let node = TestNode::start(dir.path(), &["--mwm", "3", "--synchronous", "normal"]);
    let genesis = Hash81::nines();
    // Eight writers, each storing 3-transaction bundles in a loop.
    let batches: Vec<Vec<String>> = (0..40)
        .map(|i| {
            let address = char::from(b'A' + (i % 26) as u8);
            attach_locally(
                &unattached_bundle(3, address, 'W', ""),
                &genesis,
                &genesis,
                3,
            )
        })
        .collect();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for writer in 0..8 {
            let (node, batches, stop) = (&node, &batches, &stop);
            // Round after round (repeats are idempotent), until the kill.
            scope.spawn(move || {
                for batch in batches.iter().skip(writer).step_by(8).cycle() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let body = json!({"command": "storeTransactions", "trytes": batch}).to_string();
                    // Requests cut off by the kill fail; that is the point.
                    let _ = node.try_request("POST", &[], body.as_bytes());
                }
            });
        }
        // Kill once writes are flowing.
        let deadline = Instant::now() + Duration::from_secs(30);
        while find(&node, "bundles", &[&hash('W')]).len() < 30 {
            assert!(Instant::now() < deadline, "the writers stored nothing");
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = std::process::Command::new("kill")
            .arg("-KILL")
            .arg(node.pid().to_string())
            .status();
        stop.store(true, Ordering::Relaxed);
    });
    drop(node);

    let node = TestNode::start(dir.path(), &["--mwm", "3"]);
    let found = find(&node, "bundles", &[&hash('W')]);
    assert!(found.len() >= 30, "what was seen stored is still there");
    assert_eq!(found.len() % 3, 0, "batches are stored whole or not at all");
    for batch in &batches {
        let hashes: Vec<String> = batch.iter().map(|t| decode(t).1.to_string()).collect();
        let present = hashes.iter().filter(|h| found.contains(h)).count();
        assert!(
            present == 0 || present == 3,
            "a batch is split: {present} of 3"
        );
    }
}
