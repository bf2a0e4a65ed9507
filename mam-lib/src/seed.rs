//! Seeds: the 81-tryte secret from which every key and address derives.

use core::fmt;
use core::str::FromStr;

use crate::ternary::{TernaryError, Trytes, TRYTE_ALPHABET};

/// Trytes in a seed.
pub const SEED_TRYTES: usize = 81;

/// Fills `bytes` from the operating system's (or the browser's) CSPRNG.
pub fn fill_random(bytes: &mut [u8]) {
    // A machine without a working CSPRNG cannot make secrets at all; carrying
    // on with predictable ones would be worse than stopping.
    if let Err(error) = getrandom::getrandom(bytes) {
        panic!("the system's random number generator failed: {error}");
    }
}

/// `len` trytes drawn uniformly from a CSPRNG.
pub fn random_trytes(len: usize) -> Trytes {
    let mut text = String::with_capacity(len);
    let mut buffer = [0u8; 64];
    while text.len() < len {
        fill_random(&mut buffer);
        // 243 = 9·27: rejecting bytes >= 243 keeps `b mod 27` uniform.
        for &b in buffer.iter().filter(|&&b| b < 243) {
            if text.len() == len {
                break;
            }
            text.push(TRYTE_ALPHABET[usize::from(b % 27)] as char);
        }
    }
    // Only alphabet characters were pushed.
    text.parse().unwrap_or_default()
}

/// An 81-tryte IOTA seed.
#[derive(Clone, PartialEq, Eq)]
pub struct Seed(Trytes);

impl Seed {
    /// A new seed from the CSPRNG.
    pub fn random() -> Seed {
        Seed(random_trytes(SEED_TRYTES))
    }

    /// The seed's trytes.
    pub fn as_trytes(&self) -> &Trytes {
        &self.0
    }

    /// The seed's 243 trits.
    pub fn to_trits(&self) -> Vec<i8> {
        self.0.to_trits()
    }
}

impl FromStr for Seed {
    type Err = TernaryError;

    fn from_str(text: &str) -> Result<Seed, TernaryError> {
        Trytes::with_length(text, SEED_TRYTES).map(Seed)
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Seed {
    /// Never prints the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seed(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_seeds_are_valid_and_differ() {
        let a = Seed::random();
        let b = Seed::random();
        assert_eq!(a.as_trytes().len(), SEED_TRYTES);
        assert_ne!(a, b);
        assert_eq!(a.to_string().parse::<Seed>(), Ok(a));
    }

    #[test]
    fn random_trytes_use_the_whole_alphabet() {
        let sample = random_trytes(10_000);
        for &c in TRYTE_ALPHABET {
            assert!(sample.as_str().contains(c as char), "{} missing", c as char);
        }
    }

    #[test]
    fn short_seed_is_rejected() {
        assert_eq!(
            "ABC".parse::<Seed>(),
            Err(TernaryError::WrongLength {
                expected: 81,
                actual: 3
            })
        );
    }

    #[test]
    fn debug_hides_the_seed() {
        let seed = Seed::random();
        assert!(!format!("{seed:?}").contains(seed.to_string().as_str()));
    }
}
