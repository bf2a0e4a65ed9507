//! Wattt's provider state against channels made as the device makes them
//! (`consent_protocol::device`'s grant and rotation, a restricted MAM
//! channel): homes that stay, are revoked, grant again, expire, and
//! hostile input at the address and on the channel.

use consent_protocol::device::AuthorizedProvider;
use consent_protocol::seal::ProviderKeyPair;
use consent_protocol::{encode_transfer, TransferMessage};
use iri_client::FetchedMessage;
use mam_lib::mam::{parse, CreatedMessage, SideKey};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::time::UnixMillis;

use super::home::{CloseReason, Closed, FollowError, Followed};
use super::homes::{Homes, Received};
use super::identity::ProviderIdentity;
use super::refusals::Refusal;
use super::requests::{IssuedRequest, IssuedRequests};
use device::{authorized, decoy_rotation, forged_keys, policy_id};

#[path = "../../tests/common/device.rs"]
mod device;

const NOW: u64 = 1_700_000_000_000;

fn at(millis: u64) -> UnixMillis {
    UnixMillis::from_millis(millis)
}

fn letters(letter: char) -> String {
    letter.to_string().repeat(81)
}

fn nonce(letter: char) -> Hash81 {
    letters(letter).parse().expect("81 trytes")
}

/// A provider as Wattt is one: an address, a key pair, the requests it
/// issued.
struct Provider {
    me: ProviderIdentity,
    requests: IssuedRequests,
}

impl Provider {
    fn new(letter: char) -> Provider {
        let seed: Seed = letters(letter).parse().expect("seed");
        Provider {
            me: ProviderIdentity::from_seed(&seed),
            requests: IssuedRequests::default(),
        }
    }

    fn issue(&mut self, nonce: Hash81, expires_at: Option<UnixMillis>) {
        assert!(self.requests.add(IssuedRequest {
            index: None,
            nonce,
            goal: "energy insights".into(),
            created_at: at(NOW),
            expires_at,
        }));
    }

    /// The provider as the device knows it once the owner consented to
    /// policy `id` answering request `nonce`.
    fn authorized(&self, id: &str, nonce: &Hash81) -> AuthorizedProvider {
        authorized(&self.me.address, &self.me.keys, id, nonce)
    }

    fn receive(&mut self, homes: &mut Homes, message: &Trytes) -> Received {
        homes.receive(&self.me, &mut self.requests, message, at(NOW))
    }
}

/// A meter's channel, each message laid on the Tangle a second after the
/// one before.
struct Meter {
    device: device::Meter,
    clock: i64,
}

/// A message as it lies on the Tangle.
struct Published {
    root: Hash81,
    payload: Trytes,
    attached_at: i64,
}

impl Published {
    /// The message as `Client::mam_read_next` hands it to a reader holding
    /// `key`: only when it verifies and opens with it.
    fn read_with(&self, key: &SideKey) -> Option<FetchedMessage> {
        let parsed = parse(&self.payload, self.root.as_trytes(), Some(key)).ok()?;
        Some(FetchedMessage {
            root: self.root.as_trytes().clone(),
            parsed,
            tag: Tag27::nines(),
            bundle: Hash81::random(),
            attached_at: self.attached_at,
        })
    }
}

impl Meter {
    fn new() -> Meter {
        Meter {
            device: device::Meter::new(),
            clock: NOW as i64,
        }
    }

    fn root(&mut self) -> Hash81 {
        self.device.root()
    }

    /// The `MAM_DATA` the device sends `provider`, as transfer trytes.
    fn grant(&mut self, provider: &AuthorizedProvider) -> Trytes {
        encode_transfer(&self.device.grant(provider).message)
    }

    fn lay(&mut self, created: CreatedMessage) -> Published {
        self.clock += 1_000;
        Published {
            root: Hash81::from_trytes(created.root).expect("root"),
            payload: created.payload,
            attached_at: self.clock,
        }
    }

    fn publish_trytes(&mut self, trytes: &Trytes) -> Published {
        let created = self.device.create(trytes);
        self.lay(created)
    }

    fn data(&mut self, n: u64) -> Published {
        let created = self
            .device
            .publish(&device::data(&format!("/TEST{n}"), at(NOW + n)));
        self.lay(created)
    }

