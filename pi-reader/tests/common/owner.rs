//! My Home, as a thin I/O wrapper over the owner's rules
//! (`consent_protocol::owner`): an address to claim from, the pairing
//! handshake as the `Claim` state machine drives it, and a private channel
//! of consent events folded into a `ConsentLedger`. It speaks protocol v2.
//! Raw `claim`, `answer_message` and `send` stay for the hostile tests,
//! which send what no honest owner would.

use std::time::Duration;

use consent_protocol::owner::{Claim, ClaimStep, ConsentLedger};
use consent_protocol::{
    challenge_proof, claim_proof, decode, encode, encode_transfer, seal_root, signed_challenge,
    ClaimStatus, ConsentEvent, Device, Outgoing, PairingSecret, Policy, ServiceProvider,
    TransferMessage,
};
use iri_client::{Client, PowMode};
use mam_lib::address::{generate_address, Security};
use mam_lib::mam::{Channel, Mode};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27, Trytes};
use mam_lib::time::UnixMillis;

use super::reader::Provider;
use super::wait_for;

/// The proof-of-work settings the tests attach with (the node runs at 3).
pub const TEST_MWM: u8 = 3;

/// A claim's nonce and the challenge the device sent for it, with its proof.
pub struct SeenChallenge {
    /// The claim's nonce.
    pub nonce: Hash81,
    /// The device's challenge.
    pub challenge: Hash81,
    /// `Kerl(secret ‖ nonce ‖ challenge)`.
    pub proof: Hash81,
}

/// The owner's app: its address and event channel.
pub struct MyHome {
    /// Where the device answers.
    pub address: Hash81,
    /// The root of the event channel (what pairing binds).
    pub root: Hash81,
    channel: Channel,
    client: Client,
    /// The events recorded so far, folded.
    ledger: ConsentLedger,
    /// When each (recipient, message) was last sent, Unix seconds.
    sent: std::cell::RefCell<std::collections::HashMap<(Hash81, Trytes), u64>>,
}

impl MyHome {
    /// A fresh My Home on the node at `url`.
    pub fn new(url: &str) -> MyHome {
        let seed = Seed::random();
        let address = generate_address(&seed, 0, Security::Medium);
        let mut channel =
            Channel::new(&seed, Mode::Private, None, Security::Medium).expect("channel");
        let root = Hash81::from_trytes(channel.root()).expect("root");
        MyHome {
            address,
            root,
            channel,
            client: Client::new(url.to_owned()),
            ledger: ConsentLedger::default(),
            sent: Default::default(),
        }
    }

