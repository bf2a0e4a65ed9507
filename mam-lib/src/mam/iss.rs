//! MAM's Winternitz one-time signatures, hashed with Curl-P-27 (not Kerl, as
//! value transactions are): leaf keys, their addresses, signing and
//! recovering the signer's digest from a signature.

use crate::address::{add_index, Security, CHUNKS_PER_FRAGMENT};
use crate::curl::batch::{hash_chain_table, hash_chains, BatchRate, LANES};
use crate::curl::{CurlP, Rounds, HASH_LENGTH};

/// Hashes in a full Winternitz chain (a tryte spans -13..=13).
const CHAIN_LENGTH: usize = 27;

pub(crate) use crate::curl::batch::Hash;

/// A Merkle leaf: the address (public key hash) of one key, and optionally
/// every hash along the key's chains so that signing costs no hashing.
pub(crate) struct LeafKey {
    pub(crate) address: Hash,
    /// `chains[batch][step - 1]`: chunks `64·batch ..` hashed `step` times.
    chains: Option<Vec<Vec<BatchRate>>>,
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

/// The leaf address from the chunks at the top of their chains.
fn address_of_chain_tops(tops: impl Iterator<Item = Hash>) -> Hash {
    let mut digest_sponge = CurlP::new(Rounds::R27);
    for top in tops {
        digest_sponge.absorb(&top);
    }
    let mut address_sponge = CurlP::new(Rounds::R27);
    address_sponge.absorb(&digest_sponge.rate());
    address_sponge.rate()
}

impl LeafKey {
    /// The leaf for key `index` of `seed`; `keep_chains` keeps what signing
    /// needs (about 100 KB per 64 key chunks).
    pub(crate) fn new(seed: &[i8], index: u64, security: Security, keep_chains: bool) -> LeafKey {
        let subseed = subseed(seed, index);
        let raw = raw_key_chunks(&subseed, security);
        let table = hash_chain_table(Rounds::R27, &raw, CHAIN_LENGTH);
        let tops =
            (0..raw.len()).map(|chunk| table[chunk / LANES][CHAIN_LENGTH - 1].lane(chunk % LANES));
        let address = address_of_chain_tops(tops);
        LeafKey {
            address,
            chains: keep_chains.then_some(table),
            subseed,
            security,
        }
    }

    /// Signs the first `27 × security` trytes of `message_hash`.
    pub(crate) fn sign(&self, message_hash: &Hash) -> Vec<i8> {
        let chunks = CHUNKS_PER_FRAGMENT * self.security.fragments();
        // The key chunk is the raw chunk hashed once; signing hashes it
        // 13 - v more times, so the signature is at chain step 14 - v.
        let steps: Vec<usize> = (0..chunks)
            .map(|chunk| (14 - tryte_value(message_hash, chunk)) as usize)
            .collect();
        let fragments: Vec<Hash> = match &self.chains {
            Some(table) => steps
                .iter()
                .enumerate()
                .map(|(chunk, &step)| table[chunk / LANES][step - 1].lane(chunk % LANES))
                .collect(),
            None => hash_chains(
                Rounds::R27,
                &raw_key_chunks(&self.subseed, self.security),
                &steps,
            ),
        };
        fragments.concat()
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

/// Splits trits into whole hashes (a partial last chunk is dropped).
pub(crate) fn split_hashes(trits: &[i8]) -> Vec<Hash> {
    trits
        .chunks_exact(HASH_LENGTH)
        .map(|chunk| {
            let mut hash = [0i8; HASH_LENGTH];
            hash.copy_from_slice(chunk);
            hash
        })
        .collect()
}

/// The leaf address a signature of `message_hash` leads to.
pub(crate) fn address_from_signature(message_hash: &Hash, signature: &[i8]) -> Hash {
    let fragments = split_hashes(signature);
    let steps: Vec<usize> = (0..fragments.len())
        .map(|chunk| (tryte_value(message_hash, chunk) + 13) as usize)
        .collect();
    address_of_chain_tops(hash_chains(Rounds::R27, &fragments, &steps).into_iter())
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
