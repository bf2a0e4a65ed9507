//! MAM's self-delimiting integer encoding ("pascal" encoding).
//!
//! A value is written in balanced trytes, least significant first, with every
//! tryte but the last made non-positive and the last made positive by
//! negating where needed; a trailer of one trit per tryte records which were
//! negated. Zero is the special word `1, 0, 0, -1`.

use super::MamError;
use crate::ternary::{trits_to_value, value_to_trits};

const ZERO: [i8; 4] = [1, 0, 0, -1];
/// More trytes than any length or index we accept (27^13 > 2^61).
const MAX_TRYTES: usize = 13;

/// Encodes `value`.
pub(crate) fn encode(value: u64) -> Vec<i8> {
    if value == 0 {
        return ZERO.to_vec();
    }
    // Values we encode (lengths, indexes, counts) are far below i64::MAX.
    let value = i64::try_from(value).unwrap_or(i64::MAX);
    let mut digits = [0i8; 3 * MAX_TRYTES + 3];
    let used = value_to_trits(value, &mut digits);
    let trytes = used.div_ceil(3);
    let length = 3 * trytes;
    let mut out = vec![0i8; length + trytes];
    out[..length].copy_from_slice(&digits[..length]);
    let mut negated = 0i64;
    for (i, tryte) in out[..length].chunks_mut(3).enumerate() {
        let tryte_value = trits_to_value(tryte);
        let is_last = i == trytes - 1;
        let flip = if is_last {
            tryte_value < 0
        } else {
            tryte_value >= 0
        };
        if flip {
            negated |= 1 << i;
            tryte.iter_mut().for_each(|t| *t = -*t);
        }
    }
    value_to_trits(negated, &mut out[length..]);
    out
}

/// Decodes a value at the start of `trits`, returning it and the number of
/// trits it took.
pub(crate) fn decode(trits: &[i8]) -> Result<(u64, usize), MamError> {
    if trits.starts_with(&ZERO) {
        return Ok((0, ZERO.len()));
    }
    let last = trits
        .chunks_exact(3)
        .take(MAX_TRYTES)
        .position(|tryte| trits_to_value(tryte) > 0)
        .ok_or(MamError::Malformed("unterminated length or index"))?;
    let trytes = last + 1;
    let encoder_start = 3 * trytes;
    let end = encoder_start + trytes;
    let encoder = trits
        .get(encoder_start..end)
        .map(trits_to_value)
        .ok_or(MamError::Malformed("truncated length or index"))?;
    let mut value: i128 = 0;
    for (i, tryte) in trits[..encoder_start].chunks_exact(3).enumerate() {
        let digit = i128::from(trits_to_value(tryte));
        let digit = if (encoder >> i) & 1 != 0 {
            -digit
        } else {
            digit
        };
        value += 27i128.pow(i as u32) * digit;
    }
    u64::try_from(value)
        .map(|value| (value, end))
        .map_err(|_| MamError::Malformed("negative length or index"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_the_special_word() {
        assert_eq!(encode(0), vec![1, 0, 0, -1]);
        assert_eq!(decode(&[1, 0, 0, -1, 1, 1]), Ok((0, 4)));
    }

    #[test]
    fn values_round_trip_and_report_their_length() {
        for value in (0..5000u64).chain([27u64.pow(5), 1 << 40, 3_000_000_000]) {
            let mut encoded = encode(value);
            let len = encoded.len();
            encoded.extend_from_slice(&[1, -1, 0, 1]);
            assert_eq!(decode(&encoded), Ok((value, len)), "value {value}");
        }
    }

    #[test]
    fn known_encodings() {
        // From @iota/mam.js pascalEncode.
        assert_eq!(encode(1), vec![1, 0, 0, 0]);
        assert_eq!(encode(243), vec![0, 0, 0, 0, 0, 1, 1, 0]);
    }

    #[test]
    fn unterminated_input_is_rejected() {
        assert!(decode(&[-1; 60]).is_err());
        assert!(decode(&[]).is_err());
        assert!(decode(&[0, 0, 0, 1, 0, 0]).is_err());
    }
}
