//! Whole flows against the in-memory node: send and read messages, attach
//! and follow MAM channels, with hostile data mixed in.

use super::fake_node::FakeNode;
use super::scripted::run;
use crate::{ClientError, PowMode};
use mam_lib::address::Security;
use mam_lib::bundle::{Bundle, Transfer};
use mam_lib::mam::{Channel, MamError, Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27, Trytes};

pub(super) const MWM: u8 = 4;

pub(super) fn hash(letter: char) -> Hash81 {
    letter.to_string().repeat(81).parse().expect("hash")
}

pub(super) fn tag(text: &str) -> Tag27 {
    Tag27::padded(text.parse().expect("tag")).expect("short tag")
}

pub(super) fn ascii(text: &str) -> Trytes {
    Trytes::from_ascii(text).expect("ascii")
}

#[test]
fn sent_messages_are_read_back_with_local_and_remote_pow() {
    let client = FakeNode::client();
    let long = "{\"type\":\"DATA\"}".repeat(300);
    run(client.send_message(
        &hash('A'),
        &ascii("{\"type\":\"CLAIM_DEVICE\"}"),
        &tag("CLAIM"),
        MWM,
        PowMode::Local { threads: 1 },
    ))
    .expect("sent with local pow");
    let remote = run(client.send_message(
        &hash('A'),
        &ascii(&long),
        &tag("DATA"),
        MWM,
        PowMode::Remote,
    ))
    .expect("sent with remote pow");
    assert_eq!(remote.len(), 5, "9000 trytes take five fragments");
    assert!(remote
        .transactions()
        .iter()
        .all(|t| mam_lib::transaction::hash_weight(&t.hash()) >= MWM as usize));

    let inbox = run(client.read_messages(&hash('A'))).expect("inbox");
    assert_eq!(inbox.invalid_bundles, 0);
    assert_eq!(inbox.messages.len(), 2);
    let texts: Vec<String> = inbox
        .messages
        .iter()
        .map(|m| {
            let trytes: Trytes = m.message.trim_nines().parse().expect("trytes");
            String::from_utf8(trytes.to_bytes().expect("bytes")).expect("utf8")
        })
        .collect();
    assert!(texts.contains(&"{\"type\":\"CLAIM_DEVICE\"}".to_owned()));
    assert!(texts.contains(&long));
    assert!(inbox.messages.iter().any(|m| m.tag == tag("DATA")));
    assert_eq!(
        *client.transport.commands.borrow(),
        [
            "getTransactionsToApprove",
            "storeTransactions",
            "broadcastTransactions",
            "getTransactionsToApprove",
            "attachToTangle",
            "storeTransactions",
            "broadcastTransactions",
            "findTransactions",
            "getTrytes"
        ]
    );
}

#[test]
fn hostile_transactions_are_skipped_and_counted() {
    let client = FakeNode::client();
    run(client.send_message(
        &hash('A'),
        &ascii("hello"),
        &tag(""),
        MWM,
        PowMode::Local { threads: 1 },
    ))
    .expect("sent");
    // Junk trytes, and a bundle whose value was changed after hashing.
    client
        .transport
        .inject(hash('J'), hash('A'), "NOT A TRANSACTION".into());
    let mut forged =
        Bundle::from_transfers(&[Transfer::new(hash('A'), ascii("forged"), tag(""))], 1)
            .expect("bundle")
            .into_transactions();
    forged[0].value = 1;
    client.transport.store(&forged);

    let inbox = run(client.read_messages(&hash('A'))).expect("inbox");
    assert_eq!(inbox.messages.len(), 1);
    assert_eq!(inbox.invalid_transactions, 1);
    assert_eq!(inbox.invalid_bundles, 1);
}

#[test]
fn a_bundle_to_several_addresses_is_completed_by_its_hash() {
    let client = FakeNode::client();
    let bundle = Bundle::from_transfers(
        &[
            Transfer::new(hash('A'), ascii("for A"), tag("TWO")),
            Transfer::new(hash('B'), ascii("for B"), tag("TWO")),
        ],
        1_732_000_000,
    )
    .expect("bundle");
    run(client.send_bundle(&bundle, MWM, PowMode::Local { threads: 1 })).expect("sent");
    let inbox = run(client.read_messages(&hash('B'))).expect("inbox");
    assert_eq!(inbox.invalid_bundles, 0);
    assert_eq!(inbox.messages.len(), 1);
    assert_eq!(
        inbox.messages[0].message.trim_nines(),
        ascii("for B").as_str()
    );
}

