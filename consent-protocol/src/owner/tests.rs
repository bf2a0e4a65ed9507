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

/// Hands `claim_device` to `device` and runs the rest of the handshake:
/// the device's challenge answered, its result taken; the last step.
fn finish(device: &mut Device, claim: &mut Claim, claim_device: &Outgoing) -> ClaimStep {
    let challenge = device.receive(claim_device);
    let ClaimStep::Answer { answer, .. } = claim.on_message(&reply(&challenge).message) else {
        panic!("the device's challenge was not answered");
    };
    let result = device.receive(&answer);
    claim.on_message(&reply(&result).message)
}

/// Runs the handshake of `secret` against the device; the last step.
fn handshake(secret: PairingSecret) -> (Claim, ClaimStep) {
    let (mut claim, claim_device) = start(secret);
    assert_eq!(claim.state(), &ClaimState::AwaitingChallenge);
    let step = finish(&mut Device::new(), &mut claim, &claim_device);
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

/// A claim of the device by `H` with the known nonce `N`.
fn start_known() -> Claim {
    Claim::start_with_nonce(hash('H'), hash('R'), hash('D'), device_secret(), hash('N')).0
}

/// A `CHALLENGE` of `challenge` from the device, proven for the claim with
/// `nonce` under `secret`.
fn challenge_for(challenge: &Hash81, nonce: &Hash81, secret: &PairingSecret) -> TransferMessage {
    TransferMessage::Challenge {
        sender: hash('D'),
        proof: crate::challenge_proof(nonce, challenge, secret),
        challenge: challenge.clone(),
    }
}

/// A `CLAIM_RESULT` from the device, proven for `reference` and `proven`
/// (the status the proof is computed for) under `secret`.
fn result_for(
    status: ClaimStatus,
    proven: ClaimStatus,
    reference: &Hash81,
    secret: &PairingSecret,
) -> TransferMessage {
    TransferMessage::ClaimResult {
        status,
        reason: "already paired".into(),
        sender: Some(hash('D')),
        proof: crate::claim_result_proof(reference, proven, secret),
    }
}

/// A `CLAIM_RESULT` from the device whose proof is for its own status.
fn proven(status: ClaimStatus, reference: &Hash81, secret: &PairingSecret) -> TransferMessage {
    result_for(status, status, reference, secret)
}

fn other_secret() -> PairingSecret {
    "OTHERSECRETOTHERSECRET99999".parse().expect("secret")
}

#[test]
fn an_ok_before_any_answer_is_ignored_but_a_proven_refusal_ends_the_claim() {
    let mut claim = start_known();
    // Even an `OK` proven for the nonce: an `OK` only ends an answer.
    let ok = proven(ClaimStatus::Ok, &hash('N'), &device_secret());
    assert!(matches!(claim.on_message(&ok), ClaimStep::Ignored(_)));
    let nok = proven(ClaimStatus::Nok, &hash('N'), &device_secret());
    assert_eq!(
        claim.on_message(&nok),
        ClaimStep::Refused {
            reason: "already paired".into()
        }
    );
}

#[test]
fn a_result_before_any_answer_or_from_another_device_is_ignored() {
    let mut claim = start_known();
    let ok = |sender: Option<Hash81>| TransferMessage::ClaimResult {
        status: ClaimStatus::Ok,
        reason: String::new(),
        sender,
        proof: crate::claim_result_proof(&hash('C'), ClaimStatus::Ok, &device_secret()),
    };
    assert!(matches!(
        claim.on_message(&ok(Some(hash('D')))),
        ClaimStep::Ignored(_)
    ));
    assert!(matches!(
        claim.on_message(&challenge_for(&hash('C'), &hash('N'), &device_secret())),
        ClaimStep::Answer { .. }
    ));
    assert!(matches!(
        claim.on_message(&ok(Some(hash('O')))),
        ClaimStep::Ignored(_)
    ));
    // A proven result without a sender is taken: the proof tells.
    assert_eq!(claim.on_message(&ok(None)), ClaimStep::Paired);
    assert!(matches!(
        claim.on_message(&ok(Some(hash('D')))),
        ClaimStep::Ignored(_)
    ));
}

#[test]
fn a_second_challenge_is_not_answered_again() {
    let mut claim = start_known();
    let challenge = |c| challenge_for(&hash(c), &hash('N'), &device_secret());
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
fn a_forged_challenge_is_ignored_and_the_devices_own_is_still_answered() {
    let (mut claim, claim_device) = start(device_secret());
    // The forger saw the claim (and so the owner's address and nonce) but
    // does not know the secret.
    let TransferMessage::ClaimDevice { nonce, .. } = &claim_device.message else {
        panic!("not a claim");
    };
    let forged = challenge_for(&hash('F'), nonce, &other_secret());
    assert!(matches!(claim.on_message(&forged), ClaimStep::Ignored(_)));
    let unproven = TransferMessage::Challenge {
        sender: hash('D'),
        challenge: hash('F'),
        proof: hash('P'),
    };
    assert!(matches!(claim.on_message(&unproven), ClaimStep::Ignored(_)));
    assert_eq!(claim.state(), &ClaimState::AwaitingChallenge);
    assert_eq!(
        finish(&mut Device::new(), &mut claim, &claim_device),
        ClaimStep::Paired
    );
}

#[test]
fn a_challenge_proven_for_another_claims_nonce_is_ignored() {
    // A challenge the device really sent, to an earlier claim of the same
    // owner: replayed, it must not take this claim's place.
    let mut claim = start_known();
    let replayed = challenge_for(&hash('C'), &hash('M'), &device_secret());
    assert!(matches!(claim.on_message(&replayed), ClaimStep::Ignored(_)));
    assert_eq!(claim.state(), &ClaimState::AwaitingChallenge);
}

#[test]
fn a_forged_refusal_before_any_challenge_is_ignored_and_the_claim_goes_on() {
    let (mut claim, claim_device) = start(device_secret());
    let TransferMessage::ClaimDevice { nonce, .. } = &claim_device.message else {
        panic!("not a claim");
    };
    for forged in [
        proven(ClaimStatus::Nok, nonce, &other_secret()),
        proven(ClaimStatus::Nok, &hash('M'), &device_secret()),
        // The proof of an `OK` under a `NOK`: the status is bound.
        result_for(ClaimStatus::Nok, ClaimStatus::Ok, nonce, &device_secret()),
    ] {
        assert!(matches!(claim.on_message(&forged), ClaimStep::Ignored(_)));
        assert_eq!(claim.state(), &ClaimState::AwaitingChallenge);
    }
    assert_eq!(
        finish(&mut Device::new(), &mut claim, &claim_device),
        ClaimStep::Paired
    );
}

#[test]
fn a_forged_ok_is_ignored_and_the_devices_result_still_ends_the_claim() {
    let mut device = Device::new();
    let (mut claim, claim_device) = start(device_secret());
    let challenge = device.receive(&claim_device);
    let ClaimStep::Answer {
        challenge: answered,
        answer,
    } = claim.on_message(&reply(&challenge).message)
    else {
        panic!("no answer");
    };
    let TransferMessage::ClaimDevice { nonce, .. } = &claim_device.message else {
        panic!("not a claim");
    };
    for forged in [
        // A stranger's secret.
        proven(ClaimStatus::Ok, &answered, &other_secret()),
        // Another challenge.
        proven(ClaimStatus::Ok, &hash('C'), &device_secret()),
        // Bound to the nonce, not the challenge answered.
        proven(ClaimStatus::Ok, nonce, &device_secret()),
        // A refusal's proof under an `OK`.
        result_for(
            ClaimStatus::Ok,
            ClaimStatus::Nok,
            &answered,
            &device_secret(),
        ),
    ] {
        assert!(matches!(claim.on_message(&forged), ClaimStep::Ignored(_)));
        assert_eq!(
            claim.state(),
            &ClaimState::AwaitingResult {
                challenge: answered.clone()
            }
        );
    }
    let result = device.receive(&answer);
    assert_eq!(claim.on_message(&reply(&result).message), ClaimStep::Paired);
    assert_eq!(claim.state(), &ClaimState::Paired);
}

#[test]
fn a_forged_nok_after_the_answer_is_ignored() {
    let mut claim = start_known();
    claim.on_message(&challenge_for(&hash('C'), &hash('N'), &device_secret()));
    let forged = proven(ClaimStatus::Nok, &hash('C'), &other_secret());
    assert!(matches!(claim.on_message(&forged), ClaimStep::Ignored(_)));
    let real = proven(ClaimStatus::Nok, &hash('C'), &device_secret());
    assert!(matches!(claim.on_message(&real), ClaimStep::Refused { .. }));
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
