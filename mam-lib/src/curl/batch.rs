//! Curl-P on 64 independent states at once: trit `k` of lane `l` is bit `l`
//! of `plus[k]` / `minus[k]`.
//!
//! Winternitz signing, verifying and key generation are dozens of
//! independent hash chains; this runs them side by side. A round is the same
//! rotated-S-box step as the single-state transform (see `planes`), here a
//! straight loop over 729 words that the compiler vectorizes.
//!
//! The words may be narrower than 64 bits ([`Word`]): a round costs the
//! same however few lanes are in use, so a handful of messages (one bundle's
//! transactions) go through 8- or 16-bit words, eight or four times as many
//! to a vector operation.

use core::ops::{BitAnd, BitOr, BitXor, Not};

use super::planes::{ROTATIONS_27, ROTATIONS_81};
use super::{Rounds, HASH_LENGTH, STATE_LENGTH};

/// States processed together.
pub(crate) const LANES: usize = 64;

/// A word of bit planes: bit `l` belongs to lane `l`.
pub(crate) trait Word:
    Copy
    + Eq
    + BitAnd<Output = Self>
    + BitOr<Output = Self>
    + BitXor<Output = Self>
    + Not<Output = Self>
{
    /// Lanes in one word.
    const LANES: usize;
    /// No bit set.
    const ZERO: Self;
    /// Only the bit of `lane` set.
    fn bit(lane: usize) -> Self;
}

macro_rules! word {
    ($($t:ty),*) => {$(
        impl Word for $t {
            const LANES: usize = <$t>::BITS as usize;
            const ZERO: Self = 0;
            #[inline(always)]
            fn bit(lane: usize) -> Self {
                1 << lane
            }
        }
    )*};
}

word!(u8, u16, u32, u64);

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

/// 64 (or as many as a [`Word`] has bits) Curl-P states.
#[derive(Clone)]
pub(crate) struct BatchState<W: Word = u64> {
    plus: [W; STATE_LENGTH],
    minus: [W; STATE_LENGTH],
}

/// The rates (first 243 trits) of 64 (or [`Word::LANES`]) states, as bit
/// planes.
#[derive(Clone)]
pub(crate) struct BatchRate<W: Word = u64> {
    plus: [W; HASH_LENGTH],
    minus: [W; HASH_LENGTH],
}

impl<W: Word> BatchRate<W> {
    /// The rate of one lane as trits.
    pub(crate) fn lane(&self, lane: usize) -> Hash {
        let bit = W::bit(lane);
        let mut hash = [0i8; HASH_LENGTH];
        for (k, t) in hash.iter_mut().enumerate() {
            *t = i8::from(self.plus[k] & bit != W::ZERO) - i8::from(self.minus[k] & bit != W::ZERO);
        }
        hash
    }
}

#[inline(always)]
fn s_box<W: Word>(a_plus: W, a_minus: W, b_plus: W, b_minus: W) -> (W, W) {
    let t = a_minus ^ b_plus;
    (t & !a_plus, !t & !(a_plus ^ b_minus))
}

