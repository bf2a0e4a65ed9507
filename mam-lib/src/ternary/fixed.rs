//! Tryte strings of one fixed length, such as hashes (81) and tags (27).

use core::fmt;
use core::str::FromStr;

use super::{TernaryError, Trytes};

/// Exactly `N` trytes, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TryteArray<const N: usize>(Trytes);

/// An 81-tryte hash: addresses, bundle and transaction hashes, roots.
pub type Hash81 = TryteArray<81>;
/// A 27-tryte tag or nonce.
pub type Tag27 = TryteArray<27>;

impl<const N: usize> TryteArray<N> {
    /// `N` trytes `9`.
    pub fn nines() -> Self {
        TryteArray(Trytes::nines(N))
    }

    /// `N` trytes from the CSPRNG (challenges, nonces).
    pub fn random() -> Self {
        let trytes = crate::seed::random_trytes(N);
        debug_assert_eq!(
            trytes.len(),
            N,
            "random_trytes returns the length asked for"
        );
        TryteArray(trytes)
    }

    /// Takes `trytes` if it has exactly `N` trytes.
    pub fn from_trytes(trytes: Trytes) -> Result<Self, TernaryError> {
        if trytes.len() != N {
            return Err(TernaryError::WrongLength {
                expected: N,
                actual: trytes.len(),
            });
        }
        Ok(TryteArray(trytes))
    }

    /// Pads `trytes` with `9` to `N`; more than `N` is an error.
    pub fn padded(trytes: Trytes) -> Result<Self, TernaryError> {
        if trytes.len() > N {
            return Err(TernaryError::TooLong {
                max: N,
                actual: trytes.len(),
            });
        }
        Ok(TryteArray(trytes.padded(N)))
    }

    /// From `3·N` trits known to be valid (results of hashing or decoding).
    pub(crate) fn from_valid_trits(trits: &[i8]) -> Self {
        TryteArray(Trytes::from_valid_trits(trits))
    }

    /// The trytes.
    pub fn as_trytes(&self) -> &Trytes {
        &self.0
    }

    /// The trytes as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The `3·N` trits.
    pub fn to_trits(&self) -> Vec<i8> {
        self.0.to_trits()
    }

    /// Writes the `3 · N` trits into `out` (exactly that long).
    pub(crate) fn write_trits(&self, out: &mut [i8]) {
        self.0.write_trits(out);
    }
}

impl<const N: usize> FromStr for TryteArray<N> {
    type Err = TernaryError;

    fn from_str(text: &str) -> Result<Self, TernaryError> {
        Trytes::with_length(text, N).map(TryteArray)
    }
}

impl<const N: usize> fmt::Display for TryteArray<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl<const N: usize> serde::Serialize for TryteArray<N> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, const N: usize> serde::Deserialize<'de> for TryteArray<N> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_arrays_have_their_length_and_differ() {
        let (a, b) = (Hash81::random(), Hash81::random());
        assert_eq!(a.as_str().len(), 81);
        assert_ne!(a, b);
    }

    #[test]
    fn length_is_enforced() {
        assert!("ABC".parse::<Hash81>().is_err());
        assert!("A".repeat(27).parse::<Tag27>().is_ok());
        assert_eq!(
            Tag27::padded("A".repeat(28).parse().expect("trytes")),
            Err(TernaryError::TooLong {
                max: 27,
                actual: 28
            })
        );
        assert_eq!(
            Tag27::padded("AB".parse().expect("trytes")).map(|t| t.to_string()),
            Ok(format!("AB{}", "9".repeat(25)))
        );
    }
}
