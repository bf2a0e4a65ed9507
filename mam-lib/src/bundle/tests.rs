//! Scenarios for building, validating, attaching and regrouping bundles.

use super::*;
use crate::ternary::Tag27;

fn address(letter: char) -> Hash81 {
    letter.to_string().repeat(81).parse().expect("address")
}

fn message(len: usize, seed: u32) -> Trytes {
    let alphabet = crate::ternary::TRYTE_ALPHABET;
    let mut x = seed.wrapping_mul(2_654_435_761) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            alphabet[(x % 27) as usize] as char
        })
        .collect::<String>()
        .parse()
        .expect("trytes")
}

fn tag(text: &str) -> Tag27 {
    Tag27::padded(text.parse().expect("tag")).expect("short tag")
}

fn two_transfer_bundle() -> Bundle {
    Bundle::from_transfers(
        &[
            Transfer::new(address('A'), message(3000, 1), tag("FIRST")),
            Transfer::new(address('B'), message(10, 2), tag("")),
        ],
        1_732_000_000,
    )
    .expect("bundle")
}

/// Attaching without proof of work (weight 0), enough to test chaining.
fn attach(bundle: &Bundle, tip: char) -> Bundle {
    bundle
        .attach(&address(tip), &address('Z'), 1_732_000_000_123, |_| {
            Ok::<_, BundleError>(Tag27::nines())
        })
        .expect("attached")
}

#[test]
fn message_is_reassembled_per_address() {
    let bundle = two_transfer_bundle();
    assert_eq!(bundle.len(), 3);
    let first = bundle.message_to(&address('A'));
    assert_eq!(first.len(), 2 * 2187);
    assert_eq!(&first.as_str()[..3000], message(3000, 1).as_str());
    assert!(first.as_str()[3000..].bytes().all(|b| b == b'9'));
    assert_eq!(
        bundle.message_to(&address('B')).trim_nines(),
        message(10, 2).trim_nines()
    );
    assert_eq!(bundle.message().len(), 3 * 2187);
}

#[test]
fn prepared_order_is_last_index_first_and_reads_back() {
    let bundle = two_transfer_bundle();
    let trytes = bundle.prepared_trytes();
    assert_eq!(trytes[0], bundle.transactions()[2].to_trytes());
    assert_eq!(Bundle::from_trytes(&trytes), Ok(bundle));
}

#[test]
fn reordered_transactions_are_rejected() {
    let mut transactions = two_transfer_bundle().into_transactions();
    transactions.swap(0, 1);
    assert!(matches!(
        validate_bundle(&transactions),
        Err(BundleError::IndexOutOfOrder {
            position: 0,
            current_index: 1
        })
    ));
}

#[test]
fn missing_transaction_is_rejected() {
    let mut transactions = two_transfer_bundle().into_transactions();
    transactions.pop();
    assert!(matches!(
        validate_bundle(&transactions),
        Err(BundleError::LastIndexMismatch {
            position: 0,
            last_index: 2,
            expected: 1
        })
    ));
}

#[test]
fn transaction_from_another_bundle_is_rejected() {
    let mut transactions = two_transfer_bundle().into_transactions();
    transactions[2].bundle = address('C');
    assert!(matches!(
        validate_bundle(&transactions),
        Err(BundleError::MixedBundles { position: 2, .. })
    ));
}

#[test]
fn altered_address_breaks_the_bundle_hash() {
    let mut transactions = two_transfer_bundle().into_transactions();
    transactions[1].address = address('C');
    assert!(matches!(
        validate_bundle(&transactions),
        Err(BundleError::WrongBundleHash { .. })
    ));
}

#[test]
fn value_bundles_are_rejected_clearly() {
    let mut transactions = two_transfer_bundle().into_transactions();
    transactions[0].value = 5;
    assert_eq!(
        validate_bundle(&transactions),
        Err(BundleError::ValueSumNotZero(5))
    );
    transactions[2].value = -5;
    assert_eq!(
        validate_bundle(&transactions),
        Err(BundleError::ValueTransfer {
            position: 0,
            value: 5
        })
    );
}

#[test]
fn empty_is_rejected() {
    assert_eq!(validate_bundle(&[]), Err(BundleError::Empty));
}

