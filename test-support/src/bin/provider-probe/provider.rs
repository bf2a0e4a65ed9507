//! The provider's identity from its seed: the address owners send its keys
//! to and the NTRU key pair that opens them.

use consent_protocol::seal::ProviderKeyPair;
use mam_lib::address::{generate_address, Address, Security};
use mam_lib::seed::Seed;

/// Key index of a provider app's address: `browser_app::identity`'s
/// `ADDRESS_INDEX` (held equal by this binary's tests).
pub const ADDRESS_INDEX: u64 = 0;

/// Security of a provider app's address: `browser_app::identity`'s
/// `ADDRESS_SECURITY`.
pub const ADDRESS_SECURITY: Security = Security::Medium;

/// A provider as its app derives it from the seed.
pub struct Provider {
    /// Where `MAM_DATA` arrives.
    pub address: Address,
    /// Opens what is sealed to the provider.
    pub keys: ProviderKeyPair,
}

impl Provider {
    /// The provider of `seed`.
    pub fn from_seed(seed: &Seed) -> Provider {
        Provider {
            address: generate_address(seed, ADDRESS_INDEX, ADDRESS_SECURITY),
            keys: ProviderKeyPair::from_seed(seed),
        }
    }
}
