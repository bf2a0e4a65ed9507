//! Curl-P on 64 independent states at once: trit `k` of lane `l` is bit `l`
//! of `plus[k]` / `minus[k]`.
//!
//! Winternitz signing, verifying and key generation are dozens of
//! independent hash chains; this runs them side by side. A round is the same
//! rotated-S-box step as the single-state transform (see `planes`), here a
//! straight loop over 729 words that the compiler vectorizes.

use super::planes::{ROTATIONS_27, ROTATIONS_81};
use super::{Rounds, HASH_LENGTH, STATE_LENGTH};

/// States processed together.
pub(crate) const LANES: usize = 64;

/// One 243-trit hash.
pub(crate) type Hash = [i8; HASH_LENGTH];

/// After `R` rounds, natural trit `j` sits at `(364^R · j) mod 729`.
const fn final_positions(rounds: usize) -> [u16; STATE_LENGTH] {
    let mut c = 1;
    let mut i = 0;
    while i < rounds {
        c = (c * 364) % STATE_LENGTH;
        i += 1;
    }
    let mut positions = [0u16; STATE_LENGTH];
    let mut j = 0;
    while j < STATE_LENGTH {
        positions[j] = ((c * j) % STATE_LENGTH) as u16;
        j += 1;
    }
    positions
}

const POSITIONS_27: [u16; STATE_LENGTH] = final_positions(27);
const POSITIONS_81: [u16; STATE_LENGTH] = final_positions(81);

/// 64 Curl-P states.
#[derive(Clone)]
pub(crate) struct BatchState {
    plus: [u64; STATE_LENGTH],
    minus: [u64; STATE_LENGTH],
}

/// The rates (first 243 trits) of 64 states, as bit planes.
#[derive(Clone)]
pub(crate) struct BatchRate {
    plus: [u64; HASH_LENGTH],
    minus: [u64; HASH_LENGTH],
}

impl BatchRate {
    /// The rate of one lane as trits.
    pub(crate) fn lane(&self, lane: usize) -> Hash {
        let mut hash = [0i8; HASH_LENGTH];
        for (k, t) in hash.iter_mut().enumerate() {
            *t = ((self.plus[k] >> lane) & 1) as i8 - ((self.minus[k] >> lane) & 1) as i8;
        }
        hash
    }
}

#[inline(always)]
fn s_box(a_plus: u64, a_minus: u64, b_plus: u64, b_minus: u64) -> (u64, u64) {
    let t = a_minus ^ b_plus;
    (t & !a_plus, !t & !(a_plus ^ b_minus))
}

/// One round: `out[k] = g(x[k], x[k + u])`, indices mod 729.
#[inline(always)]
fn round(
    x_plus: &[u64; STATE_LENGTH],
    x_minus: &[u64; STATE_LENGTH],
    out: &mut BatchState,
    u: usize,
) {
    let split = STATE_LENGTH - u;
    let (out_head_p, out_tail_p) = out.plus.split_at_mut(split);
    let (out_head_m, out_tail_m) = out.minus.split_at_mut(split);
    for ((((op, om), (&ap, &am)), &bp), &bm) in out_head_p
        .iter_mut()
        .zip(out_head_m.iter_mut())
        .zip(x_plus[..split].iter().zip(&x_minus[..split]))
        .zip(&x_plus[u..])
        .zip(&x_minus[u..])
    {
        (*op, *om) = s_box(ap, am, bp, bm);
    }
    for ((((op, om), (&ap, &am)), &bp), &bm) in out_tail_p
        .iter_mut()
        .zip(out_tail_m.iter_mut())
        .zip(x_plus[split..].iter().zip(&x_minus[split..]))
        .zip(&x_plus[..u])
        .zip(&x_minus[..u])
    {
        (*op, *om) = s_box(ap, am, bp, bm);
    }
}

impl BatchState {
    pub(crate) fn zero() -> BatchState {
        BatchState {
            plus: [0; STATE_LENGTH],
            minus: [0; STATE_LENGTH],
        }
    }

