//! Fuzzing bundle validation and grouping (`mam_lib::bundle`): the node
//! answers with loose transactions in any order, some missing, some
//! altered, some hostile. Whatever arrives, validation and grouping never
//! panic; valid bundles read back as themselves in any order; a changed
//! bundle never validates as one nobody made (what the bundle hash covers
//! is that of a real bundle, and an attached one keeps every transaction
//! its trunk chain covers: all but the tail, whose message and tag only the
//! tail hash names); and grouping finds every complete bundle and sorts every bundle
//! hash into exactly one of valid, incomplete and invalid.
//!
//! Valid bundles are the committed `prepareTransfers` vectors
//! (`tests/vectors/bundles.json`), as prepared and attached (twice, at two
//! times; the nonce is left at `9`s, as validation does not check weight).
//! Cases per property: 512 in a normal run (grouping: 128),
//! `PROPTEST_CASES` for a long one (README, "Fuzzing").

#![cfg(not(target_arch = "wasm32"))]

mod fuzz_support;

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use fuzz_support::{
    any_trytes, config, mutate_trytes, tryte_edits, tryte_replacements, vector_bundles, Edit,
};
use mam_lib::bundle::{group_bundles, validate_bundle, Bundle, BundleError, BundleGroups};
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::transaction::{Transaction, TRANSACTION_TRYTES};
use proptest::prelude::*;
use proptest::sample::Index;

fn hash(text: &str) -> Hash81 {
    text.parse().expect("hash")
}

/// The vectors' bundles: as `prepareTransfers` leaves them, and attached.
fn valid_bundles() -> &'static [Bundle] {
    static BUNDLES: OnceLock<Vec<Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        let trunk = hash(&format!("TRUNK{}", "9".repeat(76)));
        let branch = hash(&format!("BRANCH{}", "9".repeat(75)));
        let mut bundles = Vec::new();
        for trytes in vector_bundles(include_str!("vectors/bundles.json")) {
            let prepared = Bundle::from_trytes(&trytes).expect("vector bundle");
            for at in [1_600_000_000_000, 1_600_000_000_001] {
                let attached = prepared
                    .attach(&trunk, &branch, at, |_| {
                        Ok::<Tag27, BundleError>(Tag27::nines())
                    })
                    .expect("attaches");
                bundles.push(attached);
            }
            bundles.push(prepared);
        }
        bundles
    })
}

/// What a bundle hash covers, per transaction: address, value, obsolete
/// tag, timestamp and indexes.
fn essences(bundle: &Bundle) -> Vec<Vec<i8>> {
    bundle
        .transactions()
        .iter()
        .map(Transaction::essence_trits)
        .collect()
}

/// One change to a bundle's transaction trytes.
#[derive(Debug, Clone)]
enum BundleEdit {
    /// A transaction's trytes edited.
    Change(Index, Vec<Edit>),
    /// A transaction left out.
    Drop(Index),
    /// A transaction sent twice.
    Repeat(Index),
    /// A transaction of another bundle put in.
    Borrow(Index, Index),
    /// Random trytes put in.
    Junk(Trytes),
}

fn bundle_edits() -> impl Strategy<Value = Vec<BundleEdit>> {
    let edit = prop_oneof![
        6 => (any::<Index>(), prop_oneof![3 => tryte_replacements(), 1 => tryte_edits()])
            .prop_map(|(at, edits)| BundleEdit::Change(at, edits)),
        1 => any::<Index>().prop_map(BundleEdit::Drop),
        1 => any::<Index>().prop_map(BundleEdit::Repeat),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(b, t)| BundleEdit::Borrow(b, t)),
        1 => prop_oneof![
            any_trytes(TRANSACTION_TRYTES..TRANSACTION_TRYTES + 1),
            any_trytes(0..100),
        ].prop_map(BundleEdit::Junk),
    ];
    prop::collection::vec(edit, 1..4)
}

fn apply_bundle_edits(trytes: &mut Vec<Trytes>, edits: &[BundleEdit]) {
    for edit in edits {
        let at = |index: &Index, len: usize| (len > 0).then(|| index.index(len));
        match edit {
            BundleEdit::Change(index, edits) => {
                if let Some(at) = at(index, trytes.len()) {
                    trytes[at] = mutate_trytes(&trytes[at], edits);
                }
            }
            BundleEdit::Drop(index) => {
                if let Some(at) = at(index, trytes.len()) {
                    trytes.remove(at);
                }
            }
            BundleEdit::Repeat(index) => {
                if let Some(at) = at(index, trytes.len()) {
                    trytes.push(trytes[at].clone());
                }
            }
            BundleEdit::Borrow(bundle, transaction) => {
                let other = bundle.get(valid_bundles()).to_trytes();
                trytes.push(transaction.get(&other).clone());
            }
            BundleEdit::Junk(junk) => trytes.push(junk.clone()),
        }
    }
}

