//! Legacy IOTA addresses: Winternitz one-time-signature public keys hashed
//! with Kerl, equal to `@iota/core` 1.0.0-beta.30's `generateAddress`.

use crate::curl::HASH_LENGTH;
use crate::kerl::Kerl;
use crate::seed::Seed;
use crate::ternary::{value_to_trits, Hash81};

/// Trytes in an address (without checksum).
pub const ADDRESS_TRYTES: usize = 81;
/// 243-trit chunks in one key fragment (one per security level).
pub const CHUNKS_PER_FRAGMENT: usize = 27;
/// Trits in one key fragment.
pub const FRAGMENT_LENGTH: usize = CHUNKS_PER_FRAGMENT * HASH_LENGTH;

/// Security level: how many key fragments a key has (1, 2 or 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Security {
    /// One fragment.
    Low = 1,
    /// Two fragments: the usual choice.
    #[default]
    Medium = 2,
    /// Three fragments.
    High = 3,
}

/// A security level outside 1..=3.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("security level must be 1, 2 or 3, got {0}")]
pub struct InvalidSecurity(pub u64);

impl Security {
    /// The number of key fragments.
    pub const fn fragments(self) -> usize {
        self as usize
    }
}

impl TryFrom<u8> for Security {
    type Error = InvalidSecurity;

    fn try_from(level: u8) -> Result<Security, InvalidSecurity> {
        Security::try_from(u64::from(level))
    }
}

impl TryFrom<u64> for Security {
    type Error = InvalidSecurity;

    fn try_from(level: u64) -> Result<Security, InvalidSecurity> {
        match level {
            1 => Ok(Security::Low),
            2 => Ok(Security::Medium),
            3 => Ok(Security::High),
            other => Err(InvalidSecurity(other)),
        }
    }
}

/// An 81-tryte IOTA address (without checksum).
///
/// An alias, not a type of its own: an address is an 81-tryte hash like a
/// root or a transaction hash, and one type for all of them means no
/// conversions (and none of their failure paths) between them. The name
/// stays so that signatures say which hash they mean.
pub type Address = Hash81;

/// Adds `index` to the seed's trits (balanced ternary, carries past the last
/// trit dropped), as the legacy libraries do before hashing a subseed.
pub(crate) fn add_index(seed_trits: &mut [i8], index: u64) {
    let mut index_trits = [0i8; 48];
    // u64 fits in 41 trits; i64 covers indexes below 2^63.
    let value = i64::try_from(index).unwrap_or(i64::MAX);
    value_to_trits(value, &mut index_trits);
    let mut carry = 0i8;
    for (i, trit) in seed_trits.iter_mut().enumerate() {
        let addend = index_trits.get(i).copied().unwrap_or(0);
        if addend == 0 && carry == 0 && i >= index_trits.len() {
            break;
        }
        let mut sum = *trit + addend + carry;
        carry = 0;
        if sum > 1 {
            sum -= 3;
            carry = 1;
        } else if sum < -1 {
            sum += 3;
            carry = -1;
        }
        *trit = sum;
    }
}

fn kerl_subseed(seed: &Seed, index: u64) -> Result<[i8; HASH_LENGTH], crate::kerl::KerlError> {
    let mut preimage = seed.to_trits();
    add_index(&mut preimage, index);
    Kerl::new().digest(&preimage)
}

/// The address of `seed` at `index` with `security` fragments.
pub fn generate_address(seed: &Seed, index: u64, security: Security) -> Address {
    // Every length below is a whole number of hashes, so Kerl cannot fail.
    let trits = address_trits(seed, index, security).unwrap_or([0; HASH_LENGTH]);
    Hash81::from_valid_trits(&trits)
}

fn address_trits(
    seed: &Seed,
    index: u64,
    security: Security,
) -> Result<[i8; HASH_LENGTH], crate::kerl::KerlError> {
    let subseed = kerl_subseed(seed, index)?;
    let mut kerl = Kerl::new();
    kerl.absorb(&subseed)?;
    let mut key = vec![0i8; FRAGMENT_LENGTH * security.fragments()];
    kerl.squeeze(&mut key)?;

    let mut digests = Vec::with_capacity(HASH_LENGTH * security.fragments());
    for fragment in key.chunks_mut(FRAGMENT_LENGTH) {
        for chunk in fragment.chunks_mut(HASH_LENGTH) {
            for _ in 0..26 {
                let mut sponge = Kerl::new();
                sponge.absorb(chunk)?;
                sponge.squeeze(chunk)?;
            }
        }
        digests.extend_from_slice(&Kerl::new().digest(fragment)?);
    }
    Kerl::new().digest(&digests)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ternary::trits_to_value;

    #[test]
    fn adding_an_index_equals_repeated_increments() {
        let seed: Seed =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ9ABCDEFGHIJKLMNOPQRSTUVWXYZ9ABCDEFGHIJKLMNOPQRSTUVWXYZ9"
                .parse()
                .expect("seed");
        for index in [0u64, 1, 2, 13, 100, 12345] {
            let mut added = seed.to_trits();
            add_index(&mut added, index);
            let mut incremented = seed.to_trits();
            for _ in 0..index {
                add_index(&mut incremented, 1);
            }
            assert_eq!(added, incremented, "index {index}");
        }
        let mut small = vec![0i8; 10];
        add_index(&mut small, 1000);
        assert_eq!(trits_to_value(&small), 1000);
    }

    #[test]
    fn security_outside_one_to_three_is_rejected() {
        assert_eq!(Security::try_from(4u8), Err(InvalidSecurity(4)));
        assert_eq!(Security::try_from(2u8), Ok(Security::Medium));
    }
}
