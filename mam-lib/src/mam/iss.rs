//! MAM's Winternitz one-time signatures, hashed with Curl-P-27 (not Kerl, as
//! value transactions are): leaf keys, their addresses, signing and
//! recovering the signer's digest from a signature.

use crate::address::{add_index, Security, CHUNKS_PER_FRAGMENT};
use crate::curl::{hash_chain_each, CurlP, Rounds, HASH_LENGTH};

/// Hashes in a full Winternitz chain (a tryte spans -13..=13).
const CHAIN_LENGTH: usize = 27;

/// One 243-trit hash.
pub(crate) type Hash = [i8; HASH_LENGTH];

/// A Merkle leaf: the address (public key hash) of one key, and optionally
/// every hash along the key's chains so that signing costs no hashing.
pub(crate) struct LeafKey {
    pub(crate) address: Hash,
    /// `chains[chunk * 27 + step - 1]` = the raw key chunk hashed `step` times.
    chains: Option<Vec<Hash>>,
    subseed: Hash,
    security: Security,
}

fn subseed(seed: &[i8], index: u64) -> Hash {
    let mut preimage = seed.to_vec();
    add_index(&mut preimage, index);
    let mut sponge = CurlP::new(Rounds::R27);
    sponge.absorb(&preimage);
    sponge.rate()
}

/// The raw key chunks squeezed from the subseed (before their first hash).
fn raw_key_chunks(subseed: &Hash, security: Security) -> Vec<Hash> {
    let mut sponge = CurlP::new(Rounds::R27);
    sponge.absorb(subseed);
    let mut chunks = vec![[0i8; HASH_LENGTH]; CHUNKS_PER_FRAGMENT * security.fragments()];
    for chunk in chunks.iter_mut() {
        sponge.squeeze(chunk);
    }
    chunks
}

impl LeafKey {
    /// The leaf for key `index` of `seed`; `keep_chains` keeps what signing
    /// needs (about 350 KB at security 2).
    pub(crate) fn new(seed: &[i8], index: u64, security: Security, keep_chains: bool) -> LeafKey {
        let subseed = subseed(seed, index);
        let raw = raw_key_chunks(&subseed, security);
        let mut chains = keep_chains.then(|| Vec::with_capacity(raw.len() * CHAIN_LENGTH));
        let mut digest_sponge = CurlP::new(Rounds::R27);
        for chunk in &raw {
            let mut top = [0i8; HASH_LENGTH];
            hash_chain_each(Rounds::R27, chunk, CHAIN_LENGTH, |step, hash| {
                if let Some(chains) = chains.as_mut() {
                    chains.push(*hash);
                }
                if step == CHAIN_LENGTH {
                    top = *hash;
                }
            });
            digest_sponge.absorb(&top);
        }
        let mut address_sponge = CurlP::new(Rounds::R27);
        address_sponge.absorb(&digest_sponge.rate());
        LeafKey {
            address: address_sponge.rate(),
            chains,
            subseed,
            security,
        }
    }

    /// Signs the first `27 × security` trytes of `message_hash`.
    pub(crate) fn sign(&self, message_hash: &Hash) -> Vec<i8> {
        let chunks = CHUNKS_PER_FRAGMENT * self.security.fragments();
        let mut signature = Vec::with_capacity(chunks * HASH_LENGTH);
        let raw = match self.chains {
            Some(_) => Vec::new(),
            None => raw_key_chunks(&self.subseed, self.security),
        };
        for chunk in 0..chunks {
            // The key chunk is the raw chunk hashed once; signing hashes it
            // 13 - v more times, so the signature is at chain step 14 - v.
            let step = (14 - tryte_value(message_hash, chunk)) as usize;
            match &self.chains {
                Some(chains) => {
                    signature.extend_from_slice(&chains[chunk * CHAIN_LENGTH + step - 1])
                }
                None => {
                    let mut hash = raw[chunk];
                    CurlP::hash_chain(Rounds::R27, &mut hash, step);
                    signature.extend_from_slice(&hash);
                }
            }
        }
        signature
    }
}

/// The value of tryte `i` of `hash`.
fn tryte_value(hash: &Hash, i: usize) -> i8 {
    hash[3 * i] + 3 * hash[3 * i + 1] + 9 * hash[3 * i + 2]
}

/// The security level a message hash was made for: the number of leading
/// 81-trit thirds after which the trit sum first reaches zero (0 if never).
pub(crate) fn checksum_security(hash: &Hash) -> usize {
    let mut sum = 0i32;
    for (third, trits) in hash.chunks(HASH_LENGTH / 3).enumerate() {
        sum += trits.iter().map(|&t| i32::from(t)).sum::<i32>();
        if sum == 0 {
            return third + 1;
        }
    }
    0
}

/// The leaf address a signature of `message_hash` leads to.
pub(crate) fn address_from_signature(message_hash: &Hash, signature: &[i8]) -> Hash {
    let mut digest_sponge = CurlP::new(Rounds::R27);
    for (chunk, fragment) in signature.chunks_exact(HASH_LENGTH).enumerate() {
        let mut hash: Hash = [0; HASH_LENGTH];
        hash.copy_from_slice(fragment);
        let remaining = (tryte_value(message_hash, chunk) + 13) as usize;
        CurlP::hash_chain(Rounds::R27, &mut hash, remaining);
        digest_sponge.absorb(&hash);
    }
    let mut address_sponge = CurlP::new(Rounds::R27);
    address_sponge.absorb(&digest_sponge.rate());
    address_sponge.rate()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message_hash_for(security: usize) -> Hash {
        // Any hash works for the signature itself; vary the trytes.
        let mut hash = [0i8; HASH_LENGTH];
        for (i, t) in hash.iter_mut().enumerate() {
            *t = ((i * 7 + security) % 3) as i8 - 1;
        }
        hash
    }

    #[test]
    fn signature_leads_back_to_the_leaf_address() {
        let seed = vec![1i8; HASH_LENGTH];
        for security in [Security::Low, Security::Medium, Security::High] {
            let hash = message_hash_for(security.fragments());
            for keep_chains in [true, false] {
                let leaf = LeafKey::new(&seed, 3, security, keep_chains);
                let signature = leaf.sign(&hash);
                assert_eq!(
                    signature.len(),
                    security.fragments() * CHUNKS_PER_FRAGMENT * HASH_LENGTH
                );
                assert_eq!(address_from_signature(&hash, &signature), leaf.address);
            }
        }
    }

    #[test]
    fn checksum_security_finds_the_first_zero_sum() {
        let mut hash = [0i8; HASH_LENGTH];
        assert_eq!(checksum_security(&hash), 1);
        hash[0] = 1;
        hash[100] = -1;
        assert_eq!(checksum_security(&hash), 2);
        hash[100] = 0;
        hash[200] = -1;
        assert_eq!(checksum_security(&hash), 3);
        hash[200] = 0;
        assert_eq!(checksum_security(&hash), 0);
    }
}
