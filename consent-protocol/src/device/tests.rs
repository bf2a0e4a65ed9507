//! The device's rules, scenario by scenario.

use std::time::Duration;

use mam_lib::address::Security;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use super::*;
use crate::test_support::{added, at, deleted, hash, policy, provider_keys};
use crate::{
    challenge_proof, claim_proof, claim_result_proof, encode, seal_root, signed_challenge,
    status_trytes, ClaimStatus, ConsentEvent, DeviceMessage, KeyBundle, PairingSecret, RotatedKey,
    TransferMessage,
};

const NOW: u64 = 1_700_000_000_000;

fn secret() -> PairingSecret {
    "SECRETSECRETSECRETSECRET999".parse().expect("secret")
}

fn other_secret() -> PairingSecret {
    "WRONGSECRETWRONGSECRET99999".parse().expect("secret")
}

/// A device at `D…`, its state as the pairing rules see it.
struct PairingDevice {
    address: Hash81,
    secret: PairingSecret,
    owner: Option<Owner>,
    owner_active: bool,
    seen: Vec<Hash81>,
    open: Vec<OpenChallenge>,
    this_hour: usize,
}

impl PairingDevice {
    fn new() -> PairingDevice {
        PairingDevice {
            address: hash('D'),
            secret: secret(),
            owner: None,
            owner_active: true,
            seen: Vec::new(),
            open: Vec::new(),
            this_hour: 0,
        }
    }

    fn decide(&self, message: &TransferMessage, now: UnixMillis) -> ClaimDecision {
        let facts = PairingFacts {
            device: &self.address,
            secret: &self.secret,
            owner: self.owner.as_ref(),
            owner_active: self.owner_active,
            nonce_seen: claim_nonce(message).is_some_and(|n| self.seen.contains(n)),
            open_challenges: &self.open,
            challenges_this_hour: self.this_hour,
        };
        on_transfer(&facts, message, now).expect("the test machine has a CSPRNG")
    }

    /// Claims as `claimant` and keeps the challenge the device hands out.
    fn challenge(&mut self, claimant: &Hash81, now: UnixMillis) -> Hash81 {
        let decision = self.decide(&claim(claimant, &Hash81::random(), &secret()), now);
        let ClaimDecision::Challenge {
            challenge, nonce, ..
        } = decision
        else {
            panic!("no challenge: {decision:?}");
        };
        self.seen.push(nonce);
        self.open.push(OpenChallenge {
            challenge: challenge.clone(),
            issued_at: now,
        });
        self.this_hour += 1;
        challenge
    }
}

/// A v2 claim from `claimant` proving `secret`.
fn claim(claimant: &Hash81, nonce: &Hash81, secret: &PairingSecret) -> TransferMessage {
    TransferMessage::ClaimDevice {
        sender: claimant.clone(),
        nonce: nonce.clone(),
        proof: claim_proof(claimant, nonce, secret),
    }
}

/// A v2 answer to `challenge` from `claimant` with `root`, under `secret`.
fn answer(
    claimant: &Hash81,
    challenge: &Hash81,
    root: &Hash81,
    secret: &PairingSecret,
) -> TransferMessage {
    TransferMessage::AnswerChallenge {
        sender: claimant.clone(),
        signed_challenge: signed_challenge(challenge, root, secret),
        sealed_root: seal_root(root, challenge, secret, claimant),
    }
}

#[test]
fn a_claim_with_a_valid_proof_gets_a_challenge_addressed_to_the_claimant() {
    let device = PairingDevice::new();
    let nonce = hash('N');
    let message = claim(&hash('H'), &nonce, &secret());
    assert_eq!(claimant(&message), Some(&hash('H')));
    assert_eq!(claim_nonce(&message), Some(&nonce));
    let decision = device.decide(&message, at(NOW));
    assert_eq!(decision.seen_nonce(), Some(&nonce));
    let ClaimDecision::Challenge {
        claimant,
        challenge,
        reply,
        ..
    } = decision
    else {
        panic!("no challenge");
    };
    assert_eq!(claimant, hash('H'));
    assert_eq!(reply.to, hash('H'));
    assert_eq!(
        reply.message,
        TransferMessage::Challenge {
            sender: hash('D'),
            proof: challenge_proof(&nonce, &challenge, &secret()),
            challenge: challenge.clone(),
        }
    );
    let ClaimDecision::Challenge {
        challenge: other, ..
    } = device.decide(&claim(&hash('H'), &hash('M'), &secret()), at(NOW))
    else {
        panic!("no challenge");
    };
    assert_ne!(challenge, other, "challenges are random");
}

