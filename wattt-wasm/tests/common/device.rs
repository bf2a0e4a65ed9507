//! What a home's device makes, by `consent_protocol::device`'s own code,
//! for Wattt's tests (the unit tests in `src/provider/tests.rs` include
//! this file too): a meter's restricted channel, the keys it grants and
//! its rotations, and what a stranger forges.

use std::collections::BTreeMap;

use consent_protocol::device::{grant, AuthorizedProvider, Rotation};
use consent_protocol::seal::{seal, ProviderKeyPair};
use consent_protocol::{
    encode, encode_transfer, to_ascii_json, Device, DeviceMessage, KeyBundle, Outgoing, Policy,
    PolicyId, RotatedKey, ServiceProvider, TelegramRecord, TransferMessage,
};
use mam_lib::address::Security;
use mam_lib::mam::{Channel, CreatedMessage, Mode, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Trytes};
use mam_lib::time::UnixMillis;

/// `id` as a policy id.
pub fn policy_id(id: &str) -> PolicyId {
    id.parse().expect("policy id")
}

/// The provider at `address` with `keys` as a device knows it once the
/// owner consented to policy `id`, answering the request with `nonce`.
pub fn authorized(
    address: &Hash81,
    keys: &ProviderKeyPair,
    id: &str,
    nonce: &Hash81,
) -> AuthorizedProvider {
    let policy = Policy {
        id: policy_id(id),
        device: Device {
            address: Hash81::random(),
        },
        service_provider: ServiceProvider {
            iota_address: address.clone(),
            public_key_trytes: keys.public_key().clone(),
            url: "https://wattt.example/".into(),
        },
        goal: "energy insights".into(),
        expires_at: None,
        request_nonce: Some(nonce.clone()),
    };
    AuthorizedProvider::from_policy(&policy, UnixMillis::now())
}

/// A `MAM_DATA` a stranger seals to `keys` under `outer`, naming `sealed`
/// and `nonce` (a channel of its own), as transfer trytes.
pub fn forged_keys(keys: &ProviderKeyPair, outer: &str, sealed: &str, nonce: &Hash81) -> Trytes {
    let bundle = KeyBundle {
        root: Hash81::random(),
        side_key: SideKey::random(),
        policy_id: policy_id(sealed),
        request_nonce: Some(nonce.clone()),
    };
    let sealed = seal(keys.public_key(), to_ascii_json(&bundle).as_bytes()).expect("sealed");
    encode_transfer(&TransferMessage::MamData {
        policy_id: policy_id(outer),
        mam_data: sealed,
    })
}

/// A `KEY_ROTATION` whose entry at `address` holds a side key the channel
/// never uses, sealed to `sealed_to`.
pub fn decoy_rotation(address: &Hash81, sealed_to: &ProviderKeyPair) -> DeviceMessage {
    let decoy = to_ascii_json(&RotatedKey {
        side_key: SideKey::random(),
    });
    let entry = seal(sealed_to.public_key(), decoy.as_bytes()).expect("sealed");
    DeviceMessage::KeyRotation {
        keys: BTreeMap::from([(address.clone(), entry)]),
    }
}

/// A `DATA` message with one telegram.
pub fn data(raw: &str, timestamp: UnixMillis) -> DeviceMessage {
    DeviceMessage::Data {
        telegrams: vec![TelegramRecord {
            raw: raw.into(),
            timestamp,
        }],
    }
}

/// A meter's restricted channel as the device writes it.
pub struct Meter {
    channel: Channel,
    /// The side key of the next message.
    pub side_key: SideKey,
}

impl Meter {
    /// A new channel from a random seed.
    pub fn new() -> Meter {
        let side_key = SideKey::random();
        Meter {
            channel: Channel::new(
                &Seed::random(),
                Mode::Restricted,
                Some(side_key.clone()),
                Security::Medium,
            )
            .expect("channel"),
            side_key,
        }
    }

    /// The root of the next message.
    pub fn root(&mut self) -> Hash81 {
        Hash81::from_trytes(self.channel.root()).expect("root")
    }

    /// The `MAM_DATA` for `provider`: the keys from the next message on.
    pub fn grant(&mut self, provider: &AuthorizedProvider) -> Outgoing {
        let root = self.root();
        grant(provider, &root, &self.side_key).expect("sealed")
    }

    /// The next message, holding `trytes`.
    pub fn create(&mut self, trytes: &Trytes) -> CreatedMessage {
        self.channel.create(trytes).expect("created")
    }

    /// The next message, holding `message`.
    pub fn publish(&mut self, message: &DeviceMessage) -> CreatedMessage {
        self.create(&encode(message))
    }

    /// Two different messages at the next position, both signed with the
    /// channel's key: what only the device (or whoever holds its seed) can
    /// make, a fork.
    pub fn fork(&mut self, one: &DeviceMessage, other: &DeviceMessage) -> [CreatedMessage; 2] {
        let position = self.channel.position();
        let first = self.publish(one);
        self.channel.set_position(position).expect("position");
        [first, self.publish(other)]
    }

    /// A key rotation handing the new key to `staying`; later messages
    /// use it.
    pub fn rotate(&mut self, staying: &[AuthorizedProvider]) -> CreatedMessage {
        let rotation = Rotation::for_providers(staying);
        self.rotate_with(rotation.message(), rotation.new_key().clone())
    }

    /// `message` as a rotation; later messages use `new_key`.
    pub fn rotate_with(&mut self, message: &DeviceMessage, new_key: SideKey) -> CreatedMessage {
        let created = self.publish(message);
        self.channel.set_side_key(new_key.clone()).expect("key");
        self.side_key = new_key;
        created
    }
}
