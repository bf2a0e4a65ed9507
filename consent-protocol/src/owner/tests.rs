//! The owner's rules, scenario by scenario; pairing runs against the
//! device's rules, so both sides are held to one handshake.

use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;

use super::*;
use crate::device::{self, ClaimDecision, IgnoredEvent, OpenChallenge, PairingFacts};
use crate::test_support::{added, at, deleted, hash, policy, provider_keys};
use crate::{ClaimStatus, ConsentEvent, Outgoing, PairingSecret, TransferMessage};

const NOW: u64 = 1_700_000_000_000;

fn device_secret() -> PairingSecret {
    "SECRETSECRETSECRETSECRET999".parse().expect("secret")
}

/// The device's side of the handshake, in memory.
struct Device {
    address: Hash81,
    secret: PairingSecret,
    owner: Option<device::Owner>,
    seen: Vec<Hash81>,
    open: Vec<OpenChallenge>,
}

impl Device {
    fn new() -> Device {
        Device {
            address: hash('D'),
            secret: device_secret(),
            owner: None,
            seen: Vec::new(),
            open: Vec::new(),
        }
    }

    fn receive(&mut self, outgoing: &Outgoing) -> ClaimDecision {
        assert_eq!(outgoing.to, self.address);
        let facts = PairingFacts {
            device: &self.address,
            secret: &self.secret,
            owner: self.owner.as_ref(),
            owner_active: true,
            nonce_seen: device::claim_nonce(&outgoing.message)
                .is_some_and(|n| self.seen.contains(n)),
            open_challenges: &self.open,
            challenges_this_hour: self.open.len(),
        };
        let decision = device::on_transfer(&facts, &outgoing.message, at(NOW)).expect("CSPRNG");
        if let Some(nonce) = decision.seen_nonce() {
            self.seen.push(nonce.clone());
        }
        match &decision {
            ClaimDecision::Challenge { challenge, .. } => self.open.push(OpenChallenge {
                challenge: challenge.clone(),
                issued_at: at(NOW),
            }),
            ClaimDecision::Paired {
                owner, new_secret, ..
            } => {
                self.open.clear();
                self.owner = Some(owner.clone());
                self.secret = new_secret.clone();
            }
            ClaimDecision::Refused { .. } => self.open.clear(),
            _ => {}
        }
        decision
    }
}

fn start(secret: PairingSecret) -> (Claim, Outgoing) {
    Claim::start(hash('H'), hash('R'), hash('D'), secret).expect("CSPRNG")
}

fn reply(decision: &ClaimDecision) -> &Outgoing {
    match decision {
        ClaimDecision::Challenge { reply, .. }
        | ClaimDecision::Paired { reply, .. }
        | ClaimDecision::AlreadyPaired { reply, .. }
        | ClaimDecision::Refused { reply, .. } => reply,
        other => panic!("no reply: {other:?}"),
    }
}

/// Runs the handshake of `secret` against the device; the last step.
fn handshake(secret: PairingSecret) -> (Claim, ClaimStep) {
    let mut device = Device::new();
    let (mut claim, claim_device) = start(secret);
    assert_eq!(claim.state(), &ClaimState::AwaitingChallenge);
    let challenge = device.receive(&claim_device);
    let ClaimStep::Answer { answer, .. } = claim.on_message(&reply(&challenge).message) else {
        panic!("no answer to the challenge");
    };
    let result = device.receive(&answer);
    let step = claim.on_message(&reply(&result).message);
    (claim, step)
}

#[test]
fn pairing_with_the_right_secret_ends_paired() {
    let (claim, step) = handshake(device_secret());
    assert_eq!(step, ClaimStep::Paired);
    assert_eq!(claim.state(), &ClaimState::Paired);
}

#[test]
fn a_claim_with_a_wrong_secret_gets_no_challenge() {
    let wrong: PairingSecret = "WRONGSECRETWRONGSECRET99999".parse().expect("secret");
    let (claim, claim_device) = start(wrong);
    assert_eq!(
        Device::new().receive(&claim_device),
        ClaimDecision::Ignored(device::ClaimIgnored::BadProof)
    );
    assert_eq!(claim.state(), &ClaimState::AwaitingChallenge);
}