/// One round: `out[k] = g(x[k], x[k + u])`, indices mod 729.
#[inline(always)]
fn round<W: Word>(
    x_plus: &[W; STATE_LENGTH],
    x_minus: &[W; STATE_LENGTH],
    out: &mut BatchState<W>,
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

/// `bit` where `set`, no bit otherwise.
#[inline(always)]
fn bit_if<W: Word>(set: bool, bit: W) -> W {
    if set {
        bit
    } else {
        W::ZERO
    }
}

impl<W: Word> BatchState<W> {
    pub(crate) fn zero() -> BatchState<W> {
        BatchState {
            plus: [W::ZERO; STATE_LENGTH],
            minus: [W::ZERO; STATE_LENGTH],
        }
    }

    /// Sets the first 243 trits of `lane` and zeroes the rest of that lane.
    pub(crate) fn load_lane(&mut self, lane: usize, trits: &Hash) {
        let bit = W::bit(lane);
        self.write_lane(lane, trits);
        for k in HASH_LENGTH..STATE_LENGTH {
            self.plus[k] = self.plus[k] & !bit;
            self.minus[k] = self.minus[k] & !bit;
        }
    }

    /// Overwrites the first `trits.len()` (at most 243) trits of `lane`,
    /// keeping the rest: the lane's half of a sponge absorb.
    pub(crate) fn write_lane(&mut self, lane: usize, trits: &[i8]) {
        let bit = W::bit(lane);
        for (k, &t) in trits.iter().enumerate().take(HASH_LENGTH) {
            self.plus[k] = (self.plus[k] & !bit) | bit_if(t == 1, bit);
            self.minus[k] = (self.minus[k] & !bit) | bit_if(t == -1, bit);
        }
    }

    /// The rates of all lanes.
    pub(crate) fn rate(&self) -> BatchRate<W> {
        let mut rate = BatchRate {
            plus: [W::ZERO; HASH_LENGTH],
            minus: [W::ZERO; HASH_LENGTH],
        };
        rate.plus.copy_from_slice(&self.plus[..HASH_LENGTH]);
        rate.minus.copy_from_slice(&self.minus[..HASH_LENGTH]);
        rate
    }

    /// Every lane becomes a fresh sponge that absorbed its own rate (minus
    /// the transform): the step between two hashes of a chain.
    pub(crate) fn keep_rate_only(&mut self) {
        self.plus[HASH_LENGTH..].fill(W::ZERO);
        self.minus[HASH_LENGTH..].fill(W::ZERO);
    }

    /// Transforms all 64 states.
    pub(crate) fn transform(&mut self, rounds: Rounds, scratch: &mut BatchState<W>) {
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
    let mut state = Box::new(BatchState::<u64>::zero());
    let mut scratch = Box::new(BatchState::<u64>::zero());
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
/// at a time, fewer in narrower words. Messages must all have the same
/// length, a multiple of 243 trits (as transactions do); `None` otherwise.
pub(crate) fn hash_equal_length(rounds: Rounds, messages: &[&[i8]]) -> Option<Vec<Hash>> {
    let len = messages.first().map_or(0, |m| m.len());
    if !len.is_multiple_of(HASH_LENGTH) || messages.iter().any(|m| m.len() != len) {
        return None;
    }
    let mut hashes = Vec::with_capacity(messages.len());
    for batch in messages.chunks(LANES) {
        // The narrowest word that holds the batch: fewest operations.
        match batch.len() {
            0..=8 => hash_batch::<u8>(rounds, batch, &mut hashes),
            9..=16 => hash_batch::<u16>(rounds, batch, &mut hashes),
            17..=32 => hash_batch::<u32>(rounds, batch, &mut hashes),
            _ => hash_batch::<u64>(rounds, batch, &mut hashes),
        }
    }
    Some(hashes)
}

/// Curl-P of at most [`Word::LANES`] messages of one length (a multiple of
/// 243), side by side in words `W`, appended to `hashes`.
fn hash_batch<W: Word>(rounds: Rounds, batch: &[&[i8]], hashes: &mut Vec<Hash>) {
    debug_assert!(batch.len() <= W::LANES);
    let len = batch.first().map_or(0, |m| m.len());
    let mut state = Box::new(BatchState::<W>::zero());
    let mut scratch = Box::new(BatchState::<W>::zero());
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

/// Hashes every input `steps` times, keeping the rates after every step:
/// `result[batch][step - 1]` holds lanes `64·batch ..`.
pub(crate) fn hash_chain_table(
    rounds: Rounds,
    inputs: &[Hash],
    steps: usize,
) -> Vec<Vec<BatchRate>> {
    let mut state = Box::new(BatchState::<u64>::zero());
    let mut scratch = Box::new(BatchState::<u64>::zero());
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
        // Every word width: 1..=8 in u8, ..=16 in u16, ..=32 in u32, more
        // in u64, and 70 = a full batch of 64 and 6 more.
        for count in [1, 7, 8, 9, 16, 17, 32, 33, 64, 70] {
            let batched = hash_equal_length(Rounds::R81, &views[..count]).expect("equal");
            assert_eq!(batched.len(), count);
            for (message, hash) in messages.iter().zip(&batched) {
                let mut curl = CurlP::new(Rounds::R81);
                curl.absorb(message);
                assert_eq!(&curl.rate(), hash, "{count} messages");
            }
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
