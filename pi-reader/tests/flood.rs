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
use common::owner::{MyHome, TEST_MWM};
use common::reader::Provider;
use common::wait_for;
use consent_protocol::{ConsentEvent, Device as DeviceRef};
use iri_client::Client;
use mam_lib::ternary::Hash81;
use pi_reader::store::CursorName;
use proxy::ProxiedDevice;

/// Over the node's 1,000 items per list.
const JUNK: usize = 1_100;

/// `count` lone transactions of never-complete bundles at `address`
/// ([`test_support::lone_transactions`]), stored on the node.
fn flood(client: &Client, address: &Hash81, count: usize) {
    let tips = pollster::block_on(client.get_transactions_to_approve(3)).expect("tips");
    let junk = test_support::lone_transactions(
        address,
        count,
        &tips.trunk_transaction,
        &tips.branch_transaction,
        TEST_MWM,
    );
    for chunk in junk.chunks(400) {
        pollster::block_on(client.store_transactions(chunk)).expect("stored");
    }
}

fn providers(device: &Device) -> usize {
    device.info()["providers"].as_array().map_or(0, Vec::len)
}

#[test]
fn a_revocation_takes_effect_through_a_flood_and_a_restart_downloads_no_junk() {
    let mut rig = ProxiedDevice::start_paired("flood");
    let mut provider = Provider::new();
    let policy = MyHome::policy("policy-a", &rig.address, &provider);
    rig.home.record(&ConsentEvent::Authorized {
        policy: policy.clone(),
    });
    wait_for("keys for the provider", Duration::from_secs(60), || {
        provider.receive_keys(&rig.client).then_some(())
    });
    let rotations = rig.device.counter("key_rotations");
    assert_eq!(providers(&rig.device), 1);

    // The flood: the device address and the next event's address.
    let event_address = rig.next_event_address();
    let asked_before = rig.proxy.trytes_asked();
    let started = Instant::now();
    flood(&rig.client, &rig.address, JUNK);
    flood(&rig.client, &event_address, JUNK);
    eprintln!(
        "{} junk transactions stored in {:?}",
        2 * JUNK,
        started.elapsed()
    );

    let revoked_at = Instant::now();
    rig.home
        .record(&ConsentEvent::AuthorizationRevoked { policy });
    wait_for(
        "the revocation to take effect",
        Duration::from_secs(45),
        || {
            (rig.device.counter("key_rotations") > rotations && providers(&rig.device) == 0)
                .then_some(())
        },
    );
    eprintln!("revocation took effect after {:?}", revoked_at.elapsed());
    let store = rig.device.open_store();
    let inbox = store.db().cursor(CursorName::Inbox).expect("inbox cursor");
    assert_eq!(inbox.waiting.len(), JUNK, "the device address's junk waits");
    drop(store);
    let junk_counted = rig.device.counter("invalid_transfers");
    assert!(
        junk_counted >= JUNK as i64,
        "the junk is counted ({junk_counted})"
    );
    // Let a few more polls pass: the junk is not downloaded again.
    std::thread::sleep(Duration::from_secs(3));
    let asked = rig.proxy.trytes_asked() - asked_before;
    eprintln!("getTrytes asked for {asked} hashes during and after the flood");
    assert!(
        asked < 2 * JUNK + 200,
        "each junk transaction is downloaded about once, not every poll ({asked})"
    );

    // A restart downloads nothing it had read.
    rig.device.kill();
    let asked_before = rig.proxy.trytes_asked();
    rig.device.restart();
    rig.device.wait_port_open(2, common::rig::PORT_OPEN_TIMEOUT);
    wait_for(
        "the restarted daemon to log its cursor",
        Duration::from_secs(30),
        || (rig.device.log_count("inbox cursor restored") >= 2).then_some(()),
    );
    std::thread::sleep(Duration::from_secs(3));
    let asked = rig.proxy.trytes_asked() - asked_before;
    eprintln!("after the restart getTrytes asked for {asked} hashes");
    assert!(asked < 50, "the junk is not downloaded again ({asked})");
    assert_eq!(
        rig.device.counter("invalid_transfers"),
        junk_counted,
        "nor counted again"
    );
    assert!(rig.device.log().contains(&format!("waiting={JUNK}")));

    // Still in charge of its owner's events after the restart.
    let rotations = rig.device.counter("key_rotations");
    rig.home.record(&ConsentEvent::DeviceDeleted {
        device: DeviceRef {
            address: rig.address.clone(),
        },
    });
    wait_for(
        "the deletion to take effect",
        Duration::from_secs(30),
        || (rig.device.counter("key_rotations") > rotations).then_some(()),
    );
}
