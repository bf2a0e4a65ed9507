//! The node client against the real `tangle-node` (built if missing, see
//! `test_support::node_binary`), started on a free loopback port with a
//! fresh data directory, and used to send, read, attach and follow MAM
//! channels, with local and remote proof of work.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{ascii, random_address, tag, text_of};
use iri_client::{Client, FindTransactions, PowMode};
use mam_lib::address::Security;
use mam_lib::mam::{Channel, Mode, SideKey};
use mam_lib::seed::Seed;
use test_support::{ScratchDir, TangleNode};

/// Low enough to keep the test fast; the node is started with the same.
const MWM: u8 = 3;

#[test]
fn client_sends_reads_and_follows_channels_on_tangle_node() {
    let data_dir = ScratchDir::new("client-node");
    let node = TangleNode::start(data_dir.path(), MWM);
    let client = Client::new(node.url.clone());
    pollster::block_on(async {
        let info = client.get_node_info().await.expect("getNodeInfo");
        assert!(!info.app_name.is_empty());
        // A fresh tangle may have no tips yet; it must still answer.
        client.get_tips().await.expect("getTips");

        // Plain messages, proof of work here and on the node.
        let address = random_address();
        let long = format!(
            "{{\"type\":\"DATA\",\"telegrams\":\"{}\"}}",
            "x".repeat(3000)
        );
        let local = client
            .send_message(
                &address,
                &ascii("{\"type\":\"CLAIM_DEVICE\"}"),
                &tag("CLAIM"),
                MWM,
                PowMode::Local { threads: 2 },
            )
            .await
            .expect("sent with local pow");
        let remote = client
            .send_message(&address, &ascii(&long), &tag("DATA"), MWM, PowMode::Remote)
            .await
            .expect("sent with remote pow");
        assert_eq!(remote.len(), 3);

        let inbox = client.read_messages(&address).await.expect("read");
        assert_eq!((inbox.invalid_bundles, inbox.invalid_transactions), (0, 0));
        let texts: Vec<String> = inbox.messages.iter().map(|m| text_of(&m.message)).collect();
        assert_eq!(texts.len(), 2);
        assert!(texts.contains(&"{\"type\":\"CLAIM_DEVICE\"}".to_owned()));
        assert!(texts.contains(&long));

        // The other commands answer in the shapes the client expects.
        assert!(!client.get_tips().await.expect("getTips").is_empty());
        let by_tag = client
            .find_transactions(&FindTransactions::tags(vec![tag("DATA")]))
            .await
            .expect("by tag");
        assert_eq!(by_tag.len(), 3);
        let tail = local.tail().hash();
        assert_eq!(
            client
                .get_inclusion_states(std::slice::from_ref(&tail))
                .await
                .expect("states")
                .len(),
            1
        );
        assert_eq!(
            client
                .get_balances(std::slice::from_ref(&address))
                .await
                .expect("balances"),
            [0]
        );
        assert_eq!(
            client
                .were_addresses_spent_from(std::slice::from_ref(&address))
                .await
                .expect("spent"),
            [false]
        );
        let fetched = client
            .get_trytes(std::slice::from_ref(&tail))
            .await
            .expect("getTrytes");
        assert_eq!(fetched[0].as_ref().map(|t| t.hash()), Some(tail.clone()));

        // MAM channels, public and restricted, followed to their end.
        for (mode, side_key) in [
            (Mode::Public, None),
            (Mode::Restricted, Some(SideKey::random())),
        ] {
            let mut channel =
                Channel::new(&Seed::random(), mode, side_key.clone(), Security::Medium)
                    .expect("channel");
            let root = channel.root();
            let mut last = None;
            for (i, text) in ["first", "second", "third"].into_iter().enumerate() {
                let message = channel.create(&ascii(text)).expect("created");
                let pow = if i % 2 == 0 {
                    PowMode::Local { threads: 2 }
                } else {
                    PowMode::Remote
                };
                client
                    .mam_attach(&message, &tag("MAMLIB"), MWM, pow)
                    .await
                    .expect("attached");
                last = Some(message);
            }
            let all = client
                .mam_fetch_all(&root, mode, side_key.as_ref(), None)
                .await
                .expect("followed");
            let texts: Vec<String> = all
                .messages
                .iter()
                .map(|m| text_of(&m.parsed.message))
                .collect();
            assert_eq!(texts, ["first", "second", "third"], "{mode}");
            assert_eq!(all.skipped, 0, "{mode}");
            assert_eq!(Some(all.next_root), last.map(|m| m.next_root), "{mode}");
        }
    });
}
