//! My Home's talk with the node: reading its channel into the
//! [`EventLog`], making and attaching events, and the pairing handshake.
//!
//! Everything here is `async` over `iri-client`, which fetches in the
//! browser; the rules it follows are the pure ones of [`crate::home`] and
//! `consent_protocol::owner`.

use std::time::Duration;

use consent_protocol::owner::{Claim, ClaimStep};
use consent_protocol::{decode, encode, ConsentEvent, PairingSecret, TransferMessage};
use iri_client::{Client, ClientError, InboxCursor, MamCursor};
use mam_lib::mam::{Channel, MamError, Mode};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27};
use mam_lib::time::UnixMillis;

use crate::home::log::{channel_position, EventLog, CHANNEL_SECURITY};
use crate::home::outbox::PendingEvent;
use crate::home::pairing::{PairFailure, PairStep, ANSWER_TIMEOUT};
use browser_app::pow::Attacher;

/// How often the owner's address is read while waiting for the device.
const PAIRING_POLL: Duration = Duration::from_secs(2);

/// The tag on everything My Home attaches: recognisable in explorers, and
/// the same for every message so it says nothing about the content.
pub fn tag() -> Tag27 {
    "MYHOME99999999999999999999"
        .parse()
        .unwrap_or_else(|_| Tag27::nines())
}

/// The channel's first root, from the seed.
pub fn channel_root(seed: &Seed) -> Result<Hash81, MamError> {
    let mut channel = Channel::new(seed, Mode::Private, None, CHANNEL_SECURITY)?;
    Ok(Hash81::from_trytes(channel.root())?)
}

/// How one read of the channel ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadEnd {
    /// Every message there is was read.
    CaughtUp,
    /// Two different messages verify under one root: reading stops there.
    Fork {
        /// The root.
        root: String,
        /// The bundles that carry them.
        bundles: Vec<String>,
    },
}

/// Reads the channel from `log`'s next root to its end, appending each
/// verified message and calling `progress` with the number read so far.
pub async fn read_channel(
    client: &Client,
    log: &mut EventLog,
    mut progress: impl FnMut(&EventLog),
) -> Result<ReadEnd, ClientError> {
    let mut cursor = MamCursor::new(log.next_root().clone());
    loop {
        let now = UnixMillis::now().as_millis();
        let next = client
            .mam_read_next(&mut cursor, Mode::Private, None, now)
            .await?;
        if let Some(fork) = next.fork {
            return Ok(ReadEnd::Fork {
                root: fork.root.to_string(),
                bundles: fork.bundles.iter().map(ToString::to_string).collect(),
            });
        }
        match next.message {
            Some(message) => {
                // The cursor only moves along the chain, so this holds.
                if log.push(&message).is_ok() {
                    progress(log);
                }
            }
            None if next.more => {}
            None => return Ok(ReadEnd::CaughtUp),
        }
    }
}

/// Makes `event` into the message at `position` of the seed's channel.
pub fn make_pending(
    seed: &Seed,
    position: u64,
    event: ConsentEvent,
) -> Result<PendingEvent, MamError> {
    let mut channel = Channel::new(seed, Mode::Private, None, CHANNEL_SECURITY)?;
    channel.set_position(channel_position(position))?;
    let created = channel.create(&encode(&event))?;
    Ok(PendingEvent::new(
        position,
        event,
        &created,
        UnixMillis::now().as_millis() as i64,
    )?)
}

/// Attaches a pending event's message as it was made.
pub async fn attach_pending(
    client: &Client,
    attacher: &Attacher,
    pending: &PendingEvent,
) -> Result<(), ClientError> {
    attacher
        .send_message(client, &pending.address, &pending.payload, &tag())
        .await
        .map(|_| ())
}

/// Who pairs: the owner's address and channel root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// Where the device answers.
    pub address: Hash81,
    /// The channel root the device will follow.
    pub root: Hash81,
}

/// The pairing handshake with `device` under `secret`, up to the device's
/// `OK`: `step` is called as each step starts. Recording `DEVICE_ADDED`
/// is the caller's (it goes through the outbox like any event).
pub async fn pair(
    client: &Client,
    attacher: &Attacher,
    owner: &Owner,
    device: &Hash81,
    secret: PairingSecret,
    step: impl Fn(PairStep),
) -> Result<(), PairFailure> {
    let node = |error: ClientError| PairFailure::Node {
        error: error.to_string(),
    };
    // What is at the owner's address already is no answer to this claim:
    // read it once, so only new messages are looked at.
    let mut inbox = InboxCursor::new();
    drain(client, &owner.address, &mut inbox)
        .await
        .map_err(node)?;

    let (mut claim, claim_device) = Claim::start(
        owner.address.clone(),
        owner.root.clone(),
        device.clone(),
        secret,
    )
    .map_err(|error| PairFailure::Random {
        error: error.to_string(),
    })?;
    step(PairStep::SendingClaim);
    send(client, attacher, &claim_device.to, &claim_device.message)
        .await
        .map_err(node)?;
    step(PairStep::AwaitingChallenge);
    let mut waiting_since = UnixMillis::now();
    let mut waiting_for = PairStep::AwaitingChallenge;
    loop {
        let now = UnixMillis::now();
        if now.since(waiting_since) > ANSWER_TIMEOUT {
            return Err(PairFailure::NoAnswer { step: waiting_for });
        }
        let received = client
            .read_new_messages(&owner.address, &mut inbox, now.as_millis())
            .await
            .map_err(node)?;
        for message in &received.messages {
            let Ok(message) = decode::<TransferMessage>(&message.message) else {
                continue;
            };
            match claim.on_message(&message) {
                ClaimStep::Answer { answer, .. } => {
                    step(PairStep::SendingAnswer);
                    send(client, attacher, &answer.to, &answer.message)
                        .await
                        .map_err(node)?;
                    step(PairStep::AwaitingResult);
                    waiting_for = PairStep::AwaitingResult;
                    waiting_since = UnixMillis::now();
                }
                ClaimStep::Paired => return Ok(()),
                ClaimStep::Refused { reason } => return Err(PairFailure::Refused { reason }),
                ClaimStep::Ignored(_) => {}
            }
        }
        if !received.more {
            sleep(PAIRING_POLL).await;
        }
    }
}

/// Marks everything at `address` read.
async fn drain(
    client: &Client,
    address: &Hash81,
    inbox: &mut InboxCursor,
) -> Result<(), ClientError> {
    loop {
        let read = client
            .read_new_messages(address, inbox, UnixMillis::now().as_millis())
            .await?;
        if !read.more {
            return Ok(());
        }
    }
}

/// Sends one protocol message as a plain transfer.
async fn send(
    client: &Client,
    attacher: &Attacher,
    to: &Hash81,
    message: &TransferMessage,
) -> Result<(), ClientError> {
    attacher
        .send_message(
            client,
            to,
            &consent_protocol::encode_transfer(message),
            &tag(),
        )
        .await
        .map(|_| ())
}

/// Waits `duration` without blocking the page.
pub async fn sleep(duration: Duration) {
    #[cfg(target_arch = "wasm32")]
    yew::platform::time::sleep(duration).await;
    #[cfg(not(target_arch = "wasm32"))]
    std::thread::sleep(duration);
}
