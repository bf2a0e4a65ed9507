//! The provider's rules, scenario by scenario, against what the device's
//! rules publish.

use mam_lib::address::Security;
use mam_lib::mam::{parse, Channel, Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::Hash81;

use super::*;
use crate::device::{grant, AuthorizedProvider, Rotation};
use crate::seal::seal;
use crate::seal::ProviderKeyPair;
use crate::test_support::{at, hash, policy, provider_keys, request_nonce};
use crate::{
    encode, to_ascii_json, DeviceMessage, KeyBundle, PolicyId, TelegramRecord, TransferMessage,
};

const NOW: u64 = 1_700_000_000_000;

/// The nonces of the consent requests provider `A` issued.
fn issued() -> Vec<Hash81> {
    vec![request_nonce()]
}

/// A `MAM_DATA` a stranger seals to `A`'s public key: the stranger's own
/// channel under `outer`, with the sealed policy id and nonce it chooses.
fn forged(outer: &str, sealed_policy: &str, nonce: Option<Hash81>) -> TransferMessage {
    let bundle = KeyBundle {
        root: hash('X'),
        side_key: "ATTACKER".parse().expect("side key"),
        policy_id: sealed_policy.parse().expect("policy id"),
        request_nonce: nonce,
    };
    let box_ = seal(
        provider_keys('A').public_key(),
        to_ascii_json(&bundle).as_bytes(),
    )
    .expect("sealed");
    TransferMessage::MamData {
        policy_id: outer.parse().expect("policy id"),
        mam_data: box_,
    }
}

#[test]
fn a_box_sealed_by_a_stranger_without_a_nonce_the_provider_issued_is_refused() {
    let keys = provider_keys('A');
    // The attacker knows the public key and even the policy id, but not
    // the nonce of the provider's request.
    let unknown = forged("policy-A", "policy-A", Some(hash('Z')));
    assert!(matches!(
        Connection::open(&keys, &hash('A'), &unknown, &issued()),
        Err(OpenError::UnknownRequestNonce)
    ));
    let none = forged("policy-A", "policy-A", None);
    assert!(matches!(
        Connection::open(&keys, &hash('A'), &none, &issued()),
        Err(OpenError::MissingRequestNonce)
    ));
}

#[test]
fn a_box_moved_under_another_policy_id_is_refused() {
    let keys = provider_keys('A');
    let moved = forged("policy-B", "policy-A", Some(request_nonce()));
    let Err(OpenError::PolicyMismatch { outer, sealed }) =
        Connection::open(&keys, &hash('A'), &moved, &issued())
    else {
        panic!("a moved box opened");
    };
    assert_eq!(outer, "policy-B".parse::<PolicyId>().expect("id"));
    assert_eq!(sealed, "policy-A".parse::<PolicyId>().expect("id"));
    // The same box under its own id is what the device would send.
    let own = forged("policy-A", "policy-A", Some(request_nonce()));
    assert!(Connection::open(&keys, &hash('A'), &own, &issued()).is_ok());
}

#[test]
fn a_v1_mam_data_box_without_a_policy_id_is_refused() {
    let keys = provider_keys('A');
    let v1 = seal(
        keys.public_key(),
        format!("{{\"root\":\"{}\",\"sideKey\":\"ATTACKER\"}}", hash('X')).as_bytes(),
    )
    .expect("sealed");
    let message = TransferMessage::MamData {
        policy_id: "policy-A".parse().expect("id"),
        mam_data: v1,
    };
    assert!(matches!(
        Connection::open(&keys, &hash('A'), &message, &issued()),
        Err(OpenError::Keys(_))
    ));
}

/// A device channel, restricted, as the device writes it.
struct DeviceChannel {
    channel: Channel,
    side_key: SideKey,
}

impl DeviceChannel {
    fn new() -> DeviceChannel {
        let seed: Seed = "D".repeat(81).parse().expect("seed");
        let side_key = SideKey::random();
        DeviceChannel {
            channel: Channel::new(
                &seed,
                Mode::Restricted,
                Some(side_key.clone()),
                Security::Medium,
            )
            .expect("channel"),
            side_key,
        }
    }

    fn next_root(&mut self) -> Hash81 {
        Hash81::from_trytes(self.channel.root()).expect("root")
    }

    /// Authorizes the provider at `letter` (its keys from the seed of that
    /// letter): the `MAM_DATA` the device sends.
    fn authorize(&mut self, letter: char) -> TransferMessage {
        let keys = provider_keys(letter);
        let provider = AuthorizedProvider::from_policy(
            &policy(
                &format!("policy-{letter}"),
                &hash('D'),
                &hash(letter),
                &keys,
            ),
            at(NOW),
        );
        grant(&provider, &self.next_root(), &self.side_key)
            .expect("sealed")
            .message
    }

    fn provider(letter: char) -> AuthorizedProvider {
        AuthorizedProvider::from_policy(
            &policy(
                &format!("policy-{letter}"),
                &hash('D'),
                &hash(letter),
                &provider_keys(letter),
            ),
            at(NOW),
        )
    }

    /// Publishes `message`: its root, payload and next root.
    fn publish(&mut self, message: &DeviceMessage) -> Published {
        let root = self.next_root();
        let created = self.channel.create(&encode(message)).expect("create");
        Published {
            root,
            payload: created.payload,
            next_root: Hash81::from_trytes(created.next_root).expect("next root"),
            message: message.clone(),
        }
    }

    /// Publishes a rotation for `staying` under the current key, then uses
    /// the new one.
    fn rotate(&mut self, staying: &[AuthorizedProvider]) -> Published {
        let rotation = Rotation::for_providers(staying);
        let published = self.publish(rotation.message());
        self.side_key = rotation.new_key().clone();
        self.channel = {
            let seed: Seed = "D".repeat(81).parse().expect("seed");
            let position = self.channel.position();
            let mut channel = Channel::new(
                &seed,
                Mode::Restricted,
                Some(self.side_key.clone()),
                Security::Medium,
            )
            .expect("channel");
            channel.set_position(position).expect("position");
            channel
        };
        published
    }
}

struct Published {
    root: Hash81,
    payload: mam_lib::ternary::Trytes,
    next_root: Hash81,
    message: DeviceMessage,
}

impl Published {
    /// Whether `key` opens the message (the MAM payload verifies and
    /// decrypts under its root).
    fn opens_with(&self, key: &SideKey) -> bool {
        parse(&self.payload, self.root.as_trytes(), Some(key)).is_ok()
    }
}

fn data(n: u64) -> DeviceMessage {
    DeviceMessage::Data {
        telegrams: vec![TelegramRecord {
            raw: format!("/TEST{n}"),
            timestamp: at(NOW + n),
        }],
    }
}

/// Reads `published` as the provider `keys` with `connection` would.
fn read(connection: &mut Connection, keys: &ProviderKeyPair, published: &Published) -> FollowStep {
    assert_eq!(connection.next_root(), &published.root, "reads in order");
    assert!(
        published.opens_with(connection.side_key()),
        "the provider's key opens the message it follows"
    );
    connection.follow(keys, &published.message, published.next_root.clone())
}

#[test]
fn a_provider_opens_mam_data_sealed_to_it_into_a_connection() {
    let mut device = DeviceChannel::new();
    let first = device.next_root();
    let message = device.authorize('A');
    let connection =
        Connection::open(&provider_keys('A'), &hash('A'), &message, &issued()).expect("opens");
    assert_eq!(connection.next_root(), &first, "reads from consent on");
    assert_eq!(connection.side_key(), &device.side_key);
    assert_eq!(connection.policy_id().as_str(), "policy-A");
    assert_eq!(connection.request_nonce(), &request_nonce());
    assert_eq!(connection.state(at(NOW)), ConnectionState::Reading);
    assert!(!format!("{connection:?}").contains(device.side_key.as_trytes().as_str()));
}

#[test]
fn mam_data_for_another_provider_or_another_message_does_not_open() {
    let mut device = DeviceChannel::new();
    let message = device.authorize('A');
    assert!(matches!(
        Connection::open(&provider_keys('B'), &hash('B'), &message, &issued()),
        Err(OpenError::Seal(_))
    ));
    assert!(matches!(
        Connection::open(
            &provider_keys('A'),
            &hash('A'),
            &TransferMessage::Challenge {
                sender: hash('A'),
                challenge: hash('C'),
                proof: hash('P'),
            },
            &issued()
        ),
        Err(OpenError::NotMamData)
    ));
}

#[test]
fn data_is_read_in_order_and_rotations_with_its_entry_are_followed() {
    let mut device = DeviceChannel::new();
    let keys = provider_keys('A');
    let mut connection =
        Connection::open(&keys, &hash('A'), &device.authorize('A'), &issued()).expect("opens");
    let first = device.publish(&data(1));
    assert_eq!(
        read(&mut connection, &keys, &first),
        FollowStep::Telegrams(vec![TelegramRecord {
            raw: "/TEST1".into(),
            timestamp: at(NOW + 1),
        }])
    );
    let rotation = device.rotate(&[DeviceChannel::provider('A')]);
    assert_eq!(
        read(&mut connection, &keys, &rotation),
        FollowStep::KeyRotated
    );
    assert_eq!(connection.side_key(), &device.side_key);
    let after = device.publish(&data(2));
    assert!(matches!(
        read(&mut connection, &keys, &after),
        FollowStep::Telegrams(_)
    ));
}

#[test]
fn revoked_provider_cannot_read_new_data() {
    let mut device = DeviceChannel::new();
    let (a, b) = (provider_keys('A'), provider_keys('B'));
    let mut to_a =
        Connection::open(&a, &hash('A'), &device.authorize('A'), &issued()).expect("A opens");
    let mut to_b =
        Connection::open(&b, &hash('B'), &device.authorize('B'), &issued()).expect("B opens");
    let before = device.publish(&data(1));
    read(&mut to_a, &a, &before);
    read(&mut to_b, &b, &before);

    // A is revoked: the rotation hands the new key to B only.
    let rotation = device.rotate(&[DeviceChannel::provider('B')]);
    assert_eq!(
        read(&mut to_a, &a, &rotation),
        FollowStep::Ended(Ended {
            after: Some(at(NOW + 1)),
            reason: EndReason::LeftOut,
        })
    );
    assert_eq!(read(&mut to_b, &b, &rotation), FollowStep::KeyRotated);

    let after = device.publish(&data(2));
    assert!(after.opens_with(to_b.side_key()), "B reads on");
    assert!(
        !after.opens_with(to_a.side_key()),
        "A's last key opens nothing published after its revocation"
    );
    assert_eq!(
        to_a.state(at(NOW)),
        ConnectionState::Ended(Ended {
            after: Some(at(NOW + 1)),
            reason: EndReason::LeftOut,
        })
    );
}

#[test]
fn an_ended_connection_stays_ended() {
    let mut device = DeviceChannel::new();
    let keys = provider_keys('A');
    let mut connection =
        Connection::open(&keys, &hash('A'), &device.authorize('A'), &issued()).expect("opens");
    let reset = device.rotate(&[]);
    let ended = read(&mut connection, &keys, &reset);
    assert_eq!(
        ended,
        FollowStep::Ended(Ended {
            after: None,
            reason: EndReason::LeftOut,
        })
    );
    let root_after_reset = connection.next_root().clone();
    assert_eq!(root_after_reset, reset.next_root);
    let later = device.publish(&data(1));
    assert_eq!(
        connection.follow(&keys, &later.message, later.next_root.clone()),
        ended
    );
    assert_eq!(connection.next_root(), &root_after_reset);
}

#[test]
fn an_entry_that_does_not_open_ends_the_connection() {
    let mut device = DeviceChannel::new();
    let keys = provider_keys('A');
    let mut connection =
        Connection::open(&keys, &hash('A'), &device.authorize('A'), &issued()).expect("opens");
    // The entry at A's address is sealed to B's key.
    let mut impostor = DeviceChannel::provider('B');
    impostor.address = hash('A');
    let rotation = device.rotate(&[impostor]);
    assert_eq!(
        read(&mut connection, &keys, &rotation),
        FollowStep::Ended(Ended {
            after: None,
            reason: EndReason::KeyUnreadable,
        })
    );
}

#[test]
fn a_consent_past_its_expiry_is_expired() {
    let mut device = DeviceChannel::new();
    let connection = Connection::open(
        &provider_keys('A'),
        &hash('A'),
        &device.authorize('A'),
        &issued(),
    )
    .expect("opens")
    .with_expiry(Some(at(NOW + 8_000)));
    assert_eq!(connection.state(at(NOW + 7_999)), ConnectionState::Reading);
    assert_eq!(
        connection.state(at(NOW + 8_000)),
        ConnectionState::Expired {
            at: at(NOW + 8_000)
        }
    );
}

#[test]
fn a_message_that_is_no_device_message_is_skipped() {
    let mut device = DeviceChannel::new();
    let mut connection = Connection::open(
        &provider_keys('A'),
        &hash('A'),
        &device.authorize('A'),
        &issued(),
    )
    .expect("opens");
    connection.skip(hash('N'));
    assert_eq!(connection.next_root(), &hash('N'));
}
