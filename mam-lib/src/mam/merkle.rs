//! The Merkle tree over a channel's leaf keys: its root names the channel
//! for `count` messages, and each message carries the siblings that lead
//! from its leaf to the root.
//!
//! Shape as in the reference libraries: leaves paired level by level, a last
//! odd node carried up unchanged, parents hashed as Curl-P-27(left ‖ right).

use super::iss::{Hash, LeafKey};
use crate::address::Security;
use crate::curl::{CurlP, Rounds};

/// Leaves whose signing chains are kept; larger trees recompute chains for
/// each signature instead of holding ~350 KB per leaf.
const LEAVES_WITH_KEPT_CHAINS: u64 = 16;

/// A tree of `count` leaf keys starting at key index `start`.
pub(crate) struct MerkleTree {
    /// `levels[0]` are the leaf addresses, the last level is the root alone.
    levels: Vec<Vec<Hash>>,
    leaves: Vec<LeafKey>,
}

fn parent(left: &Hash, right: &Hash) -> Hash {
    let mut sponge = CurlP::new(Rounds::R27);
    sponge.absorb(left);
    sponge.absorb(right);
    sponge.rate()
}

impl MerkleTree {
    /// Builds the tree for keys `start .. start + count` of `seed`.
    pub(crate) fn new(seed: &[i8], start: u64, count: u64, security: Security) -> MerkleTree {
        let keep_chains = count <= LEAVES_WITH_KEPT_CHAINS;
        let leaves: Vec<LeafKey> = (0..count)
            .map(|i| LeafKey::new(seed, start + i, security, keep_chains))
            .collect();
        let mut levels = vec![leaves.iter().map(|leaf| leaf.address).collect::<Vec<_>>()];
        while levels.last().map_or(0, Vec::len) > 1 {
            let below = levels.last().map(Vec::as_slice).unwrap_or_default();
            let above = below
                .chunks(2)
                .map(|pair| match pair {
                    [left, right] => parent(left, right),
                    [single] => *single,
                    _ => unreachable!("chunks(2) yields one or two"),
                })
                .collect();
            levels.push(above);
        }
        MerkleTree { levels, leaves }
    }

    /// The root: the channel's name for these keys.
    pub(crate) fn root(&self) -> Hash {
        self.levels
            .last()
            .and_then(|level| level.first())
            .copied()
            .unwrap_or([0; 243])
    }

    /// The leaf key at `index` (0-based within the tree).
    pub(crate) fn leaf(&self, index: u64) -> Option<&LeafKey> {
        usize::try_from(index).ok().and_then(|i| self.leaves.get(i))
    }

    /// Whether a message signed by leaf `index` can be verified: every node
    /// on its path has a real sibling. In trees whose size is not a power of
    /// two, leaves under a carried-up odd node cannot be (the reference
    /// libraries list the node as its own sibling, which no reader accepts).
    pub(crate) fn is_verifiable(&self, index: u64) -> bool {
        let Ok(mut position) = usize::try_from(index) else {
            return false;
        };
        for level in &self.levels[..self.levels.len().saturating_sub(1)] {
            if position >= level.len() || (position ^ 1) >= level.len() {
                return false;
            }
            position /= 2;
        }
        true
    }

    /// The siblings from leaf `index` up to the root, bottom first. Where a
    /// node has no sibling (carried up from an odd level) the reference
    /// libraries list the node itself; so do we, to stay byte-compatible.
    pub(crate) fn siblings(&self, index: u64) -> Vec<Hash> {
        let Ok(mut position) = usize::try_from(index) else {
            return Vec::new();
        };
        let mut siblings = Vec::new();
        for level in &self.levels[..self.levels.len().saturating_sub(1)] {
            let sibling = level.get(position ^ 1).or_else(|| level.get(position));
            if let Some(sibling) = sibling {
                siblings.push(*sibling);
            }
            position /= 2;
        }
        siblings
    }
}

/// The root that `leaf` at `index` reaches through `siblings` (bottom first).
pub(crate) fn root_from_siblings(leaf: Hash, siblings: &[Hash], index: u64) -> Hash {
    let mut node = leaf;
    for (level, sibling) in siblings.iter().enumerate() {
        let is_left = level >= 64 || (index >> level) & 1 == 0;
        node = if is_left {
            parent(&node, sibling)
        } else {
            parent(sibling, &node)
        };
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_leaf_of_a_power_of_two_tree_reaches_the_root() {
        let seed = vec![0i8; 243];
        let tree = MerkleTree::new(&seed, 5, 4, Security::Low);
        for index in 0..4 {
            let leaf = tree.leaf(index).expect("leaf").address;
            assert_eq!(
                root_from_siblings(leaf, &tree.siblings(index), index),
                tree.root()
            );
        }
    }

    #[test]
    fn leaves_under_an_unpaired_node_are_not_verifiable() {
        let seed = vec![0i8; 243];
        let tree = MerkleTree::new(&seed, 0, 3, Security::Low);
        assert!(tree.is_verifiable(0) && tree.is_verifiable(1));
        assert!(!tree.is_verifiable(2));
        let tree = MerkleTree::new(&seed, 0, 6, Security::Low);
        let verifiable: Vec<bool> = (0..6).map(|i| tree.is_verifiable(i)).collect();
        assert_eq!(verifiable, [true, true, true, true, false, false]);
        assert!(MerkleTree::new(&seed, 0, 1, Security::Low).is_verifiable(0));
    }

    #[test]
    fn a_single_leaf_is_its_own_root() {
        let seed = vec![1i8; 243];
        let tree = MerkleTree::new(&seed, 0, 1, Security::Low);
        assert!(tree.siblings(0).is_empty());
        assert_eq!(tree.root(), tree.leaf(0).expect("leaf").address);
    }
}
