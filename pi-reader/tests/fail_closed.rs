//! Failing closed against the real daemon: while the node refuses every
//! lookup of the owner's channel for longer than the (shortened)
//! fail-closed time, the device makes no new data message, keeps the
//! telegrams in its outbox and `info` says why; once the channel reads
//! again, publishing resumes and nothing is lost.

mod common;
mod proxy;

use std::time::Duration;

use common::device::Device;
use common::meter::dsmr5_telegram;
use common::node::Node;
use common::owner::{MyHome, TEST_MWM};
use common::pty::PtyPair;
use common::rig::PORT_OPEN_TIMEOUT;
use common::{scratch_dir, wait_for};
use consent_protocol::{ClaimStatus, ConsentEvent, Device as DeviceRef};
use mam_lib::mam::{message_address, Mode};
use mam_lib::ternary::Hash81;
use proxy::NodeProxy;

fn fail_closed(device: &Device) -> (bool, String) {
    let info = device.info();
    let owner = &info["owner_channel"];
    (
        owner["fail_closed"].as_bool().expect("fail_closed"),
        owner["reason"].as_str().unwrap_or_default().to_owned(),
    )
}

#[test]
fn an_unreadable_owner_channel_stops_new_data_until_it_reads_again() {
    // Inherited by the daemon: fail closed after 4 s instead of 10 minutes.
    std::env::set_var(pi_reader::daemon::FAIL_CLOSED_AFTER_ENV, "4");
    let dir = scratch_dir("fail-closed");
    let node = Node::start(&dir, TEST_MWM);
    let proxy = NodeProxy::start(&node.url);
    let pty = PtyPair::start(&dir);
    let mwm = TEST_MWM.to_string();
    let device = Device::start(
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
    wait_for("pairing and DEVICE_ADDED", Duration::from_secs(60), || {
        (device.counter("key_rotations") >= 2).then_some(())
    });
    pty.send(&dsmr5_telegram(0));
    wait_for(
        "the first telegram published",
        Duration::from_secs(60),
        || (device.counter("telegrams_published") >= 1).then_some(()),
    );
    assert_eq!(fail_closed(&device), (false, String::new()));

    // The owner's channel becomes unreadable.
    let pairing = device
        .open_store()
        .db()
        .pairing()
        .expect("pairing")
        .expect("paired");
    let event_address: Hash81 = message_address(pairing.next_event_root.as_trytes(), Mode::Private)
        .expect("address")
        .as_str()
        .parse()
        .expect("hash");
    proxy.block(&event_address);
    let reason = wait_for("failing closed", Duration::from_secs(45), || {
        let (closed, reason) = fail_closed(&device);
        closed.then_some(reason)
    });
    assert!(reason.contains("cannot be read"), "{reason}");
    let (made, _) = device.message_counts();
    for n in 1..=3 {
        pty.send(&dsmr5_telegram(n));
    }
    wait_for(
        "three telegrams in the outbox",
        Duration::from_secs(30),
        || (device.outbox_len() == 3).then_some(()),
    );
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(device.message_counts().0, made, "no new data message");
    assert_eq!(device.outbox_len(), 3, "the telegrams wait");
    assert_eq!(device.counter("telegrams_published"), 1);

    // It reads again: publishing resumes, nothing lost.
    proxy.unblock();
    wait_for("publishing to resume", Duration::from_secs(45), || {
        (device.counter("telegrams_published") >= 4).then_some(())
    });
    assert_eq!(fail_closed(&device), (false, String::new()));
    assert_eq!(device.outbox_len(), 0);
}
