//! Trytes (three trits, written `9A-Z`) and strings of them.

use core::fmt;
use core::str::FromStr;

use super::trit::check_trits;
use super::{TernaryError, TRITS_PER_TRYTE};

/// The 27 tryte characters, in order of value 0, 1, …, 13, -13, …, -1.
pub const TRYTE_ALPHABET: &[u8; 27] = b"9ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// One tryte: a value in -13..=13, written as one of `9A-Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tryte(i8);

impl Tryte {
    /// The tryte with the given value, if it is in -13..=13.
    pub fn from_value(value: i8) -> Option<Tryte> {
        (-13..=13).contains(&value).then_some(Tryte(value))
    }

    /// The tryte written as `character`, if it is one of `9A-Z`.
    pub fn from_char(character: char) -> Option<Tryte> {
        match character {
            '9' => Some(Tryte(0)),
            'A'..='M' => Some(Tryte(character as i8 - b'A' as i8 + 1)),
            'N'..='Z' => Some(Tryte(character as i8 - b'Z' as i8 - 1)),
            _ => None,
        }
    }

    /// Its value in -13..=13.
    pub const fn value(self) -> i8 {
        self.0
    }

    /// Its character in `9A-Z`.
    pub fn to_char(self) -> char {
        char::from(CHAR_OF_VALUE[(self.0 + 13) as usize])
    }

    /// Its three trits, least significant first.
    pub fn trits(self) -> [i8; 3] {
        TRITS_OF_VALUE[(self.0 + 13) as usize]
    }

    /// The tryte of three trits, least significant first.
    pub fn from_trits(trits: [i8; 3]) -> Tryte {
        Tryte(trits[0] + 3 * trits[1] + 9 * trits[2])
    }
}

/// Whether each byte is a tryte character.
const IS_TRYTE_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < TRYTE_ALPHABET.len() {
        table[TRYTE_ALPHABET[i] as usize] = true;
        i += 1;
    }
    table
};

/// The character of each tryte value, indexed by value + 13.
const CHAR_OF_VALUE: [u8; 27] = {
    let mut table = [0u8; 27];
    let mut i = 0;
    while i < 27 {
        table[i] = TRYTE_ALPHABET[(i + 14) % 27];
        i += 1;
    }
    table
};

const TRITS_OF_VALUE: [[i8; 3]; 27] = {
    let mut table = [[0i8; 3]; 27];
    let mut i = 0;
    while i < 27 {
        let mut value = i as i8 - 13;
        let mut j = 0;
        while j < 3 {
            let mut digit = value.rem_euclid(3);
            if digit == 2 {
                digit = -1;
            }
            table[i][j] = digit;
            value = (value - digit) / 3;
            j += 1;
        }
        i += 1;
    }
    table
};

/// The trits of each byte that is a tryte character (zero for the rest):
/// one lookup per tryte when decoding.
const TRITS_OF_BYTE: [[i8; 3]; 256] = {
    let mut table = [[0i8; 3]; 256];
    let mut i = 0;
    while i < TRYTE_ALPHABET.len() {
        let value = if i <= 13 { i as i8 } else { i as i8 - 27 };
        table[TRYTE_ALPHABET[i] as usize] = TRITS_OF_VALUE[(value + 13) as usize];
        i += 1;
    }
    table
};

/// A string of trytes, valid by construction: it holds only `9A-Z`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Trytes(String);

impl Trytes {
    /// The empty tryte string.
    pub fn new() -> Trytes {
        Trytes(String::new())
    }

    /// `n` trytes `9` (all trits zero).
    pub fn nines(n: usize) -> Trytes {
        Trytes("9".repeat(n))
    }

    /// Parses `text`, which must be exactly `len` trytes.
    pub fn with_length(text: &str, len: usize) -> Result<Trytes, TernaryError> {
        let trytes: Trytes = text.parse()?;
        if trytes.len() != len {
            return Err(TernaryError::WrongLength {
                expected: len,
                actual: trytes.len(),
            });
        }
        Ok(trytes)
    }

    /// Encodes trits, three to a tryte; a last partial tryte is padded with
    /// zero trits.
    pub fn from_trits(trits: &[i8]) -> Result<Trytes, TernaryError> {
        check_trits(trits)?;
        Ok(Trytes::from_valid_trits(trits))
    }

    /// Like [`Trytes::from_trits`] for trits known to be valid (internal
    /// results of hashing); out-of-range values would be a bug, not input.
    pub(crate) fn from_valid_trits(trits: &[i8]) -> Trytes {
        let mut text = Vec::with_capacity(trits.len().div_ceil(TRITS_PER_TRYTE));
        for chunk in trits.chunks(TRITS_PER_TRYTE) {
            let mut three = [0i8; 3];
            three[..chunk.len()].copy_from_slice(chunk);
            let value = three[0] + 3 * three[1] + 9 * three[2];
            // In range for valid trits; a bug elsewhere gives `9`, not a panic.
            let index = usize::try_from(value + 13).unwrap_or(usize::MAX);
            text.push(CHAR_OF_VALUE.get(index).copied().unwrap_or(b'9'));
        }
        // Every byte comes from the tryte alphabet, which is ASCII.
        Trytes(String::from_utf8(text).unwrap_or_default())
    }

