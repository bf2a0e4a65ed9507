//! Sorting loose transactions (as a node returns them) into bundles.
//!
//! A node answers with transactions in no particular order, possibly with
//! several attachments of the same bundle, missing pieces, or hostile
//! look-alikes. Bundles are rebuilt the way legacy clients traverse them:
//! from each tail (index 0) along the trunk, one index at a time.

use std::collections::{BTreeMap, HashMap};

use crate::ternary::Hash81;
use crate::transaction::{hash_transactions, Transaction};

use super::Bundle;

/// Loose transactions sorted into bundles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BundleGroups {
    /// Valid bundles, ordered by bundle hash. A bundle attached more than
    /// once appears once (its oldest attachment). Bundles with the same
    /// hash but different messages all appear: the legacy bundle hash
    /// covers no message, so two zero-value transfers to one address with
    /// one tag in the same second share it, and a look-alike must not be
    /// able to hide the real one.
    pub bundles: Vec<Bundle>,
    /// Bundle hashes some of whose transactions are missing: fetching the
    /// transactions of these bundles may complete them.
    pub incomplete: Vec<Hash81>,
    /// Bundle hashes whose transactions are all there but form no valid
    /// bundle (altered, inconsistent or value-moving).
    pub invalid: Vec<Hash81>,
}

/// Sorts `transactions` into bundles; duplicates are ignored. Each
/// transaction is hashed once (all of them side by side), and the bundles
/// keep those hashes.
pub fn group_bundles(transactions: impl IntoIterator<Item = Transaction>) -> BundleGroups {
    let transactions: Vec<Transaction> = transactions.into_iter().collect();
    let each: Vec<&Transaction> = transactions.iter().collect();
    let hashes = hash_transactions(&each);
    let mut by_bundle: BTreeMap<Hash81, HashMap<Hash81, Transaction>> = BTreeMap::new();
    for (hash, transaction) in hashes.into_iter().zip(transactions) {
        by_bundle
            .entry(transaction.bundle.clone())
            .or_default()
            .insert(hash, transaction);
    }
    let mut groups = BundleGroups::default();
    for (hash, members) in by_bundle {
        match assemble(&members) {
            Assembly::Valid(bundles) => groups.bundles.extend(bundles),
            Assembly::Incomplete => groups.incomplete.push(hash),
            Assembly::Invalid => groups.invalid.push(hash),
        }
    }
    groups
}

enum Assembly {
    Valid(Vec<Bundle>),
    Incomplete,
    Invalid,
}

/// Builds the bundles out of transactions that share a bundle hash: one
/// per distinct content (re-attachments of the same content count once).
fn assemble(members: &HashMap<Hash81, Transaction>) -> Assembly {
    let mut tails: Vec<(&Hash81, &Transaction)> = members
        .iter()
        .filter(|(_, t)| t.current_index == 0)
        .collect();
    // Oldest attachment first, so the choice does not depend on the node.
    tails.sort_by(|a, b| (a.1.attachment_timestamp, a.0).cmp(&(b.1.attachment_timestamp, b.0)));
    let mut found: Vec<Bundle> = Vec::new();
    for &(tail_hash, tail) in &tails {
        if let Some((chain, hashes)) = follow_trunk(tail_hash, tail, members) {
            if let Ok(bundle) = Bundle::from_hashed(chain, hashes) {
                if !found.iter().any(|known| same_content(known, &bundle)) {
                    found.push(bundle);
                }
            }
        }
    }
    if !found.is_empty() {
        return Assembly::Valid(found);
    }
    // Not attached (all trunks 9): one transaction per index is the bundle.
    if let Some((by_index, hashes)) = one_per_index(members) {
        if let Ok(bundle) = Bundle::from_hashed(by_index, hashes) {
            return Assembly::Valid(vec![bundle]);
        }
    }
    if has_every_index(members) {
        Assembly::Invalid
    } else {
        Assembly::Incomplete
    }
}

/// Whether two valid bundles with one hash carry the same messages and
/// tags (one is a re-attachment of the other).
fn same_content(a: &Bundle, b: &Bundle) -> bool {
    a.transactions().iter().zip(b.transactions()).all(|(x, y)| {
        x.signature_message_fragment == y.signature_message_fragment && x.tag == y.tag
    })
}

/// The transactions from `tail` along the trunk up to its last index, and
/// their hashes (the keys of `members`).
fn follow_trunk(
    tail_hash: &Hash81,
    tail: &Transaction,
    members: &HashMap<Hash81, Transaction>,
) -> Option<(Vec<Transaction>, Vec<Hash81>)> {
    let length = usize::try_from(tail.last_index).ok()?.checked_add(1)?;
    if length > members.len() {
        return None;
    }
    let mut chain = vec![tail.clone()];
    let mut hashes = vec![tail_hash.clone()];
    while chain.len() < length {
        let current = chain.last()?;
        let (next_hash, next) = members.get_key_value(&current.trunk_transaction)?;
        if next.current_index != current.current_index + 1 {
            return None;
        }
        chain.push(next.clone());
        hashes.push(next_hash.clone());
    }
    Some((chain, hashes))
}

/// The transactions in index order and their hashes, when every index
/// `0..=last` occurs exactly once.
fn one_per_index(
    members: &HashMap<Hash81, Transaction>,
) -> Option<(Vec<Transaction>, Vec<Hash81>)> {
    let mut sorted: Vec<(&Hash81, &Transaction)> = members.iter().collect();
    sorted.sort_by_key(|(_, t)| t.current_index);
    let in_place = sorted
        .iter()
        .enumerate()
        .all(|(i, (_, t))| t.current_index == i as i64);
    in_place.then(|| {
        sorted
            .into_iter()
            .map(|(hash, t)| (t.clone(), hash.clone()))
            .unzip()
    })
}

/// Whether every index up to the largest last index claimed is present.
fn has_every_index(members: &HashMap<Hash81, Transaction>) -> bool {
    let Some(last) = members.values().map(|t| t.last_index).max() else {
        return false;
    };
    let present: std::collections::HashSet<i64> =
        members.values().map(|t| t.current_index).collect();
    (0..=last).all(|index| present.contains(&index))
}