#[test]
fn the_answer_carries_the_root_sealed_not_in_clear() {
    let mut device = Device::new();
    let (mut claim, claim_device) = start(device_secret());
    let challenge = device.receive(&claim_device);
    let ClaimStep::Answer { answer, .. } = claim.on_message(&reply(&challenge).message) else {
        panic!("no answer");
    };
    assert!(!crate::to_ascii_json(&answer.message).contains(hash('R').as_str()));
    let ClaimDecision::Paired { owner, .. } = device.receive(&answer) else {
        panic!("not paired");
    };
    assert_eq!(owner.root, hash('R'), "the device opens the sealed root");
}

#[test]
fn after_pairing_a_second_claim_with_the_shown_secret_is_refused_already_paired() {
    let mut device = Device::new();
    let (mut claim, claim_device) = start(device_secret());
    let challenge = device.receive(&claim_device);
    let ClaimStep::Answer { answer, .. } = claim.on_message(&reply(&challenge).message) else {
        panic!("no answer");
    };
    device.receive(&answer);
    // A stranger with the secret the owner used: it is dead.
    let (_, old) = Claim::start(hash('E'), hash('S'), hash('D'), device_secret()).expect("CSPRNG");
    assert_eq!(
        device.receive(&old),
        ClaimDecision::Ignored(device::ClaimIgnored::BadProof)
    );
    // A stranger with the new secret: already paired.
    let (mut stranger, new) =
        Claim::start(hash('E'), hash('S'), hash('D'), device.secret.clone()).expect("CSPRNG");
    let refusal = device.receive(&new);
    assert_eq!(
        stranger.on_message(&reply(&refusal).message),
        ClaimStep::Refused {
            reason: device::ALREADY_PAIRED_REASON.to_owned()
        }
    );
    assert_eq!(
        stranger.state(),
        &ClaimState::Refused {
            reason: device::ALREADY_PAIRED_REASON.to_owned()
        }
    );
    assert_eq!(device.owner.map(|o| o.address), Some(hash('H')));
}

#[test]
fn an_ok_before_any_answer_is_ignored_but_a_refused_claim_ends_the_claim() {
    let (mut claim, _) = start(device_secret());
    let result = |status| TransferMessage::ClaimResult {
        status,
        reason: "already paired".into(),
        sender: Some(hash('D')),
    };
    assert!(matches!(
        claim.on_message(&result(ClaimStatus::Ok)),
        ClaimStep::Ignored(_)
    ));
    assert_eq!(
        claim.on_message(&result(ClaimStatus::Nok)),
        ClaimStep::Refused {
            reason: "already paired".into()
        }
    );
}

#[test]
fn a_result_before_any_answer_or_from_another_device_is_ignored() {
    let (mut claim, _) = start(device_secret());
    let ok = |sender: Option<Hash81>| TransferMessage::ClaimResult {
        status: ClaimStatus::Ok,
        reason: String::new(),
        sender,
    };
    assert!(matches!(
        claim.on_message(&ok(Some(hash('D')))),
        ClaimStep::Ignored(_)
    ));
    claim.on_message(&TransferMessage::Challenge {
        sender: hash('D'),
        challenge: hash('C'),
    });
    assert!(matches!(
        claim.on_message(&ok(Some(hash('O')))),
        ClaimStep::Ignored(_)
    ));
    // A result without a sender (an older device) is taken.
    assert_eq!(claim.on_message(&ok(None)), ClaimStep::Paired);
    assert!(matches!(
        claim.on_message(&ok(Some(hash('D')))),
        ClaimStep::Ignored(_)
    ));
}

#[test]
fn a_second_challenge_is_not_answered_again() {
    let (mut claim, _) = start(device_secret());
    let challenge = |c| TransferMessage::Challenge {
        sender: hash('D'),
        challenge: hash(c),
    };
    assert!(matches!(
        claim.on_message(&challenge('C')),
        ClaimStep::Answer { .. }
    ));
    assert!(matches!(
        claim.on_message(&challenge('E')),
        ClaimStep::Ignored(_)
    ));
}

#[test]
fn a_claim_never_prints_the_pairing_secret() {
    let secret = device_secret();
    let (claim, _) = start(secret.clone());
    assert!(!format!("{claim:?}").contains(secret.as_str()));
}

// ---------------------------------------------------------------- ledger

fn authorized(id: &str, device: &Hash81, provider: char) -> ConsentEvent {
    ConsentEvent::Authorized {
        policy: policy(id, device, &hash(provider), &provider_keys(provider)),
    }
}

