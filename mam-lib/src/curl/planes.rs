//! The Curl-P state as two 729-bit planes, and the bitsliced permutation.
//!
//! Trit `k` is bit `k` of `plus` (trit = 1) and of `minus` (trit = -1).
//!
//! One textbook round computes `S'[i] = g(S[364·i], S[364·(i+1)])` (indices
//! mod 729). Keeping round `r`'s state in the order `X_r[k] = S_r[m_r·k]`
//! with `m_r = (-2)^r` turns that into `X_{r+1}[k] = g(X_r[k], X_r[k + u_r])`
//! with `u_r = 364^(r+1)`: the S-box of the state against a rotated copy of
//! itself, all 729 trits in a few word operations. After `R` rounds the
//! trits sit at `S_R[j] = X_R[c·j]` with `c = 364^R`, which for 27 and 81
//! rounds is `1 + 81·a` — a cheap reordering by rotations of multiples of
//! 81 under masks.

use super::{Rounds, STATE_LENGTH};

const WORDS: usize = STATE_LENGTH.div_ceil(64);
const LAST_WORD_BITS: usize = STATE_LENGTH - 64 * (WORDS - 1);
const LAST_WORD_MASK: u64 = (1 << LAST_WORD_BITS) - 1;

type Plane = [u64; WORDS];

/// The sponge state as bit planes.
#[derive(Clone, Copy)]
pub(super) struct Planes {
    plus: Plane,
    minus: Plane,
}

/// `u_r = 364^(r+1) mod 729`: how far round `r` rotates (see the module doc).
const fn rotation_amounts<const R: usize>() -> [usize; R] {
    let mut amounts = [0; R];
    let mut amount = 364;
    let mut round = 0;
    while round < R {
        amounts[round] = amount;
        amount = (amount * 364) % STATE_LENGTH;
        round += 1;
    }
    amounts
}

/// `a` with `364^rounds = 1 + 81·a (mod 729)`.
const fn reorder_factor(rounds: usize) -> usize {
    let mut c = 1;
    let mut i = 0;
    while i < rounds {
        c = (c * 364) % STATE_LENGTH;
        i += 1;
    }
    assert!(c % 81 == 1, "reordering assumes 364^rounds = 1 mod 81");
    (c - 1) / 81
}

/// Masks `M_t = { j : a·j mod 9 = t }` for the final reordering.
const fn reorder_masks(a: usize) -> [Plane; 9] {
    let mut masks = [[0u64; WORDS]; 9];
    let mut j = 0;
    while j < STATE_LENGTH {
        masks[(a * j) % 9][j / 64] |= 1 << (j % 64);
        j += 1;
    }
    masks
}

pub(super) const ROTATIONS_27: [usize; 27] = rotation_amounts::<27>();
pub(super) const ROTATIONS_81: [usize; 81] = rotation_amounts::<81>();
const MASKS_27: [Plane; 9] = reorder_masks(reorder_factor(27));
const MASKS_81: [Plane; 9] = reorder_masks(reorder_factor(81));

/// `out[k] = x[(k + amount) mod 729]`.
#[inline(always)]
fn rotate(x: &Plane, amount: usize) -> Plane {
    // The ring written out twice, so that any rotation is one funnel shift.
    let mut doubled = [0u64; 2 * WORDS + 1];
    doubled[..WORDS].copy_from_slice(x);
    for i in 0..WORDS {
        doubled[WORDS - 1 + i] |= x[i] << LAST_WORD_BITS;
        doubled[WORDS + i] |= x[i] >> (64 - LAST_WORD_BITS);
    }
    let words = amount / 64;
    let bits = amount % 64;
    let mut out = [0u64; WORDS];
    if bits == 0 {
        out.copy_from_slice(&doubled[words..words + WORDS]);
    } else {
        for i in 0..WORDS {
            out[i] = (doubled[i + words] >> bits) | (doubled[i + words + 1] << (64 - bits));
        }
    }
    out[WORDS - 1] &= LAST_WORD_MASK;
    out
}

impl Planes {
    pub(super) const fn zero() -> Planes {
        Planes {
            plus: [0; WORDS],
            minus: [0; WORDS],
        }
    }

    /// Overwrites trits `0..trits.len()` (at most 729).
    pub(super) fn write_trits(&mut self, trits: &[i8]) {
        for (w, chunk) in trits.chunks(64).enumerate() {
            let mut plus = 0u64;
            let mut minus = 0u64;
            for (bit, &t) in chunk.iter().enumerate() {
                plus |= u64::from(t == 1) << bit;
                minus |= u64::from(t == -1) << bit;
            }
            let covered = if chunk.len() == 64 {
                u64::MAX
            } else {
                (1u64 << chunk.len()) - 1
            };
            self.plus[w] = (self.plus[w] & !covered) | plus;
            self.minus[w] = (self.minus[w] & !covered) | minus;
        }
    }

    /// Reads trits `0..out.len()` (at most 729).
    pub(super) fn read_trits(&self, out: &mut [i8]) {
        for (w, chunk) in out.chunks_mut(64).enumerate() {
            let plus = self.plus[w];
            let minus = self.minus[w];
            for (bit, t) in chunk.iter_mut().enumerate() {
                *t = ((plus >> bit) & 1) as i8 - ((minus >> bit) & 1) as i8;
            }
        }
    }

    pub(super) fn transform(&mut self, rounds: Rounds) {
        match rounds {
            Rounds::R27 => self.run(&ROTATIONS_27, &MASKS_27),
            Rounds::R81 => self.run(&ROTATIONS_81, &MASKS_81),
        }
    }

    #[inline(always)]
    fn run(&mut self, rotations: &[usize], masks: &[Plane; 9]) {
        for &amount in rotations {
            let b_plus = rotate(&self.plus, amount);
            let b_minus = rotate(&self.minus, amount);
            for i in 0..WORDS {
                let a_plus = self.plus[i];
                let t = self.minus[i] ^ b_plus[i];
                self.plus[i] = t & !a_plus;
                self.minus[i] = !t & !(a_plus ^ b_minus[i]);
            }
            self.minus[WORDS - 1] &= LAST_WORD_MASK;
        }
        self.reorder(masks);
    }

    /// `S[j] = X[j + 81·(a·j mod 9)]`.
    fn reorder(&mut self, masks: &[Plane; 9]) {
        let mut plus = [0u64; WORDS];
        let mut minus = [0u64; WORDS];
        for (t, mask) in masks.iter().enumerate() {
            if mask.iter().all(|&w| w == 0) {
                continue;
            }
            let p = rotate(&self.plus, 81 * t);
            let m = rotate(&self.minus, 81 * t);
            for i in 0..WORDS {
                plus[i] |= p[i] & mask[i];
                minus[i] |= m[i] & mask[i];
            }
        }
        self.plus = plus;
        self.minus = minus;
    }
}
