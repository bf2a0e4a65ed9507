//! The device's rules, scenario by scenario.

use std::time::Duration;

use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use super::*;
use crate::test_support::{added, at, deleted, hash, policy, provider_keys};
use crate::{
    encode, signed_challenge, ClaimStatus, ConsentEvent, DeviceMessage, KeyBundle, PairingSecret,
    RotatedKey, TransferMessage,
};

const NOW: u64 = 1_700_000_000_000;

fn secret() -> PairingSecret {
    "SECRETSECRETSECRETSECRET999".parse().expect("secret")
}

/// A device at `D…`, its state as the pairing rules see it.
struct PairingDevice {
    address: Hash81,
    secret: PairingSecret,
    owner: Option<Owner>,
    open: Vec<OpenChallenge>,
    this_hour: usize,
}

impl PairingDevice {
    fn new() -> PairingDevice {
        PairingDevice {
            address: hash('D'),
            secret: secret(),
            owner: None,
            open: Vec::new(),
            this_hour: 0,
        }
    }

    fn decide(&self, message: &TransferMessage, now: UnixMillis) -> ClaimDecision {
        let facts = PairingFacts {
            device: &self.address,
            secret: &self.secret,
            owner: self.owner.as_ref(),
            open_challenges: &self.open,
            challenges_this_hour: self.this_hour,
        };
        on_transfer(&facts, message, now)
    }

    /// Claims as `claimant` and keeps the challenge the device hands out.
    fn challenge(&mut self, claimant: &Hash81, now: UnixMillis) -> Hash81 {
        let decision = self.decide(
            &TransferMessage::ClaimDevice {
                sender: claimant.clone(),
            },
            now,
        );
        let ClaimDecision::Challenge { challenge, .. } = decision else {
            panic!("no challenge: {decision:?}");
        };
        self.open.push(OpenChallenge {
            challenge: challenge.clone(),
            issued_at: now,
        });
        self.this_hour += 1;
        challenge
    }
}

fn answer(claimant: &Hash81, root: &Hash81, signed: Hash81) -> TransferMessage {
    TransferMessage::AnswerChallenge {
        sender: claimant.clone(),
        root: root.clone(),
        signed_challenge: signed,
    }
}

#[test]
fn a_claim_gets_a_challenge_addressed_to_the_claimant() {
    let device = PairingDevice::new();
    let claim = TransferMessage::ClaimDevice { sender: hash('H') };
    assert_eq!(claimant(&claim), Some(&hash('H')));
    let ClaimDecision::Challenge {
        claimant,
        challenge,
        reply,
    } = device.decide(&claim, at(NOW))
    else {
        panic!("no challenge");
    };
    assert_eq!(claimant, hash('H'));
    assert_eq!(reply.to, hash('H'));
    assert_eq!(
        reply.message,
        TransferMessage::Challenge {
            sender: hash('D'),
            challenge: challenge.clone(),
        }
    );
    let again = device.decide(&claim, at(NOW));
    let ClaimDecision::Challenge {
        challenge: other, ..
    } = again
    else {
        panic!("no challenge");
    };
    assert_ne!(challenge, other, "challenges are random");
}

#[test]
fn a_claimant_with_an_open_challenge_gets_no_second_one() {
    let mut device = PairingDevice::new();
    device.challenge(&hash('H'), at(NOW));
    let claim = TransferMessage::ClaimDevice { sender: hash('H') };
    assert_eq!(
        device.decide(&claim, at(NOW + 1_000)),
        ClaimDecision::AlreadyChallenged
    );
}

#[test]
fn claims_beyond_thirty_an_hour_are_rate_limited() {
    let mut device = PairingDevice::new();
    device.this_hour = MAX_CHALLENGES_PER_HOUR;
    let claim = TransferMessage::ClaimDevice { sender: hash('H') };
    let decision = device.decide(&claim, at(NOW));
    assert_eq!(decision, ClaimDecision::RateLimited);
    assert_eq!(decision.label(), "rate-limited");
    assert_eq!(
        rate_window_start(at(NOW)),
        at(NOW).saturating_sub(Duration::from_secs(3600))
    );
}

#[test]
fn the_right_answer_pairs_and_uses_up_the_claimants_challenges() {
    let mut device = PairingDevice::new();
    let challenge = device.challenge(&hash('H'), at(NOW));
    let signed = signed_challenge(&challenge, &hash('R'), &secret());
    let decision = device.decide(&answer(&hash('H'), &hash('R'), signed), at(NOW + 5_000));
    let ClaimDecision::Paired {
        used,
        reply,
        owner,
        new_owner,
    } = &decision
    else {
        panic!("not paired: {decision:?}");
    };
    assert_eq!(used, &vec![challenge]);
    assert_eq!(reply.to, hash('H'));
    assert!(matches!(
        &reply.message,
        TransferMessage::ClaimResult { status: ClaimStatus::Ok, sender: Some(s), .. } if s == &hash('D')
    ));
    assert_eq!(
        owner,
        &Owner {
            address: hash('H'),
            root: hash('R'),
        }
    );
    assert!(new_owner);
    assert_eq!(
        decision.reset(),
        Some(Reset {
            device_active: true
        }),
        "a new owner starts with no providers and a fresh key"
    );
}

