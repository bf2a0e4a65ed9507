//! Wattt as a provider: the address homes send their keys to, the key pair
//! that opens them, and the nonces of its consent requests, all from its
//! seed.

use browser_app::identity::state::{ADDRESS_INDEX, ADDRESS_SECURITY};
use consent_protocol::seal::ProviderKeyPair;
use mam_lib::address::{generate_address, Address};
use mam_lib::kerl::hash81;
use mam_lib::seed::Seed;
use mam_lib::ternary::Hash81;

/// What the nonce key is derived under, so it is no other hash of the seed.
const NONCE_DOMAIN: &str = "WATTT9INSIGHTS9CONSENT9REQUEST9NONCE";

/// The provider's address, key pair and nonce key. `Debug` shows the
/// address only.
#[derive(Clone)]
pub struct ProviderIdentity {
    /// Where `MAM_DATA` arrives (the address the identity page shows).
    pub address: Address,
    /// Opens what is sealed to the provider.
    pub keys: ProviderKeyPair,
    /// Kerl(seed ‖ domain): the request nonces are derived from it.
    nonce_key: Hash81,
}

impl ProviderIdentity {
    /// The provider of `seed`: the app's address (index and security as
    /// `browser_app::identity`), the key pair and the nonce key derived
    /// from the seed.
    pub fn from_seed(seed: &Seed) -> ProviderIdentity {
        let seed_hash =
            Hash81::from_trytes(seed.as_trytes().clone()).unwrap_or_else(|_| Hash81::nines());
        ProviderIdentity {
            address: generate_address(seed, ADDRESS_INDEX, ADDRESS_SECURITY),
            keys: ProviderKeyPair::from_seed(seed),
            nonce_key: hash81(&[&seed_hash, &padded(NONCE_DOMAIN)]),
        }
    }

    /// The nonce of consent request number `index`: Kerl(nonce key ‖
    /// index). Unpredictable without the seed, like 81 random trytes, and
    /// found again from the seed alone, so keys that answer a request are
    /// recognised after the browser's storage is lost.
    pub fn request_nonce(&self, index: u32) -> Hash81 {
        hash81(&[
            &self.nonce_key,
            &padded(&format!("{:9>7}", index_trytes(index))),
        ])
    }
}

/// `index` in base 27 with the tryte alphabet, most significant first.
/// Padded on the left to 7 trytes (`u32::MAX` needs 7), it is one string
/// per index; it sits at the start of the Kerl input, since Kerl ignores
/// the last trit of each 243.
fn index_trytes(index: u32) -> String {
    const ALPHABET: &[u8; 27] = b"9ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut digits = Vec::new();
    let mut rest = index;
    loop {
        digits.push(ALPHABET[(rest % 27) as usize]);
        rest /= 27;
        if rest == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&b| char::from(b)).collect()
}

/// `trytes` (at most 81, all of the alphabet) padded with `9` to 81.
fn padded(trytes: &str) -> Hash81 {
    format!("{trytes:9<81}")
        .parse()
        .unwrap_or_else(|_| Hash81::nines())
}

impl std::fmt::Debug for ProviderIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderIdentity")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(letter: char) -> ProviderIdentity {
        let seed: Seed = letter.to_string().repeat(81).parse().expect("seed");
        ProviderIdentity::from_seed(&seed)
    }

    #[test]
    fn request_nonces_are_distinct_per_index_and_per_seed_and_stable() {
        let a = identity('A');
        let nonces: Vec<Hash81> = (0..50).map(|i| a.request_nonce(i)).collect();
        let distinct: std::collections::HashSet<&Hash81> = nonces.iter().collect();
        assert_eq!(distinct.len(), 50);
        assert_eq!(identity('A').request_nonce(7), nonces[7]);
        assert_ne!(identity('B').request_nonce(7), nonces[7]);
        assert_ne!(a.request_nonce(0).as_trytes(), a.address.as_trytes());
    }

    #[test]
    fn the_key_fingerprint_is_short_stable_and_differs_per_key() {
        let a = identity('A').keys.public_key().fingerprint();
        assert_eq!(a.len(), 19, "{a}");
        assert_eq!(a.matches('-').count(), 3);
        assert_eq!(identity('A').keys.public_key().fingerprint(), a);
        assert_ne!(identity('B').keys.public_key().fingerprint(), a);
    }

    #[test]
    fn indices_are_written_in_base_27() {
        assert_eq!(index_trytes(0), "9");
        assert_eq!(index_trytes(26), "Z");
        assert_eq!(index_trytes(27), "A9");
        assert_eq!(index_trytes(u32::MAX).len(), 7);
    }
}
