//! Issue #9 against the real daemon on a real node: the device address and
//! the address of the owner's next event are flooded with more lone
//! transactions of never-complete bundles than the node lists at once;
//! the owner's revocation still takes effect within a bounded time, the
//! junk is downloaded once, and a restarted daemon does not download it
//! again (its cursors are in the state file).

mod common;
mod proxy;

use std::time::{Duration, Instant};

use common::device::Device;
use common::node::Node;
use common::owner::{MyHome, TEST_MWM};
use common::pty::PtyPair;
use common::reader::Provider;
use common::rig::PORT_OPEN_TIMEOUT;
use common::{scratch_dir, wait_for};
use consent_protocol::{ClaimStatus, ConsentEvent, Device as DeviceRef};
use iri_client::{Client, ClientError};
use mam_lib::bundle::{Bundle, Transfer};
use mam_lib::mam::{message_address, Mode};
use mam_lib::pow::{attach_nonce, PowOptions};
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use pi_reader::store::CursorName;
use proxy::NodeProxy;

/// Over the node's 1,000 items per list.
const JUNK: usize = 1_100;

/// `count` transactions at `address`, each the last of a two-transaction
/// bundle whose first never comes (the last approves the tips, so the node
/// stores it alone).
fn flood(client: &Client, address: &Hash81, count: usize) {
    let tips = pollster::block_on(client.get_transactions_to_approve(3)).expect("tips");
    let long = Trytes::from_ascii(&"j".repeat(1500)).expect("ascii");
    let options = PowOptions::default();
    let junk: Vec<Trytes> = (0..count)
        .map(|n| {
            let bundle = Bundle::from_transfers(
                &[Transfer::new(address.clone(), long.clone(), Tag27::nines())],
                1_700_000_000 + n as u64,
            )
            .expect("bundle")
            .attach(
                &tips.trunk_transaction,
                &tips.branch_transaction,
                1_700_000_000_000,
                |trits| attach_nonce(trits, TEST_MWM, &options).map_err(ClientError::from),
            )
            .expect("attached");
            bundle.to_trytes().swap_remove(1)
        })
        .collect();
    for chunk in junk.chunks(400) {
        pollster::block_on(client.store_transactions(chunk)).expect("stored");
    }
}

/// The address of the owner's next event, as the device's state file has
/// it.
fn next_event_address(device: &Device) -> Hash81 {
    let pairing = device
        .open_store()
        .db()
        .pairing()
        .expect("pairing")
        .expect("paired");
    message_address(pairing.next_event_root.as_trytes(), Mode::Private)
        .expect("address")
        .as_str()
        .parse()
        .expect("hash")
}

fn providers(device: &Device) -> usize {
    device.info()["providers"].as_array().map_or(0, Vec::len)
}

#[test]
fn a_revocation_takes_effect_through_a_flood_and_a_restart_downloads_no_junk() {
    let dir = scratch_dir("flood");
    let node = Node::start(&dir, TEST_MWM);
    let proxy = NodeProxy::start(&node.url);
    let pty = PtyPair::start(&dir);
    let mwm = TEST_MWM.to_string();
    let mut device = Device::start(
        &dir,
        &proxy.url,
        &pty.port,
        &[
            "--mwm",
            &mwm,
            "--max-delay",
            "0s",
            "--poll-interval",
            "500ms",
        ],
    );
    device.wait_port_open(1, PORT_OPEN_TIMEOUT);
    let address: Hash81 = device.address().parse().expect("address");
    let client = Client::new(node.url.clone());
    let secret = device.info()["pairing_secret"]
        .as_str()
        .expect("secret")
        .parse()
        .expect("27 trytes");

    let mut home = MyHome::new(&node.url);
    assert_eq!(home.pair(&address, &secret), ClaimStatus::Ok);
    home.record(&ConsentEvent::DeviceAdded {
        device: DeviceRef {
            address: address.clone(),
        },
    });
    let mut provider = Provider::new();
    let policy = MyHome::policy("policy-a", &address, &provider);
    home.record(&ConsentEvent::Authorized {
        policy: policy.clone(),
    });
    wait_for("keys for the provider", Duration::from_secs(60), || {
        provider.receive_keys(&client).then_some(())
    });
    let rotations = device.counter("key_rotations");
    assert_eq!(providers(&device), 1);

    // The flood: the device address and the next event's address.
    let event_address = next_event_address(&device);
    let asked_before = proxy.trytes_asked();
    let started = Instant::now();
    flood(&client, &address, JUNK);
    flood(&client, &event_address, JUNK);
    eprintln!(
        "{} junk transactions stored in {:?}",
        2 * JUNK,
        started.elapsed()
    );

    let revoked_at = Instant::now();
    home.record(&ConsentEvent::AuthorizationRevoked { policy });
    wait_for(
        "the revocation to take effect",
        Duration::from_secs(45),
        || (device.counter("key_rotations") > rotations && providers(&device) == 0).then_some(()),
    );
    eprintln!("revocation took effect after {:?}", revoked_at.elapsed());
    let store = device.open_store();
    let inbox = store.db().cursor(CursorName::Inbox).expect("inbox cursor");
    assert_eq!(inbox.waiting.len(), JUNK, "the device address's junk waits");
    drop(store);
    // Let a few more polls pass: the junk is not downloaded again.
    std::thread::sleep(Duration::from_secs(3));
    let asked = proxy.trytes_asked() - asked_before;
    eprintln!("getTrytes asked for {asked} hashes during and after the flood");
    assert!(
        asked < 2 * JUNK + 200,
        "each junk transaction is downloaded about once, not every poll ({asked})"
    );

    // A restart downloads nothing it had read.
    device.kill();
    let asked_before = proxy.trytes_asked();
    device.restart();
    device.wait_port_open(2, PORT_OPEN_TIMEOUT);
    wait_for(
        "the restarted daemon to log its cursor",
        Duration::from_secs(30),
        || (device.log_count("inbox cursor restored") >= 2).then_some(()),
    );
    std::thread::sleep(Duration::from_secs(3));
    let asked = proxy.trytes_asked() - asked_before;
    eprintln!("after the restart getTrytes asked for {asked} hashes");
    assert!(asked < 50, "the junk is not downloaded again ({asked})");
    assert!(device.log().contains(&format!("waiting={JUNK}")));

    // Still in charge of its owner's events after the restart.
    let rotations = device.counter("key_rotations");
    home.record(&ConsentEvent::DeviceDeleted {
        device: DeviceRef { address },
    });
    wait_for(
        "the deletion to take effect",
        Duration::from_secs(30),
        || (device.counter("key_rotations") > rotations).then_some(()),
    );
}