#[test]
fn a_node_that_alters_the_bundle_is_caught() {
    let client = FakeNode::client();
    client.transport.tamper_on_attach.set(true);
    assert_eq!(
        run(client.send_message(&hash('A'), &ascii("hi"), &tag(""), MWM, PowMode::Remote)),
        Err(ClientError::AlteredByNode { index: 0 })
    );
    assert!(!client
        .transport
        .commands
        .borrow()
        .contains(&"storeTransactions".to_owned()));
}

pub(super) fn channel(mode: Mode, side_key: Option<SideKey>) -> Channel {
    let seed: Seed = "CLIENTTESTSEED".repeat(6)[..81].parse().expect("seed");
    Channel::new(&seed, mode, side_key, Security::Low).expect("channel")
}

#[test]
fn mam_channels_are_followed_to_the_end() {
    for (mode, side_key) in [
        (Mode::Public, None),
        (Mode::Restricted, Some(SideKey::random())),
    ] {
        let client = FakeNode::client();
        let mut channel = channel(mode, side_key.clone());
        let first_root = channel.root();
        let mut created = Vec::new();
        for text in ["one", "two", "three"] {
            let message = channel.create(&ascii(text)).expect("created");
            run(client.mam_attach(&message, &tag("MAM"), MWM, PowMode::Local { threads: 1 }))
                .expect("attached");
            created.push(message);
        }
        // A stranger's transaction at the second message's address, which
        // is no valid bundle, is skipped and counted.
        let junk = "9".repeat(2672) + "A";
        client.transport.inject(
            hash('J'),
            created[1].address.as_str().parse().expect("address"),
            junk,
        );

        let all =
            run(client.mam_fetch_all(&first_root, mode, side_key.as_ref(), None)).expect("fetched");
        let texts: Vec<Trytes> = all
            .messages
            .iter()
            .map(|m| m.parsed.message.clone())
            .collect();
        assert_eq!(
            texts,
            [ascii("one"), ascii("two"), ascii("three")],
            "{mode}"
        );
        assert_eq!(
            all.next_root, created[2].next_root,
            "{mode}: continue after the last"
        );
        assert_eq!(all.skipped, 1, "{mode}: the stranger's transaction");
        assert_eq!(all.messages[1].tag, tag("MAM"));

        let limited = run(client.mam_fetch_all(&first_root, mode, side_key.as_ref(), Some(2)))
            .expect("fetched");
        assert_eq!(limited.messages.len(), 2);
        assert_eq!(limited.next_root, created[2].root);
    }
}

#[test]
fn mam_messages_that_do_not_verify_are_skipped() {
    let client = FakeNode::client();
    let mut channel = channel(Mode::Public, None);
    let root = channel.root();
    let real = channel.create(&ascii("real")).expect("created");
    // A valid bundle at the same address whose payload is not signed by the
    // channel, issued earlier than the real one (so it is tried first).
    let address: Hash81 = real.address.as_str().parse().expect("address");
    let fake = Bundle::from_transfers(
        &[Transfer::new(
            address,
            ascii("not a mam payload at all").padded(3000),
            tag(""),
        )],
        1,
    )
    .expect("bundle");
    run(client.send_bundle(&fake, MWM, PowMode::Local { threads: 1 })).expect("attached");
    run(client.mam_attach(&real, &tag(""), MWM, PowMode::Local { threads: 1 })).expect("attached");
    let fetched = run(client.mam_fetch(&root, Mode::Public, None)).expect("fetched");
    assert_eq!(fetched.skipped, 1);
    assert_eq!(
        fetched.message.map(|m| m.parsed.message),
        Some(ascii("real"))
    );
}

#[test]
fn side_keys_are_required_exactly_in_restricted_mode() {
    let client = FakeNode::client();
    let root = channel(Mode::Public, None).root();
    assert_eq!(
        run(client.mam_fetch(&root, Mode::Restricted, None)),
        Err(ClientError::Mam(MamError::MissingSideKey))
    );
    assert_eq!(
        run(client.mam_fetch(&root, Mode::Public, Some(&SideKey::random()))),
        Err(ClientError::Mam(MamError::UnexpectedSideKey))
    );
    assert!(client.transport.commands.borrow().is_empty());
}

