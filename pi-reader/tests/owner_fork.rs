//! Two different events that both verify under one root of the owner's
//! channel (a forgery by someone holding the owner's seed, or a fork),
//! against the real daemon on a real node: the daemon applies neither and
//! never picks one by timestamp; it stops reading there, fails closed
//! (telegrams wait in the outbox, no new data) and `info` names the root
//! and both bundles.

mod common;

use std::time::Duration;

use common::meter::dsmr5_telegram;
use common::owner::MyHome;
use common::reader::Provider;
use common::rig::Rig;
use common::wait_for;
use consent_protocol::{ConsentEvent, Device as DeviceRef};

#[test]
fn a_forked_owner_channel_is_reported_and_nothing_is_published() {
    let rig = Rig::start(
        "owner-fork",
        &[
            "--max-delay",
            "0s",
            "--poll-interval",
            "300ms",
            "--fail-closed-after",
            "2s",
        ],
    );
    let mut home = MyHome::new(rig.client.url());
    home.pair_and_add(&rig.address, &rig.secret());
    let provider = Provider::new();
    let policy = MyHome::policy("policy-fork", &rig.address, &provider);
    home.record(&ConsentEvent::Authorized {
        policy: policy.clone(),
    });
    wait_for("the consent applied", Duration::from_secs(60), || {
        (rig.device.info()["providers"]
            .as_array()
            .map_or(0, Vec::len)
            == 1)
            .then_some(())
    });
    rig.pty.send(&dsmr5_telegram(0));
    rig.wait_for_counter("telegrams_published", 1);

    // The fork: a revocation and a deletion under one root. Taking either
    // by its (attacker-chosen) timestamp would be a guess.
    let (root, bundles) = home.record_fork(
        &ConsentEvent::AuthorizationRevoked { policy },
        &ConsentEvent::DeviceDeleted {
            device: DeviceRef {
                address: rig.address.clone(),
            },
        },
    );
    let reason = wait_for(
        "failing closed on the fork",
        Duration::from_secs(60),
        || {
            let info = rig.device.info();
            let owner = &info["owner_channel"];
            owner["fail_closed"]
                .as_bool()
                .unwrap_or(false)
                .then(|| owner["reason"].as_str().unwrap_or_default().to_owned())
        },
    );
    assert!(
        reason.contains("fork") && reason.contains(root.as_str()),
        "{reason}"
    );
    for bundle in &bundles {
        assert!(reason.contains(bundle.as_str()), "{reason}");
    }
    let info = rig.device.info();
    assert_eq!(
        info["providers"].as_array().map_or(0, Vec::len),
        1,
        "neither event is applied"
    );

    // No new data while the owner's channel is forked; the telegram waits.
    let published = rig.device.counter("telegrams_published");
    rig.pty.send(&dsmr5_telegram(1));
    wait_for(
        "the telegram in the outbox",
        Duration::from_secs(30),
        || {
            let store = rig.device.open_store();
            let (waiting, _) = store.db().outbox_summary().expect("outbox");
            (waiting == 1).then_some(())
        },
    );
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(rig.device.counter("telegrams_published"), published);
    let store = rig.device.open_store();
    assert_eq!(store.db().outbox_summary().expect("outbox").0, 1);
    assert!(rig.device.log().contains("fork"));
}
