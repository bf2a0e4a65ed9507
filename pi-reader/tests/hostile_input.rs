//! Hostile input at the device address and on the owner's channel:
//! garbage and oversized transfers, wrong, replayed and re-rooted answers,
//! events about other devices. Each is ignored or answered `NOK`, counted,
//! and the daemon keeps running and publishing.

mod common;

use std::time::Duration;

use common::owner::{send_trytes, MyHome};
use common::reader::Provider;
use common::rig::Rig;
use common::{shared_telegrams, wait_for};
use consent_protocol::{
    encode, signed_challenge, ClaimStatus, ConsentEvent, Device as DeviceRef, PairingSecret,
    TransferMessage,
};
use mam_lib::seed::random_trytes;
use mam_lib::ternary::{Hash81, Trytes};

const FLAGS: [&str; 4] = ["--max-delay", "0s", "--poll-interval", "300ms"];

/// The daemon is alive and still publishes what the meter sends.
fn still_publishes(rig: &mut Rig) {
    assert!(rig.device.is_running(), "the daemon died");
    let before = rig.device.counter("telegrams_published");
    let v5 = shared_telegrams()
        .into_iter()
        .find(|(name, _)| name == "v5.txt")
        .expect("v5")
        .1;
    rig.pty.send(&v5);
    rig.wait_for_counter("telegrams_published", before + 1);
    assert!(rig.device.is_running(), "the daemon died");
}

fn ascii(text: &str) -> Trytes {
    Trytes::from_ascii(text).expect("ascii")
}

#[test]
fn garbage_and_oversized_transfers_are_counted_and_ignored() {
    let mut rig = Rig::start("hostile-garbage", &FLAGS);
    let to = rig.address.clone();
    // Random trytes, JSON that is no protocol message, a message meant for
    // My Home, broken JSON, and some 60 kB of JSON-looking junk.
    send_trytes(&rig.client, &to, &random_trytes(2000));
    send_trytes(
        &rig.client,
        &to,
        &ascii(r#"{"type":"SELF_DESTRUCT","sender":"X"}"#),
    );
    send_trytes(
        &rig.client,
        &to,
        &encode(&TransferMessage::ClaimResult {
            status: ClaimStatus::Ok,
            reason: "not for a device".into(),
            sender: None,
        }),
    );
    send_trytes(
        &rig.client,
        &to,
        &ascii(r#"{"type":"CLAIM_DEVICE","sender":"#),
    );
    let junk = format!(
        r#"{{"type":"CLAIM_DEVICE","sender":"{}"}}"#,
        "A".repeat(30_000)
    );
    send_trytes(&rig.client, &to, &ascii(&junk));
    rig.wait_for_counter("invalid_transfers", 5);
    assert_eq!(
        rig.device.info()["transfers_queued"],
        0,
        "nothing is answered"
    );
    still_publishes(&mut rig);
}

#[test]
fn a_wrong_signed_challenge_is_answered_nok_and_pairs_nobody() {
    let mut rig = Rig::start("hostile-wrong-answer", &FLAGS);
    let home = MyHome::new(rig.client.url());
    let wrong: PairingSecret = "WRONGSECRETWRONGSECRET99999".parse().expect("secret");
    assert_eq!(home.pair(&rig.address, &wrong), ClaimStatus::Nok);
    assert!(rig.device.info()["paired_root"].is_null());
    assert!(rig.device.counter("refused_claims") >= 1);
    // The right secret still works afterwards.
    assert_eq!(home.pair(&rig.address, &rig.secret()), ClaimStatus::Ok);
    still_publishes(&mut rig);
}

#[test]
fn a_replayed_answer_is_refused_and_changes_nothing() {
    let mut rig = Rig::start("hostile-replay", &FLAGS);
    let home = MyHome::new(rig.client.url());
    let challenge = home.claim(&rig.address);
    let signed = signed_challenge(&challenge, &home.root, &rig.secret());
    let answer = TransferMessage::AnswerChallenge {
        sender: home.address.clone(),
        root: home.root.clone(),
        signed_challenge: signed.clone(),
    };
    assert_eq!(
        home.answer(&rig.address, &home.root, signed.clone()).0,
        ClaimStatus::Ok
    );
    let paired = rig.device.info()["paired_root"].clone();
    let refused = rig.device.counter("refused_claims");
    // The same answer again, as an eavesdropper on the Tangle could send it:
    // its challenge is used up.
    home.send(&rig.address, &answer);
    rig.wait_for_counter("refused_claims", refused + 1);
    // And against a fresh challenge it does not fit either.
    home.claim(&rig.address);
    assert_eq!(
        home.answer(&rig.address, &home.root, signed).0,
        ClaimStatus::Nok
    );
    assert_eq!(rig.device.info()["paired_root"], paired);
    still_publishes(&mut rig);
}

#[test]
fn an_answer_moved_to_another_root_is_refused() {
    let mut rig = Rig::start("hostile-root", &FLAGS);
    let home = MyHome::new(rig.client.url());
    let attacker = MyHome::new(rig.client.url());
    let challenge = home.claim(&rig.address);
    let signed = signed_challenge(&challenge, &home.root, &rig.secret());
    // The owner's signature, sent with the attacker's channel root.
    let (status, _) = home.answer(&rig.address, &attacker.root, signed);
    assert_eq!(status, ClaimStatus::Nok);
    assert!(rig.device.info()["paired_root"].is_null());
    still_publishes(&mut rig);
}

#[test]
fn events_about_another_device_are_ignored() {
    let mut rig = Rig::start("hostile-events", &FLAGS);
    let mut home = MyHome::new(rig.client.url());
    assert_eq!(home.pair(&rig.address, &rig.secret()), ClaimStatus::Ok);
    let other_device: Hash81 = "OTHER"
        .repeat(17)
        .chars()
        .take(81)
        .collect::<String>()
        .parse()
        .expect("address");
    let bystander = Provider::new();
    let rightful = Provider::new();
    let ignored = rig.device.counter("ignored_events");
    home.record(&ConsentEvent::Authorized {
        policy: MyHome::policy("other", &other_device, &bystander),
    });
    home.record(&ConsentEvent::DeviceDeleted {
        device: DeviceRef {
            address: other_device.clone(),
        },
    });
    home.record(&ConsentEvent::Authorized {
        policy: MyHome::policy("mine", &rig.address, &rightful),
    });
    let mut rightful = rightful;
    wait_for(
        "keys for the rightful provider",
        Duration::from_secs(60),
        || rightful.receive_keys(&rig.client).then_some(()),
    );
    // Events are applied in order: the two about the other device came first.
    let mut bystander = bystander;
    assert!(
        !bystander.receive_keys(&rig.client),
        "keys went to a provider of another device"
    );
    assert_eq!(rig.device.counter("ignored_events"), ignored + 2);
    assert_eq!(
        rig.device.info()["providers"].as_array().map(Vec::len),
        Some(1)
    );
    still_publishes(&mut rig);
}
