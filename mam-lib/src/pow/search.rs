//! One worker's nonce search: which nonce each lane of each batch tries,
//! and the choice of kernel for this CPU.
//!
//! The nonce is the last 81 trits of the transaction, which are trits
//! 162..243 of the last 243-trit chunk and so of the state the final
//! transform starts from. Within the nonce:
//!
//! | nonce trits | what |
//! |---|---|
//! | 0..7 | the lane (7 trits cover the at most 1024 lanes of a batch) |
//! | 7..48 | a 64-bit batch counter, `batch · threads + thread` |
//! | 48..81 | the caller's trits, untouched |
//!
//! so every lane of every batch of every worker tries a different nonce,
//! and a caller can set the untouched trits to keep independent searches
//! on the same transaction apart.

use super::bitslice::{Encoding, Plain, Word};
use super::kernel::{BatchState, Tail, HASH_TRITS, STATE_TRITS};
use super::NONCE_TRITS;

/// Where the nonce starts in the final state.
const NONCE_IN_STATE: usize = HASH_TRITS - NONCE_TRITS;
/// Nonce trits that number the lanes: 3^7 = 2187 ≥ 1024.
const LANE_TRITS: usize = 7;
/// Nonce trits that hold the batch counter: 3^41 > 2^64.
const COUNTER_TRITS: usize = 41;

/// What every worker of one search shares.
pub(super) struct Job {
    /// The state the final transform starts from: the state after
    /// absorbing all chunks but the last, with the last chunk (the caller's
    /// nonce included) written over its first 243 trits.
    pub(super) start: [i8; STATE_TRITS],
    /// The hash trits that must be zero.
    pub(super) tail: Tail,
}

/// Why a worker stopped without a nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stopped {
    /// Its `after_batch` said so.
    Asked,
    /// The batch counter would overflow: 2^64 batches tried.
    Exhausted,
}

/// The base-3 digits of `value`, least significant first, as trits (digit
/// `d` as `d - 1`), then -1 for ever (digit 0).
fn digits(value: u64) -> impl Iterator<Item = i8> {
    let mut rest = value;
    core::iter::repeat_with(move || {
        let trit = (rest % 3) as i8 - 1;
        rest /= 3;
        trit
    })
}

/// The nonce lane `lane` of batch `counter` tried.
pub(super) fn nonce_of(start: &[i8; STATE_TRITS], counter: u64, lane: usize) -> [i8; NONCE_TRITS] {
    let mut nonce = [0i8; NONCE_TRITS];
    nonce.copy_from_slice(&start[NONCE_IN_STATE..HASH_TRITS]);
    for (t, d) in nonce[..LANE_TRITS].iter_mut().zip(digits(lane as u64)) {
        *t = d;
    }
    for (t, d) in nonce[LANE_TRITS..][..COUNTER_TRITS]
        .iter_mut()
        .zip(digits(counter))
    {
        *t = d;
    }
    nonce
}

/// Runs batches of lanes for worker `thread` of `threads` until one lane's
/// hash meets the weight or `after_batch` (told the lanes just tried)
/// returns false. Uses the widest kernel this CPU runs.
pub(super) fn run(
    job: &Job,
    thread: u64,
    threads: u64,
    after_batch: &mut dyn FnMut(u64) -> bool,
) -> Result<[i8; NONCE_TRITS], Stopped> {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F, checked just above.
            return unsafe { run_avx512(job, thread, threads, after_batch) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { run_avx2(job, thread, threads, after_batch) };
        }
    }
    run_portable(job, thread, threads, after_batch)
}

/// The name of the kernel [`run`] picks on this CPU, for benchmarks.
pub(super) fn kernel_name() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            return "AVX-512, 1024 lanes";
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            return "AVX2, 512 lanes";
        }
    }
    "portable, 256 lanes"
}

