//! Wattt as a provider: the address homes send their keys to and the key
//! pair that opens them, both from its seed.

use browser_app::identity::state::{ADDRESS_INDEX, ADDRESS_SECURITY};
use consent_protocol::seal::ProviderKeyPair;
use mam_lib::address::{generate_address, Address};
use mam_lib::seed::Seed;

/// The provider's address and key pair. `Debug` shows the address only.
#[derive(Clone)]
pub struct ProviderIdentity {
    /// Where `MAM_DATA` arrives (the address the identity page shows).
    pub address: Address,
    /// Opens what is sealed to the provider.
    pub keys: ProviderKeyPair,
}

impl ProviderIdentity {
    /// The provider of `seed`: the app's address (index and security as
    /// `browser_app::identity`) and the key pair derived from the seed.
    pub fn from_seed(seed: &Seed) -> ProviderIdentity {
        ProviderIdentity {
            address: generate_address(seed, ADDRESS_INDEX, ADDRESS_SECURITY),
            keys: ProviderKeyPair::from_seed(seed),
        }
    }
}

impl std::fmt::Debug for ProviderIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderIdentity")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}
