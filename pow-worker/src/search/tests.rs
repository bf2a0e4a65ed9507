//! Jobs as a worker runs them: the nonce gives the weight, workers search
//! apart, and bad jobs are answered, never dropped.

use mam_lib::bundle::{Bundle, Transfer};
use mam_lib::pow::NONCE_OFFSET;
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::transaction::{hash_transaction_trits, Transaction};

use super::*;

fn transaction() -> Transaction {
    let address: Hash81 = "A".repeat(81).parse().expect("address");
    let message = Trytes::from_ascii("meter 42").expect("ascii");
    let tag = Tag27::padded("POW".parse().expect("tag")).expect("short");
    let bundle = Bundle::from_transfers(&[Transfer::new(address, message, tag)], 1_732_000_000)
        .expect("bundle");
    bundle.transactions()[0].clone()
}

fn job(worker: u32, min_weight_magnitude: u8) -> Job {
    Job {
        transaction: transaction().to_trytes().as_str().to_owned(),
        min_weight_magnitude,
        worker,
    }
}

/// The weight of the job's transaction with `nonce` in it.
fn weight_with(nonce: &str) -> usize {
    let mut trits = transaction().to_trits();
    let nonce: Trytes = nonce.parse().expect("nonce trytes");
    trits[NONCE_OFFSET..].copy_from_slice(&nonce.to_trits());
    let hash = hash_transaction_trits(&trits);
    hash.iter().rev().take_while(|&&t| t == 0).count()
}

#[test]
fn each_worker_finds_a_nonce_with_the_weight_in_its_own_range() {
    let mut nonces = Vec::new();
    for worker in [0, 1, 5] {
        let reply = handle_message(&job(worker, 9).to_message());
        let Reply::Nonce {
            nonce,
            worker: from,
        } = reply
        else {
            panic!("worker {worker}: {reply:?}");
        };
        assert_eq!(from, worker);
        assert!(weight_with(&nonce) >= 9, "worker {worker}: {nonce}");
        // The range trits carry the worker's number.
        let mut expected = vec![0i8; 8019];
        worker_nonce_range(&mut expected, worker);
        let trits: Trytes = nonce.parse().expect("trytes");
        assert_eq!(
            trits.to_trits()[81 - RANGE_TRITS..],
            expected[8019 - RANGE_TRITS..]
        );
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "workers search apart");
}

#[test]
fn worker_numbers_are_written_in_base_three() {
    let mut trits = vec![1i8; 8019];
    worker_nonce_range(&mut trits, 5);
    // 5 = 2 + 1·3: digits 2, 1, then 0s, as trits 1, 0, -1, -1, ...
    assert_eq!(trits[8019 - RANGE_TRITS..][..4], [1, 0, -1, -1]);
    assert!(
        trits[..8019 - RANGE_TRITS].iter().all(|&t| t == 1),
        "the rest untouched"
    );
}

#[test]
fn bad_jobs_are_answered_with_why() {
    let cases = [
        ("not json".to_owned(), "not a job"),
        (job(0, 0).to_message(), "minimum weight magnitude 0"),
        (
            Job {
                transaction: "ABC".into(),
                ..job(0, 9)
            }
            .to_message(),
            "a transaction is 8019 trits, got 9",
        ),
        (
            Job {
                transaction: "abc".into(),
                ..job(0, 9)
            }
            .to_message(),
            "not trytes",
        ),
    ];
    for (message, expected) in cases {
        match handle_message(&message) {
            Reply::Failed { error } => assert!(error.contains(expected), "{error}"),
            other => panic!("{message:.40}: {other:?}"),
        }
    }
}

#[test]
fn replies_are_tagged_json_and_junk_reads_as_a_failure() {
    assert_eq!(Reply::Ready.to_message(), r#"{"kind":"ready"}"#);
    let nonce = Reply::Nonce {
        nonce: "9".repeat(27),
        worker: 3,
    };
    assert_eq!(Reply::from_message(&nonce.to_message()), nonce);
    assert!(matches!(Reply::from_message("{}"), Reply::Failed { .. }));
}
