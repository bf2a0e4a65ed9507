//! Trits on disk, packed five to a byte (3^5 = 243 values fit in a byte),
//! the encoding IRI stored too: a transaction takes 1604 bytes instead of
//! 2673 tryte characters, a hash 49 bytes instead of 81. Rows of about
//! 2 KB fit two to a 4 KiB page, and the indexes are 40% smaller: less to
//! write on ingest and to cache for lookups.

use mam_lib::ternary::{Hash81, Tryte, TryteArray};

/// Trits in one byte.
const TRITS_PER_BYTE: usize = 5;

/// A stored value that does not decode (a damaged database).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored trits are damaged: {0}")]
pub struct CorruptTrits(&'static str);

/// Packs trits (each -1, 0 or 1) five to a byte, least significant first.
pub fn pack_trits(trits: &[i8]) -> Vec<u8> {
    trits
        .chunks(TRITS_PER_BYTE)
        .map(|chunk| {
            let value = chunk.iter().rev().fold(0i8, |acc, &t| acc * 3 + t);
            value as u8
        })
        .collect()
}

/// Packs tryte text (valid by construction: a [`Hash81`] or [`Tag27`]).
///
/// [`Hash81`]: mam_lib::ternary::Hash81
/// [`Tag27`]: mam_lib::ternary::Tag27
pub fn pack_trytes<const N: usize>(trytes: &TryteArray<N>) -> Vec<u8> {
    pack_trits(&trytes.to_trits())
}

/// Unpacks a stored 81-tryte hash.
pub fn unpack_hash(packed: &[u8]) -> Result<Hash81, CorruptTrits> {
    unpack_trytes(packed, 81)?
        .parse()
        .map_err(|_| CorruptTrits("not a hash"))
}

/// The five trits of every byte value, or `None` for the 13 values outside
/// -121..=121 that packing never writes.
const BYTE_TRITS: [Option<[i8; TRITS_PER_BYTE]>; 256] = {
    let mut table = [None; 256];
    let mut value: i32 = -121;
    while value <= 121 {
        let mut trits = [0i8; TRITS_PER_BYTE];
        let mut rest = value;
        let mut i = 0;
        while i < TRITS_PER_BYTE {
            let mut digit = rest.rem_euclid(3);
            if digit == 2 {
                digit = -1;
            }
            trits[i] = digit as i8;
            rest = (rest - digit) / 3;
            i += 1;
        }
        table[(value as i8) as u8 as usize] = Some(trits);
        value += 1;
    }
    table
};

/// Unpacks `tryte_count` trytes, as text, from packed trits.
pub fn unpack_trytes(packed: &[u8], tryte_count: usize) -> Result<String, CorruptTrits> {
    let trit_count = 3 * tryte_count;
    if packed.len() != trit_count.div_ceil(TRITS_PER_BYTE) {
        return Err(CorruptTrits("wrong length"));
    }
    let mut trits = Vec::with_capacity(packed.len() * TRITS_PER_BYTE);
    for &byte in packed {
        let five = BYTE_TRITS[usize::from(byte)].ok_or(CorruptTrits("byte out of range"))?;
        trits.extend_from_slice(&five);
    }
    if trits[trit_count..].iter().any(|&t| t != 0) {
        return Err(CorruptTrits("padding trits are not zero"));
    }
    Ok(trits[..trit_count]
        .chunks_exact(3)
        .map(|three| Tryte::from_trits([three[0], three[1], three[2]]).to_char())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mam_lib::ternary::{Trytes, TRYTE_ALPHABET};

    #[test]
    fn every_tryte_round_trips() {
        let text: String = (0..2673)
            .map(|i| TRYTE_ALPHABET[(i * 7 + i / 27) % 27] as char)
            .collect();
        let trytes: Trytes = text.parse().expect("trytes");
        let packed = pack_trits(&trytes.to_trits());
        assert_eq!(packed.len(), 1604);
        assert_eq!(unpack_trytes(&packed, 2673).as_deref(), Ok(text.as_str()));
    }

    #[test]
    fn hashes_pack_into_49_bytes() {
        let hash: Hash81 = "NOPQRSTUVWXYZ9ABCDEFGHIJKLM"
            .repeat(3)
            .parse()
            .expect("hash");
        let packed = pack_trytes(&hash);
        assert_eq!(packed.len(), 49);
        assert_eq!(unpack_hash(&packed), Ok(hash));
    }

    #[test]
    fn damage_is_detected() {
        assert!(unpack_trytes(&[0u8; 3], 2673).is_err());
        let mut packed = pack_trits(&[1; 9]);
        assert_eq!(unpack_trytes(&packed, 3).as_deref(), Ok("MMM"));
        packed[0] = 122;
        assert!(unpack_trytes(&packed, 3).is_err());
    }
}
