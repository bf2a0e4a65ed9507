//! Single trits and small integers in balanced ternary.

use super::TernaryError;

/// Trits in one tryte.
pub const TRITS_PER_TRYTE: usize = 3;

/// One balanced-ternary digit: -1, 0 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(i8)]
pub enum Trit {
    /// -1
    Minus = -1,
    /// 0
    Zero = 0,
    /// +1
    Plus = 1,
}

impl Trit {
    /// The trit as a small integer.
    pub const fn value(self) -> i8 {
        self as i8
    }
}

impl TryFrom<i8> for Trit {
    type Error = TernaryError;

    fn try_from(value: i8) -> Result<Self, Self::Error> {
        match value {
            -1 => Ok(Trit::Minus),
            0 => Ok(Trit::Zero),
            1 => Ok(Trit::Plus),
            _ => Err(TernaryError::InvalidTrit { value, position: 0 }),
        }
    }
}

/// Checks that every value is a trit, naming the first that is not.
pub fn check_trits(trits: &[i8]) -> Result<(), TernaryError> {
    match trits.iter().position(|t| !(-1..=1).contains(t)) {
        Some(position) => Err(TernaryError::InvalidTrit {
            value: trits[position],
            position,
        }),
        None => Ok(()),
    }
}

/// The integer value of little-endian balanced trits.
pub fn trits_to_value(trits: &[i8]) -> i64 {
    trits
        .iter()
        .rev()
        .fold(0i64, |acc, &t| acc * 3 + i64::from(t))
}

/// Writes `value` as little-endian balanced trits into `out`, returning how
/// many trits it needed (the rest of `out` is zeroed). Digits that do not fit
/// are dropped.
pub fn value_to_trits(value: i64, out: &mut [i8]) -> usize {
    out.fill(0);
    let negative = value < 0;
    let mut rest = value.unsigned_abs();
    let mut used = 0;
    while rest != 0 && used < out.len() {
        let mut digit = (rest % 3) as i8;
        rest /= 3;
        if digit == 2 {
            digit = -1;
            rest += 1;
        }
        out[used] = if negative { -digit } else { digit };
        used += 1;
    }
    used
}

/// Deterministic pseudo-random trits (xorshift) for tests.
#[cfg(test)]
pub(crate) fn pseudo_random_trits(seed: u64, len: usize) -> Vec<i8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 3) as i8 - 1
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_round_trip() {
        for value in -100_000i64..100_000 {
            let mut trits = [0i8; 16];
            value_to_trits(value, &mut trits);
            assert_eq!(trits_to_value(&trits), value);
        }
    }

    #[test]
    fn thirteen_is_one_one_one() {
        let mut trits = [0i8; 3];
        assert_eq!(value_to_trits(13, &mut trits), 3);
        assert_eq!(trits, [1, 1, 1]);
    }

    #[test]
    fn invalid_trit_is_named() {
        assert_eq!(
            check_trits(&[0, 1, 2]),
            Err(TernaryError::InvalidTrit {
                value: 2,
                position: 2
            })
        );
    }
}
