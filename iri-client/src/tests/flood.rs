//! Hostile floods against the in-memory node: lists in chunks, a budget
//! of downloads per poll, junk read once, cursors saved and restored,
//! forks reported and re-attachments not.

use super::fake_node::FakeNode;
use super::flows::{ascii, asked_since, channel, hash, send, tag, MWM};
use super::scripted::{answer, client as scripted_client, run};
use crate::{
    ClientError, FindTransactions, InboxCursor, MamCursor, PowMode, DEFAULT_LIST_CHUNK,
    INCOMPLETE_PATIENCE_MS,
};
use mam_lib::bundle::{Bundle, Transfer};
use mam_lib::mam::Mode;
use mam_lib::ternary::Hash81;

/// `count` lone transactions at `address`, each opening a two-transaction
/// bundle whose second half never comes.
fn flood(client: &crate::Client<FakeNode>, address: &Hash81, count: usize) {
    let long = ascii(&"j".repeat(1500));
    for n in 0..count {
        let bundle = Bundle::from_transfers(
            &[Transfer::new(address.clone(), long.clone(), tag("JUNK"))],
            1_000 + n as u64,
        )
        .expect("bundle")
        .into_transactions();
        assert_eq!(bundle.len(), 2);
        client.transport.store(&bundle[..1]);
    }
}

fn total_asked(client: &crate::Client<FakeNode>) -> usize {
    asked_since(client, 0)
}

#[test]
fn a_flood_of_incomplete_bundles_is_read_in_chunks_within_the_budget_and_once() {
    let client = FakeNode::client();
    flood(&client, &hash('A'), 1_200);
    send(&client, 'A', "revoke");
    let mut cursor = InboxCursor::new().with_budget(500);
    let mut found = Vec::new();
    let mut polls = 0;
    loop {
        polls += 1;
        let inbox = run(client.read_new_messages(&hash('A'), &mut cursor, polls * 1_000))
            .expect("a flood does not make the poll fail");
        found.extend(inbox.messages);
        if !inbox.more {
            break;
        }
        assert!(polls < 10, "the flood is worked through");
    }
    assert_eq!(polls, 3, "1,201 new transactions at 500 a poll");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].message.trim_nines(), ascii("revoke").as_str());
    for asked in client.transport.trytes_asked.borrow().iter() {
        assert!(
            asked.len() <= DEFAULT_LIST_CHUNK,
            "getTrytes of {}",
            asked.len()
        );
    }
    for (_, bundles) in client.transport.finds_asked.borrow().iter() {
        assert!(
            *bundles <= DEFAULT_LIST_CHUNK,
            "findTransactions of {bundles}"
        );
    }
    assert_eq!(
        total_asked(&client),
        1_201,
        "each transaction downloaded once"
    );
    assert_eq!(cursor.waiting(), 1_200);

    // Waiting junk costs bundle lookups, no downloads; after the patience
    // it is consumed for good.
    let calls = client.transport.trytes_asked.borrow().len();
    run(client.read_new_messages(&hash('A'), &mut cursor, 60_000)).expect("inbox");
    assert_eq!(asked_since(&client, calls), 0);
    run(client.read_new_messages(&hash('A'), &mut cursor, 5_000 + INCOMPLETE_PATIENCE_MS))
        .expect("inbox");
    assert_eq!(cursor.waiting(), 0);
    assert_eq!(cursor.consumed(), 1_201);
    let finds = client.transport.finds_asked.borrow().len();
    run(client.read_new_messages(&hash('A'), &mut cursor, 6_000 + INCOMPLETE_PATIENCE_MS))
        .expect("inbox");
    assert_eq!(
        client.transport.finds_asked.borrow()[finds..],
        [(1, 0)],
        "only the address lookup is left"
    );
}

#[test]
fn unparseable_trytes_are_consumed_at_once() {
    let client = FakeNode::client();
    for n in 0..30u8 {
        let letter = char::from(b'A' + (n % 26));
        let junk_hash: Hash81 = format!("{letter}{}", "9".repeat(78))
            .chars()
            .chain(
                format!("{n:02}")
                    .chars()
                    .map(|c| char::from(b'A' + (c as u8 - b'0'))),
            )
            .collect::<String>()
            .parse()
            .expect("hash");
        client
            .transport
            .inject(junk_hash, hash('A'), "NOT A TRANSACTION".into());
    }
    let mut cursor = InboxCursor::new();
    let inbox = run(client.read_new_messages(&hash('A'), &mut cursor, 0)).expect("inbox");
    assert_eq!(inbox.invalid_transactions, 30);
    assert_eq!((cursor.consumed(), cursor.waiting()), (30, 0));
    let calls = client.transport.trytes_asked.borrow().len();
    run(client.read_new_messages(&hash('A'), &mut cursor, 1)).expect("inbox");
    assert_eq!(asked_since(&client, calls), 0);
}