#[test]
fn attached_bundle_chains_trunks_and_fills_the_tag() {
    let bundle = two_transfer_bundle();
    let attached = attach(&bundle, 'Y');
    let txs = attached.transactions();
    assert!(attached.is_attached());
    assert_eq!(txs[2].trunk_transaction, address('Y'));
    assert_eq!(txs[2].branch_transaction, address('Z'));
    assert_eq!(txs[0].trunk_transaction, txs[1].hash());
    assert_eq!(txs[0].branch_transaction, address('Y'));
    assert_eq!(txs[0].attachment_timestamp, 1_732_000_000_123);
    assert_eq!(
        txs[0].attachment_timestamp_upper_bound,
        MAX_TIMESTAMP as i64
    );
    // The transfer without a tag gets its obsolete tag, as IRI does.
    assert_eq!(txs[2].tag, txs[2].obsolete_tag);
    assert_eq!(txs[0].tag, tag("FIRST"));
    assert_eq!(
        attached.hash(),
        bundle.hash(),
        "attachment leaves the essence alone"
    );
}

#[test]
fn step_wise_attach_chains_each_nonce_into_the_next_transaction() {
    let bundle = two_transfer_bundle();
    // A nonce that differs per transaction, so the chain must carry each
    // transaction's own nonce into the next one's trunk.
    let nonce_for = |trits: &[i8]| Tag27::from_valid_trits(&trits[2000..2081]);
    let mut chain = AttachChain::new(&address('Y'), &address('Z'));
    let mut timestamps = 1_732_000_000_100..;
    for transaction in bundle.attach_order() {
        let at = timestamps.next().expect("endless");
        let awaiting = chain.prepare(transaction, at).expect("in range");
        let nonce = nonce_for(awaiting.trits());
        chain = awaiting.with_nonce(nonce);
    }
    let attached = chain.into_bundle().expect("still a bundle");
    let txs = attached.transactions();
    assert_eq!(txs[2].trunk_transaction, address('Y'));
    assert_eq!(txs[1].trunk_transaction, txs[2].hash());
    assert_eq!(txs[0].trunk_transaction, txs[1].hash());
    assert_eq!(txs[0].branch_transaction, address('Y'));
    // Processed last index first, each at its own clock reading.
    assert_eq!(txs[2].attachment_timestamp, 1_732_000_000_100);
    assert_eq!(txs[0].attachment_timestamp, 1_732_000_000_102);
    for transaction in txs {
        assert_eq!(
            transaction.nonce,
            nonce_for(&transaction.to_trits()),
            "the nonce found for this transaction's trits"
        );
    }
}

#[test]
fn step_wise_attach_refuses_a_timestamp_past_the_maximum() {
    let bundle = two_transfer_bundle();
    let first = bundle.attach_order().next().expect("one transaction");
    let chain = AttachChain::new(&address('Y'), &address('Z'));
    assert_eq!(
        chain.prepare(first, MAX_TIMESTAMP + 1).map(|_| ()),
        Err(BundleError::TimestampOutOfRange(MAX_TIMESTAMP + 1))
    );
}

#[test]
fn altered_message_of_an_attached_bundle_breaks_the_trunk_chain() {
    let mut transactions = attach(&two_transfer_bundle(), 'Y').into_transactions();
    transactions[1].signature_message_fragment = "9".repeat(2187).parse().expect("fragment");
    assert_eq!(
        validate_bundle(&transactions),
        Err(BundleError::BrokenTrunkChain { position: 0 })
    );
}

#[test]
fn grouping_sorts_shuffled_transactions_into_bundles() {
    let one = attach(&two_transfer_bundle(), 'Y');
    let other = attach(
        &Bundle::from_transfers(
            &[Transfer::new(address('A'), message(5000, 3), tag("OTHER"))],
            1_732_000_001,
        )
        .expect("bundle"),
        'X',
    );
    let reattached = attach(&two_transfer_bundle(), 'W');
    let mut loose: Vec<Transaction> = one
        .transactions()
        .iter()
        .chain(other.transactions())
        .chain(reattached.transactions())
        .chain(one.transactions()) // duplicates
        .cloned()
        .collect();
    loose.reverse();
    let groups = group_bundles(loose);
    assert!(groups.incomplete.is_empty() && groups.invalid.is_empty());
    assert_eq!(groups.bundles.len(), 2, "a reattachment is the same bundle");
    assert!(groups.bundles.iter().any(|b| b.hash() == one.hash()));
    assert!(groups.bundles.contains(&other));
}