#[test]
fn a_wrong_answer_is_refused_with_nok_and_uses_up_the_challenges() {
    let mut device = PairingDevice::new();
    let challenge = device.challenge(&hash('H'), at(NOW));
    let wrong: PairingSecret = "WRONGSECRETWRONGSECRET99999".parse().expect("secret");
    let signed = signed_challenge(&challenge, &hash('R'), &wrong);
    let decision = device.decide(&answer(&hash('H'), &hash('R'), signed), at(NOW));
    let ClaimDecision::Refused { used, reply } = &decision else {
        panic!("not refused: {decision:?}");
    };
    assert_eq!(used, &vec![challenge]);
    assert_eq!(
        reply.message,
        TransferMessage::ClaimResult {
            status: ClaimStatus::Nok,
            reason: WRONG_ANSWER_REASON.into(),
            sender: Some(hash('D')),
        }
    );
    assert_eq!(decision.reset(), None);
}

#[test]
fn an_answer_moved_to_another_root_is_refused() {
    let mut device = PairingDevice::new();
    let challenge = device.challenge(&hash('H'), at(NOW));
    let signed = signed_challenge(&challenge, &hash('R'), &secret());
    assert!(matches!(
        device.decide(&answer(&hash('H'), &hash('X'), signed), at(NOW)),
        ClaimDecision::Refused { .. }
    ));
}

#[test]
fn an_answer_from_someone_never_challenged_is_unsolicited() {
    let mut device = PairingDevice::new();
    let challenge = device.challenge(&hash('H'), at(NOW));
    let signed = signed_challenge(&challenge, &hash('R'), &secret());
    // Another claimant's facts hold none of H's challenges.
    device.open.clear();
    assert_eq!(
        device.decide(&answer(&hash('E'), &hash('R'), signed), at(NOW)),
        ClaimDecision::Unsolicited
    );
}

#[test]
fn a_challenge_older_than_an_hour_can_no_longer_be_answered() {
    let mut device = PairingDevice::new();
    let challenge = device.challenge(&hash('H'), at(NOW));
    let later = at(NOW).saturating_add(CHALLENGE_TTL + Duration::from_millis(1));
    assert!(answerable_since(later) > at(NOW));
    let signed = signed_challenge(&challenge, &hash('R'), &secret());
    assert_eq!(
        device.decide(&answer(&hash('H'), &hash('R'), signed), later),
        ClaimDecision::Unsolicited
    );
    assert!(matches!(
        device.decide(&TransferMessage::ClaimDevice { sender: hash('H') }, later),
        ClaimDecision::Challenge { .. }
    ));
}

#[test]
fn the_same_owner_pairing_again_keeps_its_place_and_resets_nothing() {
    let mut device = PairingDevice::new();
    device.owner = Some(Owner {
        address: hash('H'),
        root: hash('R'),
    });
    let challenge = device.challenge(&hash('H'), at(NOW));
    let signed = signed_challenge(&challenge, &hash('R'), &secret());
    let decision = device.decide(&answer(&hash('H'), &hash('R'), signed), at(NOW));
    assert!(matches!(
        decision,
        ClaimDecision::Paired {
            new_owner: false,
            ..
        }
    ));
    assert_eq!(decision.reset(), None);
}

#[test]
fn an_owner_with_another_channel_is_a_new_owner() {
    let mut device = PairingDevice::new();
    device.owner = Some(Owner {
        address: hash('H'),
        root: hash('R'),
    });
    let challenge = device.challenge(&hash('H'), at(NOW));
    let signed = signed_challenge(&challenge, &hash('S'), &secret());
    assert!(matches!(
        device.decide(&answer(&hash('H'), &hash('S'), signed), at(NOW)),
        ClaimDecision::Paired {
            new_owner: true,
            ..
        }
    ));
}

#[test]
fn messages_meant_for_others_are_not_for_the_device() {
    let device = PairingDevice::new();
    let result = TransferMessage::ClaimResult {
        status: ClaimStatus::Ok,
        reason: "not for a device".into(),
        sender: None,
    };
    assert_eq!(claimant(&result), None);
    assert_eq!(device.decide(&result, at(NOW)), ClaimDecision::NotForDevice);
}

