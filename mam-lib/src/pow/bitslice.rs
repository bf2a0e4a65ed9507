//! Trits of `64·N` lanes as bit planes, and the Curl-P S-box on them in
//! encodings that make it four logic operations.
//!
//! Lane `l` is bit `l % 64` of word `l / 64` of a [`Word`]. A trit takes two
//! planes, `lo` and `hi`; what they mean is the [`Encoding`]'s business.
//! The textbook planes `(is 1, is -1)` give the S-box
//! `t = a⁻ ⊕ b⁺, out⁺ = t ∧ ¬a⁺, out⁻ = ¬(t ∨ (a⁺ ⊕ b⁻))`, whose final NOT
//! costs a fifth instruction. Storing one plane inverted instead folds it
//! away: [`Plain`] → [`InvertedMinus`] → [`InvertedPlus`] → [`Plain`], each
//! S-box writing the next encoding with two XORs and two of AND, OR,
//! AND-NOT. A search over all 2-bit encodings of a trit (one code per
//! value) found no pair with a three-gate circuit, so four is the minimum
//! for two-input logic.
//!
//! (For AVX-512's three-input `vpternlog` a pair of encodings exists that
//! needs 2.5 instructions per S-box where these need 3, but with it the
//! search measured slower on Zen 4, 13.9 against 15.3 million nonces per
//! second, so it is not used.)

use core::ops::{BitAnd, BitOr, BitXor, Not};

/// `N` 64-bit words, one bit per lane. Plain arrays, so that the loops over
/// them become vector instructions of whatever width the enclosing function
/// is compiled for (SSE2, AVX2, AVX-512, or plain words in WebAssembly).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Word<const N: usize>(pub(super) [u64; N]);

impl<const N: usize> Word<N> {
    /// Lanes in one word.
    pub(super) const LANES: usize = 64 * N;

    /// Every lane set (`true`) or clear.
    #[inline(always)]
    pub(super) fn splat(bit: bool) -> Word<N> {
        Word([0u64.wrapping_sub(u64::from(bit)); N])
    }

    /// `self & !other`: one instruction on x86 (`andn`, `vpandn`).
    #[inline(always)]
    pub(super) fn and_not(self, other: Word<N>) -> Word<N> {
        let mut out = self.0;
        for (o, b) in out.iter_mut().zip(other.0) {
            *o &= !b;
        }
        Word(out)
    }

    /// Whether every lane is set.
    #[inline(always)]
    pub(super) fn is_all_ones(self) -> bool {
        self.0.iter().fold(u64::MAX, |acc, &w| acc & w) == u64::MAX
    }

    /// Whether `lane` is set.
    #[cfg(test)]
    pub(super) fn lane(self, lane: usize) -> bool {
        (self.0[lane / 64] >> (lane % 64)) & 1 == 1
    }

    /// `self` with `lane` set.
    pub(super) fn with_lane(mut self, lane: usize) -> Word<N> {
        self.0[lane / 64] |= 1 << (lane % 64);
        self
    }

    /// The lowest set lane.
    pub(super) fn first_lane(self) -> Option<usize> {
        self.0
            .iter()
            .enumerate()
            .find(|(_, &w)| w != 0)
            .map(|(i, &w)| 64 * i + w.trailing_zeros() as usize)
    }
}

macro_rules! word_op {
    ($trait:ident, $method:ident, $op:tt) => {
        impl<const N: usize> $trait for Word<N> {
            type Output = Word<N>;
            #[inline(always)]
            fn $method(self, other: Word<N>) -> Word<N> {
                let mut out = self.0;
                for (o, b) in out.iter_mut().zip(other.0) {
                    *o $op b;
                }
                Word(out)
            }
        }
    };
}
word_op!(BitAnd, bitand, &=);
word_op!(BitOr, bitor, |=);
word_op!(BitXor, bitxor, ^=);

impl<const N: usize> Not for Word<N> {
    type Output = Word<N>;
    #[inline(always)]
    fn not(self) -> Word<N> {
        let mut out = self.0;
        for o in out.iter_mut() {
            *o = !*o;
        }
        Word(out)
    }
}

/// One trit of every lane as two planes, in some [`Encoding`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Trits<const N: usize> {
    pub(super) lo: Word<N>,
    pub(super) hi: Word<N>,
}

/// A way to store a trit in two bits, with the S-box on it.
pub(super) trait Encoding {
    /// The encoding the S-box writes.
    type Next: Encoding;

    /// `g(a, b)`: `a` is the trit at `k`, `b` the one at `k + u` (see
    /// `curl::planes`), both in this encoding; the result in
    /// [`Encoding::Next`].
    fn s_box<const N: usize>(a: Trits<N>, b: Trits<N>) -> Trits<N>;