fn revoked(id: &str, device: &Hash81, provider: char) -> ConsentEvent {
    ConsentEvent::AuthorizationRevoked {
        policy: policy(id, device, &hash(provider), &provider_keys(provider)),
    }
}

fn status(ledger: &ConsentLedger, id: &str, now: UnixMillis) -> PolicyStatus {
    ledger
        .policy(&id.parse().expect("id"))
        .expect("recorded")
        .status_at(now)
}

#[test]
fn the_ledger_folds_devices_policies_and_history() {
    let (d, e) = (hash('D'), hash('E'));
    let ledger = ConsentLedger::from_events(
        [
            added(&d),
            added(&e),
            authorized("a", &d, 'A'),
            authorized("b", &e, 'B'),
        ],
        at(NOW),
    );
    let addresses: Vec<_> = ledger.devices().iter().map(|d| d.address.clone()).collect();
    assert_eq!(addresses, [d.clone(), e.clone()]);
    assert!(ledger.devices().iter().all(|d| d.added));
    assert_eq!(ledger.in_force(at(NOW)).count(), 2);
    assert_eq!(
        ledger.device(&d).expect("d").consent.providers[0].address,
        hash('A')
    );
    assert_eq!(ledger.history().len(), 4);
    assert!(ledger.history().iter().all(|h| h.ignored.is_none()));
}

#[test]
fn a_revoked_policy_is_no_longer_in_force() {
    let d = hash('D');
    let ledger = ConsentLedger::from_events(
        [
            added(&d),
            authorized("a", &d, 'A'),
            authorized("b", &d, 'B'),
            revoked("a", &d, 'A'),
        ],
        at(NOW),
    );
    assert_eq!(status(&ledger, "a", at(NOW)), PolicyStatus::Revoked);
    assert_eq!(status(&ledger, "b", at(NOW)), PolicyStatus::InForce);
    assert_eq!(ledger.device(&d).expect("d").consent.providers.len(), 1);
}

#[test]
fn deleting_a_device_ends_its_policies_and_later_authorizations_are_not_applied() {
    let d = hash('D');
    let ledger = ConsentLedger::from_events(
        [
            added(&d),
            authorized("a", &d, 'A'),
            deleted(&d),
            authorized("b", &d, 'B'),
        ],
        at(NOW),
    );
    assert_eq!(status(&ledger, "a", at(NOW)), PolicyStatus::EndedByReset);
    assert_eq!(
        status(&ledger, "b", at(NOW)),
        PolicyStatus::NotApplied(IgnoredEvent::DeviceDeleted)
    );
    assert!(!ledger.device(&d).expect("d").added);
    assert_eq!(
        ledger.history()[3].ignored,
        Some(IgnoredEvent::DeviceDeleted)
    );
}

#[test]
fn adding_a_device_again_ends_the_policies_before_it() {
    let d = hash('D');
    let ledger = ConsentLedger::from_events(
        [
            added(&d),
            authorized("a", &d, 'A'),
            added(&d),
            authorized("b", &d, 'B'),
        ],
        at(NOW),
    );
    assert_eq!(status(&ledger, "a", at(NOW)), PolicyStatus::EndedByReset);
    assert_eq!(status(&ledger, "b", at(NOW)), PolicyStatus::InForce);
}

#[test]
fn a_policy_past_its_expiry_is_expired() {
    let d = hash('D');
    let mut event = authorized("short", &d, 'A');
    if let ConsentEvent::Authorized { policy } = &mut event {
        policy.expires_at = Some(at(NOW + 8_000));
    }
    let mut ledger = ConsentLedger::from_events([added(&d), event], at(NOW));
    assert_eq!(status(&ledger, "short", at(NOW)), PolicyStatus::InForce);
    assert_eq!(
        status(&ledger, "short", at(NOW + 8_000)),
        PolicyStatus::Expired
    );
    // An event read after the expiry finds the device has ended it.
    ledger.apply(authorized("b", &d, 'B'), at(NOW + 9_000));
    assert_eq!(
        ledger
            .policy(&"short".parse().expect("id"))
            .expect("recorded")
            .status,
        PolicyStatus::Expired
    );
    assert_eq!(ledger.device(&d).expect("d").consent.providers.len(), 1);
}