#[test]
fn the_waiting_set_is_capped() {
    let client = FakeNode::client();
    flood(&client, &hash('A'), 40);
    let mut cursor = InboxCursor::new().with_max_waiting(10);
    run(client.read_new_messages(&hash('A'), &mut cursor, 0)).expect("inbox");
    assert_eq!(cursor.waiting(), 10);
    assert_eq!(cursor.consumed(), 30, "the rest is given up on at once");
    let calls = client.transport.trytes_asked.borrow().len();
    run(client.read_new_messages(&hash('A'), &mut cursor, 1)).expect("inbox");
    assert_eq!(asked_since(&client, calls), 0);
}

#[test]
fn a_restored_cursor_downloads_nothing_it_had_read() {
    let client = FakeNode::client();
    flood(&client, &hash('A'), 20);
    send(&client, 'A', "one");
    let mut cursor = InboxCursor::new();
    let first = run(client.read_new_messages(&hash('A'), &mut cursor, 0)).expect("inbox");
    assert_eq!(first.messages.len(), 1);
    let saved = cursor.take_changes();
    assert_eq!(saved.consumed.len(), 1);
    let waiting = saved.waiting.clone().expect("the waiting set changed");
    assert_eq!(waiting.len(), 20);
    assert!(cursor.take_changes().is_empty(), "nothing new since");

    let mut restored = InboxCursor::restore(saved.consumed, waiting);
    assert_eq!((restored.consumed(), restored.waiting()), (1, 20));
    send(&client, 'A', "two");
    let calls = client.transport.trytes_asked.borrow().len();
    let second = run(client.read_new_messages(&hash('A'), &mut restored, 1)).expect("inbox");
    assert_eq!(second.messages.len(), 1);
    assert_eq!(
        second.messages[0].message.trim_nines(),
        ascii("two").as_str()
    );
    assert_eq!(asked_since(&client, calls), 1, "only the new message");
    let changes = restored.take_changes();
    assert_eq!(changes.consumed.len(), 1);
    assert_eq!(changes.waiting, None);
}

