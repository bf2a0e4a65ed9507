//! A flooded address on the real `tangle-node`: well over its 1,000 items
//! per list of lone transactions whose bundles never complete, then the
//! real message, which a cursor must find (issue #9: one unchunked
//! lookup of every incomplete bundle used to fail every poll).

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{ascii, random_address, tag, text_of};
use iri_client::{Client, ClientError, FindTransactions, InboxCursor, PowMode};
use mam_lib::ternary::{Hash81, Trytes};
use test_support::{ScratchDir, TangleNode};

const MWM: u8 = 3;
/// Over tangle-node's `--max-request-list` (1,000).
const JUNK: usize = 1_200;

/// A first transaction, so that a fresh tangle has tips to approve.
fn warm_up(client: &Client) {
    pollster::block_on(client.send_message(
        &random_address(),
        &ascii("warm-up"),
        &tag(""),
        MWM,
        PowMode::Local { threads: 2 },
    ))
    .expect("a first transaction, for tips");
}

/// [`test_support::lone_transactions`] on the node's current tips.
fn lone_transactions(client: &Client, address: &Hash81, count: usize) -> Vec<Trytes> {
    let tips = pollster::block_on(client.get_transactions_to_approve(3)).expect("tips");
    test_support::lone_transactions(
        address,
        count,
        &tips.trunk_transaction,
        &tips.branch_transaction,
        MWM,
    )
}

fn store(client: &Client, trytes: &[Trytes]) {
    for chunk in trytes.chunks(400) {
        pollster::block_on(client.store_transactions(chunk)).expect("stored");
    }
}

#[test]
fn a_cursor_finds_the_real_message_among_more_junk_than_the_node_lists() {
    let data_dir = ScratchDir::new("client-flood");
    let node = TangleNode::start(data_dir.path(), MWM);
    let client = Client::new(node.url.clone());
    let address = random_address();
    warm_up(&client);
    let junk = lone_transactions(&client, &address, JUNK);
    store(&client, &junk);
    pollster::block_on(client.send_message(
        &address,
        &ascii("{\"type\":\"REVOKE\"}"),
        &tag("REAL"),
        MWM,
        PowMode::Local { threads: 2 },
    ))
    .expect("sent");

    // Unchunked, the lookup of every incomplete bundle is over the node's
    // list limit: what used to fail every poll.
    let bundles: Vec<Hash81> = junk
        .iter()
        .map(|t| {
            mam_lib::transaction::Transaction::from_trytes(t)
                .expect("transaction")
                .bundle
        })
        .collect();
    let unchunked =
        pollster::block_on(client.find_transactions(&FindTransactions::bundles(bundles)));
    assert!(
        matches!(unchunked, Err(ClientError::Node { status: 400, .. })),
        "{unchunked:?}"
    );

    let mut cursor = InboxCursor::new();
    let started = std::time::Instant::now();
    let inbox = pollster::block_on(client.read_new_messages(&address, &mut cursor, 0))
        .expect("a flooded address is read");
    eprintln!(
        "first poll of {} transactions: {:?}",
        JUNK + 1,
        started.elapsed()
    );
    assert!(!inbox.more);
    let texts: Vec<String> = inbox.messages.iter().map(|m| text_of(&m.message)).collect();
    assert_eq!(texts, ["{\"type\":\"REVOKE\"}"]);
    assert_eq!((cursor.consumed(), cursor.waiting()), (1, JUNK));

    // The junk is not downloaded again, and a budget spreads a flood over
    // polls instead of failing.
    let started = std::time::Instant::now();
    let again = pollster::block_on(client.read_new_messages(&address, &mut cursor, 1_000))
        .expect("read again");
    eprintln!("a poll with the flood waiting: {:?}", started.elapsed());
    assert!(again.messages.is_empty());
    let mut small = InboxCursor::new().with_budget(500);
    let mut polls = 0;
    let mut found = 0;
    loop {
        polls += 1;
        let inbox = pollster::block_on(client.read_new_messages(&address, &mut small, 0))
            .expect("read within the budget");
        found += inbox.messages.len();
        if !inbox.more {
            break;
        }
    }
    assert_eq!((polls, found), (3, 1));

    // The whole-address reader copes too.
    let all = pollster::block_on(client.read_messages(&address)).expect("read");
    assert_eq!(all.messages.len(), 1);
    assert_eq!(all.invalid_bundles, JUNK);
}

#[test]
fn an_address_over_the_nodes_result_cap_is_reported_as_such() {
    let data_dir = ScratchDir::new("client-flood-cap");
    let node = TangleNode::builder(data_dir.path())
        .mwm(MWM)
        .args(["--max-find-results", "100"])
        .start();
    let client = Client::new(node.url.clone());
    warm_up(&client);
    let address = random_address();
    store(&client, &lone_transactions(&client, &address, 101));
    let mut cursor = InboxCursor::new();
    let result = pollster::block_on(client.read_new_messages(&address, &mut cursor, 0));
    assert!(
        matches!(result, Err(ClientError::TooManyResults { .. })),
        "{result:?}"
    );
}
