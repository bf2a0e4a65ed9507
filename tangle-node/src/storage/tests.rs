use std::path::PathBuf;

use mam_lib::transaction::{Transaction, TransactionTrytes};
use test_support::ScratchDir;

use super::*;
use crate::validation::validate;

/// The database file in a fresh scratch directory.
fn db(dir: &ScratchDir) -> PathBuf {
    dir.path().join("tangle.sqlite")
}

fn hash(c: char) -> Hash81 {
    c.to_string().repeat(81).parse().expect("hash")
}

fn tag(text: &str) -> Tag27 {
    Tag27::padded(text.parse().expect("trytes")).expect("tag")
}

/// A transaction with mwm 0 proof of work (any hash will do).
fn transaction(address: char, trunk: &Hash81, branch: &Hash81, tag_text: &str) -> ValidTransaction {
    let nines = TransactionTrytes::nines();
    let mut tx = Transaction::from_trytes(nines.as_trytes()).expect("nines decode");
    tx.address = hash(address);
    tx.trunk_transaction = trunk.clone();
    tx.branch_transaction = branch.clone();
    tx.tag = tag(tag_text);
    tx.obsolete_tag = tag("OBSOLETE");
    tx.timestamp = fastrand::i64(0..1_000_000_000);
    let trytes = TransactionTrytes::from_trytes(tx.to_trytes()).expect("2673 trytes");
    validate(&trytes, 0).expect("mwm 0")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn restoring_is_idempotent_and_unknown_parents_are_refused_whole() {
    let dir = ScratchDir::new("tangle-node-storage-idempotent");
    let store = Store::open(&db(&dir), Synchronous::Normal).expect("open");
    let rt = runtime();
    let genesis = Hash81::nines();
    let a = transaction('A', &genesis, &genesis, "ONE");
    let outcome = rt.block_on(store.insert(vec![a.clone()])).expect("stored");
    assert_eq!((outcome.approvals.len(), outcome.duplicates), (1, 0));
    let again = rt
        .block_on(store.insert(vec![a.clone(), a.clone()]))
        .expect("again");
    assert_eq!((again.approvals.len(), again.duplicates), (0, 2));

    let good = transaction('B', &a.hash, &genesis, "TWO");
    let orphan = transaction('C', &hash('X'), &a.hash, "TWO");
    let refused = rt
        .block_on(store.insert(vec![good.clone(), orphan]))
        .expect_err("unknown trunk");
    assert!(matches!(
        refused,
        InsertError::UnknownParent {
            position: 1,
            field: "trunkTransaction",
            ..
        }
    ));
    assert_eq!(
        rt.block_on(store.contains(vec![good.hash.clone()])),
        Ok(vec![false]),
        "nothing of a refused batch is stored"
    );
    assert_eq!(rt.block_on(store.count()), Ok(1));
}

#[test]
fn a_bundle_may_arrive_in_any_order_and_leaves_its_tail_as_tip() {
    let dir = ScratchDir::new("tangle-node-storage-bundle");
    let store = Store::open(&db(&dir), Synchronous::Full).expect("open");
    let rt = runtime();
    let genesis = Hash81::nines();
    let head = transaction('H', &genesis, &genesis, "B");
    let tail = transaction('T', &head.hash, &genesis, "B");
    rt.block_on(store.insert(vec![tail.clone(), head.clone()]))
        .expect("tail first is fine");
    assert_eq!(store.tips().all(), vec![tail.hash.clone()]);
    assert_eq!(
        rt.block_on(store.trytes(vec![head.hash.clone(), hash('Z')]))
            .expect("read"),
        vec![
            Some(
                TransactionTrytes::from_trytes(head.transaction.to_trytes())
                    .expect("trytes")
                    .to_string()
            ),
            None
        ]
    );
}

#[test]
fn find_intersects_lists_and_falls_back_to_obsolete_tags() {
    let dir = ScratchDir::new("tangle-node-storage-find");
    let store = Store::open(&db(&dir), Synchronous::Normal).expect("open");
    let rt = runtime();
    let genesis = Hash81::nines();
    let one = transaction('A', &genesis, &genesis, "RED");
    let two = transaction('A', &one.hash, &genesis, "BLUE");
    let three = transaction('B', &one.hash, &two.hash, "RED");
    rt.block_on(store.insert(vec![one.clone(), two.clone(), three.clone()]))
        .expect("stored");
    let find = |query: FindQuery| rt.block_on(store.find(query, 100)).expect("find");

    let by_address = FindQuery {
        addresses: Some(vec![hash('A')]),
        ..FindQuery::default()
    };
    assert_eq!(find(by_address), vec![one.hash.clone(), two.hash.clone()]);
    let address_and_tag = FindQuery {
        addresses: Some(vec![hash('A')]),
        tags: Some(vec![tag("RED")]),
        ..FindQuery::default()
    };
    assert_eq!(find(address_and_tag), vec![one.hash.clone()]);
    let approvers = FindQuery {
        approvees: Some(vec![one.hash.clone()]),
        ..FindQuery::default()
    };
    assert_eq!(find(approvers), vec![two.hash.clone(), three.hash.clone()]);
    let obsolete = FindQuery {
        tags: Some(vec![tag("OBSOLETE")]),
        ..FindQuery::default()
    };
    assert_eq!(find(obsolete).len(), 3);
    let empty_list = FindQuery {
        addresses: Some(vec![]),
        ..FindQuery::default()
    };
    assert!(find(empty_list).is_empty());
    let limited = FindQuery {
        tags: Some(vec![tag("OBSOLETE")]),
        ..FindQuery::default()
    };
    assert_eq!(rt.block_on(store.find(limited, 1)).expect("find").len(), 2);
}

#[test]
fn tips_are_rebuilt_after_reopening() {
    let dir = ScratchDir::new("tangle-node-storage-reopen");
    let genesis = Hash81::nines();
    let first = transaction('A', &genesis, &genesis, "");
    let second = transaction('B', &first.hash, &genesis, "");
    let third = transaction('C', &genesis, &genesis, "");
    {
        let store = Store::open(&db(&dir), Synchronous::Full).expect("open");
        runtime()
            .block_on(store.insert(vec![first, second.clone(), third.clone()]))
            .expect("stored");
        store.close();
    }
    let store = Store::open(&db(&dir), Synchronous::Full).expect("reopen");
    let mut tips = store.tips().all();
    tips.sort();
    let mut expected = vec![second.hash, third.hash];
    expected.sort();
    assert_eq!(tips, expected);
}

#[test]
fn a_foreign_database_is_refused_with_a_reason() {
    let dir = ScratchDir::new("tangle-node-storage-foreign");
    {
        let connection = rusqlite::Connection::open(db(&dir)).expect("sqlite");
        connection
            .execute_batch("CREATE TABLE other (x)")
            .expect("table");
    }
    let error = Store::open(&db(&dir), Synchronous::Full)
        .err()
        .expect("refused");
    assert!(error.to_string().contains("not a tangle-node"), "{error}");
}
