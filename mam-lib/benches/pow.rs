//! Proof-of-work speed: nonces per second on one core and on all cores, the
//! median time to attach one transaction at MWM 14, and the peer measured
//! in the same run: `iota-crypto`'s batched Curl-P (`CurlPBatchHasher`,
//! 64 transactions per call).
//!
//! Like with like: one nonce of ours costs one Curl-P-81 transform (the
//! first 32 chunks are absorbed once per search), so our nonces per second
//! are transforms per second; the peer hashes whole 8019-trit transactions,
//! 33 transforms each, so its transforms per second are 33 × its hashes per
//! second. Both are printed, with the ratios.
//!
//! `cargo bench -p mam-lib --bench pow`; env `POW_BENCH_SECONDS` (time per
//! rate measurement, default 3) and `POW_BENCH_RUNS` (transactions per MWM-14
//! median, default 5).

use std::cell::RefCell;
use std::hint::black_box;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crypto::encoding::ternary::{T1B1Buf, TritBuf};
use crypto::hashes::ternary::curl_p::{CurlPBatchHasher, BATCH_SIZE};
use mam_lib::curl::{CurlP, Rounds};
use mam_lib::pow::{kernel_name, search_nonce, PowError, PowOptions, PowProgress, MAX_MWM};

const TRANSACTION_TRITS: usize = 8019;
/// Curl-P transforms in hashing one transaction: 8019 / 243.
const TRANSFORMS_PER_TRANSACTION: f64 = 33.0;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|&value| value > 0)
        .unwrap_or(default)
}

/// A transaction of pseudo-random trits: PoW does not care what they mean.
fn transaction(seed: u64) -> Vec<i8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..TRANSACTION_TRITS)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 3) as i8 - 1
        })
        .collect()
}

/// A rate measured over several windows: the mean over all of them, and
/// the best window, which is what the code does when nothing else on the
/// machine gets in the way (shared machines make the mean noisy).
#[derive(Clone, Copy)]
struct Rate {
    mean: f64,
    best: f64,
}

impl Rate {
    /// From `(time, count)` samples, windows of `span` samples.
    fn from_samples(samples: &[(Instant, u64)], span: usize) -> Rate {
        let rate = |a: &(Instant, u64), b: &(Instant, u64)| {
            (b.1 - a.1) as f64 / (b.0 - a.0).as_secs_f64().max(1e-9)
        };
        let mean = match (samples.first(), samples.last()) {
            (Some(first), Some(last)) if samples.len() > 1 => rate(first, last),
            _ => f64::NAN,
        };
        let best = samples
            .windows(span + 1)
            .map(|w| rate(&w[0], &w[span]))
            .fold(f64::NAN, f64::max);
        Rate { mean, best }
    }

    fn show(self) -> String {
        format!(
            "{:6.2} M/s (best 0.5 s: {:.2} M/s)",
            self.mean / 1e6,
            self.best / 1e6
        )
    }
}

