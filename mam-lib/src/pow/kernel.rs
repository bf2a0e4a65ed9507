//! Curl-P-81 on `64·N` states at once, three rounds per pass over the
//! state: the inner loop of the nonce search.
//!
//! The rounds use the rotated-S-box form of `curl::planes`: round `r` maps
//! `X_{r+1}[k] = g(X_r[k], X_r[k + u_r])` with `u_r = 364^(r+1) mod 729`,
//! and after 81 rounds natural trit `j` sits at position `364^81·j mod 729`.
//!
//! - **Three rounds per pass, in place.** Since `u_r = -2·u_{r+1}`, along
//!   the cycle `k, k+w, k+2w, …` of `w = u_{r+2}` (every `u_r` is prime to
//!   729, so that is one cycle through the whole state) three rounds only
//!   look a few steps along: `y_i = g(x_i, x_{i+4})`,
//!   `z_i = g(y_i, y_{i-2})`, `o_i = g(z_i, z_{i+1})`. A pass keeps that
//!   window in registers, loads two trits and stores one per step, and
//!   writes `o_i` over `x_i`, which no later step reads (the five the walk
//!   wraps round to are saved first). One pass per three rounds and one
//!   buffer instead of two: the loads and stores, which bound a round on
//!   wide vectors, drop to a third.
//! - **The first pass reads a template**, the state every batch starts
//!   from, and writes the working state: no per-batch copy.
//! - **Only what the weight check reads.** Rounds 79 to 81 run only for the
//!   hash trits the check looks at, each from its eight ancestors after
//!   round 78, and only until every lane has failed: about 8 trits × 7
//!   S-boxes for 1024 lanes, whatever the MWM, instead of 3 × 729.
//!
//! Four rounds per pass (32 vector registers hold the window) and looking
//! positions up in a table instead of computing them were tried and measured
//! no faster.

use core::cell::Cell;

use super::bitslice::{Encoding, Trits, Word};

/// Trits in the Curl-P state.
pub(super) const STATE_TRITS: usize = 729;
/// Trits in a hash (the rate).
pub(super) const HASH_TRITS: usize = 243;
/// Slots in a [`BatchState`]: a power of two, so that masking an index
/// proves it in bounds (indices never reach 729 anyway).
const SLOTS: usize = 1024;
/// Rounds of Curl-P-81.
const ROUNDS: usize = 81;
/// Rounds run on the whole state, in passes of three; the other three run
/// in the [`Tail`].
const FULL_ROUNDS: usize = 78;

/// `u_r = 364^(r+1) mod 729` for every round.
const fn rotations() -> [usize; ROUNDS] {
    let mut amounts = [0; ROUNDS];
    let mut amount = 364;
    let mut round = 0;
    while round < ROUNDS {
        amounts[round] = amount;
        amount = (amount * 364) % STATE_TRITS;
        round += 1;
    }
    amounts
}

const ROTATIONS: [usize; ROUNDS] = rotations();

/// Where natural trit `j` sits after 81 rounds: `364^81·j mod 729`.
const fn final_position(j: usize) -> usize {
    let mut c = 1;
    let mut round = 0;
    while round < ROUNDS {
        c = (c * 364) % STATE_TRITS;
        round += 1;
    }
    (c * j) % STATE_TRITS
}

/// The encoding one S-box after `E`.
type Next<E> = <E as Encoding>::Next;

/// `k mod 729` for `k < 2·729`.
#[inline(always)]
fn wrap(k: usize) -> usize {
    if k >= STATE_TRITS {
        k - STATE_TRITS
    } else {
        k
    }
}

/// The weight check's hash trits, each as the positions of its eight
/// ancestors after round 78.
#[derive(Debug, Clone)]
pub(super) struct Tail {
    ancestors: Vec<[u16; 8]>,
}

impl Tail {
    /// For hash trits `243 - weight .. 243` (`weight` ≤ 243), the last
    /// first: a random hash fails on any trit alike, the order only has to
    /// be fixed.
    pub(super) fn new(weight: usize) -> Tail {
        let ancestors = (HASH_TRITS - weight.min(HASH_TRITS)..HASH_TRITS)
            .rev()
            .map(Tail::ancestors_of)
            .collect();
        Tail { ancestors }
    }

    /// `X_81[p] = g(X_80[p], X_80[p + u_80])`, and so on down to round 78:
    /// leaf bit 2 adds `u_80`, bit 1 `u_79`, bit 0 `u_78`, so neighbours
    /// meet first.
    fn ancestors_of(j: usize) -> [u16; 8] {
        let p = final_position(j);
        core::array::from_fn(|leaf| {
            let k = (0..3)
                .filter(|bit| leaf >> bit & 1 == 1)
                .fold(p, |k, bit| (k + ROTATIONS[FULL_ROUNDS + bit]) % STATE_TRITS);
            // A state position, below 729.
            k as u16
        })
    }
}