#[test]
fn the_devices_public_replies_sent_back_as_claims_get_nothing() {
    // Whoever reads the owner's address sees each challenge and result
    // with its proof. Were a reply proof also a claim proof (same order of
    // parts), each could be sent back as a claim and draw another reply,
    // until the hourly budget was spent. The secret comes first in the
    // device's proofs and last in a claim's, so none verifies.
    let device = PairingDevice::new();
    let nonce = hash('N');
    let ClaimDecision::Challenge {
        challenge, reply, ..
    } = device.decide(&claim(&hash('H'), &nonce, &secret()), at(NOW))
    else {
        panic!("no challenge");
    };
    let TransferMessage::Challenge { proof, .. } = reply.message else {
        panic!("not a challenge: {:?}", reply.message);
    };
    let result_proof = claim_result_proof(&challenge, ClaimStatus::Ok, &secret());
    for (sender, claim_nonce, proof) in [
        (nonce.clone(), challenge.clone(), proof.clone()),
        (challenge.clone(), nonce.clone(), proof),
        (
            challenge.clone(),
            status_trytes(ClaimStatus::Ok),
            result_proof,
        ),
    ] {
        let reflected = TransferMessage::ClaimDevice {
            sender,
            nonce: claim_nonce,
            proof,
        };
        assert_eq!(
            device.decide(&reflected, at(NOW)),
            ClaimDecision::Ignored(ClaimIgnored::BadProof)
        );
    }
}

#[test]
fn a_claim_whose_proof_does_not_verify_costs_no_challenge() {
    let mut device = PairingDevice::new();
    // A stranger: the wrong secret, a proof for another sender, or junk.
    let moved = TransferMessage::ClaimDevice {
        sender: hash('E'),
        nonce: hash('N'),
        proof: claim_proof(&hash('H'), &hash('N'), &secret()),
    };
    for message in [claim(&hash('E'), &hash('N'), &other_secret()), moved] {
        let decision = device.decide(&message, at(NOW));
        assert_eq!(decision, ClaimDecision::Ignored(ClaimIgnored::BadProof));
        assert_eq!(decision.seen_nonce(), None, "nothing is kept");
        assert_eq!(decision.label(), "bad-proof");
    }
    // However many, the owner still gets a challenge: none was spent.
    device.this_hour = MAX_CHALLENGES_PER_HOUR - 1;
    device.challenge(&hash('H'), at(NOW));
}

#[test]
fn a_claim_nonce_is_answered_once() {
    let mut device = PairingDevice::new();
    let message = claim(&hash('H'), &hash('N'), &secret());
    assert!(matches!(
        device.decide(&message, at(NOW)),
        ClaimDecision::Challenge { .. }
    ));
    device.seen.push(hash('N'));
    assert_eq!(
        device.decide(&message, at(NOW)),
        ClaimDecision::Ignored(ClaimIgnored::NonceReused)
    );
}

#[test]
fn a_claimant_with_an_open_challenge_gets_no_second_one() {
    let mut device = PairingDevice::new();
    device.challenge(&hash('H'), at(NOW));
    assert_eq!(
        device.decide(&claim(&hash('H'), &hash('N'), &secret()), at(NOW + 1_000)),
        ClaimDecision::AlreadyChallenged { nonce: hash('N') }
    );
}

#[test]
fn claims_beyond_thirty_an_hour_are_rate_limited() {
    let mut device = PairingDevice::new();
    device.this_hour = MAX_CHALLENGES_PER_HOUR;
    let decision = device.decide(&claim(&hash('H'), &hash('N'), &secret()), at(NOW));
    assert_eq!(decision, ClaimDecision::Ignored(ClaimIgnored::RateLimited));
    assert_eq!(decision.label(), "rate-limited");
    assert_eq!(
        rate_window_start(at(NOW)),
        at(NOW).saturating_sub(Duration::from_secs(3600))
    );
}

