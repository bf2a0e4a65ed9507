//! The `provider-probe` binary: its identity is the one a browser app
//! derives from the seed, it takes the keys a device would seal to it (and
//! only those), reads a restricted channel until its consent ends, and
//! fails with a clear message when the node is down or no keys come.

use std::collections::BTreeMap;
use std::process::{Command, Output};

use browser_app::identity::state::{Identity, SeedOrigin};
use consent_protocol::seal::{seal, NtruPublicKey, ProviderKeyPair};
use consent_protocol::{
    encode, encode_transfer, DeviceMessage, KeyBundle, PolicyId, RotatedKey, TelegramRecord,
    TransferMessage,
};
use iri_client::{Client, PowMode};
use mam_lib::address::Security;
use mam_lib::mam::{Channel, Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::time::UnixMillis;
use serde_json::Value;
use test_support::{ScratchDir, TangleNode};

const MWM: u8 = 3;
const POW: PowMode = PowMode::Local { threads: 1 };

fn probe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_provider-probe"))
        .args(args)
        .output()
        .expect("provider-probe runs")
}

/// Runs the probe, expects success, and reads its JSON.
fn probe_json(args: &[&str]) -> Value {
    let output = probe(args);
    assert!(
        output.status.success(),
        "provider-probe {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object on stdout")
}

#[test]
fn identity_is_the_address_a_browser_app_derives_and_the_seeds_public_key() {
    let seed = Seed::random();
    let json = probe_json(&["identity", "--seed", &seed.to_string()]);
    let app = Identity::from_seed(seed.clone(), SeedOrigin::Restored);
    assert_eq!(json["address"], app.address().to_string());
    let key: Trytes = json["publicKeyTrytes"]
        .as_str()
        .expect("a string")
        .parse()
        .expect("trytes");
    let key = NtruPublicKey::from_trytes(&key).expect("an NTRU public key");
    assert_eq!(
        key.as_bytes(),
        ProviderKeyPair::from_seed(&seed).public_key().as_bytes()
    );
}

#[test]
fn node_that_is_down_is_named_in_a_clean_error() {
    let seed = Seed::random().to_string();
    let nonce = Hash81::random().to_string();
    // Port 9 (discard) on loopback: nothing listens there.
    let output = probe(&[
        "keys",
        "--node",
        "http://127.0.0.1:9",
        "--seed",
        &seed,
        "--nonce",
        &nonce,
        "--timeout",
        "1s",
    ]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("provider-probe: reading the provider's address"),
        "{stderr}"
    );
    assert!(stderr.contains("node unreachable"), "{stderr}");
}

/// A provider's seed, its public key and address, as a device sees them.
struct ProviderUnderTest {
    seed: Seed,
    public_key: NtruPublicKey,
    address: Hash81,
}

impl ProviderUnderTest {
    fn new() -> ProviderUnderTest {
        let seed = Seed::random();
        let app = Identity::from_seed(seed.clone(), SeedOrigin::Restored);
        ProviderUnderTest {
            public_key: ProviderKeyPair::from_seed(&seed).public_key().clone(),
            address: app.address().clone(),
            seed,
        }
    }
}

/// Sends a `MAM_DATA` as the device does: the key bundle sealed to the
/// provider, to its address.
fn send_keys(client: &Client, to: &ProviderUnderTest, bundle: &KeyBundle) {
    let plain = serde_json::to_vec(bundle).expect("JSON");
    let message = TransferMessage::MamData {
        policy_id: bundle.policy_id.clone(),
        mam_data: seal(&to.public_key, &plain).expect("sealed"),
    };
    pollster::block_on(client.send_message(
        &to.address,
        &encode_transfer(&message),
        &Tag27::nines(),
        MWM,
        POW,
    ))
    .expect("MAM_DATA sent");
}

/// Publishes `message` on the device channel.
fn publish(client: &Client, channel: &mut Channel, message: &DeviceMessage) {
    let created = channel.create(&encode(message)).expect("MAM message");
    pollster::block_on(client.mam_attach(&created, &Tag27::nines(), MWM, POW)).expect("attached");
}