#[test]
fn batched_grouping_finds_the_bundles_among_duplicates_and_look_alikes() {
    // Enough transactions that they are hashed side by side.
    let bundles: Vec<Bundle> = (0..8)
        .map(|i| {
            let transfer = Transfer::new(address('A'), message(3000, i), tag("BATCH"));
            let built = Bundle::from_transfers(&[transfer], 1_732_000_000 + u64::from(i));
            attach(&built.expect("bundle"), 'Y')
        })
        .collect();
    // A tail that claims the first bundle's hash and trunk but sends to
    // another address: its chain does not validate and must hide nothing.
    let mut look_alike = bundles[0].tail().clone();
    look_alike.address = address('D');
    let mut loose: Vec<Transaction> = bundles
        .iter()
        .flat_map(|b| b.transactions().iter().cloned())
        .chain(bundles[3].transactions().iter().cloned()) // duplicates
        .chain([look_alike])
        .collect();
    loose.reverse();
    loose.rotate_left(5);
    let groups = group_bundles(loose);
    assert!(groups.incomplete.is_empty() && groups.invalid.is_empty());
    let mut expected = bundles.clone();
    expected.sort_by(|a, b| a.hash().cmp(b.hash()));
    assert_eq!(groups.bundles, expected);
    for bundle in &groups.bundles {
        let one_at_a_time: Vec<Hash81> = bundle.transactions().iter().map(|t| t.hash()).collect();
        assert_eq!(bundle.transaction_hashes(), one_at_a_time.as_slice());
        assert_eq!(bundle.tail_hash(), &bundle.tail().hash());
    }
}

#[test]
fn a_bundle_from_transactions_keeps_their_hashes() {
    let attached = attach(&two_transfer_bundle(), 'Y');
    let read = Bundle::from_transactions(attached.transactions().to_vec()).expect("valid");
    let one_at_a_time: Vec<Hash81> = read.transactions().iter().map(|t| t.hash()).collect();
    assert_eq!(read.transaction_hashes(), one_at_a_time.as_slice());
    assert_eq!(validate_bundle(attached.transactions()), Ok(()));
}

#[test]
fn grouping_reports_incomplete_and_invalid_bundles() {
    let complete = attach(&two_transfer_bundle(), 'Y');
    let mut partial = attach(
        &Bundle::from_transfers(
            &[Transfer::new(address('A'), message(5000, 3), tag("PART"))],
            1,
        )
        .expect("bundle"),
        'X',
    )
    .into_transactions();
    partial.remove(1);
    let mut forged = attach(
        &Bundle::from_transfers(&[Transfer::new(address('A'), message(1, 4), tag(""))], 2)
            .expect("bundle"),
        'X',
    )
    .into_transactions();
    forged[0].address = address('D');
    let forged_hash = forged[0].bundle.clone();
    let partial_hash = partial[0].bundle.clone();
    let groups = group_bundles(
        complete
            .transactions()
            .iter()
            .cloned()
            .chain(partial)
            .chain(forged),
    );
    assert_eq!(groups.bundles, vec![complete]);
    assert_eq!(groups.incomplete, vec![partial_hash]);
    assert_eq!(groups.invalid, vec![forged_hash]);
}

#[test]
fn unattached_transactions_group_by_index() {
    let bundle = two_transfer_bundle();
    let mut loose = bundle.transactions().to_vec();
    loose.rotate_left(1);
    assert_eq!(group_bundles(loose).bundles, vec![bundle]);
}

#[test]
fn two_messages_sharing_a_bundle_hash_both_survive_grouping() {
    // The legacy bundle hash covers no message: two zero-value transfers
    // to one address, with one tag, in one second, share it.
    let claim = Bundle::from_transfers(
        &[Transfer::new(address('A'), message(100, 1), tag("SAME"))],
        1_732_000_000,
    )
    .expect("bundle");
    let answer = Bundle::from_transfers(
        &[Transfer::new(address('A'), message(100, 2), tag("SAME"))],
        1_732_000_000,
    )
    .expect("bundle");
    assert_eq!(claim.hash(), answer.hash());
    let (claim, answer) = (attach(&claim, 'X'), attach(&answer, 'Y'));
    let loose: Vec<Transaction> = claim
        .transactions()
        .iter()
        .chain(answer.transactions())
        .cloned()
        .collect();
    let groups = group_bundles(loose);
    assert_eq!(groups.bundles.len(), 2, "neither message hides the other");
    assert!(groups.bundles.contains(&claim) && groups.bundles.contains(&answer));
}
