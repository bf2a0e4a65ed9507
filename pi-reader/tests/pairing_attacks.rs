//! Protocol v2 pairing and consent attacks against the real daemon on a
//! real node (security issue #9): taking over a paired device with the old
//! or the new secret, `pi-reader unpair`, forged `MAM_DATA`, the owner's
//! root on the Tangle, and the device's own challenge proof sent back to
//! it as a claim.

mod common;

use std::time::Duration;

use common::owner::{send_trytes, MyHome};
use common::reader::Provider;
use common::rig::Rig;
use common::wait_for;
use consent_protocol::seal::seal;
use consent_protocol::{
    device, encode_transfer, to_ascii_json, ClaimStatus, ConsentEvent, KeyBundle, PairingSecret,
    TransferMessage,
};
use mam_lib::ternary::Hash81;

const FLAGS: [&str; 4] = ["--max-delay", "0s", "--poll-interval", "300ms"];

/// Sends a claim proving `secret` from `who` and says whether anything came
/// back within a few poll rounds.
fn claim_gets_an_answer(rig: &Rig, who: &MyHome, secret: &PairingSecret) -> bool {
    let seen = who.inbox();
    who.send(&rig.address, &who.claim_message(secret));
    let until = std::time::Instant::now() + Duration::from_secs(4);
    while std::time::Instant::now() < until {
        if who.heard_back(&seen) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    false
}

#[test]
fn a_paired_device_cannot_be_taken_over_with_the_old_or_the_new_secret() {
    let rig = Rig::start("attack-takeover", &FLAGS);
    let old = rig.secret();
    let mut home = MyHome::new(rig.client.url());
    home.pair_and_add(&rig.address, &old);
    let new = rig.secret();
    assert_ne!(new, old, "pairing draws a new secret");
    let refused = rig.device.counter("refused_claims");

    // A stranger who photographed the old QR code: its proof verifies no
    // more, so the claim is ignored, counted, and gets no challenge.
    let stranger = MyHome::new(rig.client.url());
    assert!(
        !claim_gets_an_answer(&rig, &stranger, &old),
        "the old secret still gets answers"
    );
    rig.wait_for_counter("refused_claims", refused + 1);

    // A stranger who read the new secret off the device: refused.
    let (status, reason) = stranger.pair_with_reason(&rig.address, &new);
    assert_eq!(status, ClaimStatus::Nok);
    assert_eq!(reason, device::ALREADY_PAIRED_REASON);
    assert_eq!(
        rig.device.info()["paired_root"].as_str(),
        Some(home.root.as_str()),
        "the owner stays"
    );
}

#[test]
fn after_unpair_the_new_secret_pairs_and_the_old_one_does_not() {
    let rig = Rig::start("attack-unpair", &FLAGS);
    let mut home = MyHome::new(rig.client.url());
    home.pair_and_add(&rig.address, &rig.secret());
    let mut provider = Provider::new();
    home.record(&ConsentEvent::Authorized {
        policy: MyHome::policy("before-unpair", &rig.address, &provider),
    });
    wait_for("keys for the provider", Duration::from_secs(30), || {
        provider.receive_keys(&rig.client).then_some(())
    });
    let before = rig.secret();

    // Beside the running daemon.
    let after = rig.device.unpair();
    assert!(after["paired_root"].is_null(), "the pairing is gone");
    assert_eq!(after["providers"].as_array().map(Vec::len), Some(0));
    let new: PairingSecret = after["pairing_secret"]
        .as_str()
        .expect("secret")
        .parse()
        .expect("27 trytes");
    assert_ne!(new, before);

    let stranger = MyHome::new(rig.client.url());
    assert!(
        !claim_gets_an_answer(&rig, &stranger, &before),
        "the secret from before the unpair still gets answers"
    );
    let next = MyHome::new(rig.client.url());
    assert_eq!(next.pair(&rig.address, &new), ClaimStatus::Ok);
    assert_eq!(
        rig.device.info()["paired_root"].as_str(),
        Some(next.root.as_str())
    );
}

#[test]
fn forged_mam_data_is_refused_and_no_root_travels_in_clear() {
    let rig = Rig::start("attack-mam-data", &FLAGS);
    let mut home = MyHome::new(rig.client.url());
    home.pair_and_add(&rig.address, &rig.secret());
    let mut provider = Provider::new();
    let policy = MyHome::policy("forged-or-not", &rig.address, &provider);

    // A stranger seals its own channel to the provider's public key: under
    // the right policy id but without the provider's nonce, and with the
    // nonce (had it leaked) under another policy id.
    let forge = |outer: &str, nonce: Option<Hash81>| {
        let keys = KeyBundle {
            root: Hash81::random(),
            side_key: "ATTACKER".parse().expect("side key"),
            policy_id: policy.id.clone(),
            request_nonce: nonce,
        };
        let sealed =
            seal(provider.keys.public_key(), to_ascii_json(&keys).as_bytes()).expect("sealed");
        encode_transfer(&TransferMessage::MamData {
            policy_id: outer.parse().expect("policy id"),
            mam_data: sealed,
        })
    };
    send_trytes(
        &rig.client,
        &provider.address,
        &forge(policy.id.as_str(), Some(Hash81::random())),
    );
    send_trytes(
        &rig.client,
        &provider.address,
        &forge("another-policy", Some(provider.request_nonce.clone())),
    );
    assert!(
        !provider.receive_keys(&rig.client),
        "a forged box was taken"
    );
    assert_eq!(provider.refused.len(), 2, "{:?}", provider.refused);

    // The device's own box is taken.
    home.record(&ConsentEvent::Authorized { policy });
    wait_for("keys for the provider", Duration::from_secs(30), || {
        provider.receive_keys(&rig.client).then_some(())
    });

    // No transfer the device or My Home sent holds the owner's root, as
    // trytes or as text.
    let root = home.root.as_str();
    for address in [&rig.address, &home.address, &provider.address] {
        let inbox = pollster::block_on(rig.client.read_messages(address)).expect("inbox");
        assert!(!inbox.messages.is_empty());
        for message in inbox.messages {
            let trytes = message.message.as_str();
            let text = message.message.to_bytes().unwrap_or_default();
            assert!(
                !trytes.contains(root) && !String::from_utf8_lossy(&text).contains(root),
                "the owner's root travels in clear to {address}"
            );
        }
    }
}

#[test]
fn the_devices_challenge_sent_back_as_a_claim_gets_nothing_and_the_owner_still_pairs() {
    let rig = Rig::start("attack-reflect", &FLAGS);
    let home = MyHome::new(rig.client.url());
    let secret = rig.secret();
    let seen = home.claim_in_full(&rig.address, &secret);
    // Anyone reading My Home's address sees the challenge and its proof
    // Kerl(secret ‖ nonce ‖ challenge). Were it a valid claim proof "from"
    // the nonce (the parts in a claim's order), the device would challenge
    // the address `nonce`, whose proof could be sent back again, and so on
    // until its hourly budget was spent.
    let stranger = MyHome::new(rig.client.url());
    let refused = rig.device.counter("refused_claims");
    stranger.send(
        &rig.address,
        &TransferMessage::ClaimDevice {
            sender: seen.nonce.clone(),
            nonce: seen.challenge.clone(),
            proof: seen.proof.clone(),
        },
    );
    rig.wait_for_counter("refused_claims", refused + 1);
    let answer = home.answer_message(&seen.challenge, &home.root, &secret);
    assert_eq!(home.answer(&rig.address, &answer).0, ClaimStatus::Ok);
}