pub(super) fn send(client: &crate::Client<FakeNode>, to: char, text: &str) {
    run(client.send_message(
        &hash(to),
        &ascii(text),
        &tag(""),
        MWM,
        PowMode::Local { threads: 1 },
    ))
    .expect("sent");
}

pub(super) fn asked_since(client: &crate::Client<FakeNode>, calls: usize) -> usize {
    client.transport.trytes_asked.borrow()[calls..]
        .iter()
        .map(Vec::len)
        .sum()
}

#[test]
fn polling_again_fetches_only_transactions_not_read_before() {
    use crate::InboxCursor;
    let client = FakeNode::client();
    send(&client, 'A', "one");
    send(&client, 'A', "two");
    client
        .transport
        .inject(hash('J'), hash('A'), "NOT A TRANSACTION".into());
    let mut cursor = InboxCursor::new();
    let first = run(client.read_new_messages(&hash('A'), &mut cursor, 0)).expect("inbox");
    assert_eq!(first.messages.len(), 2);
    assert_eq!(first.invalid_transactions, 1);

    send(&client, 'A', "three");
    let calls = client.transport.trytes_asked.borrow().len();
    let second = run(client.read_new_messages(&hash('A'), &mut cursor, 1)).expect("inbox");
    assert_eq!(second.messages.len(), 1, "only the new message");
    assert_eq!(second.invalid_transactions, 0, "junk is not fetched again");
    assert_eq!(
        asked_since(&client, calls),
        1,
        "only the new transaction is fetched"
    );
    assert_eq!(
        second.messages[0].message.trim_nines(),
        ascii("three").as_str()
    );
    let calls = client.transport.trytes_asked.borrow().len();
    let third = run(client.read_new_messages(&hash('A'), &mut cursor, 2)).expect("inbox");
    assert!(third.messages.is_empty());
    assert_eq!(asked_since(&client, calls), 0);
}

#[test]
fn an_incomplete_bundle_is_read_once_complete_and_given_up_on_after_a_while() {
    use crate::{InboxCursor, INCOMPLETE_PATIENCE_MS};
    let client = FakeNode::client();
    let long = "x".repeat(3000);
    let bundle = Bundle::from_transfers(&[Transfer::new(hash('A'), ascii(&long), tag(""))], 1)
        .expect("bundle")
        .into_transactions();
    assert_eq!(bundle.len(), 3);
    client.transport.store(&bundle[..2]);
    let mut cursor = InboxCursor::new();
    let waiting = run(client.read_new_messages(&hash('A'), &mut cursor, 0)).expect("inbox");
    assert!(waiting.messages.is_empty());
    assert_eq!(waiting.invalid_bundles, 1);
    // The rest arrives: the message is read, once.
    client.transport.store(&bundle[2..]);
    let complete = run(client.read_new_messages(&hash('A'), &mut cursor, 1_000)).expect("inbox");
    assert_eq!(complete.messages.len(), 1);
    assert!(
        run(client.read_new_messages(&hash('A'), &mut cursor, 2_000))
            .expect("inbox")
            .messages
            .is_empty()
    );

    // A bundle that never completes waits without being downloaded again
    // (its bundle hash is looked up instead), then is given up on.
    let mut partial =
        Bundle::from_transfers(&[Transfer::new(hash('A'), ascii(&long), tag("P"))], 2)
            .expect("bundle")
            .into_transactions();
    partial.truncate(2);
    client.transport.store(&partial);
    run(client.read_new_messages(&hash('A'), &mut cursor, 10_000)).expect("inbox");
    assert_eq!(cursor.waiting(), 2);
    let calls = client.transport.trytes_asked.borrow().len();
    run(client.read_new_messages(&hash('A'), &mut cursor, 20_000)).expect("inbox");
    assert_eq!(asked_since(&client, calls), 0, "waiting is cheap");
    assert_eq!(cursor.waiting(), 2, "still hoping");
    run(client.read_new_messages(&hash('A'), &mut cursor, 10_000 + INCOMPLETE_PATIENCE_MS))
        .expect("inbox");
    assert_eq!(cursor.waiting(), 0, "given up");
    let calls = client.transport.trytes_asked.borrow().len();
    run(client.read_new_messages(&hash('A'), &mut cursor, 20_000 + INCOMPLETE_PATIENCE_MS))
        .expect("inbox");
    assert_eq!(asked_since(&client, calls), 0, "given up");
}
