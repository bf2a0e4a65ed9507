//! The search against the single-state sponge, on random transactions.

use super::*;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

fn random_transaction(seed: u64) -> Vec<i8> {
    crate::ternary::pseudo_random_trits(seed, TRANSACTION_TRITS)
}

fn with_threads(threads: usize) -> PowOptions<'static> {
    PowOptions {
        threads: NonZeroUsize::new(threads),
        ..PowOptions::default()
    }
}

fn finished(transaction: &[i8], nonce: &[i8; NONCE_TRITS]) -> [i8; TRANSACTION_TRITS] {
    let mut trits: [i8; TRANSACTION_TRITS] = transaction.try_into().unwrap();
    trits[NONCE_OFFSET..].copy_from_slice(nonce);
    trits
}

#[test]
fn found_nonces_give_the_weight_asked_for() {
    for mwm in 1..=9u8 {
        let transaction = random_transaction(u64::from(mwm));
        let nonce = search_nonce(&transaction, mwm, &PowOptions::default()).unwrap();
        let hash = transaction_hash(&finished(&transaction, &nonce));
        assert!(hash_weight(&hash) >= usize::from(mwm), "mwm {mwm}");
        // The same through the transaction module's public hash.
        let public = crate::transaction::hash_transaction_trits(&finished(&transaction, &nonce));
        assert_eq!(public, hash);
    }
}

#[test]
fn only_the_nonce_field_changes() {
    let transaction = random_transaction(42);
    let nonce = search_nonce(&transaction, 7, &PowOptions::default()).unwrap();
    let done = finished(&transaction, &nonce);
    assert_eq!(&done[..NONCE_OFFSET], &transaction[..NONCE_OFFSET]);
    // The trits the search does not vary keep the caller's values.
    assert_eq!(&nonce[48..], &transaction[NONCE_OFFSET + 48..]);
}

#[test]
fn one_thread_and_many_threads_both_find_valid_nonces() {
    let transaction = random_transaction(7);
    for threads in [1, 2, 5] {
        let nonce = search_nonce(&transaction, 8, &with_threads(threads)).unwrap();
        let hash = transaction_hash(&finished(&transaction, &nonce));
        assert!(hash_weight(&hash) >= 8, "{threads} threads");
    }
}

#[test]
fn one_thread_is_deterministic() {
    let transaction = random_transaction(9);
    let first = search_nonce(&transaction, 6, &with_threads(1)).unwrap();
    let second = search_nonce(&transaction, 6, &with_threads(1)).unwrap();
    assert_eq!(first, second);
}

#[test]
fn cancelling_stops_a_hopeless_search_quickly() {
    let cancel = AtomicBool::new(false);
    let options = PowOptions {
        cancel: Some(&cancel),
        ..with_threads(2)
    };
    let transaction = random_transaction(3);
    let (result, returned, cancelled_at) = std::thread::scope(|scope| {
        let canceller = scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(50));
            cancel.store(true, Ordering::Relaxed);
            Instant::now()
        });
        let result = search_nonce(&transaction, MAX_MWM, &options);
        (result, Instant::now(), canceller.join().unwrap())
    });
    assert_eq!(result, Err(PowError::Cancelled));
    // Typically well under a millisecond; generous for loaded machines.
    assert!(returned.duration_since(cancelled_at) < Duration::from_secs(1));
}

#[test]
fn an_already_cancelled_search_returns_at_once() {
    let cancel = AtomicBool::new(true);
    let options = PowOptions {
        cancel: Some(&cancel),
        ..PowOptions::default()
    };
    let result = search_nonce(&random_transaction(4), MAX_MWM, &options);
    assert_eq!(result, Err(PowError::Cancelled));
}

#[test]
fn progress_counts_up_and_can_cancel() {
    let cancel = AtomicBool::new(false);
    let reports = AtomicU64::new(0);
    let last = AtomicU64::new(0);
    let progress = |p: PowProgress| {
        assert!(p.nonces_tried >= last.load(Ordering::Relaxed));
        last.store(p.nonces_tried, Ordering::Relaxed);
        if reports.fetch_add(1, Ordering::Relaxed) + 1 == 3 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let options = PowOptions {
        cancel: Some(&cancel),
        progress: Some(&progress),
        progress_interval: Duration::from_millis(10),
        ..with_threads(2)
    };
    let result = search_nonce(&random_transaction(5), MAX_MWM, &options);
    assert_eq!(result, Err(PowError::Cancelled));
    assert!(reports.load(Ordering::Relaxed) >= 3);
    assert!(last.load(Ordering::Relaxed) > 0);
}

#[test]
fn bad_inputs_are_errors() {
    let options = PowOptions::default();
    let transaction = random_transaction(6);
    assert_eq!(
        search_nonce(&transaction[1..], 5, &options),
        Err(PowError::WrongLength {
            expected: 8019,
            actual: 8018
        })
    );
    assert_eq!(
        search_nonce(&[], 5, &options),
        Err(PowError::WrongLength {
            expected: 8019,
            actual: 0
        })
    );
    let mut bad = transaction.clone();
    bad[1234] = 2;
    assert_eq!(
        search_nonce(&bad, 5, &options),
        Err(PowError::InvalidTrit {
            position: 1234,
            value: 2
        })
    );
    bad[1234] = i8::MIN;
    assert!(matches!(
        search_nonce(&bad, 5, &options),
        Err(PowError::InvalidTrit { position: 1234, .. })
    ));
    assert_eq!(
        search_nonce(&transaction, 0, &options),
        Err(PowError::InvalidMwm(0))
    );
    assert_eq!(
        search_nonce(&transaction, MAX_MWM + 1, &options),
        Err(PowError::InvalidMwm(MAX_MWM + 1))
    );
    assert_eq!(
        search_nonce(&transaction, 255, &options),
        Err(PowError::InvalidMwm(255))
    );
}

#[test]
fn hash_weight_counts_trailing_zeros() {
    assert_eq!(hash_weight(&[]), 0);
    assert_eq!(hash_weight(&[1, 0, 0]), 2);
    assert_eq!(hash_weight(&[0, 0, 0]), 3);
    assert_eq!(hash_weight(&[0, -1]), 0);
    assert_eq!(hash_weight(&[0; 243]), 243);
}

#[test]
fn a_panicking_progress_callback_stops_the_workers() {
    let progress = |_: PowProgress| panic!("callback failed");
    let options = PowOptions {
        progress: Some(&progress),
        progress_interval: Duration::from_millis(1),
        ..with_threads(2)
    };
    let transaction = random_transaction(8);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        search_nonce(&transaction, MAX_MWM, &options)
    }));
    assert!(
        outcome.is_err(),
        "the panic comes back, and the call returns at all"
    );
}