    /// The trits, three per tryte, least significant first.
    pub fn to_trits(&self) -> Vec<i8> {
        let mut trits = vec![0i8; self.0.len() * TRITS_PER_TRYTE];
        self.write_trits(&mut trits);
        trits
    }

    /// Writes the trits into `out`, which must hold exactly three per
    /// tryte: decoding without allocating (transactions are 8019 trits
    /// built from a dozen fields).
    pub(crate) fn write_trits(&self, out: &mut [i8]) {
        debug_assert_eq!(out.len(), self.0.len() * TRITS_PER_TRYTE);
        for (three, b) in out.chunks_exact_mut(TRITS_PER_TRYTE).zip(self.0.bytes()) {
            // Valid by construction: every byte is a tryte character.
            three.copy_from_slice(&TRITS_OF_BYTE[usize::from(b)]);
        }
    }

    /// The number of trytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no trytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The trytes as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The trytes, one at a time.
    pub fn iter(&self) -> impl Iterator<Item = Tryte> + '_ {
        self.0
            .chars()
            .map(|c| Tryte::from_char(c).unwrap_or(Tryte(0)))
    }

    /// Pads with `9` up to `len` trytes (no-op when already as long).
    pub fn padded(mut self, len: usize) -> Trytes {
        while self.0.len() < len {
            self.0.push('9');
        }
        self
    }

    /// The trytes without trailing `9`s.
    pub fn trim_nines(&self) -> &str {
        self.0.trim_end_matches('9')
    }

    /// Appends other trytes.
    pub fn push_trytes(&mut self, other: &Trytes) {
        self.0.push_str(&other.0);
    }

    /// The trytes in `range` (tryte positions).
    pub fn slice(&self, range: core::ops::Range<usize>) -> Option<Trytes> {
        self.0.get(range).map(|s| Trytes(s.to_owned()))
    }
}

impl FromStr for Trytes {
    type Err = TernaryError;

    fn from_str(text: &str) -> Result<Trytes, TernaryError> {
        // The common case (node answers are long and valid) by byte table;
        // the character-wise search only to name what is wrong.
        if text.bytes().all(|b| IS_TRYTE_BYTE[usize::from(b)]) {
            return Ok(Trytes(text.to_owned()));
        }
        match text
            .chars()
            .enumerate()
            .find(|&(_, c)| Tryte::from_char(c).is_none())
        {
            Some((position, character)) => Err(TernaryError::InvalidTryte {
                character,
                position,
            }),
            None => Ok(Trytes(text.to_owned())),
        }
    }
}

impl fmt::Display for Trytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Trytes {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl serde::Serialize for Trytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Trytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_values() {
        assert_eq!(Tryte::from_char('9').map(Tryte::value), Some(0));
        assert_eq!(Tryte::from_char('A').map(Tryte::value), Some(1));
        assert_eq!(Tryte::from_char('M').map(Tryte::value), Some(13));
        assert_eq!(Tryte::from_char('N').map(Tryte::value), Some(-13));
        assert_eq!(Tryte::from_char('Z').map(Tryte::value), Some(-1));
        assert_eq!(Tryte::from_char('a'), None);
    }

    #[test]
    fn every_tryte_round_trips_through_trits() {
        for &c in TRYTE_ALPHABET {
            let tryte = Tryte::from_char(c as char).expect("alphabet");
            assert_eq!(Tryte::from_trits(tryte.trits()), tryte);
            assert_eq!(tryte.to_char(), c as char);
        }
    }

    #[test]
    fn invalid_character_is_named_with_position() {
        assert_eq!(
            "AB9c".parse::<Trytes>(),
            Err(TernaryError::InvalidTryte {
                character: 'c',
                position: 3
            })
        );
    }

    #[test]
    fn byte_table_agrees_with_tryte_trits() {
        for &c in TRYTE_ALPHABET {
            let tryte = Tryte::from_char(c as char).expect("alphabet");
            assert_eq!(TRITS_OF_BYTE[usize::from(c)], tryte.trits());
        }
    }

    #[test]
    fn trits_round_trip() {
        let trytes: Trytes = "HELLOWORLD9ZN".parse().expect("valid");
        assert_eq!(Trytes::from_trits(&trytes.to_trits()), Ok(trytes));
    }

    #[test]
    fn partial_tryte_is_zero_padded() {
        assert_eq!(
            Trytes::from_trits(&[1, 1]).map(|t| t.to_string()),
            Ok("D".into())
        );
    }

    #[test]
    fn wrong_length_is_rejected() {
        assert_eq!(
            Trytes::with_length("ABC", 81),
            Err(TernaryError::WrongLength {
                expected: 81,
                actual: 3
            })
        );
    }
}