    fn rotate(&mut self, staying: &[AuthorizedProvider]) -> Published {
        let created = self.device.rotate(staying);
        self.lay(created)
    }

    fn rotate_with(&mut self, message: &consent_protocol::DeviceMessage) -> Published {
        let created = self.device.rotate_with(message, SideKey::random());
        self.lay(created)
    }

    fn side_key(&self) -> &SideKey {
        &self.device.side_key
    }
}

/// Reads `published` as Wattt does: it must open with the home's key.
fn read(
    provider: &Provider,
    homes: &mut Homes,
    id: &str,
    published: &Published,
) -> Result<Followed, FollowError> {
    let home = homes.get(&policy_id(id)).expect("home");
    let fetched = published
        .read_with(home.side_key())
        .expect("the home's side key opens its next message");
    homes.follow(&provider.me.keys, &policy_id(id), &fetched, at(NOW))
}

/// Wattt with request `Q` issued, and a meter whose owner granted it as
/// `policy-1`.
/// The raw telegrams a followed `DATA` message carried.
fn raws(followed: &Result<Followed, FollowError>) -> Vec<String> {
    match followed {
        Ok(Followed::Data(telegrams)) => telegrams.iter().map(|t| t.raw.clone()).collect(),
        other => panic!("not data: {other:?}"),
    }
}

fn granted() -> (Provider, Meter, Homes) {
    let mut provider = Provider::new('W');
    provider.issue(nonce('Q'), None);
    let mut meter = Meter::new();
    let mut homes = Homes::default();
    let keys = meter.grant(&provider.authorized("policy-1", &nonce('Q')));
    assert_eq!(
        provider.receive(&mut homes, &keys),
        Received::Opened(policy_id("policy-1"))
    );
    (provider, meter, homes)
}

#[test]
fn keys_sealed_for_wattt_open_a_connection_at_the_sealed_root() {
    let mut provider = Provider::new('W');
    provider.issue(nonce('Q'), None);
    let mut meter = Meter::new();
    let root = meter.root();
    let mut homes = Homes::default();
    let keys = meter.grant(&provider.authorized("policy-1", &nonce('Q')));
    provider.receive(&mut homes, &keys);
    let home = homes.get(&policy_id("policy-1")).expect("home");
    assert_eq!(home.next_root(), &root);
    assert_eq!(home.side_key(), meter.side_key());
    assert_eq!(home.request_nonce(), &nonce('Q'));
    assert!(home.is_reading());
    assert_eq!(homes.refused().total(), 0);
}

#[test]
fn a_home_that_keeps_its_consent_is_followed_across_rotations() {
    let (provider, mut meter, mut homes) = granted();
    let staying = provider.authorized("policy-1", &nonce('Q'));
    let first = meter.data(1);
    let mut read_raws = raws(&read(&provider, &mut homes, "policy-1", &first));
    for n in 2..4 {
        let rotation = meter.rotate(std::slice::from_ref(&staying));
        assert_eq!(
            read(&provider, &mut homes, "policy-1", &rotation),
            Ok(Followed::KeyRotated)
        );
        let after = meter.data(n);
        read_raws.extend(raws(&read(&provider, &mut homes, "policy-1", &after)));
    }
    let home = homes.get(&policy_id("policy-1")).expect("home");
    assert_eq!(home.side_key(), meter.side_key(), "holds the newest key");
    assert_eq!(read_raws, ["/TEST1", "/TEST2", "/TEST3"]);
    assert_eq!(home.last_telegram(), Some(at(NOW + 3)));
    assert_eq!(home.counts().telegrams, 3);
    assert_eq!(home.counts().rotations, 2);
    assert_eq!(home.counts().messages, 5);
    assert!(home.is_reading());
}