    /// Sets the first 243 trits of `lane` and zeroes the rest of that lane.
    pub(crate) fn load_lane(&mut self, lane: usize, trits: &Hash) {
        let bit = 1u64 << lane;
        for (k, &t) in trits.iter().enumerate() {
            self.plus[k] = (self.plus[k] & !bit) | (u64::from(t == 1) << lane);
            self.minus[k] = (self.minus[k] & !bit) | (u64::from(t == -1) << lane);
        }
        for k in HASH_LENGTH..STATE_LENGTH {
            self.plus[k] &= !bit;
            self.minus[k] &= !bit;
        }
    }

    /// Overwrites the first `trits.len()` (at most 243) trits of `lane`,
    /// keeping the rest: the lane's half of a sponge absorb.
    pub(crate) fn write_lane(&mut self, lane: usize, trits: &[i8]) {
        let bit = 1u64 << lane;
        for (k, &t) in trits.iter().enumerate().take(HASH_LENGTH) {
            self.plus[k] = (self.plus[k] & !bit) | (u64::from(t == 1) << lane);
            self.minus[k] = (self.minus[k] & !bit) | (u64::from(t == -1) << lane);
        }
    }

    /// The rates of all lanes.
    pub(crate) fn rate(&self) -> BatchRate {
        let mut rate = BatchRate {
            plus: [0; HASH_LENGTH],
            minus: [0; HASH_LENGTH],
        };
        rate.plus.copy_from_slice(&self.plus[..HASH_LENGTH]);
        rate.minus.copy_from_slice(&self.minus[..HASH_LENGTH]);
        rate
    }

    /// Every lane becomes a fresh sponge that absorbed its own rate (minus
    /// the transform): the step between two hashes of a chain.
    pub(crate) fn keep_rate_only(&mut self) {
        self.plus[HASH_LENGTH..].fill(0);
        self.minus[HASH_LENGTH..].fill(0);
    }

    /// Transforms all 64 states.
    pub(crate) fn transform(&mut self, rounds: Rounds, scratch: &mut BatchState) {
        let (rotations, positions): (&[usize], &[u16; STATE_LENGTH]) = match rounds {
            Rounds::R27 => (&ROTATIONS_27, &POSITIONS_27),
            Rounds::R81 => (&ROTATIONS_81, &POSITIONS_81),
        };
        for pair in rotations.chunks(2) {
            round(&self.plus, &self.minus, scratch, pair[0]);
            match pair.get(1) {
                Some(&u) => round(&scratch.plus, &scratch.minus, self, u),
                None => core::mem::swap(self, scratch),
            }
        }
        scratch.plus.copy_from_slice(&self.plus);
        scratch.minus.copy_from_slice(&self.minus);
        for (j, &position) in positions.iter().enumerate() {
            self.plus[j] = scratch.plus[usize::from(position)];
            self.minus[j] = scratch.minus[usize::from(position)];
        }
    }
}

/// Hashes every `inputs[i]` `steps[i]` times (each time a fresh sponge:
/// absorb, take the rate), 64 at a time.
pub(crate) fn hash_chains(rounds: Rounds, inputs: &[Hash], steps: &[usize]) -> Vec<Hash> {
    let mut outputs = inputs.to_vec();
    let mut state = Box::new(BatchState::zero());
    let mut scratch = Box::new(BatchState::zero());
    for (batch, batch_steps) in outputs.chunks_mut(LANES).zip(steps.chunks(LANES)) {
        for (lane, input) in batch.iter().enumerate() {
            state.load_lane(lane, input);
        }
        let longest = batch_steps.iter().copied().max().unwrap_or(0);
        for step in 1..=longest {
            state.transform(rounds, &mut scratch);
            state.keep_rate_only();
            if batch_steps.contains(&step) {
                let rate = state.rate();
                for (lane, output) in batch.iter_mut().enumerate() {
                    if batch_steps[lane] == step {
                        *output = rate.lane(lane);
                    }
                }
            }
        }
    }
    outputs
}

