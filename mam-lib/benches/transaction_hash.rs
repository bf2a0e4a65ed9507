//! Curl-P-81 transaction hashing: one sponge at a time against the batch
//! (64 lanes, or 8/16/32 in narrower words), for the batch sizes a reader
//! meets (one bundle of a few transactions up to a full batch). Shows that
//! `hash_transactions` may batch whatever it gets.
//!
//! `cargo bench -p mam-lib --bench transaction_hash`

use std::time::Instant;

use mam_lib::transaction::{
    hash_many_transaction_trits, hash_transaction_trits, TRANSACTION_TRITS,
};

fn transaction_trits(count: usize) -> Vec<Vec<i8>> {
    (0..count)
        .map(|i| {
            (0..TRANSACTION_TRITS)
                .map(|k| (((i * 31 + k * 7) ^ (k >> 2)) % 3) as i8 - 1)
                .collect()
        })
        .collect()
}

fn main() {
    let repeats = 200;
    for count in [1, 2, 4, 7, 8, 12, 16, 24, 32, 64] {
        let trits = transaction_trits(count);
        let views: Vec<&[i8]> = trits.iter().map(Vec::as_slice).collect();
        let started = Instant::now();
        for _ in 0..repeats {
            for view in &views {
                std::hint::black_box(hash_transaction_trits(std::hint::black_box(view)));
            }
        }
        let single = started.elapsed().as_secs_f64() / (repeats * count) as f64;
        let started = Instant::now();
        for _ in 0..repeats {
            std::hint::black_box(hash_many_transaction_trits(std::hint::black_box(&views)).ok());
        }
        let batch = started.elapsed().as_secs_f64() / (repeats * count) as f64;
        println!(
            "{count:>3} transactions: single {:>7.1} µs, batch {:>7.1} µs per transaction",
            single * 1e6,
            batch * 1e6
        );
    }
}