#[test]
fn the_right_answer_pairs_opens_the_sealed_root_and_draws_a_new_secret() {
    let mut device = PairingDevice::new();
    let challenge = device.challenge(&hash('H'), at(NOW));
    let message = answer(&hash('H'), &challenge, &hash('R'), &secret());
    let TransferMessage::AnswerChallenge { sealed_root, .. } = &message else {
        panic!("not an answer");
    };
    assert_ne!(sealed_root, &hash('R'), "the root does not travel in clear");
    let decision = device.decide(&message, at(NOW + 5_000));
    let ClaimDecision::Paired {
        used,
        reply,
        owner,
        new_owner,
        new_secret,
    } = &decision
    else {
        panic!("not paired: {decision:?}");
    };
    assert_eq!(used, &vec![challenge.clone()]);
    assert_eq!(reply.to, hash('H'));
    // The result proves the secret the owner proved, not the new one.
    assert!(matches!(
        &reply.message,
        TransferMessage::ClaimResult { status: ClaimStatus::Ok, sender: Some(s), proof, .. }
            if s == &hash('D') && proof == &claim_result_proof(&challenge, ClaimStatus::Ok, &secret())
    ));
    assert_eq!(
        owner,
        &Owner {
            address: hash('H'),
            root: hash('R'),
        }
    );
    assert!(new_owner);
    assert_ne!(new_secret, &secret(), "the proven secret is dead");
    assert_eq!(
        decision.reset(),
        Some(Reset {
            device_active: true,
            pin_security: None,
        }),
        "a new owner starts with no providers and a fresh key"
    );
}

#[test]
fn a_forged_answer_uses_nothing_and_gets_no_reply() {
    let mut device = PairingDevice::new();
    let challenge = device.challenge(&hash('H'), at(NOW));
    // A stranger answers in the owner's name without the secret.
    let forged = answer(&hash('H'), &challenge, &hash('X'), &other_secret());
    assert_eq!(
        device.decide(&forged, at(NOW)),
        ClaimDecision::Ignored(ClaimIgnored::WrongAnswer)
    );
    // The owner's challenge is still open: its own answer pairs.
    let decision = device.decide(
        &answer(&hash('H'), &challenge, &hash('R'), &secret()),
        at(NOW + 1),
    );
    assert!(matches!(decision, ClaimDecision::Paired { .. }));
}

#[test]
fn an_answer_whose_sealed_root_was_changed_does_not_pair() {
    let mut device = PairingDevice::new();
    let challenge = device.challenge(&hash('H'), at(NOW));
    let TransferMessage::AnswerChallenge {
        sender,
        signed_challenge,
        ..
    } = answer(&hash('H'), &challenge, &hash('R'), &secret())
    else {
        panic!("not an answer");
    };
    let moved = TransferMessage::AnswerChallenge {
        sender,
        signed_challenge,
        sealed_root: seal_root(&hash('X'), &challenge, &secret(), &hash('H')),
    };
    assert_eq!(
        device.decide(&moved, at(NOW)),
        ClaimDecision::Ignored(ClaimIgnored::WrongAnswer)
    );
}

#[test]
fn an_answer_from_someone_never_challenged_is_unsolicited() {
    let mut device = PairingDevice::new();
    let challenge = device.challenge(&hash('H'), at(NOW));
    // Another claimant's facts hold none of H's challenges.
    device.open.clear();
    assert_eq!(
        device.decide(
            &answer(&hash('E'), &challenge, &hash('R'), &secret()),
            at(NOW)
        ),
        ClaimDecision::Ignored(ClaimIgnored::Unsolicited)
    );
}

#[test]
fn a_challenge_older_than_an_hour_can_no_longer_be_answered() {
    let mut device = PairingDevice::new();
    let challenge = device.challenge(&hash('H'), at(NOW));
    let later = at(NOW).saturating_add(CHALLENGE_TTL + Duration::from_millis(1));
    assert!(answerable_since(later) > at(NOW));
    assert_eq!(
        device.decide(
            &answer(&hash('H'), &challenge, &hash('R'), &secret()),
            later
        ),
        ClaimDecision::Ignored(ClaimIgnored::Unsolicited)
    );
    assert!(matches!(
        device.decide(&claim(&hash('H'), &hash('N'), &secret()), later),
        ClaimDecision::Challenge { .. }
    ));
}

