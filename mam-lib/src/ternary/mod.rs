//! Balanced ternary: trits, trytes and tryte strings that are valid by
//! construction, and the conversions between them and bytes.

mod bytes;
mod fixed;
mod trit;
mod trytes;

pub use bytes::alphabet_index;
pub use bytes::{bytes_to_trytes, trytes_to_bytes};
pub use fixed::{Hash81, Tag27, TryteArray};
#[cfg(test)]
pub(crate) use trit::pseudo_random_trits;
pub use trit::{trits_to_value, value_to_trits, Trit, TRITS_PER_TRYTE};
pub use trytes::{Tryte, Trytes, TRYTE_ALPHABET};

/// What can go wrong turning outside text or numbers into ternary values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TernaryError {
    /// A character outside `9A-Z` where a tryte was expected.
    #[error("invalid tryte character {character:?} at position {position} (trytes are 9 and A-Z)")]
    InvalidTryte {
        /// The offending character.
        character: char,
        /// Its position (in characters) in the input.
        position: usize,
    },
    /// A value outside -1..=1 where a trit was expected.
    #[error("invalid trit value {value} at position {position} (trits are -1, 0 and 1)")]
    InvalidTrit {
        /// The offending value.
        value: i8,
        /// Its position in the input.
        position: usize,
    },
    /// A tryte string of the wrong length.
    #[error("expected {expected} trytes, got {actual}")]
    WrongLength {
        /// The length required.
        expected: usize,
        /// The length found.
        actual: usize,
    },
    /// A tryte string that is too long.
    #[error("expected at most {max} trytes, got {actual}")]
    TooLong {
        /// The largest length allowed.
        max: usize,
        /// The length found.
        actual: usize,
    },
    /// Trytes that do not encode bytes (odd length, or a pair above 255).
    #[error("trytes do not encode bytes: {0}")]
    NotBytes(&'static str),
    /// A character that the legacy ASCII mapping cannot carry.
    #[error("character {character:?} at position {position} is not ASCII")]
    NotAscii {
        /// The offending character.
        character: char,
        /// Its position (in characters) in the input.
        position: usize,
    },
}