/// Every bundle found is valid, and each bundle hash given is in exactly
/// one of valid, incomplete and invalid.
fn check_every_hash_in_one_place(
    groups: &BundleGroups,
    transactions: &[Transaction],
) -> Result<(), TestCaseError> {
    for found in &groups.bundles {
        prop_assert_eq!(validate_bundle(found.transactions()), Ok(()));
    }
    let valid: BTreeSet<&Hash81> = groups.bundles.iter().map(Bundle::hash).collect();
    let incomplete: BTreeSet<&Hash81> = groups.incomplete.iter().collect();
    let invalid: BTreeSet<&Hash81> = groups.invalid.iter().collect();
    prop_assert_eq!(incomplete.len(), groups.incomplete.len(), "listed twice");
    prop_assert_eq!(invalid.len(), groups.invalid.len(), "listed twice");
    prop_assert!(valid.is_disjoint(&incomplete));
    prop_assert!(valid.is_disjoint(&invalid));
    prop_assert!(incomplete.is_disjoint(&invalid));
    let sorted: BTreeSet<&Hash81> = valid
        .iter()
        .chain(&incomplete)
        .chain(&invalid)
        .copied()
        .collect();
    let given: BTreeSet<&Hash81> = transactions.iter().map(|t| &t.bundle).collect();
    prop_assert_eq!(sorted, given, "every bundle hash in one place");
    Ok(())
}

/// `original`, all of whose transactions were given, is among the bundles
/// found (as itself or as another attachment of the same content), unless
/// it is unattached and other transactions claim its bundle hash: without a
/// trunk chain there is no telling them apart.
fn check_found(
    original: &Bundle,
    groups: &BundleGroups,
    transactions: &[Transaction],
) -> Result<(), TestCaseError> {
    let same_content = |found: &Bundle| {
        found.hash() == original.hash()
            && found
                .transactions()
                .iter()
                .zip(original.transactions())
                .all(|(x, y)| {
                    x.signature_message_fragment == y.signature_message_fragment && x.tag == y.tag
                })
    };
    let found = groups.bundles.iter().any(same_content);
    if original.is_attached() {
        prop_assert!(found, "an attached bundle was lost among look-alikes");
    } else {
        let own: HashSet<Hash81> = original
            .transactions()
            .iter()
            .map(Transaction::hash)
            .collect();
        let claiming: HashSet<Hash81> = transactions
            .iter()
            .filter(|t| t.bundle == *original.hash())
            .map(Transaction::hash)
            .collect();
        if claiming == own {
            prop_assert!(found, "a lone unattached bundle was not found");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn valid_bundles_read_back_in_any_order(
        (bundle, order) in any::<Index>().prop_flat_map(|at| {
            let bundle = at.get(valid_bundles());
            (Just(bundle), Just(bundle.to_trytes()).prop_shuffle())
        }),
    ) {
        let read = Bundle::from_trytes(&order);
        prop_assert_eq!(read.as_ref(), Ok(bundle));
        prop_assert_eq!(read.map(|b| b.prepared_trytes()), Ok(bundle.prepared_trytes()));
    }

    #[test]
    fn a_changed_bundle_never_validates_as_one_nobody_made(
        bundle in any::<Index>(),
        edits in bundle_edits(),
        shuffle in any::<bool>(),
    ) {
        let bundle = bundle.get(valid_bundles());
        let mut trytes = bundle.to_trytes();
        apply_bundle_edits(&mut trytes, &edits);
        if shuffle {
            trytes.reverse();
        }
        let Ok(read) = Bundle::from_trytes(&trytes) else {
            return Ok(());
        };
        prop_assert_eq!(validate_bundle(read.transactions()), Ok(()));
        // What validates is one of the bundles that went in (the edits can
        // borrow a whole other one), changed at most where nothing covers it.
        let sources: Vec<&Bundle> = valid_bundles()
            .iter()
            .filter(|b| b.hash() == read.hash() && essences(b) == essences(&read))
            .collect();
        prop_assert!(!sources.is_empty(), "validates as a bundle nobody made");
        if read.is_attached() {
            // Each transaction's trunk names the next, so the chain covers
            // all but the tail, which only its own hash names.
            prop_assert!(sources
                .iter()
                .any(|s| s.transactions()[1..] == read.transactions()[1..]));
        }
    }

}

proptest! {
    // Grouping hashes every transaction given (a few milliseconds a case).
    #![proptest_config(config(128))]

    #[test]
    fn grouping_finds_every_complete_bundle_among_any_others(
        picks in prop::collection::vec(any::<Index>(), 1..4),
        edits in bundle_edits(),
        junk in prop::collection::vec(
            (any::<Index>(), any::<Index>(), 0i64..8, 0i64..8, any::<bool>()),
            0..6,
        ),
        order in any::<Index>(),
    ) {
        let originals: Vec<&Bundle> = picks.iter().map(|p| p.get(valid_bundles())).collect();
        let mut trytes: Vec<Trytes> = originals.iter().flat_map(|b| b.to_trytes()).collect();
        let mut changed = originals[0].to_trytes();
        apply_bundle_edits(&mut changed, &edits);
        trytes.extend(changed);
        let mut transactions: Vec<Transaction> = trytes
            .iter()
            .filter_map(|t| Transaction::from_trytes(t).ok())
            .collect();
        // Look-alikes: real transactions with their indexes, bundle hash or
        // trunk changed, so they claim a place in a real bundle.
        for (from, into, current, last, retrunk) in junk {
            let mut fake = from.get(&transactions).clone();
            let target = into.get(&transactions);
            fake.bundle = target.bundle.clone();
            fake.current_index = current.min(last);
            fake.last_index = current.max(last);
            if retrunk {
                fake.trunk_transaction = target.hash();
            }
            transactions.push(fake);
        }
        let rotate = order.index(transactions.len());
        transactions.rotate_left(rotate);

        let groups = group_bundles(transactions.clone());
        check_every_hash_in_one_place(&groups, &transactions)?;
        for original in originals {
            check_found(original, &groups, &transactions)?;
        }
    }
}