#[test]
fn an_address_over_the_nodes_result_cap_is_a_typed_error() {
    let client = scripted_client(vec![answer(
        400,
        r#"{"error":"more than 100000 transactions match; narrow the query (this node's --max-find-results)"}"#,
    )]);
    let result = run(client.find_transactions(&FindTransactions::addresses(vec![hash('A')])));
    assert!(
        matches!(
            result,
            Err(ClientError::TooManyResults {
                command: "findTransactions",
                ..
            })
        ),
        "{result:?}"
    );
    let other = scripted_client(vec![answer(400, r#"{"error":"Invalid addresses input"}"#)]);
    let result = run(other.find_transactions(&FindTransactions::addresses(vec![hash('A')])));
    assert!(
        matches!(result, Err(ClientError::Node { .. })),
        "{result:?}"
    );
}

#[test]
fn two_different_messages_under_one_root_are_a_fork_not_a_choice() {
    let client = FakeNode::client();
    let mut channel = channel(Mode::Public, None);
    let root = channel.root();
    let position = channel.position();
    let real = channel.create(&ascii("revoke")).expect("created");
    channel.set_position(position).expect("rewound");
    let forged = channel.create(&ascii("authorize")).expect("created");
    assert_eq!(real.address, forged.address);
    let attach = |message| {
        run(client.mam_attach(message, &tag(""), MWM, PowMode::Local { threads: 1 }))
            .expect("attached")
    };
    let real_bundle = attach(&real);
    let after = channel.create(&ascii("next")).expect("created");
    attach(&after);

    // The same message attached twice is one message.
    attach(&real);
    let fetched = run(client.mam_fetch(&root, Mode::Public, None)).expect("fetched");
    assert_eq!(fetched.fork, None);
    assert_eq!(
        fetched.message.map(|m| m.parsed.message),
        Some(ascii("revoke"))
    );
    let mut cursor = MamCursor::new(root.clone());
    let next = run(client.mam_read_next(&mut cursor, Mode::Public, None, 0)).expect("read");
    assert_eq!(next.fork, None);
    assert_eq!(cursor.root, real.next_root);

    let forged_bundle = attach(&forged);
    let fetched = run(client.mam_fetch(&root, Mode::Public, None)).expect("fetched");
    assert_eq!(fetched.message, None, "neither is chosen");
    let fork = fetched.fork.expect("a fork");
    assert_eq!(fork.root, root);
    assert!(fork.bundles.contains(real_bundle.hash()));
    assert!(fork.bundles.contains(forged_bundle.hash()));
    let all = run(client.mam_fetch_all(&root, Mode::Public, None, None)).expect("fetched");
    assert!(all.messages.is_empty());
    assert_eq!(all.next_root, root, "stopped at the fork");
    assert!(all.fork.is_some());

    let mut cursor = MamCursor::new(root.clone());
    let next = run(client.mam_read_next(&mut cursor, Mode::Public, None, 0)).expect("read");
    assert_eq!(next.message, None);
    assert!(next.fork.is_some());
    assert_eq!(cursor.root, root, "the cursor stays at the fork");
    let commands = client.transport.commands.borrow().len();
    let again = run(client.mam_read_next(&mut cursor, Mode::Public, None, 1)).expect("read");
    assert!(again.fork.is_some(), "reported again");
    assert_eq!(client.transport.commands.borrow().len(), commands);
}

#[test]
fn junk_at_the_next_message_address_is_read_once_by_a_mam_cursor() {
    let client = FakeNode::client();
    let mut channel = channel(Mode::Public, None);
    let root = channel.root();
    let first = channel.create(&ascii("one")).expect("created");
    let second = channel.create(&ascii("two")).expect("created");
    run(client.mam_attach(&first, &tag(""), MWM, PowMode::Local { threads: 1 })).expect("attached");
    let second_address: Hash81 = second.address.as_str().parse().expect("address");
    flood(&client, &second_address, 50);

    let mut cursor = MamCursor::new(root);
    let one = run(client.mam_read_next(&mut cursor, Mode::Public, None, 0)).expect("read");
    assert_eq!(one.message.map(|m| m.parsed.message), Some(ascii("one")));
    assert_eq!(cursor.root, second.root);
    let nothing = run(client.mam_read_next(&mut cursor, Mode::Public, None, 1)).expect("read");
    assert_eq!(nothing.message, None);
    assert_eq!(cursor.inbox.waiting(), 50);
    let calls = client.transport.trytes_asked.borrow().len();
    let still = run(client.mam_read_next(&mut cursor, Mode::Public, None, 2)).expect("read");
    assert_eq!(still.message, None);
    assert_eq!(
        asked_since(&client, calls),
        0,
        "junk is not downloaded again"
    );

    let attached = run(client.mam_attach(&second, &tag(""), MWM, PowMode::Local { threads: 1 }))
        .expect("attached");
    let two = run(client.mam_read_next(&mut cursor, Mode::Public, None, 3)).expect("read");
    assert_eq!(two.message.map(|m| m.parsed.message), Some(ascii("two")));
    assert_eq!(
        asked_since(&client, calls),
        attached.len(),
        "only the real message"
    );
    assert_eq!(cursor.root, second.next_root);
}

#[test]
fn a_bundle_hash_shared_past_the_nodes_result_cap_is_given_up_not_fatal() {
    let client = FakeNode::client();
    // One lone transaction at the address, and its bundle hash reused by
    // more transactions elsewhere than the node lists at once.
    flood(&client, &hash('A'), 1);
    let mut cursor = InboxCursor::new();
    run(client.read_new_messages(&hash('A'), &mut cursor, 0)).expect("inbox");
    let lone = client.transport.trytes_asked.borrow()[0][0].clone();
    let bundle = run(client.get_trytes(&[lone]))
        .expect("trytes")
        .remove(0)
        .expect("stored")
        .bundle;
    client.transport.result_cap.set(Some(20));
    for n in 0..25u32 {
        let trytes: String = format!("{n:0>81}")
            .chars()
            .map(|c| char::from(b'A' + (c as u8 - b'0')))
            .collect();
        client
            .transport
            .inject_in_bundle(trytes.parse().expect("hash"), hash('B'), bundle.clone());
    }
    send(&client, 'A', "revoke");
    let inbox = run(client.read_new_messages(&hash('A'), &mut cursor, 1))
        .expect("an overfull bundle does not fail the poll");
    assert_eq!(inbox.messages.len(), 1);
    assert_eq!(cursor.waiting(), 0, "the lone transaction is given up on");
    let calls = client.transport.finds_asked.borrow().len();
    run(client.read_new_messages(&hash('A'), &mut cursor, 2)).expect("inbox");
    assert_eq!(
        client.transport.finds_asked.borrow()[calls..],
        [(1, 0)],
        "and not looked up again"
    );
}
