//! Failing closed against the real daemon: while the node refuses every
//! lookup of the owner's channel for longer than the (shortened)
//! fail-closed time, the device makes no new data message (also after a
//! restart), keeps the telegrams in its outbox and `info` says why; once
//! the channel reads again, publishing resumes and nothing is lost.

mod common;
mod proxy;

use std::time::Duration;

use common::device::Device;
use common::meter::dsmr5_telegram;
use common::wait_for;
use proxy::ProxiedDevice;

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
    std::env::set_var("PI_READER_FAIL_CLOSED_AFTER", "4s");
    let mut rig = ProxiedDevice::start_paired("fail-closed");
    rig.pty.send(&dsmr5_telegram(0));
    let device = &rig.device;
    wait_for(
        "the first telegram published",
        Duration::from_secs(60),
        || (device.counter("telegrams_published") >= 1).then_some(()),
    );
    assert_eq!(fail_closed(device), (false, String::new()));

    // The owner's channel becomes unreadable.
    let event_address = rig.next_event_address();
    rig.proxy.block(&event_address);
    let reason = wait_for("failing closed", Duration::from_secs(45), || {
        let (closed, reason) = fail_closed(device);
        closed.then_some(reason)
    });
    assert!(reason.contains("cannot be read"), "{reason}");

    // A restart does not open it: the state file says it fails closed.
    rig.device.kill();
    rig.device.restart();
    rig.device.wait_port_open(2, common::rig::PORT_OPEN_TIMEOUT);
    let device = &rig.device;
    let (made, _) = device.message_counts();
    for n in 1..=3 {
        rig.pty.send(&dsmr5_telegram(n));
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
    rig.proxy.unblock();
    wait_for("publishing to resume", Duration::from_secs(45), || {
        (device.counter("telegrams_published") >= 4).then_some(())
    });
    assert_eq!(fail_closed(device), (false, String::new()));
    assert_eq!(device.outbox_len(), 0);
}
