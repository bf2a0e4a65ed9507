//! The [`Attacher`] the apps call, natively against a real `tangle-node`:
//! `Local` (here the CPU search, the browser's pool has no native form)
//! and `Node` both attach what reads back, with the weight.

use core::cell::RefCell;
use std::rc::Rc;

use iri_client::{Client, PowStep};
use mam_lib::address::Security;
use mam_lib::mam::{Channel, Mode};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::transaction::hash_weight;
use test_support::{ScratchDir, TangleNode};

use super::{Attacher, PowChoice};

/// Low enough to keep the test fast; the node is started with the same.
const MWM: u8 = 3;

fn random_address() -> Hash81 {
    Seed::random()
        .as_trytes()
        .as_str()
        .parse()
        .expect("address")
}

#[test]
fn both_choices_attach_messages_that_read_back_with_the_weight() {
    let data_dir = ScratchDir::new("browser-app-attacher");
    let node = TangleNode::start(data_dir.path(), MWM);
    let client = Client::new(node.url.clone());
    let tag = Tag27::padded("ATTACHER".parse().expect("tag")).expect("short");
    pollster::block_on(async {
        for choice in [PowChoice::Local, PowChoice::Node] {
            let steps = Rc::new(RefCell::new(Vec::<PowStep>::new()));
            let seen = steps.clone();
            let attacher =
                Attacher::new(choice, MWM).with_progress(move |step| seen.borrow_mut().push(step));

            let to = random_address();
            let text = format!("{{\"type\":\"DATA\",\"pad\":\"{}\"}}", "x".repeat(1500));
            let message = Trytes::from_ascii(&text).expect("ascii");
            let sent = attacher
                .send_message(&client, &to, &message, &tag)
                .await
                .unwrap_or_else(|error| panic!("{choice:?}: {error}"));
            assert_eq!(sent.len(), 2, "{choice:?}: 3000+ trytes take two fragments");
            assert!(sent
                .transactions()
                .iter()
                .all(|t| hash_weight(&t.hash()) >= usize::from(MWM)));
            let inbox = client.read_messages(&to).await.expect("inbox");
            assert_eq!(inbox.messages.len(), 1, "{choice:?}");
            assert_eq!(inbox.messages[0].message.trim_nines(), message.as_str());

            let mut channel =
                Channel::new(&Seed::random(), Mode::Public, None, Security::Low).expect("channel");
            let root = channel.root();
            let created = channel
                .create(&Trytes::from_ascii("42 kWh").expect("ascii"))
                .expect("created");
            attacher
                .attach_message(&client, &created, &tag)
                .await
                .unwrap_or_else(|error| panic!("{choice:?}: {error}"));
            let fetched = client
                .mam_fetch_all(&root, Mode::Public, None, None)
                .await
                .expect("fetched");
            assert_eq!(fetched.messages.len(), 1, "{choice:?}");

            // Only local proof of work reports steps: the node's is one call.
            let numbers: Vec<(usize, usize)> =
                steps.borrow().iter().map(|s| (s.number, s.of)).collect();
            match choice {
                PowChoice::Local => assert_eq!(numbers, [(1, 2), (2, 2), (1, 2), (2, 2)]),
                PowChoice::Node => assert!(numbers.is_empty()),
            }
        }
    });
}