/// The states of `64·N` lanes, trit `k` in slot `k`. Cells, so that one
/// pass can read and write the same state (in place) or read the template
/// and write another (the first pass) with the same code.
#[repr(C, align(64))]
pub(super) struct BatchState<const N: usize> {
    slots: [Cell<Trits<N>>; SLOTS],
}

impl<const N: usize> BatchState<N> {
    /// An all-zero state.
    pub(super) fn new() -> Box<BatchState<N>> {
        let zero = Trits {
            lo: Word::splat(false),
            hi: Word::splat(false),
        };
        Box::new(BatchState {
            slots: core::array::from_fn(|_| Cell::new(zero)),
        })
    }

    /// Sets state trit `k` (< 729) of every lane, in the encoding the
    /// rounds start from.
    #[inline(always)]
    pub(super) fn set(&self, k: usize, trits: Trits<N>) {
        self.slots[k % SLOTS].set(trits);
    }

    /// One batch: 78 rounds from `template` (left as it is, in encoding `E`)
    /// into `self`, then the [`Tail`]. Returns the lanes whose hash has
    /// every trit of `tail` zero.
    #[inline(always)]
    pub(super) fn search<E: Encoding>(&self, template: &BatchState<N>, tail: &Tail) -> Word<N> {
        self.full_rounds::<E>(template);
        let mut nonzero = Word::splat(false);
        for leaves in &tail.ancestors {
            let trit = self.tail_rounds::<E>(leaves);
            nonzero = nonzero | Next::<Next<Next<E>>>::nonzero(trit);
            // A third of the lanes pass each trit: after a handful none do.
            if nonzero.is_all_ones() {
                break;
            }
        }
        !nonzero
    }

    /// Rounds 1 to 78, from `template` into `self`.
    #[inline(always)]
    fn full_rounds<E: Encoding>(&self, template: &BatchState<N>) {
        // Two passes are six rounds, after which the encoding is back at
        // `E`; 78 = 13 · 6, so it ends there too.
        type After3<E> = Next<Next<Next<E>>>;
        let state = &self.slots;
        triple_round::<E, N>(&template.slots, state, ROTATIONS[2]);
        triple_round::<After3<E>, N>(state, state, ROTATIONS[5]);
        for six in 1..FULL_ROUNDS / 6 {
            triple_round::<E, N>(state, state, ROTATIONS[6 * six + 2]);
            triple_round::<After3<E>, N>(state, state, ROTATIONS[6 * six + 5]);
        }
    }

    /// Rounds 79 to 81 for one hash trit, from its ancestors; the result in
    /// encoding `E` advanced three times.
    #[inline(always)]
    fn tail_rounds<E: Encoding>(&self, leaves: &[u16; 8]) -> Trits<N> {
        let x = |i: usize| self.slots[usize::from(leaves[i]) % SLOTS].get();
        let y = |i: usize| E::s_box(x(2 * i), x(2 * i + 1));
        let z0 = Next::<E>::s_box(y(0), y(1));
        let z1 = Next::<E>::s_box(y(2), y(3));
        Next::<Next<E>>::s_box(z0, z1)
    }
}

/// Rounds `r`, `r + 1` and `r + 2` from `src` into `dst` (which may be the
/// same state), the input in encoding `E`; `w` is `u_{r+2}`. Step `i` of
/// the walk reads `x_{i+1}` and `x_{i+5}` and writes `o_i` at `i·w`.
#[inline(always)]
fn triple_round<E: Encoding, const N: usize>(
    src: &[Cell<Trits<N>>; SLOTS],
    dst: &[Cell<Trits<N>>; SLOTS],
    w: usize,
) {
    let at = |i: usize| (i * w) % STATE_TRITS;
    let x = |k: usize| src[k % SLOTS].get();
    // The last steps read x_729.. = x_0.., overwritten by then.
    let saved = [x(0), x(at(1)), x(at(2)), x(at(3)), x(at(4))];
    let y_minus_2 = E::s_box(x(at(727)), saved[2]);
    let mut y_prev = E::s_box(x(at(728)), saved[3]);
    let mut y_cur = E::s_box(saved[0], saved[4]);
    let mut z_cur = Next::<E>::s_box(y_cur, y_minus_2);
    // Two steps per iteration, every position computed from `k`: the
    // position update (add, compare, select) is the loop's only carried
    // dependency, and one per step would bound the loop by its latency.
    let (w1, w2, w5, w6) = (at(1), at(2), at(5), at(6));
    let mut k = 0usize;
    for _ in 0..(STATE_TRITS - 5) / 2 {
        let (k1, k2) = (wrap(k + w1), wrap(k + w2));
        let y1 = E::s_box(x(k1), x(wrap(k + w5)));
        let z1 = Next::<E>::s_box(y1, y_prev);
        dst[k % SLOTS].set(Next::<Next<E>>::s_box(z_cur, z1));
        let y2 = E::s_box(x(k2), x(wrap(k + w6)));
        let z2 = Next::<E>::s_box(y2, y_cur);
        dst[k1 % SLOTS].set(Next::<Next<E>>::s_box(z1, z2));
        y_prev = y1;
        y_cur = y2;
        z_cur = z2;
        k = k2;
    }
    for (i, &x5) in saved.iter().enumerate() {
        let x1 = if i < 4 { x(wrap(k + w1)) } else { saved[0] };
        let y_next = E::s_box(x1, x5);
        let z_next = Next::<E>::s_box(y_next, y_prev);
        dst[k % SLOTS].set(Next::<Next<E>>::s_box(z_cur, z_next));
        y_prev = y_cur;
        y_cur = y_next;
        z_cur = z_next;
        k = wrap(k + w1);
    }
}