    /// The trits whose lanes are set in `plus` (1) and `minus` (-1), 0
    /// elsewhere.
    fn encode<const N: usize>(plus: Word<N>, minus: Word<N>) -> Trits<N>;

    /// The inverse of [`Encoding::encode`].
    fn decode<const N: usize>(trits: Trits<N>) -> (Word<N>, Word<N>);

    /// The same trit in every lane.
    #[inline(always)]
    fn splat<const N: usize>(trit: i8) -> Trits<N> {
        Self::encode(Word::splat(trit == 1), Word::splat(trit == -1))
    }

    /// The lanes where the trit is not 0.
    #[inline(always)]
    fn nonzero<const N: usize>(trits: Trits<N>) -> Word<N> {
        let (plus, minus) = Self::decode(trits);
        plus | minus
    }
}

/// `lo` = trit is 1, `hi` = trit is -1.
pub(super) struct Plain;
/// `lo` = trit is 1, `hi` = trit is not -1.
pub(super) struct InvertedMinus;
/// `lo` = trit is not 1, `hi` = trit is -1.
pub(super) struct InvertedPlus;

impl Encoding for Plain {
    type Next = InvertedMinus;
    #[inline(always)]
    fn s_box<const N: usize>(a: Trits<N>, b: Trits<N>) -> Trits<N> {
        let t = a.hi ^ b.lo;
        Trits {
            lo: t.and_not(a.lo),
            hi: t | (a.lo ^ b.hi),
        }
    }
    #[inline(always)]
    fn encode<const N: usize>(plus: Word<N>, minus: Word<N>) -> Trits<N> {
        Trits {
            lo: plus,
            hi: minus,
        }
    }
    #[inline(always)]
    fn decode<const N: usize>(trits: Trits<N>) -> (Word<N>, Word<N>) {
        (trits.lo, trits.hi)
    }
}

impl Encoding for InvertedMinus {
    type Next = InvertedPlus;
    #[inline(always)]
    fn s_box<const N: usize>(a: Trits<N>, b: Trits<N>) -> Trits<N> {
        // The complemented minus planes make this `t` the textbook's ¬t.
        let t = a.hi ^ b.lo;
        Trits {
            lo: t | a.lo,
            hi: t & (a.lo ^ b.hi),
        }
    }
    #[inline(always)]
    fn encode<const N: usize>(plus: Word<N>, minus: Word<N>) -> Trits<N> {
        Trits {
            lo: plus,
            hi: !minus,
        }
    }
    #[inline(always)]
    fn decode<const N: usize>(trits: Trits<N>) -> (Word<N>, Word<N>) {
        (trits.lo, !trits.hi)
    }
}

impl Encoding for InvertedPlus {
    type Next = Plain;
    #[inline(always)]
    fn s_box<const N: usize>(a: Trits<N>, b: Trits<N>) -> Trits<N> {
        // The complemented plus planes make this `t` the textbook's ¬t.
        let t = a.hi ^ b.lo;
        Trits {
            lo: a.lo.and_not(t),
            hi: t & (a.lo ^ b.hi),
        }
    }
    #[inline(always)]
    fn encode<const N: usize>(plus: Word<N>, minus: Word<N>) -> Trits<N> {
        Trits {
            lo: !plus,
            hi: minus,
        }
    }
    #[inline(always)]
    fn decode<const N: usize>(trits: Trits<N>) -> (Word<N>, Word<N>) {
        (!trits.lo, trits.hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: [i8; 9] = [1, 0, -1, 1, -1, 0, -1, 1, 0];

    fn one_lane(trit: i8) -> (Word<1>, Word<1>) {
        (Word::splat(trit == 1), Word::splat(trit == -1))
    }

    fn check<E: Encoding>() {
        for a in -1..=1i8 {
            for b in -1..=1i8 {
                let (ap, am) = one_lane(a);
                let (bp, bm) = one_lane(b);
                let out = E::s_box(E::encode(ap, am), E::encode(bp, bm));
                let expected = TABLE[(a + 3 * b + 4) as usize];
                assert_eq!(
                    <E::Next as Encoding>::decode(out),
                    one_lane(expected),
                    "g({a}, {b})"
                );
                assert_eq!(E::decode(E::encode(ap, am)), (ap, am));
            }
        }
    }

    #[test]
    fn every_encoding_computes_the_curl_s_box() {
        check::<Plain>();
        check::<InvertedMinus>();
        check::<InvertedPlus>();
    }
}