/// Curl-P of each message (absorb all of it, take the rate), 64 messages
/// at a time. Messages must all have the same length, a multiple of 243
/// trits (as transactions do); `None` otherwise.
pub(crate) fn hash_equal_length(rounds: Rounds, messages: &[&[i8]]) -> Option<Vec<Hash>> {
    let len = messages.first().map_or(0, |m| m.len());
    if !len.is_multiple_of(HASH_LENGTH) || messages.iter().any(|m| m.len() != len) {
        return None;
    }
    let mut state = Box::new(BatchState::zero());
    let mut scratch = Box::new(BatchState::zero());
    let mut hashes = Vec::with_capacity(messages.len());
    for batch in messages.chunks(LANES) {
        *state = BatchState::zero();
        for chunk in 0..len / HASH_LENGTH {
            let range = chunk * HASH_LENGTH..(chunk + 1) * HASH_LENGTH;
            for (lane, message) in batch.iter().enumerate() {
                state.write_lane(lane, &message[range.clone()]);
            }
            state.transform(rounds, &mut scratch);
        }
        let rate = state.rate();
        hashes.extend((0..batch.len()).map(|lane| rate.lane(lane)));
    }
    Some(hashes)
}

/// Hashes every input `steps` times, keeping the rates after every step:
/// `result[batch][step - 1]` holds lanes `64·batch ..`.
pub(crate) fn hash_chain_table(
    rounds: Rounds,
    inputs: &[Hash],
    steps: usize,
) -> Vec<Vec<BatchRate>> {
    let mut state = Box::new(BatchState::zero());
    let mut scratch = Box::new(BatchState::zero());
    inputs
        .chunks(LANES)
        .map(|batch| {
            for (lane, input) in batch.iter().enumerate() {
                state.load_lane(lane, input);
            }
            (0..steps)
                .map(|_| {
                    state.transform(rounds, &mut scratch);
                    state.keep_rate_only();
                    state.rate()
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curl::CurlP;

    fn hash_n(rounds: Rounds, input: &Hash, n: usize) -> Hash {
        let mut hash = *input;
        for _ in 0..n {
            let mut curl = CurlP::new(rounds);
            curl.absorb(&hash);
            hash = curl.rate();
        }
        hash
    }

    fn inputs(count: usize) -> Vec<Hash> {
        (0..count)
            .map(|i| {
                let mut hash = [0i8; HASH_LENGTH];
                for (k, t) in hash.iter_mut().enumerate() {
                    *t = (((i * 31 + k * 7) ^ (k >> 2)) % 3) as i8 - 1;
                }
                hash
            })
            .collect()
    }

    #[test]
    fn chains_of_different_lengths_equal_single_hashing() {
        for rounds in [Rounds::R27, Rounds::R81] {
            let inputs = inputs(70);
            let steps: Vec<usize> = (0..70).map(|i| i % 27).collect();
            let chained = hash_chains(rounds, &inputs, &steps);
            for i in 0..70 {
                assert_eq!(chained[i], hash_n(rounds, &inputs[i], steps[i]), "lane {i}");
            }
        }
    }

    #[test]
    fn equal_length_messages_hash_like_the_single_sponge() {
        let messages: Vec<Vec<i8>> = (0..70)
            .map(|i| crate::ternary::pseudo_random_trits(i, 3 * HASH_LENGTH))
            .collect();
        let views: Vec<&[i8]> = messages.iter().map(Vec::as_slice).collect();
        let batched = hash_equal_length(Rounds::R81, &views).expect("equal lengths");
        for (message, hash) in messages.iter().zip(&batched) {
            let mut curl = CurlP::new(Rounds::R81);
            curl.absorb(message);
            assert_eq!(&curl.rate(), hash);
        }
        assert!(hash_equal_length(Rounds::R81, &[&[0; 243], &[0; 486]]).is_none());
    }

    #[test]
    fn chain_table_holds_every_step() {
        let inputs = inputs(66);
        let table = hash_chain_table(Rounds::R27, &inputs, 5);
        for (i, input) in inputs.iter().enumerate() {
            for step in 1..=5 {
                assert_eq!(
                    table[i / LANES][step - 1].lane(i % LANES),
                    hash_n(Rounds::R27, input, step)
                );
            }
        }
    }
}