fn telegrams(count: usize) -> DeviceMessage {
    DeviceMessage::Data {
        telegrams: (0..count)
            .map(|i| TelegramRecord {
                raw: format!("/TEST{i}\r\n\r\n!0000\r\n"),
                timestamp: UnixMillis::from_millis(1_700_000_000_000 + i as u64),
            })
            .collect(),
    }
}

#[test]
fn provider_takes_only_its_keys_and_reads_until_it_is_left_out() {
    let dir = ScratchDir::new("provider_probe_reads_channel");
    let node = TangleNode::start(dir.path(), MWM);
    let client = Client::new(node.url.clone());
    let provider = ProviderUnderTest::new();
    let policy = PolicyId::new("probe-policy-1").expect("policy id");
    let nonce = Hash81::random();

    let first_key = SideKey::random();
    let mut channel = Channel::new(
        &Seed::random(),
        Mode::Restricted,
        Some(first_key.clone()),
        Security::Low,
    )
    .expect("channel");
    let root = Hash81::from_trytes(channel.root()).expect("root");

    // A box for another request of the same policy: refused, not taken.
    send_keys(
        &client,
        &provider,
        &KeyBundle {
            root: root.clone(),
            side_key: SideKey::random(),
            policy_id: policy.clone(),
            request_nonce: Some(Hash81::random()),
        },
    );
    send_keys(
        &client,
        &provider,
        &KeyBundle {
            root: root.clone(),
            side_key: first_key.clone(),
            policy_id: policy.clone(),
            request_nonce: Some(nonce.clone()),
        },
    );

    let seed = provider.seed.to_string();
    let nonce = nonce.to_string();
    let keys_args = [
        "--node",
        node.url.as_str(),
        "--seed",
        &seed,
        "--nonce",
        &nonce,
        "--timeout",
        "60s",
    ];
    let keys = probe_json(&[&["keys"], &keys_args[..]].concat());
    assert_eq!(keys["policyId"], "probe-policy-1");
    assert_eq!(keys["root"], root.to_string());
    assert_eq!(keys["sideKey"], first_key.to_string());
    assert_eq!(keys["refused"], 1);

    // Two telegrams, a rotation that keeps the provider, one telegram under
    // the new key, a rotation that leaves it out, and one it cannot read.
    publish(&client, &mut channel, &telegrams(2));
    let second_key = SideKey::random();
    let sealed = seal(
        &provider.public_key,
        &serde_json::to_vec(&RotatedKey {
            side_key: second_key.clone(),
        })
        .expect("JSON"),
    )
    .expect("sealed");
    publish(
        &client,
        &mut channel,
        &DeviceMessage::KeyRotation {
            keys: BTreeMap::from([(provider.address.clone(), sealed)]),
        },
    );
    channel.set_side_key(second_key.clone()).expect("new key");
    publish(&client, &mut channel, &telegrams(1));
    publish(
        &client,
        &mut channel,
        &DeviceMessage::KeyRotation {
            keys: BTreeMap::new(),
        },
    );
    channel.set_side_key(SideKey::random()).expect("new key");
    publish(&client, &mut channel, &telegrams(5));

    let follow_args = [
        &["follow"],
        &keys_args[..],
        &["--policy-id", "probe-policy-1", "--until-ended"],
    ]
    .concat();
    let read = probe_json(&follow_args);
    assert_eq!(read["dataMessages"], 2, "{read}");
    assert_eq!(read["telegrams"], 3, "{read}");
    assert_eq!(read["keyRotations"], 1, "{read}");
    assert_eq!(read["ended"]["reason"], "leftOut", "{read}");
    assert_eq!(read["ended"]["after"], 1_700_000_000_000_u64, "{read}");
    assert_eq!(read["lastSideKey"], second_key.to_string(), "{read}");

    // Keys for another policy are not taken for this one.
    let output = probe(
        &[
            &["follow"],
            &keys_args[..6],
            &["--timeout", "1s", "--policy-id", "another-policy"],
        ]
        .concat(),
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no keys for policy another-policy arrived"),
        "{stderr}"
    );
}