    /// Sends `message` to `to` as a plain transfer.
    ///
    /// The same message to the same address within one second would be
    /// the same transfer (legacy bundle hashes cover only address, tag and
    /// second; equal content then makes it a re-attachment), so a repeat
    /// waits for the next second, as any real sender's would fall in one.
    pub fn send(&self, to: &Hash81, message: &TransferMessage) {
        let trytes = encode_transfer(message);
        let key = (to.clone(), trytes.clone());
        let mut sent = self.sent.borrow_mut();
        if let Some(&second) = sent.get(&key) {
            while mam_lib::time::UnixMillis::now().as_seconds() <= second {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        send_trytes(&self.client, to, &trytes);
        sent.insert(key, mam_lib::time::UnixMillis::now().as_seconds());
    }

    /// Waits for a message at the owner's address, not among `seen`
    /// (bundle hashes), that `accept` takes.
    pub fn wait_for_message<T>(
        &self,
        seen: &[Hash81],
        mut accept: impl FnMut(&TransferMessage) -> Option<T>,
    ) -> T {
        wait_for(
            "a message at My Home's address",
            Duration::from_secs(60),
            || {
                let inbox = match pollster::block_on(self.client.read_messages(&self.address)) {
                    Ok(inbox) => inbox,
                    Err(error) => {
                        eprintln!("reading My Home's inbox failed: {error}");
                        return None;
                    }
                };
                inbox
                    .messages
                    .iter()
                    .filter(|m| !seen.contains(&m.tail))
                    .filter_map(|m| decode::<TransferMessage>(&m.message).ok())
                    .find_map(|m| accept(&m))
            },
        )
    }

    /// The bundles received so far.
    pub fn inbox(&self) -> Vec<Hash81> {
        pollster::block_on(self.client.read_messages(&self.address))
            .map(|inbox| inbox.messages.into_iter().map(|m| m.tail).collect())
            .unwrap_or_default()
    }

    /// A v2 claim from this owner proving `secret`, with a fresh nonce.
    pub fn claim_message(&self, secret: &PairingSecret) -> TransferMessage {
        self.claim_message_with_nonce(secret, Hash81::random())
    }

    /// A v2 claim from this owner proving `secret` with `nonce`.
    fn claim_message_with_nonce(&self, secret: &PairingSecret, nonce: Hash81) -> TransferMessage {
        TransferMessage::ClaimDevice {
            sender: self.address.clone(),
            proof: claim_proof(&self.address, &nonce, secret),
            nonce,
        }
    }

    /// Sends a claim proving `secret` and waits for the challenge, taking
    /// only one whose proof (v2) is the device's for this claim's nonce.
    pub fn claim(&self, device: &Hash81, secret: &PairingSecret) -> Hash81 {
        self.claim_in_full(device, secret).challenge
    }

    /// [`claim`](Self::claim), with the nonce sent and the challenge's
    /// proof: what anyone reading the two addresses sees.
    pub fn claim_in_full(&self, device: &Hash81, secret: &PairingSecret) -> SeenChallenge {
        let seen = self.inbox();
        let nonce = Hash81::random();
        self.send(
            device,
            &self.claim_message_with_nonce(secret, nonce.clone()),
        );
        self.wait_for_message(&seen, |m| match m {
            TransferMessage::Challenge {
                challenge, proof, ..
            } if proof == &challenge_proof(&nonce, challenge, secret) => Some(SeenChallenge {
                nonce: nonce.clone(),
                challenge: challenge.clone(),
                proof: proof.clone(),
            }),
            _ => None,
        })
    }

    /// The v2 answer of this owner to `challenge`, binding and sealing
    /// `root`, under `secret`.
    pub fn answer_message(
        &self,
        challenge: &Hash81,
        root: &Hash81,
        secret: &PairingSecret,
    ) -> TransferMessage {
        TransferMessage::AnswerChallenge {
            sender: self.address.clone(),
            signed_challenge: signed_challenge(challenge, root, secret),
            sealed_root: seal_root(root, challenge, secret, &self.address),
        }
    }

    /// Sends `answer` and waits for the claim result.
    pub fn answer(&self, device: &Hash81, answer: &TransferMessage) -> (ClaimStatus, String) {
        let seen = self.inbox();
        self.send(device, answer);
        self.wait_for_result(&seen)
    }

    /// Waits for a claim result not among `seen`.
    pub fn wait_for_result(&self, seen: &[Hash81]) -> (ClaimStatus, String) {
        self.wait_for_message(seen, |m| match m {
            TransferMessage::ClaimResult { status, reason, .. } => Some((*status, reason.clone())),
            _ => None,
        })
    }

    /// Whether any pairing message (challenge or result) arrived that is
    /// not among `seen`.
    pub fn heard_back(&self, seen: &[Hash81]) -> bool {
        pollster::block_on(self.client.read_messages(&self.address))
            .map(|inbox| {
                inbox
                    .messages
                    .iter()
                    .filter(|m| !seen.contains(&m.tail))
                    .any(|m| decode::<TransferMessage>(&m.message).is_ok())
            })
            .unwrap_or(false)
    }

    /// The whole handshake with the device's secret, as the owner's rules
    /// run it; the claim result and the device's reason.
    pub fn pair_with_reason(
        &self,
        device: &Hash81,
        secret: &PairingSecret,
    ) -> (ClaimStatus, String) {
        let mut read = self.inbox();
        let (mut claim, claim_device) = Claim::start(
            self.address.clone(),
            self.root.clone(),
            device.clone(),
            secret.clone(),
        )
        .expect("the test machine has a CSPRNG");
        self.send_outgoing(&claim_device);
        wait_for(
            "the pairing handshake",
            Duration::from_secs(60),
            || -> Option<(ClaimStatus, String)> {
                let inbox = pollster::block_on(self.client.read_messages(&self.address))
                    .map_err(|error| eprintln!("reading My Home's inbox failed: {error}"))
                    .ok()?;
                for received in inbox.messages {
                    if read.contains(&received.tail) {
                        continue;
                    }
                    read.push(received.tail.clone());
                    let Ok(message) = decode::<TransferMessage>(&received.message) else {
                        continue;
                    };
                    match claim.on_message(&message) {
                        ClaimStep::Answer { answer, .. } => self.send_outgoing(&answer),
                        ClaimStep::Paired => return Some((ClaimStatus::Ok, String::new())),
                        ClaimStep::Refused { reason } => return Some((ClaimStatus::Nok, reason)),
                        ClaimStep::Ignored(_) => {}
                    }
                }
                None
            },
        )
    }

    /// [`pair_with_reason`](Self::pair_with_reason), the status only.
    pub fn pair(&self, device: &Hash81, secret: &PairingSecret) -> ClaimStatus {
        self.pair_with_reason(device, secret).0
    }

    /// Pairs and records `DEVICE_ADDED` (which pins the channel's security
    /// level on the device), as My Home does.
    pub fn pair_and_add(&mut self, device: &Hash81, secret: &PairingSecret) {
        assert_eq!(self.pair(device, secret), ClaimStatus::Ok, "pairing");
        self.record(&ConsentEvent::DeviceAdded {
            device: Device {
                address: device.clone(),
            },
        });
    }

    /// Publishes `event` on the owner's private channel and folds it into
    /// the ledger.
    pub fn record(&mut self, event: &ConsentEvent) {
        let created = self.channel.create(&encode(event)).expect("create event");
        pollster::block_on(self.client.mam_attach(
            &created,
            &Tag27::nines(),
            TEST_MWM,
            PowMode::Local { threads: 1 },
        ))
        .expect("attach event");
        self.ledger.apply(event.clone(), UnixMillis::now());
    }

    /// Forks the channel: `first` and `second` both published under the
    /// next root (as a forger holding the owner's seed could). Returns that
    /// root and the two bundles; the channel goes on after them.
    pub fn record_fork(
        &mut self,
        first: &ConsentEvent,
        second: &ConsentEvent,
    ) -> (Hash81, Vec<Hash81>) {
        let root: Hash81 = self.channel.root().as_str().parse().expect("root");
        let position = self.channel.position();
        let mut bundles = Vec::new();
        for (n, event) in [first, second].into_iter().enumerate() {
            if n > 0 {
                self.channel.set_position(position).expect("rewound");
            }
            let created = self.channel.create(&encode(event)).expect("create event");
            let bundle = pollster::block_on(self.client.mam_attach(
                &created,
                &Tag27::nines(),
                TEST_MWM,
                PowMode::Local { threads: 1 },
            ))
            .expect("attach event");
            bundles.push(bundle.hash().clone());
        }
        (root, bundles)
    }

    /// The devices, policies and history the recorded events fold into.
    pub fn ledger(&self) -> &ConsentLedger {
        &self.ledger
    }

    fn send_outgoing(&self, outgoing: &Outgoing) {
        self.send(&outgoing.to, &outgoing.message);
    }

    /// A policy giving `provider` the data of `device`, answering the
    /// provider's consent request (its nonce).
    pub fn policy(id: &str, device: &Hash81, provider: &Provider) -> Policy {
        Policy {
            id: id.parse().expect("policy id"),
            device: Device {
                address: device.clone(),
            },
            service_provider: ServiceProvider {
                iota_address: provider.address.clone(),
                public_key_trytes: provider.keys.public_key().clone(),
                url: "http://localhost:8080/wattt/".into(),
            },
            goal: "energy insights".into(),
            expires_at: None,
            request_nonce: Some(provider.request_nonce.clone()),
        }
    }
}

/// Sends raw trytes to `to` (for hostile transfers too).
pub fn send_trytes(client: &Client, to: &Hash81, message: &Trytes) {
    pollster::block_on(client.send_message(
        to,
        message,
        &Tag27::nines(),
        TEST_MWM,
        PowMode::Local { threads: 1 },
    ))
    .expect("send transfer");
}