// ---------------------------------------------------------------- events

fn device() -> Hash81 {
    hash('D')
}

fn authorized(id: &str, provider: char) -> ConsentEvent {
    ConsentEvent::Authorized {
        policy: policy(id, &device(), &hash(provider), &provider_keys(provider)),
    }
}

fn revoked(id: &str, provider: char) -> ConsentEvent {
    ConsentEvent::AuthorizationRevoked {
        policy: policy(id, &device(), &hash(provider), &provider_keys(provider)),
    }
}

/// Decides `event` and applies it, as the device's store would.
fn step(state: &mut DeviceConsent, event: &ConsentEvent, now: u64) -> EventDecision {
    let decision = state.decide(&device(), event, at(now));
    state.apply(&decision);
    decision
}

fn held(state: &DeviceConsent) -> Vec<&str> {
    state
        .providers
        .iter()
        .map(|p| p.policy_id.as_str())
        .collect()
}

#[test]
fn event_about_another_device_is_ignored() {
    let mut state = DeviceConsent::default();
    let other = hash('O');
    let keys = provider_keys('P');
    for event in [
        ConsentEvent::Authorized {
            policy: policy("other", &other, &hash('P'), &keys),
        },
        deleted(&other),
        added(&other),
    ] {
        let decision = step(&mut state, &event, NOW);
        assert_eq!(decision, EventDecision::Ignore(IgnoredEvent::AnotherDevice));
    }
    assert!(IgnoredEvent::AnotherDevice.is_counted());
    assert_eq!(state, DeviceConsent::default());
}

#[test]
fn an_authorization_serves_the_provider_from_now_on() {
    let mut state = DeviceConsent::default();
    let decision = step(&mut state, &authorized("policy-a", 'A'), NOW);
    let EventDecision::Authorize(provider) = &decision else {
        panic!("not authorized: {decision:?}");
    };
    assert_eq!(provider.policy_id.as_str(), "policy-a");
    assert_eq!(provider.address, hash('A'));
    assert_eq!(provider.authorized_at, at(NOW));
    assert_eq!(held(&state), ["policy-a"]);
}

#[test]
fn a_repeated_authorization_changes_nothing_and_is_not_counted() {
    let mut state = DeviceConsent::default();
    step(&mut state, &authorized("policy-a", 'A'), NOW);
    let decision = step(&mut state, &authorized("policy-a", 'A'), NOW + 1);
    assert_eq!(
        decision,
        EventDecision::Ignore(IgnoredEvent::AlreadyApplied)
    );
    assert!(!IgnoredEvent::AlreadyApplied.is_counted());
    assert_eq!(held(&state), ["policy-a"]);
}

#[test]
fn an_authorization_that_has_already_expired_is_ignored() {
    let mut state = DeviceConsent::default();
    let mut event = authorized("policy-a", 'A');
    if let ConsentEvent::Authorized { policy } = &mut event {
        policy.expires_at = Some(at(NOW));
    }
    assert_eq!(
        step(&mut state, &event, NOW),
        EventDecision::Ignore(IgnoredEvent::AlreadyExpired)
    );
    assert!(state.providers.is_empty());
}

#[test]
fn revoking_drops_the_provider_and_rotates_for_the_others() {
    let mut state = DeviceConsent::default();
    step(&mut state, &authorized("policy-a", 'A'), NOW);
    step(&mut state, &authorized("policy-b", 'B'), NOW + 1);
    let decision = step(&mut state, &revoked("policy-a", 'A'), NOW + 2);
    let EventDecision::Revoke { policy_id, staying } = &decision else {
        panic!("not revoked: {decision:?}");
    };
    assert_eq!(policy_id.as_str(), "policy-a");
    assert_eq!(staying.len(), 1);
    assert_eq!(staying[0].policy_id.as_str(), "policy-b");
    assert_eq!(held(&state), ["policy-b"]);
}

#[test]
fn revoking_a_policy_the_device_does_not_hold_is_ignored_quietly() {
    let mut state = DeviceConsent::default();
    assert_eq!(
        step(&mut state, &revoked("policy-x", 'A'), NOW),
        EventDecision::Ignore(IgnoredEvent::NotHeld)
    );
    assert!(!IgnoredEvent::NotHeld.is_counted());
}

#[test]
fn a_deleted_device_shares_with_nobody_until_it_is_added_again() {
    let mut state = DeviceConsent::default();
    step(&mut state, &authorized("policy-a", 'A'), NOW);
    assert_eq!(
        step(&mut state, &deleted(&device()), NOW + 1),
        EventDecision::Reset(Reset {
            device_active: false
        })
    );
    assert!(state.providers.is_empty() && !state.active);
    assert_eq!(
        step(&mut state, &authorized("policy-b", 'B'), NOW + 2),
        EventDecision::Ignore(IgnoredEvent::DeviceDeleted)
    );
    assert_eq!(
        step(&mut state, &added(&device()), NOW + 3),
        EventDecision::Reset(Reset {
            device_active: true
        })
    );
    assert!(matches!(
        step(&mut state, &authorized("policy-b", 'B'), NOW + 4),
        EventDecision::Authorize(_)
    ));
}

