//! Hostile input at the device address and on the owner's channel:
//! garbage, oversized and v1 transfers, unproven claims, replayed and
//! re-rooted answers, events about other devices. Each is ignored (or, for
//! a proven claim while paired, answered `NOK`), counted, and the daemon
//! keeps running and publishing.

mod common;

use std::time::Duration;

use common::owner::{send_trytes, MyHome};
use common::reader::Provider;
use common::rig::Rig;
use common::{shared_telegrams, wait_for};
use consent_protocol::{
    encode, seal_root, ClaimStatus, ConsentEvent, Device as DeviceRef, PairingSecret,
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
            proof: Hash81::random(),
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

/// Waits a few poll rounds and says whether `home` heard anything back
/// since `seen`.
fn hears_back_within(home: &MyHome, seen: &[Hash81], wait: Duration) -> bool {
    let until = std::time::Instant::now() + wait;
    while std::time::Instant::now() < until {
        if home.heard_back(seen) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    false
}

#[test]
fn a_claim_without_a_valid_proof_gets_nothing_and_costs_no_challenge() {
    let mut rig = Rig::start("hostile-bad-proof", &FLAGS);
    let stranger = MyHome::new(rig.client.url());
    let wrong: PairingSecret = "WRONGSECRETWRONGSECRET99999".parse().expect("secret");
    let seen = stranger.inbox();
    // A claim proving a wrong secret, and a v1 claim without any proof.
    stranger.send(&rig.address, &stranger.claim_message(&wrong));
    send_trytes(
        &rig.client,
        &rig.address,
        &ascii(&format!(
            r#"{{"type":"CLAIM_DEVICE","sender":"{}"}}"#,
            stranger.address
        )),
    );
    rig.wait_for_counter("refused_claims", 1);
    rig.wait_for_counter("invalid_transfers", 1);
    assert!(
        !hears_back_within(&stranger, &seen, Duration::from_secs(3)),
        "an unproven claim got an answer"
    );
    assert_eq!(
        rig.device.info()["transfers_queued"],
        0,
        "no challenge made"
    );
    let issued = rig
        .device
        .open_store()
        .db()
        .challenges_since(mam_lib::time::UnixMillis::from_millis(0));
    assert_eq!(issued.expect("challenges"), 0, "no challenge was spent");
    // The owner, with the right secret, pairs.
    let home = MyHome::new(rig.client.url());
    assert_eq!(home.pair(&rig.address, &rig.secret()), ClaimStatus::Ok);
    still_publishes(&mut rig);
}

#[test]
fn a_replayed_answer_changes_nothing() {
    let mut rig = Rig::start("hostile-replay", &FLAGS);
    let home = MyHome::new(rig.client.url());
    let secret = rig.secret();
    let challenge = home.claim(&rig.address, &secret);
    let answer = home.answer_message(&challenge, &home.root, &secret);
    assert_eq!(home.answer(&rig.address, &answer).0, ClaimStatus::Ok);
    let paired = rig.device.info()["paired_root"].clone();
    let refused = rig.device.counter("refused_claims");
    // The same answer again, as an eavesdropper on the Tangle could send it:
    // its challenge is used up.
    let seen = home.inbox();
    home.send(&rig.address, &answer);
    rig.wait_for_counter("refused_claims", refused + 1);
    assert!(!hears_back_within(&home, &seen, Duration::from_secs(2)));
    assert_eq!(rig.device.info()["paired_root"], paired);
    still_publishes(&mut rig);
}

#[test]
fn a_forged_answer_in_the_owners_name_does_not_burn_the_owners_challenge() {
    let mut rig = Rig::start("hostile-forged-answer", &FLAGS);
    let home = MyHome::new(rig.client.url());
    let attacker = MyHome::new(rig.client.url());
    let secret = rig.secret();
    let challenge = home.claim(&rig.address, &secret);
    let honest = home.answer_message(&challenge, &home.root, &secret);
    let TransferMessage::AnswerChallenge {
        sender,
        signed_challenge,
        ..
    } = honest.clone()
    else {
        panic!("not an answer");
    };
    // First a guess without the secret, then the owner's signature with
    // the attacker's root sealed in its place (as if the attacker could
    // seal; it cannot, it lacks the secret, but even so): both sent in the
    // owner's name before the owner answers.
    let wrong: PairingSecret = "WRONGSECRETWRONGSECRET99999".parse().expect("secret");
    let guessed = home.answer_message(&challenge, &attacker.root, &wrong);
    let moved = TransferMessage::AnswerChallenge {
        sender,
        signed_challenge,
        sealed_root: seal_root(&attacker.root, &challenge, &secret, &home.address),
    };
    let seen = home.inbox();
    let refused = rig.device.counter("refused_claims");
    attacker.send(&rig.address, &guessed);
    attacker.send(&rig.address, &moved);
    rig.wait_for_counter("refused_claims", refused + 2);
    assert!(
        !hears_back_within(&home, &seen, Duration::from_secs(2)),
        "a forged answer made the device send the owner a result"
    );
    assert!(rig.device.info()["paired_root"].is_null());
    // The owner's challenge is still open: its own answer pairs.
    assert_eq!(home.answer(&rig.address, &honest).0, ClaimStatus::Ok);
    assert_eq!(
        rig.device.info()["paired_root"].as_str(),
        Some(home.root.as_str())
    );
    still_publishes(&mut rig);
}

#[test]
fn events_about_another_device_are_ignored() {
    let mut rig = Rig::start("hostile-events", &FLAGS);
    let mut home = MyHome::new(rig.client.url());
    home.pair_and_add(&rig.address, &rig.secret());
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