/// Nonces per second of a search that cannot succeed, from its progress
/// reports every 0.1 s, leaving out the first half second (thread start,
/// warm-up).
fn nonce_rate(threads: usize, seconds: u64) -> Rate {
    let cancel = AtomicBool::new(false);
    let started = Instant::now();
    let samples = RefCell::new(Vec::new());
    let progress = |p: PowProgress| {
        let now = Instant::now();
        if now - started >= Duration::from_millis(500) {
            samples.borrow_mut().push((now, p.nonces_tried));
        }
        if now - started >= Duration::from_secs(seconds) + Duration::from_millis(500) {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let options = PowOptions {
        threads: NonZeroUsize::new(threads),
        cancel: Some(&cancel),
        progress: Some(&progress),
        progress_interval: Duration::from_millis(100),
    };
    let result = search_nonce(&transaction(1), MAX_MWM, &options);
    assert_eq!(result, Err(PowError::Cancelled));
    let samples = samples.into_inner();
    Rate::from_samples(&samples, 5)
}

/// The median wall time of `runs` searches at `mwm`, each on a different
/// transaction.
fn median_search_time(mwm: u8, threads: usize, runs: u64) -> (Duration, Vec<Duration>) {
    let options = PowOptions {
        threads: NonZeroUsize::new(threads),
        ..PowOptions::default()
    };
    let mut times: Vec<Duration> = (0..runs)
        .map(|run| {
            let trits = transaction(1000 + run);
            let started = Instant::now();
            let nonce = search_nonce(&trits, mwm, &options).expect("search");
            let elapsed = started.elapsed();
            black_box(nonce);
            elapsed
        })
        .collect();
    let all = times.clone();
    times.sort();
    (times[times.len() / 2], all)
}

/// Whole transactions per second through `iota-crypto`'s batched Curl-P,
/// on one thread.
fn peer_hashes_per_second(seconds: u64) -> Rate {
    let inputs: Vec<TritBuf<T1B1Buf>> = (0..BATCH_SIZE as u64)
        .map(|i| TritBuf::from_i8s(&transaction(i)).expect("trits"))
        .collect();
    let mut hasher = CurlPBatchHasher::<T1B1Buf>::new(TRANSACTION_TRITS);
    sample_for(seconds, || {
        for input in &inputs {
            hasher.add(input.clone());
        }
        for hash in hasher.hash() {
            black_box(hash);
        }
        BATCH_SIZE as u64
    })
}

/// Whole transactions per second through our single-state Curl-P, on one
/// thread: what hashing a transaction costs outside the search.
fn single_state_hashes_per_second(seconds: u64) -> Rate {
    let trits = transaction(5);
    sample_for(seconds, || {
        for _ in 0..64 {
            let mut sponge = CurlP::new(Rounds::R81);
            sponge.absorb(black_box(&trits));
            black_box(sponge.rate());
        }
        64
    })
}

/// Runs `work` (returning how many it did) for `seconds`, sampling the count
/// every 0.1 s.
fn sample_for(seconds: u64, mut work: impl FnMut() -> u64) -> Rate {
    let started = Instant::now();
    let mut samples = vec![(started, 0u64)];
    let mut done = 0;
    let mut next = started + Duration::from_millis(100);
    while started.elapsed() < Duration::from_secs(seconds) {
        done += work();
        let now = Instant::now();
        if now >= next {
            samples.push((now, done));
            next += Duration::from_millis(100);
        }
    }
    Rate::from_samples(&samples, 5)
}

fn main() {
    let seconds = env_number("POW_BENCH_SECONDS", 3);
    let runs = env_number("POW_BENCH_RUNS", 5);
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    println!("proof of work: kernel {}, {cores} cores", kernel_name());
    println!();

    let one = nonce_rate(1, seconds);
    let all = nonce_rate(cores, seconds);
    println!("nonces (final transforms) per second");
    println!("  1 core:   {}", one.show());
    println!(
        "  {cores} cores:  {} ({:.2}× one core)",
        all.show(),
        all.mean / one.mean
    );
    println!();

    let expected = 3f64.powi(14);
    for threads in [1, cores] {
        let (median, all_runs) = median_search_time(14, threads, runs);
        let listed: Vec<String> = all_runs
            .iter()
            .map(|t| format!("{:.0}", t.as_secs_f64() * 1e3))
            .collect();
        let rate = if threads == 1 { one } else { all };
        println!(
            "MWM 14, {threads} thread(s): median {:.0} ms over {runs} transactions ({} ms); \
             the mean, 3^14 nonces at the rate above: {:.0} ms",
            median.as_secs_f64() * 1e3,
            listed.join(", "),
            expected / rate.mean * 1e3,
        );
    }
    println!();

    let peer = peer_hashes_per_second(seconds);
    let single = single_state_hashes_per_second(seconds);
    let transforms = |rate: Rate| Rate {
        mean: rate.mean * TRANSFORMS_PER_TRANSACTION,
        best: rate.best * TRANSFORMS_PER_TRANSACTION,
    };
    println!("one core, Curl-P-81 transforms per second (for hashers: transactions/s × 33)");
    println!("  ours, PoW search:               {}", one.show());
    println!(
        "  ours, single-state CurlP:       {} = {:.0} transactions/s",
        transforms(single).show(),
        single.mean
    );
    println!(
        "  iota-crypto CurlPBatchHasher:   {} = {:.0} transactions/s",
        transforms(peer).show(),
        peer.mean
    );
    println!(
        "  ours / iota-crypto:             {:.1}× per transform (best windows {:.1}×); \
         {:.0}× per nonce tried, as its API hashes the whole transaction each time",
        one.mean / transforms(peer).mean,
        one.best / transforms(peer).best,
        one.mean / peer.mean
    );
}
