//! Wattt's node I/O against a real `tangle-node`: keys read at its address
//! among hostile transfers, a meter's channel followed across a rotation,
//! revoked, granted again, read on from a cache, a message that fails its
//! signature, a forged rotation entry and a fork. Native only: it starts a node
//! process.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::device::{self, authorized, decoy_rotation, forged_keys, policy_id};
use consent_protocol::device::AuthorizedProvider;
use consent_protocol::seal::ProviderKeyPair;
use consent_protocol::{encode_transfer, DeviceMessage};
use iri_client::{Client, InboxCursor, PowMode};
use mam_lib::mam::{CreatedMessage, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::time::UnixMillis;
use test_support::{ScratchDir, TangleNode};
use wattt_wasm::provider::home::CloseReason;
use wattt_wasm::provider::homes::Homes;
use wattt_wasm::provider::identity::ProviderIdentity;
use wattt_wasm::provider::refusals::Refusal;
use wattt_wasm::provider::requests::IssuedRequests;
use wattt_wasm::tangle::{follow_home, read_inbox, FollowEnd, HomeRead, InboxRead};

const MWM: u8 = 3;

/// Proof of work on one thread: the machine is shared.
const POW: PowMode = PowMode::Local { threads: 1 };

/// Wattt as its app derives itself from its seed.
struct Wattt {
    me: ProviderIdentity,
    requests: IssuedRequests,
    cursor: InboxCursor,
    homes: Homes,
    /// The raw telegrams read, in order, as the app keeps them.
    raws: Vec<String>,
}

impl Wattt {
    fn new() -> Wattt {
        Wattt {
            me: ProviderIdentity::from_seed(&Seed::random()),
            requests: IssuedRequests::default(),
            cursor: InboxCursor::new(),
            homes: Homes::default(),
            raws: Vec::new(),
        }
    }

    /// Issues a consent request and returns its nonce.
    fn issue(&mut self) -> Hash81 {
        self.requests
            .issue(&self.me, "energy insights".into(), UnixMillis::now(), None)
            .nonce
    }

    /// Wattt as a device knows it under policy `id` for request `nonce`.
    fn authorized(&self, id: &str, nonce: &Hash81) -> AuthorizedProvider {
        authorized(&self.me.address, &self.me.keys, id, nonce)
    }

    fn read_inbox(&mut self, client: &Client) -> InboxRead {
        pollster::block_on(read_inbox(
            client,
            &self.me,
            &mut self.cursor,
            &mut self.requests,
            &mut self.homes,
        ))
        .expect("inbox read")
    }

    fn follow(&mut self, client: &Client, id: &str) -> HomeRead {
        let raws = &mut self.raws;
        pollster::block_on(follow_home(
            client,
            &self.me.keys,
            &mut self.homes,
            &policy_id(id),
            usize::MAX,
            |_, telegrams| raws.extend(telegrams.into_iter().map(|t| t.raw)),
        ))
        .expect("followed")
    }
}

fn send(client: &Client, to: &Hash81, trytes: &Trytes) {
    pollster::block_on(client.send_message(to, trytes, &Tag27::nines(), MWM, POW)).expect("sent");
}

/// A meter's channel, attached as the device attaches it.
struct Meter {
    device: device::Meter,
    telegrams: u64,
}

impl Meter {
    fn new() -> Meter {
        Meter {
            device: device::Meter::new(),
            telegrams: 0,
        }
    }

    /// Sends `provider` the keys from the next message on.
    fn grant(&mut self, client: &Client, provider: &AuthorizedProvider) {
        let keys = self.device.grant(provider);
        send(client, &keys.to, &encode_transfer(&keys.message));
    }

    fn attach(client: &Client, created: &CreatedMessage) {
        pollster::block_on(client.mam_attach(created, &Tag27::nines(), MWM, POW))
            .expect("attached");
    }

    fn next_data(&mut self) -> CreatedMessage {
        self.telegrams += 1;
        let raw = format!("/TEST{}", self.telegrams);
        self.device.publish(&device::data(&raw, UnixMillis::now()))
    }

    fn data(&mut self, client: &Client) {
        let created = self.next_data();
        Meter::attach(client, &created);
    }

    /// The next `DATA`, with a copy whose signature fails attached first
    /// at its address (a tryte of the signed payload changed).
    fn data_after_a_forgery(&mut self, client: &Client) {
        let created = self.next_data();
        let mut tampered: Vec<char> = created.payload.to_string().chars().collect();
        let spot = tampered.len() / 2;
        tampered[spot] = if tampered[spot] == 'A' { 'B' } else { 'A' };
        let tampered: Trytes = tampered
            .into_iter()
            .collect::<String>()
            .parse()
            .expect("trytes");
        let address = Hash81::from_trytes(created.address.clone()).expect("address");
        send(client, &address, &tampered);
        Meter::attach(client, &created);
    }

    fn rotate_with(&mut self, client: &Client, message: &DeviceMessage) {
        let created = self.device.rotate_with(message, SideKey::random());
        Meter::attach(client, &created);
    }

    fn rotate(&mut self, client: &Client, staying: &[AuthorizedProvider]) {
        let created = self.device.rotate(staying);
        Meter::attach(client, &created);
    }
}

#[test]
fn keys_among_hostile_transfers_then_a_meter_followed_revoked_and_granted_again() {
    let dir = ScratchDir::new("wattt-follow");
    let node = TangleNode::start(dir.path(), MWM);
    let client = Client::new(node.url.clone());
    let mut wattt = Wattt::new();
    let first_request = wattt.issue();
    let mut meter = Meter::new();

    // Hostile transfers at Wattt's address around the real keys.
    let stranger_seed = Seed::random();
    let stranger = authorized(
        &wattt.me.address,
        &ProviderKeyPair::from_seed(&stranger_seed),
        "policy-s",
        &first_request,
    );
    meter.grant(&client, &stranger);
    send(
        &client,
        &wattt.me.address,
        &forged_keys(&wattt.me.keys, "policy-x", "policy-x", &Hash81::random()),
    );
    send(
        &client,
        &wattt.me.address,
        &forged_keys(&wattt.me.keys, "policy-y", "policy-1", &first_request),
    );
    send(
        &client,
        &wattt.me.address,
        &Trytes::from_bytes(b"garbage, not a protocol message"),
    );
    meter.grant(&client, &wattt.authorized("policy-1", &first_request));

    let inbox = wattt.read_inbox(&client);
    assert_eq!(inbox.opened, vec![policy_id("policy-1")]);
    assert_eq!(inbox.refused, 4);
    let refused = wattt.homes.refused();
    for refusal in [
        Refusal::NotOurs,
        Refusal::UnknownRequestNonce,
        Refusal::PolicyMismatch,
        Refusal::Undecodable,
    ] {
        assert_eq!(refused.count(refusal), 1, "{refusal:?}");
    }

    // Data, a forgery at the next address, a rotation Wattt stays in.
    meter.data(&client);
    meter.data_after_a_forgery(&client);
    let staying = wattt.authorized("policy-1", &first_request);
    meter.rotate(&client, std::slice::from_ref(&staying));
    meter.data(&client);
    let read = wattt.follow(&client, "policy-1");
    assert_eq!(read.end, FollowEnd::CaughtUp);
    assert_eq!((read.messages, read.telegrams), (4, 3));
    assert_eq!(read.unreadable, 1, "the forgery was skipped: {read:?}");
    let home = wattt.homes.get(&policy_id("policy-1")).expect("home");
    assert_eq!(
        home.side_key(),
        &meter.device.side_key,
        "followed the rotation"
    );
    assert_eq!(wattt.raws, ["/TEST1", "/TEST2", "/TEST3"]);

    // A reload: the cache reads on from where it stood, only what is new.
    let cached = serde_json::to_string(&wattt.homes).expect("cached");
    wattt.homes = serde_json::from_str(&cached).expect("restored");
    meter.data(&client);
    let read = wattt.follow(&client, "policy-1");
    assert_eq!((read.messages, read.telegrams), (1, 1));

    // Revoked: the rotation leaves Wattt out; nothing after it is read.
    let before = UnixMillis::now();
    meter.rotate(&client, &[]);
    let after = UnixMillis::now();
    meter.data(&client);
    let read = wattt.follow(&client, "policy-1");
    let FollowEnd::Closed(closed) = read.end else {
        panic!("the revocation was not seen: {read:?}");
    };
    assert_eq!(closed.reason, CloseReason::LeftOut);
    assert!(
        before <= closed.at && closed.at <= after,
        "ended at the rotation"
    );
    assert_eq!((read.messages, read.telegrams), (1, 0));
    let again = wattt.follow(&client, "policy-1");
    assert_eq!((again.messages, again.end), (0, FollowEnd::Closed(closed)));
    let home = wattt.homes.get(&policy_id("policy-1")).expect("home");
    assert_eq!(home.counts().telegrams, 4);
    assert_eq!(wattt.raws.len(), 4, "nothing read after the revocation");

    // Granted again under a new policy for a new request.
    let second_request = wattt.issue();
    meter.grant(&client, &wattt.authorized("policy-2", &second_request));
    meter.data(&client);
    let inbox = wattt.read_inbox(&client);
    assert_eq!(inbox.opened, vec![policy_id("policy-2")]);
    assert_eq!(inbox.refused, 0, "what was read before is not read again");
    let read = wattt.follow(&client, "policy-2");
    assert_eq!(
        (read.messages, read.telegrams, read.end),
        (1, 1, FollowEnd::CaughtUp)
    );
    assert_eq!(wattt.homes.list().len(), 2);
    assert!(!wattt.homes.list()[0].is_reading());
}

#[test]
fn a_forged_rotation_entry_stops_reading_without_a_crash() {
    let dir = ScratchDir::new("wattt-forged-rotation");
    let node = TangleNode::start(dir.path(), MWM);
    let client = Client::new(node.url.clone());
    let mut wattt = Wattt::new();
    let request = wattt.issue();
    let mut meter = Meter::new();
    meter.grant(&client, &wattt.authorized("policy-1", &request));
    assert_eq!(wattt.read_inbox(&client).opened.len(), 1);

    // An entry sealed to Wattt, but with a key the channel never uses.
    let forged = decoy_rotation(&wattt.me.address, &wattt.me.keys);
    meter.rotate_with(&client, &forged);
    meter.data(&client);
    let read = wattt.follow(&client, "policy-1");
    assert_eq!(read.end, FollowEnd::CaughtUp);
    assert_eq!((read.messages, read.telegrams), (1, 0));
    assert_eq!(
        read.unreadable, 1,
        "the next message does not open with the decoy"
    );
    let home = wattt.homes.get(&policy_id("policy-1")).expect("home");
    assert!(home.is_reading());
    assert_eq!(home.counts().rotations, 1);
}

#[test]
fn a_forked_channel_is_reported_and_not_read_past() {
    let dir = ScratchDir::new("wattt-fork");
    let node = TangleNode::start(dir.path(), MWM);
    let client = Client::new(node.url.clone());
    let mut wattt = Wattt::new();
    let request = wattt.issue();
    let mut meter = Meter::new();
    meter.grant(&client, &wattt.authorized("policy-1", &request));
    wattt.read_inbox(&client);
    meter.data(&client);
    let forks = meter.device.fork(
        &device::data("/ONE", UnixMillis::now()),
        &device::data("/OTHER", UnixMillis::now()),
    );
    for created in &forks {
        Meter::attach(&client, created);
    }
    let read = wattt.follow(&client, "policy-1");
    let FollowEnd::Fork { root, bundles } = &read.end else {
        panic!("the fork was not reported: {read:?}");
    };
    assert_eq!(root, &forks[0].root.to_string());
    assert_eq!(bundles.len(), 2);
    assert_eq!(
        (read.messages, read.telegrams),
        (1, 1),
        "read up to the fork"
    );
    let home = wattt.homes.get(&policy_id("policy-1")).expect("home");
    assert_eq!(home.next_root().as_trytes(), &forks[0].root);
    assert!(home.is_reading());
}