#[test]
fn a_paired_device_answers_a_proven_claim_already_paired() {
    let mut device = PairingDevice::new();
    device.owner = Some(Owner {
        address: hash('H'),
        root: hash('R'),
    });
    // Even a claim proving the current secret (someone who saw the QR code
    // after pairing) gets no challenge.
    let decision = device.decide(&claim(&hash('E'), &hash('N'), &secret()), at(NOW));
    let ClaimDecision::AlreadyPaired { nonce, reply } = &decision else {
        panic!("not refused: {decision:?}");
    };
    assert_eq!(nonce, &hash('N'));
    assert_eq!(
        reply.message,
        TransferMessage::ClaimResult {
            status: ClaimStatus::Nok,
            reason: ALREADY_PAIRED_REASON.into(),
            sender: Some(hash('D')),
            proof: claim_result_proof(&hash('N'), ClaimStatus::Nok, &secret()),
        }
    );
    // The old secret proves nothing any more.
    device.secret = other_secret();
    assert_eq!(
        device.decide(&claim(&hash('E'), &hash('M'), &secret()), at(NOW)),
        ClaimDecision::Ignored(ClaimIgnored::BadProof)
    );
}

#[test]
fn already_paired_refusals_share_the_hourly_budget() {
    let mut device = PairingDevice::new();
    device.owner = Some(Owner {
        address: hash('H'),
        root: hash('R'),
    });
    device.this_hour = MAX_CHALLENGES_PER_HOUR;
    assert_eq!(
        device.decide(&claim(&hash('E'), &hash('N'), &secret()), at(NOW)),
        ClaimDecision::Ignored(ClaimIgnored::RateLimited)
    );
}

#[test]
fn a_right_answer_after_another_claimant_paired_is_refused() {
    let mut device = PairingDevice::new();
    let challenge = device.challenge(&hash('E'), at(NOW));
    device.owner = Some(Owner {
        address: hash('H'),
        root: hash('R'),
    });
    let decision = device.decide(
        &answer(&hash('E'), &challenge, &hash('S'), &secret()),
        at(NOW),
    );
    let ClaimDecision::Refused { used, .. } = &decision else {
        panic!("not refused: {decision:?}");
    };
    assert_eq!(used, &vec![challenge]);
    assert_eq!(decision.reset(), None);
}