#[test]
fn a_revoked_home_ends_with_the_time_and_nothing_more_is_read() {
    let (provider, mut meter, mut homes) = granted();
    let first = meter.data(1);
    read(&provider, &mut homes, "policy-1", &first).expect("data");
    // Another provider stays; Wattt is left out.
    let other = Provider::new('B').authorized("policy-b", &nonce('Q'));
    let rotation = meter.rotate(&[other]);
    let closed = Closed {
        reason: CloseReason::LeftOut,
        at: at(rotation.attached_at as u64),
        last_telegram: Some(at(NOW + 1)),
    };
    assert_eq!(
        read(&provider, &mut homes, "policy-1", &rotation),
        Ok(Followed::Closed(closed))
    );
    let home = homes.get(&policy_id("policy-1")).expect("home");
    assert_eq!(home.closed(), Some(&closed));
    assert!(!home.is_reading());
    let after = meter.data(2);
    assert!(
        after.read_with(home.side_key()).is_none(),
        "the last key opens nothing after the revocation"
    );
    // Even handed a message, an ended home takes nothing.
    let fetched = after.read_with(meter.side_key()).expect("opens");
    assert_eq!(
        homes.follow(&provider.me.keys, &policy_id("policy-1"), &fetched, at(NOW)),
        Err(FollowError::Closed(closed))
    );
    assert_eq!(
        homes
            .get(&policy_id("policy-1"))
            .expect("home")
            .counts()
            .telegrams,
        1
    );
}

#[test]
fn a_home_that_grants_again_gets_a_new_connection_and_the_old_one_stays_ended() {
    let (mut provider, mut meter, mut homes) = granted();
    let revoked = meter.rotate(&[]);
    read(&provider, &mut homes, "policy-1", &revoked).expect("ended");
    // The owner answers a new request under a new policy.
    provider.issue(nonce('R'), None);
    let keys = meter.grant(&provider.authorized("policy-2", &nonce('R')));
    assert_eq!(
        provider.receive(&mut homes, &keys),
        Received::Opened(policy_id("policy-2"))
    );
    let data = meter.data(7);
    assert_eq!(
        raws(&read(&provider, &mut homes, "policy-2", &data)).len(),
        1
    );
    let ids: Vec<&str> = homes
        .list()
        .iter()
        .map(|h| h.policy_id().as_str())
        .collect();
    assert_eq!(ids, ["policy-1", "policy-2"]);
    assert!(!homes.list()[0].is_reading());
    assert!(homes.list()[1].is_reading());
    assert_eq!(homes.expire(at(NOW)), vec![policy_id("policy-2")]);
}

#[test]
fn a_consent_past_its_expiry_shows_as_ended_at_that_time() {
    let mut provider = Provider::new('W');
    provider.issue(nonce('Q'), Some(at(NOW + 60_000)));
    let mut meter = Meter::new();
    let mut homes = Homes::default();
    let keys = meter.grant(&provider.authorized("policy-1", &nonce('Q')));
    provider.receive(&mut homes, &keys);
    let data = meter.data(1);
    read(&provider, &mut homes, "policy-1", &data).expect("read before expiry");
    assert_eq!(homes.expire(at(NOW + 59_999)), vec![policy_id("policy-1")]);
    let closed = Closed {
        reason: CloseReason::Expired,
        at: at(NOW + 60_000),
        last_telegram: Some(at(NOW + 1)),
    };
    // The next message, read once the consent ran out, is not taken.
    let later = meter.data(2).read_with(meter.side_key()).expect("opens");
    assert_eq!(
        homes.follow(
            &provider.me.keys,
            &policy_id("policy-1"),
            &later,
            at(NOW + 60_000)
        ),
        Err(FollowError::Closed(closed))
    );
    let home = homes.get(&policy_id("policy-1")).expect("home");
    assert_eq!(home.closed(), Some(&closed));
    assert_eq!(home.counts().telegrams, 1);
    assert!(homes.expire(at(NOW + 60_000)).is_empty());
}

#[test]
fn hostile_transfers_at_the_address_are_refused_and_counted() {
    let (mut provider, mut meter, mut homes) = granted();
    let stranger = Provider::new('S');
    let cases = [
        (
            meter.grant(&stranger.authorized("policy-s", &nonce('Q'))),
            Refusal::NotOurs,
        ),
        (
            forged_keys(&provider.me.keys, "policy-x", "policy-x", &nonce('Z')),
            Refusal::UnknownRequestNonce,
        ),
        (
            forged_keys(&provider.me.keys, "policy-y", "policy-1", &nonce('Q')),
            Refusal::PolicyMismatch,
        ),
        (Trytes::from_bytes(b"not json at all"), Refusal::Undecodable),
        (
            "9".repeat(2187).parse().expect("trytes"),
            Refusal::Undecodable,
        ),
        (
            encode_transfer(&TransferMessage::Challenge {
                sender: nonce('A'),
                challenge: nonce('C'),
                proof: nonce('P'),
            }),
            Refusal::NotMamData,
        ),
        (
            meter.grant(&provider.authorized("policy-1", &nonce('Q'))),
            Refusal::Duplicate,
        ),
    ];
    for (message, refusal) in &cases {
        assert_eq!(
            provider.receive(&mut homes, message),
            Received::Refused(*refusal),
            "{refusal:?}"
        );
    }
    for (_, refusal) in &cases {
        let expected = cases.iter().filter(|(_, r)| r == refusal).count();
        assert_eq!(homes.refused().count(*refusal), expected, "{refusal:?}");
    }
    assert_eq!(homes.refused().total(), cases.len());
    assert_eq!(homes.list().len(), 1, "only the real grant opened");
}