#[test]
fn device_added_drops_every_provider() {
    let mut state = DeviceConsent::default();
    step(&mut state, &authorized("policy-a", 'A'), NOW);
    step(&mut state, &added(&device()), NOW + 1);
    assert!(state.providers.is_empty() && state.active);
}

#[test]
fn a_consent_ends_by_itself_when_it_expires() {
    let mut state = DeviceConsent::default();
    let mut short = authorized("short", 'A');
    if let ConsentEvent::Authorized { policy } = &mut short {
        policy.expires_at = Some(at(NOW + 8_000));
    }
    step(&mut state, &short, NOW);
    step(&mut state, &authorized("open-ended", 'B'), NOW);
    assert_eq!(state.expiry(at(NOW + 7_999)), None);
    let expiry = state.expiry(at(NOW + 8_000)).expect("expired");
    assert_eq!(
        expiry
            .expired
            .iter()
            .map(|id| id.as_str())
            .collect::<Vec<_>>(),
        ["short"]
    );
    assert_eq!(expiry.staying.len(), 1);
    state.apply_expiry(&expiry);
    assert_eq!(held(&state), ["open-ended"]);
}

#[test]
fn a_message_on_the_owners_channel_that_is_no_event_is_ignored() {
    let state = DeviceConsent::default();
    let junk = encode(&serde_json::json!({"type": "SELF_DESTRUCT"}));
    assert_eq!(
        state.decide_encoded(&device(), &junk, at(NOW)),
        EventDecision::Ignore(IgnoredEvent::Unreadable)
    );
    assert!(matches!(
        state.decide_encoded(&device(), &encode(&authorized("policy-a", 'A')), at(NOW)),
        EventDecision::Authorize(_)
    ));
}

// ---------------------------------------------------------------- effects

#[test]
fn a_grant_seals_the_next_root_and_side_key_to_the_provider_only() {
    let keys = provider_keys('A');
    let provider =
        AuthorizedProvider::from_policy(&policy("policy-a", &device(), &hash('A'), &keys), at(NOW));
    let bundle = KeyBundle {
        root: hash('N'),
        side_key: "SIDEKEY".parse().expect("side key"),
    };
    let outgoing = grant(&provider, &bundle, &hash('R')).expect("sealed");
    assert_eq!(outgoing.to, hash('A'));
    let TransferMessage::MamData {
        root,
        policy_id,
        mam_data,
    } = &outgoing.message
    else {
        panic!("not MAM_DATA");
    };
    assert_eq!(root, &hash('R'), "v1 names the owner's channel root");
    assert_eq!(policy_id.as_str(), "policy-a");
    let opened: KeyBundle =
        serde_json::from_slice(&keys.open(mam_data).expect("opens")).expect("key bundle");
    assert_eq!(opened, bundle);
    assert!(provider_keys('B').open(mam_data).is_err());
}

#[test]
fn a_rotation_hands_the_new_key_to_each_provider_that_stays_once() {
    let (a, b) = (provider_keys('A'), provider_keys('B'));
    let staying = [
        AuthorizedProvider::from_policy(&policy("a1", &device(), &hash('A'), &a), at(NOW)),
        AuthorizedProvider::from_policy(&policy("a2", &device(), &hash('A'), &a), at(NOW)),
        AuthorizedProvider::from_policy(&policy("b", &device(), &hash('B'), &b), at(NOW)),
    ];
    let rotation = Rotation::for_providers(&staying);
    assert_eq!(rotation.handed(), 2, "one entry per provider address");
    let DeviceMessage::KeyRotation { keys } = rotation.message() else {
        panic!("not a rotation");
    };
    for (address, pair) in [(hash('A'), &a), (hash('B'), &b)] {
        let opened: RotatedKey =
            serde_json::from_slice(&pair.open(&keys[&address]).expect("opens")).expect("key");
        assert_eq!(&opened.side_key, rotation.new_key());
    }
    assert!(!format!("{rotation:?}").contains(rotation.new_key().as_trytes().as_str()));
}

#[test]
fn a_reset_rotates_for_nobody() {
    let rotation = Rotation::for_nobody();
    assert_eq!(rotation.handed(), 0);
    assert_eq!(
        rotation.message(),
        &DeviceMessage::KeyRotation {
            keys: Default::default()
        }
    );
}