#[test]
fn a_deleted_device_can_be_claimed_again_by_the_same_owner_in_place() {
    let mut device = PairingDevice::new();
    device.owner = Some(Owner {
        address: hash('H'),
        root: hash('R'),
    });
    device.owner_active = false;
    let challenge = device.challenge(&hash('H'), at(NOW));
    let decision = device.decide(
        &answer(&hash('H'), &challenge, &hash('R'), &secret()),
        at(NOW),
    );
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
fn messages_meant_for_others_are_not_for_the_device() {
    let device = PairingDevice::new();
    let result = TransferMessage::ClaimResult {
        status: ClaimStatus::Ok,
        reason: "not for a device".into(),
        sender: None,
        proof: hash('P'),
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

/// A device whose owner's `DEVICE_ADDED` pinned security 2.
fn pinned() -> DeviceConsent {
    DeviceConsent {
        pinned_security: Some(Security::Medium),
        ..DeviceConsent::default()
    }
}

/// Decides `event` (signed at security 2) and applies it, as the device's
/// store would.
fn step(state: &mut DeviceConsent, event: &ConsentEvent, now: u64) -> EventDecision {
    let decision = state.decide(&device(), event, Security::Medium, at(now));
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
    let mut state = pinned();
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
    assert_eq!(state, pinned());
}

#[test]
fn an_authorization_serves_the_provider_from_now_on() {
    let mut state = pinned();
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
    let mut state = pinned();
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
    let mut state = pinned();
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
    let mut state = pinned();
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
    let mut state = pinned();
    assert_eq!(
        step(&mut state, &revoked("policy-x", 'A'), NOW),
        EventDecision::Ignore(IgnoredEvent::NotHeld)
    );
    assert!(!IgnoredEvent::NotHeld.is_counted());
}

#[test]
fn a_deleted_device_shares_with_nobody_until_it_is_added_again() {
    let mut state = pinned();
    step(&mut state, &authorized("policy-a", 'A'), NOW);
    assert_eq!(
        step(&mut state, &deleted(&device()), NOW + 1),
        EventDecision::Reset(Reset {
            device_active: false,
            pin_security: None,
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
            device_active: true,
            pin_security: Some(Security::Medium),
        })
    );
    assert!(matches!(
        step(&mut state, &authorized("policy-b", 'B'), NOW + 4),
        EventDecision::Authorize(_)
    ));
}

#[test]
fn device_added_drops_every_provider() {
    let mut state = pinned();
    step(&mut state, &authorized("policy-a", 'A'), NOW);
    step(&mut state, &added(&device()), NOW + 1);
    assert!(state.providers.is_empty() && state.active);
}

#[test]
fn a_consent_ends_by_itself_when_it_expires() {
    let mut state = pinned();
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
    let state = pinned();
    let junk = encode(&serde_json::json!({"type": "SELF_DESTRUCT"}));
    assert_eq!(
        state.decide_encoded(&device(), &junk, Security::Medium, at(NOW)),
        EventDecision::Ignore(IgnoredEvent::Unreadable)
    );
    assert!(matches!(
        state.decide_encoded(
            &device(),
            &encode(&authorized("policy-a", 'A')),
            Security::Medium,
            at(NOW)
        ),
        EventDecision::Authorize(_)
    ));
}

// ---------------------------------------------------------------- effects

#[test]
fn the_first_device_added_pins_the_owners_security_level() {
    let mut state = DeviceConsent::default();
    // Before DEVICE_ADDED nothing but DEVICE_ADDED counts.
    assert_eq!(
        state.decide(
            &device(),
            &authorized("policy-a", 'A'),
            Security::High,
            at(NOW)
        ),
        EventDecision::Ignore(IgnoredEvent::NotPinned)
    );
    let decision = state.decide(&device(), &added(&device()), Security::High, at(NOW));
    state.apply(&decision);
    assert_eq!(state.pinned_security, Some(Security::High));
    // An event signed at another level (a forger's channel at a weaker
    // level) is ignored; the pinned level is taken.
    assert_eq!(
        state.decide(
            &device(),
            &authorized("policy-a", 'A'),
            Security::Medium,
            at(NOW)
        ),
        EventDecision::Ignore(IgnoredEvent::SecurityMismatch)
    );
    assert!(IgnoredEvent::SecurityMismatch.is_counted());
    assert!(matches!(
        state.decide(
            &device(),
            &authorized("policy-a", 'A'),
            Security::High,
            at(NOW)
        ),
        EventDecision::Authorize(_)
    ));
}

#[test]
fn security_one_is_never_taken_on_the_owners_channel() {
    let state = DeviceConsent::default();
    assert_eq!(
        state.decide(&device(), &added(&device()), Security::Low, at(NOW)),
        EventDecision::Ignore(IgnoredEvent::WeakSecurity)
    );
}

#[test]
fn a_grant_seals_the_next_root_side_key_policy_and_nonce_to_the_provider_only() {
    let keys = provider_keys('A');
    let mut granted = policy("policy-a", &device(), &hash('A'), &keys);
    granted.request_nonce = Some(hash('Q'));
    let provider = AuthorizedProvider::from_policy(&granted, at(NOW));
    let side_key: mam_lib::mam::SideKey = "SIDEKEY".parse().expect("side key");
    let outgoing = grant(&provider, &hash('N'), &side_key).expect("sealed");
    assert_eq!(outgoing.to, hash('A'));
    let TransferMessage::MamData {
        policy_id,
        mam_data,
    } = &outgoing.message
    else {
        panic!("not MAM_DATA");
    };
    assert_eq!(policy_id.as_str(), "policy-a");
    assert!(
        !crate::to_ascii_json(&outgoing.message).contains("\"root\""),
        "v2 names no owner root"
    );
    let opened: KeyBundle =
        serde_json::from_slice(&keys.open(mam_data).expect("opens")).expect("key bundle");
    assert_eq!(
        opened,
        KeyBundle {
            root: hash('N'),
            side_key,
            policy_id: policy_id.clone(),
            request_nonce: Some(hash('Q')),
        }
    );
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
