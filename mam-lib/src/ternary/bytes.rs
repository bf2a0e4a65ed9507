//! Bytes <-> trytes with the legacy IOTA mapping (`asciiToTrytes`): byte `b`
//! becomes tryte `b mod 27` then tryte `b div 27`, two trytes per byte.

use super::{TernaryError, Trytes, TRYTE_ALPHABET};

/// Encodes bytes as trytes, two per byte.
pub fn bytes_to_trytes(bytes: &[u8]) -> Trytes {
    let mut text = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        text.push(TRYTE_ALPHABET[usize::from(b % 27)] as char);
        text.push(TRYTE_ALPHABET[usize::from(b / 27)] as char);
    }
    // Only alphabet characters were pushed.
    text.parse().unwrap_or_default()
}

/// Decodes trytes written by [`bytes_to_trytes`].
pub fn trytes_to_bytes(trytes: &Trytes) -> Result<Vec<u8>, TernaryError> {
    let text = trytes.as_str().as_bytes();
    if !text.len().is_multiple_of(2) {
        return Err(TernaryError::NotBytes("odd number of trytes"));
    }
    text.chunks_exact(2)
        .map(|pair| {
            let low = alphabet_index(pair[0]);
            let high = alphabet_index(pair[1]);
            u8::try_from(low + 27 * high)
                .map_err(|_| TernaryError::NotBytes("a tryte pair above 255"))
        })
        .collect()
}

/// A tryte character's place in the alphabet (`9` = 0, `A` = 1, ...,
/// `Z` = 26): the digit the bytes mapping uses.
pub fn alphabet_index(c: u8) -> u32 {
    TRYTE_ALPHABET.iter().position(|&a| a == c).unwrap_or(0) as u32
}

impl Trytes {
    /// Encodes bytes, two trytes per byte.
    pub fn from_bytes(bytes: &[u8]) -> Trytes {
        bytes_to_trytes(bytes)
    }

    /// Encodes ASCII text, two trytes per character, rejecting anything else
    /// (as legacy `asciiToTrytes` does).
    pub fn from_ascii(text: &str) -> Result<Trytes, TernaryError> {
        if let Some((position, character)) = text.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
            return Err(TernaryError::NotAscii {
                character,
                position,
            });
        }
        Ok(bytes_to_trytes(text.as_bytes()))
    }

    /// Decodes the bytes these trytes encode.
    pub fn to_bytes(&self) -> Result<Vec<u8>, TernaryError> {
        trytes_to_bytes(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_mapping_of_hello() {
        // iota.lib.js asciiToTrytes("Hello") == "RBTC9D9DCD"
        assert_eq!(bytes_to_trytes(b"Hello").as_str(), "RBTC9D9DCD");
    }

    #[test]
    fn all_bytes_round_trip() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(trytes_to_bytes(&bytes_to_trytes(&bytes)), Ok(bytes));
    }

    #[test]
    fn pairs_above_255_are_rejected() {
        let trytes: Trytes = "ZZ".parse().expect("valid trytes");
        assert!(trytes_to_bytes(&trytes).is_err());
    }

    #[test]
    fn odd_length_is_rejected() {
        let trytes: Trytes = "ABC".parse().expect("valid trytes");
        assert_eq!(
            trytes_to_bytes(&trytes),
            Err(TernaryError::NotBytes("odd number of trytes"))
        );
    }

    #[test]
    fn non_ascii_is_rejected() {
        assert!(matches!(
            Trytes::from_ascii("é"),
            Err(TernaryError::NotAscii { position: 0, .. })
        ));
    }
}
