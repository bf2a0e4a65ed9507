//! My Home's channel I/O against a real `tangle-node`: events made, kept
//! pending, attached and read back; a look-alike at the next address; a fork;
//! a node that is down; and a restored seed that rebuilds the same view.
//! Native only: it starts a node process.
#![cfg(not(target_arch = "wasm32"))]

use browser_app::pow::{Attacher, PowChoice};
use consent_protocol::{ConsentEvent, Device};
use iri_client::Client;
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use my_home_wasm::home::log::EventLog;
use my_home_wasm::home::outbox::{Outbox, Settled};
use my_home_wasm::home::views::HomeView;
use my_home_wasm::tangle::{attach_pending, channel_root, make_pending, read_channel, ReadEnd};
use test_support::{ScratchDir, TangleNode};

const MWM: u8 = 3;

fn attach() -> Attacher {
    Attacher::new(PowChoice::Local, MWM)
}

fn added() -> ConsentEvent {
    ConsentEvent::DeviceAdded {
        device: Device {
            address: Hash81::random(),
        },
    }
}

fn new_log(seed: &Seed) -> EventLog {
    EventLog::new(channel_root(seed).expect("root").as_trytes().clone())
}

/// Makes `event` at the next position, attaches it, and returns its
/// position.
fn record(
    client: &Client,
    seed: &Seed,
    log: &EventLog,
    outbox: &mut Outbox,
    event: ConsentEvent,
) -> u64 {
    let position = outbox.next_position(log);
    let pending = make_pending(seed, position, event).expect("made");
    outbox.push(pending.clone());
    pollster::block_on(attach_pending(client, &attach(), &pending)).expect("attached");
    outbox.attempted(position, Ok(()));
    position
}

#[test]
fn events_are_read_back_in_order_and_a_restored_seed_sees_the_same() {
    let dir = ScratchDir::new("my-home-channel");
    let node = TangleNode::start(dir.path(), MWM);
    let client = Client::new(node.url.clone());
    let seed = Seed::random();
    let mut log = new_log(&seed);
    let mut outbox = Outbox::default();
    let first = added();
    let second = added();
    record(&client, &seed, &log, &mut outbox, first.clone());
    record(&client, &seed, &log, &mut outbox, second.clone());

    let mut seen = Vec::new();
    let end =
        pollster::block_on(read_channel(&client, &mut log, |l| seen.push(l.len()))).expect("read");
    assert_eq!(end, ReadEnd::CaughtUp);
    assert_eq!(seen, vec![1, 2], "progress after every message");
    assert_eq!(log.entries()[0].event(), Some(&first));
    assert_eq!(log.entries()[1].event(), Some(&second));
    let settled = outbox.settle(&log);
    assert!(settled.iter().all(|s| matches!(s, Settled::Recorded(_))));
    assert!(outbox.is_empty());

    // Another browser with the same seed and nothing cached.
    let mut restored = new_log(&seed);
    pollster::block_on(read_channel(&client, &mut restored, |_| {})).expect("read");
    assert_eq!(HomeView::of(&restored, 0), HomeView::of(&log, 0));

    // A cached log reads only what is new.
    let third = added();
    record(&client, &seed, &log, &mut outbox, third.clone());
    let mut cached = EventLog::from_cache(&log.to_cache(), log.channel_root()).expect("cache");
    let mut read = Vec::new();
    pollster::block_on(read_channel(&client, &mut cached, |l| read.push(l.len()))).expect("read");
    assert_eq!(read, vec![3]);
    assert_eq!(cached.entries()[2].event(), Some(&third));
}

#[test]
fn a_look_alike_at_the_next_address_is_skipped_and_the_real_event_read() {
    let dir = ScratchDir::new("my-home-lookalike");
    let node = TangleNode::start(dir.path(), MWM);
    let client = Client::new(node.url.clone());
    let seed = Seed::random();
    let mut log = new_log(&seed);
    let mut outbox = Outbox::default();
    let event = added();
    let pending = make_pending(&seed, 0, event.clone()).expect("made");
    // An attacker reads the payload and attaches a tampered copy first.
    let mut tampered = pending.payload.to_string().into_bytes();
    tampered[500] = if tampered[500] == b'Z' { b'Y' } else { b'Z' };
    let tampered: Trytes = String::from_utf8(tampered)
        .expect("ascii")
        .parse()
        .expect("trytes");
    pollster::block_on(attach().send_message(
        &client,
        &pending.address,
        &tampered,
        &Tag27::nines(),
    ))
    .expect("junk attached");
    // Junk of another kind too: a plain text transfer.
    pollster::block_on(attach().send_message(
        &client,
        &pending.address,
        &Trytes::from_bytes(b"hello"),
        &Tag27::nines(),
    ))
    .expect("junk attached");
    assert!(pollster::block_on(read_channel(&client, &mut log, |_| {})).is_ok());
    assert!(log.is_empty(), "nothing verifies yet");

    record(&client, &seed, &log, &mut outbox, event.clone());
    pollster::block_on(read_channel(&client, &mut log, |_| {})).expect("read");
    assert_eq!(log.len(), 1);
    assert_eq!(log.entries()[0].event(), Some(&event));
}

#[test]
fn two_events_under_one_root_stop_the_reading_as_a_fork() {
    let dir = ScratchDir::new("my-home-fork");
    let node = TangleNode::start(dir.path(), MWM);
    let client = Client::new(node.url.clone());
    let seed = Seed::random();
    let mut log = new_log(&seed);
    // Two browsers with one seed each record a different event at 0.
    for event in [added(), added()] {
        let pending = make_pending(&seed, 0, event).expect("made");
        pollster::block_on(attach_pending(&client, &attach(), &pending)).expect("attached");
    }
    let end = pollster::block_on(read_channel(&client, &mut log, |_| {})).expect("read");
    assert!(
        matches!(end, ReadEnd::Fork { ref bundles, .. } if bundles.len() == 2),
        "{end:?}"
    );
    assert!(log.is_empty(), "neither is taken");
}

#[test]
fn a_node_that_is_down_is_an_error_and_nothing_is_lost() {
    let dir = ScratchDir::new("my-home-down");
    let mut node = TangleNode::start(dir.path(), MWM);
    let client = Client::with_transport(
        node.url.clone(),
        iri_client::DefaultTransport::default(),
        iri_client::ClientConfig {
            retry: iri_client::RetryPolicy::NONE,
            ..iri_client::ClientConfig::default()
        },
    );
    let seed = Seed::random();
    let mut log = new_log(&seed);
    let mut outbox = Outbox::default();
    let event = added();
    let pending = make_pending(&seed, 0, event.clone()).expect("made");
    outbox.push(pending.clone());
    node.stop();
    let failed = pollster::block_on(attach_pending(&client, &attach(), &pending));
    assert!(failed.is_err());
    outbox.attempted(0, failed.map_err(|e| e.to_string()));
    assert!(pollster::block_on(read_channel(&client, &mut log, |_| {})).is_err());
    // The pending event survives (as browser storage keeps it) and is
    // attached as it was once the node is back.
    let kept = Outbox::from_storage(&outbox.to_storage()).expect("kept");
    assert!(kept.pending()[0].last_error.is_some());
    node.resume();
    pollster::block_on(attach_pending(&client, &attach(), &kept.pending()[0])).expect("attached");
    pollster::block_on(read_channel(&client, &mut log, |_| {})).expect("read");
    assert_eq!(log.entries()[0].event(), Some(&event));
}
