//! Tips: stored transactions that no stored transaction approves yet. Kept
//! in memory (rebuilt from the database at start) so that `getTips` and
//! `getTransactionsToApprove` never touch the disk.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use mam_lib::ternary::Hash81;

/// The set of tips, with O(1) insert, remove and uniform random choice.
#[derive(Debug, Default)]
pub struct Tips {
    inner: Mutex<TipList>,
}

#[derive(Debug, Default)]
struct TipList {
    hashes: Vec<Hash81>,
    position: HashMap<Hash81, usize>,
}

impl TipList {
    fn insert(&mut self, hash: Hash81) {
        if self.position.contains_key(&hash) {
            return;
        }
        self.position.insert(hash.clone(), self.hashes.len());
        self.hashes.push(hash);
    }

    fn remove(&mut self, hash: &Hash81) {
        let Some(at) = self.position.remove(hash) else {
            return;
        };
        self.hashes.swap_remove(at);
        if let Some(moved) = self.hashes.get(at) {
            self.position.insert(moved.clone(), at);
        }
    }
}

/// A newly stored transaction, as far as tips are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The new transaction: a tip until something approves it.
    pub hash: Hash81,
    /// Its trunk, no longer a tip.
    pub trunk: Hash81,
    /// Its branch, no longer a tip.
    pub branch: Hash81,
}

impl Tips {
    /// A set holding `hashes`.
    pub fn from_hashes(hashes: impl IntoIterator<Item = Hash81>) -> Tips {
        let tips = Tips::default();
        {
            let mut list = tips.lock();
            for hash in hashes {
                list.insert(hash);
            }
        }
        tips
    }

    fn lock(&self) -> MutexGuard<'_, TipList> {
        // The list stays consistent between statements, so a panic elsewhere
        // while holding the lock does not make it unusable.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records newly stored transactions: each becomes a tip, and what they
    /// approve stops being one. The whole batch is added before anything is
    /// removed, so a batch whose transactions approve each other (a bundle)
    /// leaves only its unapproved ones.
    pub fn record(&self, approvals: &[Approval]) {
        let mut list = self.lock();
        for approval in approvals {
            list.insert(approval.hash.clone());
        }
        for approval in approvals {
            list.remove(&approval.trunk);
            list.remove(&approval.branch);
        }
    }

    /// The number of tips.
    pub fn len(&self) -> usize {
        self.lock().hashes.len()
    }

    /// Whether there are no tips (an empty tangle).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All tips, in no particular order.
    pub fn all(&self) -> Vec<Hash81> {
        self.lock().hashes.clone()
    }

    /// Two tips chosen uniformly at random, distinct when there are two or
    /// more; the genesis (81 `9`s) when there are none.
    pub fn pick_two(&self) -> (Hash81, Hash81) {
        let list = self.lock();
        match list.hashes.len() {
            0 => (Hash81::nines(), Hash81::nines()),
            1 => (list.hashes[0].clone(), list.hashes[0].clone()),
            n => {
                let first = fastrand::usize(..n);
                let second = (first + 1 + fastrand::usize(..n - 1)) % n;
                (list.hashes[first].clone(), list.hashes[second].clone())
            }
        }
    }

    /// One tip chosen uniformly at random, or the genesis.
    pub fn pick_one(&self) -> Hash81 {
        self.pick_two().0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(c: char) -> Hash81 {
        c.to_string().repeat(81).parse().expect("hash")
    }

    #[test]
    fn an_empty_tangle_offers_the_genesis() {
        assert_eq!(
            Tips::default().pick_two(),
            (Hash81::nines(), Hash81::nines())
        );
    }

    #[test]
    fn a_bundle_leaves_only_its_tail_as_tip() {
        let tips = Tips::from_hashes([hash('A'), hash('B')]);
        // Bundle: tail C -> D (trunk), both with branch B; D's trunk is A.
        tips.record(&[
            Approval {
                hash: hash('C'),
                trunk: hash('D'),
                branch: hash('B'),
            },
            Approval {
                hash: hash('D'),
                trunk: hash('A'),
                branch: hash('B'),
            },
        ]);
        assert_eq!(tips.all(), vec![hash('C')]);
    }

    #[test]
    fn two_picks_are_distinct_when_possible() {
        let tips = Tips::from_hashes([hash('A'), hash('B'), hash('C')]);
        for _ in 0..100 {
            let (a, b) = tips.pick_two();
            assert_ne!(a, b);
        }
    }

    #[test]
    fn removal_keeps_positions_consistent() {
        let tips = Tips::from_hashes(['A', 'B', 'C', 'D'].map(hash));
        tips.record(&[Approval {
            hash: hash('E'),
            trunk: hash('A'),
            branch: hash('C'),
        }]);
        let mut all = tips.all();
        all.sort();
        assert_eq!(all, vec![hash('B'), hash('D'), hash('E')]);
        tips.record(&[Approval {
            hash: hash('F'),
            trunk: hash('E'),
            branch: hash('D'),
        }]);
        let mut all = tips.all();
        all.sort();
        assert_eq!(all, vec![hash('B'), hash('F')]);
    }
}
