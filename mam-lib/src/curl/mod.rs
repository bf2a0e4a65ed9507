//! Curl-P, IOTA's ternary sponge, with 27 or 81 rounds.
//!
//! The sponge follows `@iota/curl` and `@iota/mam.js` exactly, including what
//! MAM relies on: absorbing and squeezing may alternate in any order, absorb
//! copies up to 243 trits over the start of the state and transforms, squeeze
//! copies the first 243 trits out and then transforms, and [`CurlP::rate`]
//! reads the first trits without transforming.
//!
//! The state is kept as two 729-bit planes (trit = +1 / -1 bits), and one
//! round applies the S-box to the whole state at once against a rotated copy
//! of itself; the rotations add up over the rounds, so one reordering at the
//! end of [`CurlP::transform`] puts every trit back in place. That makes a
//! transform a few hundred word operations instead of 729 table look-ups per
//! round.

pub(crate) mod batch;
mod planes;
#[cfg(test)]
mod reference;

use planes::Planes;

/// Trits in one hash (and in the sponge's rate).
pub const HASH_LENGTH: usize = 243;
/// Trits in the whole sponge state.
pub const STATE_LENGTH: usize = 3 * HASH_LENGTH;

/// How many rounds the transform runs: 27 (MAM, the signing scheme) or 81
/// (transaction hashes, MAM address masking).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rounds {
    /// Curl-P-27.
    R27,
    /// Curl-P-81.
    R81,
}

impl Rounds {
    /// The number of rounds.
    pub const fn count(self) -> usize {
        match self {
            Rounds::R27 => 27,
            Rounds::R81 => 81,
        }
    }
}

/// The Curl-P sponge.
#[derive(Clone)]
pub struct CurlP {
    state: Planes,
    rounds: Rounds,
}

impl CurlP {
    /// A sponge with an all-zero state.
    pub fn new(rounds: Rounds) -> CurlP {
        CurlP {
            state: Planes::zero(),
            rounds,
        }
    }

    /// Sets the state back to all zeros.
    pub fn reset(&mut self) {
        self.state = Planes::zero();
    }

    /// Absorbs `trits` in chunks of 243: each chunk overwrites the start of the
    /// state, then the state is transformed. An empty input still transforms
    /// once, as the reference implementations do. Values other than -1, 0 and
    /// 1 are read as 0.
    pub fn absorb(&mut self, trits: &[i8]) {
        if trits.is_empty() {
            self.transform();
            return;
        }
        for chunk in trits.chunks(HASH_LENGTH) {
            self.state.write_trits(chunk);
            self.transform();
        }
    }

    /// Squeezes `out.len()` trits in chunks of 243: each chunk is copied from
    /// the start of the state, then the state is transformed.
    pub fn squeeze(&mut self, out: &mut [i8]) {
        if out.is_empty() {
            self.transform();
            return;
        }
        for chunk in out.chunks_mut(HASH_LENGTH) {
            self.state.read_trits(chunk);
            self.transform();
        }
    }

    /// Copies the first `out.len()` trits of the state without transforming.
    pub fn rate_into(&self, out: &mut [i8]) {
        self.state.read_trits(out);
    }

    /// The first 243 trits of the state, without transforming.
    pub fn rate(&self) -> [i8; HASH_LENGTH] {
        let mut rate = [0; HASH_LENGTH];
        self.state.read_trits(&mut rate);
        rate
    }

    /// The whole 729-trit state, without transforming.
    pub fn state(&self) -> [i8; STATE_LENGTH] {
        let mut state = [0; STATE_LENGTH];
        self.state.read_trits(&mut state);
        state
    }

    /// Runs the Curl-P permutation on the state.
    pub fn transform(&mut self) {
        self.state.transform(self.rounds);
    }
}

impl core::fmt::Debug for CurlP {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CurlP")
            .field("rounds", &self.rounds)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::reference::ReferenceCurl;
    use super::*;
    use crate::ternary::pseudo_random_trits;

    #[test]
    fn transform_equals_the_textbook_definition() {
        for rounds in [Rounds::R27, Rounds::R81] {
            for seed in 0..50 {
                let input = pseudo_random_trits(seed, STATE_LENGTH);
                let mut fast = CurlP::new(rounds);
                fast.state.write_trits(&input);
                fast.transform();
                let mut slow = ReferenceCurl::new(rounds.count());
                slow.state.copy_from_slice(&input);
                slow.transform();
                assert_eq!(
                    fast.state().to_vec(),
                    slow.state.to_vec(),
                    "{rounds:?} seed {seed}"
                );
            }
        }
    }

    #[test]
    fn sponge_matches_the_textbook_sponge_in_any_order() {
        for rounds in [Rounds::R27, Rounds::R81] {
            let mut fast = CurlP::new(rounds);
            let mut slow = ReferenceCurl::new(rounds.count());
            for step in 0..40u64 {
                let len = [0usize, 1, 81, 242, 243, 244, 486, 500][(step % 8) as usize];
                if step % 3 == 0 {
                    let mut a = vec![0; len];
                    let mut b = vec![0; len];
                    fast.squeeze(&mut a);
                    slow.squeeze(&mut b);
                    assert_eq!(a, b);
                } else {
                    let input = pseudo_random_trits(step, len);
                    fast.absorb(&input);
                    slow.absorb(&input);
                }
                assert_eq!(fast.rate(), slow.rate());
            }
        }
    }
}