/// 1024 lanes: two 512-bit registers per plane. Measured 4% faster than
/// one (512 lanes) and twice as fast as 256-bit registers, on Zen 4.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn run_avx512(
    job: &Job,
    thread: u64,
    threads: u64,
    after_batch: &mut dyn FnMut(u64) -> bool,
) -> Result<[i8; NONCE_TRITS], Stopped> {
    run_lanes::<16>(job, thread, threads, after_batch)
}

/// 512 lanes: two 256-bit registers per plane. Measured 17% faster than
/// one (256 lanes) although the window then spills, and twice as fast as
/// four.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn run_avx2(
    job: &Job,
    thread: u64,
    threads: u64,
    after_batch: &mut dyn FnMut(u64) -> bool,
) -> Result<[i8; NONCE_TRITS], Stopped> {
    run_lanes::<8>(job, thread, threads, after_batch)
}

/// Whatever the target has without runtime checks: SSE2 on x86_64, NEON
/// on aarch64, and in WebAssembly 64-bit words, or 128-bit SIMD when built
/// with `-C target-feature=+simd128` (about three times as fast there).
/// Four words per plane measured best in all of them (SSE2: 4.9 million
/// nonces per second against 3.9 with two and 4.5 with eight).
fn run_portable(
    job: &Job,
    thread: u64,
    threads: u64,
    after_batch: &mut dyn FnMut(u64) -> bool,
) -> Result<[i8; NONCE_TRITS], Stopped> {
    run_lanes::<4>(job, thread, threads, after_batch)
}

/// The search loop, inlined into each of the entry points above so that it
/// is compiled for their instruction sets.
#[inline(always)]
fn run_lanes<const N: usize>(
    job: &Job,
    thread: u64,
    threads: u64,
    after_batch: &mut dyn FnMut(u64) -> bool,
) -> Result<[i8; NONCE_TRITS], Stopped> {
    let template = BatchState::<N>::new();
    for (k, &trit) in job.start.iter().enumerate() {
        template.set(k, Plain::splat(trit));
    }
    let (mut plus, mut minus) = (
        [Word::splat(false); LANE_TRITS],
        [Word::splat(false); LANE_TRITS],
    );
    for lane in 0..Word::<N>::LANES {
        for (i, d) in digits(lane as u64).take(LANE_TRITS).enumerate() {
            match d {
                1 => plus[i] = plus[i].with_lane(lane),
                -1 => minus[i] = minus[i].with_lane(lane),
                _ => {}
            }
        }
    }
    for i in 0..LANE_TRITS {
        template.set(NONCE_IN_STATE + i, Plain::encode(plus[i], minus[i]));
    }
    let state = BatchState::<N>::new();
    let lanes = Word::<N>::LANES as u64;
    for batch in 0u64.. {
        let counter = batch
            .checked_mul(threads)
            .and_then(|c| c.checked_add(thread))
            .ok_or(Stopped::Exhausted)?;
        for (i, d) in digits(counter).take(COUNTER_TRITS).enumerate() {
            template.set(NONCE_IN_STATE + LANE_TRITS + i, Plain::splat(d));
        }
        let found = state.search::<Plain>(&template, &job.tail);
        if let Some(lane) = found.first_lane() {
            // Count only the lanes up to the winner: the nonces tried.
            after_batch(lane as u64 + 1);
            return Ok(nonce_of(&job.start, counter, lane));
        }
        if !after_batch(lanes) {
            return Err(Stopped::Asked);
        }
    }
    Err(Stopped::Exhausted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lane_of_every_batch_tries_a_different_nonce() {
        let start = [0i8; STATE_TRITS];
        let mut seen = std::collections::HashSet::new();
        for counter in 0..20 {
            for lane in 0..1024 {
                assert!(seen.insert(nonce_of(&start, counter, lane)));
            }
        }
    }

    #[test]
    fn the_callers_nonce_trits_past_the_counter_are_kept() {
        let mut start = [0i8; STATE_TRITS];
        start[NONCE_IN_STATE + 50] = 1;
        start[NONCE_IN_STATE + 80] = -1;
        let nonce = nonce_of(&start, 12345, 7);
        assert_eq!(nonce[50], 1);
        assert_eq!(nonce[80], -1);
    }
}