#[cfg(test)]
mod tests {
    use super::super::bitslice::Plain;
    use super::*;
    use crate::ternary::pseudo_random_trits;

    /// Curl-P-81 of a whole 729-trit state, textbook style.
    fn reference_transform(input: &[i8]) -> Vec<i8> {
        const TABLE: [i8; 9] = [1, 0, -1, 1, -1, 0, -1, 1, 0];
        let mut state = input.to_vec();
        for _ in 0..ROUNDS {
            let old = state.clone();
            let mut index = 0usize;
            for out in state.iter_mut() {
                let previous = index;
                index = if index < 365 {
                    index + 364
                } else {
                    index - 365
                };
                *out = TABLE[(old[previous] + 3 * old[index] + 4) as usize];
            }
        }
        state
    }

    /// A batch state holding `inputs[lane]` in each lane.
    fn template_of<const N: usize>(inputs: &[Vec<i8>]) -> Box<BatchState<N>> {
        let template = BatchState::<N>::new();
        for k in 0..STATE_TRITS {
            let mut plus = Word::splat(false);
            let mut minus = Word::splat(false);
            for (lane, input) in inputs.iter().enumerate() {
                match input[k] {
                    1 => plus = plus.with_lane(lane),
                    -1 => minus = minus.with_lane(lane),
                    _ => {}
                }
            }
            template.set(k, Plain::encode(plus, minus));
        }
        template
    }

    fn check_lanes<const N: usize>() {
        let inputs: Vec<Vec<i8>> = (0..Word::<N>::LANES as u64)
            .map(|l| pseudo_random_trits(l + 1, STATE_TRITS))
            .collect();
        let template = template_of::<N>(&inputs);
        let references: Vec<Vec<i8>> = inputs.iter().map(|i| reference_transform(i)).collect();
        let state = BatchState::<N>::new();
        state.full_rounds::<Plain>(&template);
        for j in 0..HASH_TRITS {
            let trit = state.tail_rounds::<Plain>(&Tail::ancestors_of(j));
            // 81 = 0 (mod 3): back in `Plain`.
            let (plus, minus) = Plain::decode(trit);
            for (lane, reference) in references.iter().enumerate() {
                let got = i8::from(plus.lane(lane)) - i8::from(minus.lane(lane));
                assert_eq!(got, reference[j], "lane {lane} hash trit {j}");
            }
        }
    }

    #[test]
    fn every_lane_hashes_like_the_textbook_transform() {
        check_lanes::<1>();
        check_lanes::<3>();
    }

    #[test]
    fn search_finds_exactly_the_lanes_with_zero_trailing_trits() {
        // Lanes with random states; the expected answer from the textbook.
        let inputs: Vec<Vec<i8>> = (0..64u64)
            .map(|l| pseudo_random_trits(1000 + l, STATE_TRITS))
            .collect();
        let template = template_of::<1>(&inputs);
        let hashes: Vec<Vec<i8>> = inputs.iter().map(|i| reference_transform(i)).collect();
        let state = BatchState::<1>::new();
        for weight in [1, 2, 3] {
            let found = state.search::<Plain>(&template, &Tail::new(weight));
            for (lane, hash) in hashes.iter().enumerate() {
                let zero = hash[HASH_TRITS - weight..HASH_TRITS]
                    .iter()
                    .all(|&t| t == 0);
                assert_eq!(found.lane(lane), zero, "weight {weight} lane {lane}");
            }
        }
    }
}