#[test]
fn a_forged_rotation_entry_is_handled_without_a_crash() {
    let (provider, mut meter, mut homes) = granted();
    // An entry sealed to Wattt whose side key is not the channel's next.
    let forged = decoy_rotation(&provider.me.address, &provider.me.keys);
    let rotation = meter.rotate_with(&forged);
    assert_eq!(
        read(&provider, &mut homes, "policy-1", &rotation),
        Ok(Followed::KeyRotated)
    );
    let next = meter.data(1);
    let home = homes.get(&policy_id("policy-1")).expect("home");
    assert!(
        next.read_with(home.side_key()).is_none(),
        "the decoy key opens nothing: reading stands at this root"
    );
    assert_eq!(home.next_root(), &next.root);

    // An entry at Wattt's address that does not open: the consent ends.
    let (provider, mut meter, mut homes) = granted();
    let other = Provider::new('B');
    let unreadable = decoy_rotation(&provider.me.address, &other.me.keys);
    let rotation = meter.rotate_with(&unreadable);
    let Ok(Followed::Closed(closed)) = read(&provider, &mut homes, "policy-1", &rotation) else {
        panic!("an unreadable entry did not end the consent");
    };
    assert_eq!(closed.reason, CloseReason::KeyUnreadable);
}

#[test]
fn a_channel_message_that_is_no_device_message_is_skipped_and_reading_goes_on() {
    let (provider, mut meter, mut homes) = granted();
    let odd = meter.publish_trytes(&Trytes::from_bytes(b"{\"type\":\"HELLO\"}"));
    assert_eq!(
        read(&provider, &mut homes, "policy-1", &odd),
        Ok(Followed::Skipped)
    );
    let data = meter.data(1);
    assert_eq!(
        raws(&read(&provider, &mut homes, "policy-1", &data)).len(),
        1
    );
    assert_eq!(
        homes
            .get(&policy_id("policy-1"))
            .expect("home")
            .counts()
            .skipped,
        1
    );
}

#[test]
fn only_the_next_message_of_a_known_home_is_followed() {
    let (provider, mut meter, mut homes) = granted();
    let first = meter.data(1);
    let second = meter.data(2);
    let ahead = second.read_with(meter.side_key()).expect("opens");
    assert!(matches!(
        homes.follow(&provider.me.keys, &policy_id("policy-1"), &ahead, at(NOW)),
        Err(FollowError::OutOfOrder { .. })
    ));
    assert_eq!(
        homes.follow(&provider.me.keys, &policy_id("nobody"), &ahead, at(NOW)),
        Err(FollowError::UnknownPolicy(policy_id("nobody")))
    );
    read(&provider, &mut homes, "policy-1", &first).expect("in order");
    read(&provider, &mut homes, "policy-1", &second).expect("in order");
}

#[test]
fn a_second_message_under_a_root_already_followed_is_not_taken() {
    let (provider, mut meter, mut homes) = granted();
    let [one, other] = meter.device.fork(
        &device::data("/ONE", at(NOW + 1)),
        &device::data("/OTHER", at(NOW + 2)),
    );
    let (one, other) = (meter.lay(one), meter.lay(other));
    assert_eq!(one.root, other.root, "both sit under one root");
    assert_eq!(
        raws(&read(&provider, &mut homes, "policy-1", &one)),
        ["/ONE"]
    );
    let late = other.read_with(meter.side_key()).expect("it verifies too");
    assert!(matches!(
        homes.follow(&provider.me.keys, &policy_id("policy-1"), &late, at(NOW)),
        Err(FollowError::OutOfOrder { .. })
    ));
    let home = homes.get(&policy_id("policy-1")).expect("home");
    assert_eq!(home.counts().telegrams, 1);
}

