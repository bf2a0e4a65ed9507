//! Two different events that both verify under one root of the owner's
//! channel (a forgery by someone holding the owner's seed, or a fork): the
//! daemon applies neither, logs the fork, fails closed and `info` names
//! the root and the bundles.

mod common;

use std::time::Duration;

use common::node::Node;
use common::owner::TEST_MWM;
use common::scratch_dir;
use consent_protocol::{encode, ConsentEvent, Device as DeviceRef};
use iri_client::{Client, PowMode};
use mam_lib::address::Security;
use mam_lib::mam::{Channel, Mode};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27};
use mam_lib::time::UnixMillis;
use pi_reader::daemon::{Daemon, DaemonSettings};
use pi_reader::publisher::{AttachSettings, BatchPolicy};
use pi_reader::status::DeviceStatus;
use pi_reader::store::Store;

#[test]
fn a_forked_owner_channel_is_reported_and_nothing_is_published() {
    let dir = scratch_dir("owner-fork");
    let node = Node::start(&dir, TEST_MWM);
    let client = Client::new(node.url.clone());
    let state = dir.join("state.sqlite");
    let store = Store::open(&state).expect("state file");
    let identity = store
        .db()
        .identity_or_create(UnixMillis::now())
        .expect("identity");

    let seed = Seed::random();
    let mut channel = Channel::new(&seed, Mode::Private, None, Security::Medium).expect("channel");
    let root = Hash81::from_trytes(channel.root()).expect("root");
    store
        .db()
        .set_pairing(
            &Seed::random().as_trytes().as_str().parse().expect("owner"),
            &root,
            UnixMillis::now(),
        )
        .expect("paired");
    store
        .db()
        .push_telegram("/ISK5\\2M550T-1012\r\n\r\n!0000", UnixMillis::now())
        .expect("telegram");
    let device = DeviceRef {
        address: identity.address.clone(),
    };
    let position = channel.position();
    let added = channel
        .create(&encode(&ConsentEvent::DeviceAdded {
            device: device.clone(),
        }))
        .expect("event");
    channel.set_position(position).expect("rewound");
    let deleted = channel
        .create(&encode(&ConsentEvent::DeviceDeleted { device }))
        .expect("event");
    let mut bundles = Vec::new();
    for event in [&added, &deleted] {
        let bundle = pollster::block_on(client.mam_attach(
            event,
            &Tag27::nines(),
            TEST_MWM,
            PowMode::Local { threads: 1 },
        ))
        .expect("attached");
        bundles.push(bundle.hash().clone());
    }

    let settings = DaemonSettings {
        attach: AttachSettings {
            min_weight_magnitude: TEST_MWM,
            pow: PowMode::Local { threads: 1 },
        },
        batch: BatchPolicy {
            max_delay: Duration::ZERO,
            batch_telegrams: 1,
        },
        poll_interval: Duration::from_millis(100),
        events_per_poll: 10,
        fail_closed_after: Duration::ZERO,
    };
    let mut daemon = Daemon::new(store, client, settings).expect("daemon");
    for _ in 0..3 {
        daemon.step().expect("step");
        std::thread::sleep(Duration::from_millis(150));
    }
    assert!(daemon.is_failing_closed());

    let beside = Store::open(&state).expect("state file");
    let pairing = beside.db().pairing().expect("pairing").expect("paired");
    assert_eq!(pairing.events_read, 0, "neither event is applied");
    assert_eq!(pairing.next_event_root, root, "reading stopped at the fork");
    assert_eq!(
        beside.db().message_counts().expect("counts").0,
        0,
        "no data"
    );
    assert_eq!(beside.db().outbox_summary().expect("outbox").0, 1);
    let status = DeviceStatus::read(&beside).expect("status");
    let reason = status.owner_channel.reason.clone().expect("a reason");
    assert!(
        reason.contains("fork") && reason.contains(root.as_str()),
        "{reason}"
    );
    for bundle in &bundles {
        assert!(reason.contains(bundle.as_str()), "{reason}");
    }
    assert!(status.to_text(None).contains("FAILING CLOSED"));
}
