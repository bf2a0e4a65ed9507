//! Seeds: the 81-tryte secret from which every key and address derives.

use core::fmt;
use core::str::FromStr;

use crate::ternary::{TernaryError, Trytes, TRYTE_ALPHABET};

/// Trytes in a seed.
pub const SEED_TRYTES: usize = 81;

/// The system's CSPRNG failed: no secret can be made, and none is made up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the system's random number generator failed: {0}")]
pub struct RandomError(String);

impl RandomError {
    /// A draw that did not give what was asked for, in `reason`'s words.
    pub fn other(reason: impl Into<String>) -> RandomError {
        RandomError(reason.into())
    }
}

/// Fills `bytes` from the operating system's (or the browser's) CSPRNG, or
/// says it cannot. Secrets (pairing secrets, seeds the caller stores) are
/// drawn through this, so a broken CSPRNG is an error and never a
/// predictable value.
pub fn try_fill_random(bytes: &mut [u8]) -> Result<(), RandomError> {
    getrandom::getrandom(bytes).map_err(|error| RandomError(error.to_string()))
}

/// Fills `bytes` from the CSPRNG; panics if it fails.
///
/// For callers that cannot return an error (challenges, side keys drawn
/// deep inside a step): stopping is the only safe answer there. Prefer
/// [`try_fill_random`].
pub fn fill_random(bytes: &mut [u8]) {
    if let Err(error) = try_fill_random(bytes) {
        panic!("{error}");
    }
}

/// `len` trytes drawn uniformly from the CSPRNG, or the CSPRNG's failure.
pub fn try_random_trytes(len: usize) -> Result<Trytes, RandomError> {
    let mut text = String::with_capacity(len);
    let mut buffer = [0u8; 64];
    while text.len() < len {
        try_fill_random(&mut buffer)?;
        // 243 = 9·27: rejecting bytes >= 243 keeps `b mod 27` uniform.
        for &b in buffer.iter().filter(|&&b| b < 243) {
            if text.len() == len {
                break;
            }
            text.push(TRYTE_ALPHABET[usize::from(b % 27)] as char);
        }
    }
    text.parse()
        .map_err(|error| RandomError(format!("drew a non-tryte: {error}")))
}

/// `len` trytes drawn uniformly from the CSPRNG; panics if it fails (see
/// [`fill_random`]). Prefer [`try_random_trytes`].
pub fn random_trytes(len: usize) -> Trytes {
    match try_random_trytes(len) {
        Ok(trytes) => trytes,
        Err(error) => panic!("{error}"),
    }
}

/// An 81-tryte IOTA seed.
#[derive(Clone, PartialEq, Eq)]
pub struct Seed(Trytes);

impl Seed {
    /// A new seed from the CSPRNG; panics if it fails.
    pub fn random() -> Seed {
        Seed(random_trytes(SEED_TRYTES))
    }

    /// A new seed from the CSPRNG, or its failure.
    pub fn try_random() -> Result<Seed, RandomError> {
        try_random_trytes(SEED_TRYTES).map(Seed)
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
    fn fallible_draws_have_their_length_and_differ() {
        let a = try_random_trytes(81).expect("the test machine has a CSPRNG");
        let b = try_random_trytes(81).expect("the test machine has a CSPRNG");
        assert_eq!(a.len(), 81);
        assert_ne!(a, b);
        let seed = Seed::try_random().expect("the test machine has a CSPRNG");
        assert_eq!(seed.as_trytes().len(), SEED_TRYTES);
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