#[test]
fn the_cache_keeps_where_each_home_stands_so_a_reload_reads_on() {
    let (mut provider, mut meter, mut homes) = granted();
    let staying = provider.authorized("policy-1", &nonce('Q'));
    read(&provider, &mut homes, "policy-1", &meter.data(1)).expect("data");
    read(&provider, &mut homes, "policy-1", &meter.rotate(&[staying])).expect("rotated");
    provider.receive(&mut homes, &Trytes::from_bytes(b"junk"));
    let cached = serde_json::to_string(&homes).expect("cached");
    let requests = serde_json::to_string(&provider.requests).expect("cached");

    let mut restored: Homes = serde_json::from_str(&cached).expect("restored");
    provider.requests = serde_json::from_str(&requests).expect("restored");
    assert_eq!(restored, homes);
    assert_eq!(provider.requests.nonces(&provider.me)[0], nonce('Q'));
    assert_eq!(
        raws(&read(&provider, &mut restored, "policy-1", &meter.data(2))).len(),
        1,
        "reads on under the rotated key from the cached root"
    );
    assert_eq!(restored.refused().count(Refusal::Undecodable), 1);
}

#[test]
fn a_request_nonce_is_issued_once() {
    let mut provider = Provider::new('W');
    provider.issue(nonce('Q'), None);
    assert!(!provider.requests.add(IssuedRequest {
        index: None,
        nonce: nonce('Q'),
        goal: "again".into(),
        created_at: at(NOW),
        expires_at: None,
    }));
    assert_eq!(provider.requests.list().len(), 1);
    assert_eq!(
        provider.requests.find(&nonce('Q')).map(|r| r.goal.as_str()),
        Some("energy insights")
    );
}

#[test]
fn keys_for_a_request_made_before_the_storage_was_lost_are_recognised_from_the_seed() {
    let mut provider = Provider::new('W');
    for goal in ["first", "second", "third"] {
        provider
            .requests
            .issue(&provider.me, goal.into(), at(NOW), None);
    }
    let third = provider.requests.by_index(2).expect("issued").nonce.clone();
    assert_eq!(third, provider.me.request_nonce(2));
    let mut meter = Meter::new();
    let keys = meter.grant(&provider.authorized("policy-3", &third));

    // A browser with the same seed and nothing in storage.
    provider.requests = IssuedRequests::default();
    let mut homes = Homes::default();
    assert_eq!(
        provider.receive(&mut homes, &keys),
        Received::Opened(policy_id("policy-3"))
    );
    let recovered = provider.requests.by_index(2).expect("kept again");
    assert_eq!(recovered.nonce, third);
    assert_eq!(recovered.goal, "", "the goal was only in the lost storage");
    // The next request gets a number past the recovered one.
    let next = provider
        .requests
        .issue(&provider.me, "fourth".into(), at(NOW), None);
    assert_eq!(next.index, Some(3));
    assert_ne!(next.nonce, third);
}

#[test]
fn keys_for_a_request_number_far_beyond_any_issued_are_refused() {
    let mut provider = Provider::new('W');
    let far = provider.me.request_nonce(super::requests::LOOKAHEAD + 5);
    let mut meter = Meter::new();
    let keys = meter.grant(&provider.authorized("policy-far", &far));
    let mut homes = Homes::default();
    assert_eq!(
        provider.receive(&mut homes, &keys),
        Received::Refused(Refusal::UnknownRequestNonce)
    );
    assert!(provider.requests.list().is_empty());
}

#[test]
fn the_provider_identity_is_the_address_the_identity_page_shows() {
    use browser_app::identity::state::{Identity, SeedOrigin};
    let seed = Seed::random();
    let me = ProviderIdentity::from_seed(&seed);
    let page = Identity::from_seed(seed.clone(), SeedOrigin::Generated);
    assert_eq!(&me.address, page.address());
    assert_eq!(
        me.keys.public_key(),
        ProviderKeyPair::from_seed(&seed).public_key()
    );
    let debug = format!("{me:?}");
    assert!(debug.contains(me.address.as_trytes().as_str()));
    assert!(!debug.contains(seed.as_trytes().as_str()));
}
