//! Publishing: telegrams from the outbox into `DATA` messages (batched,
//! with a bound on the delay), and created messages onto the Tangle in
//! channel order.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use consent_protocol::{DeviceMessage, TelegramRecord};
use iri_client::{Client, ClientError, PowMode};
use mam_lib::seed::Seed;
use mam_lib::ternary::{Hash81, Tag27};
use mam_lib::time::UnixMillis;

use crate::channel::{append, ChannelError};
use crate::store::{Counter, Store, StoreError, StoredMessage};

/// Telegrams in one message at most, whatever the backlog: about 60 kB of
/// JSON, some 60 transactions.
pub const MAX_TELEGRAMS_PER_MESSAGE: usize = 60;

/// The tag of every transaction the device attaches (padded with `9`):
/// all `9`, the tag most transactions carry, so the tag does not single
/// out devices running this software on the Tangle.
pub const DEVICE_TAG: &str = "999999999999999999999999999";

/// [`DEVICE_TAG`] as a tag.
pub fn device_tag() -> Tag27 {
    DEVICE_TAG
        .parse()
        .ok()
        .and_then(|trytes| Tag27::padded(trytes).ok())
        .unwrap_or_else(Tag27::nines)
}

/// When telegrams are put into a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchPolicy {
    /// The longest a telegram waits before its message is made (0: as
    /// soon as the publisher is free).
    pub max_delay: Duration,
    /// Make a message as soon as this many telegrams wait.
    pub batch_telegrams: usize,
}

impl Default for BatchPolicy {
    /// At most 10 s, or 10 telegrams (10 s of a DSMR 5 meter).
    fn default() -> BatchPolicy {
        BatchPolicy {
            max_delay: Duration::from_secs(10),
            batch_telegrams: 10,
        }
    }
}

impl BatchPolicy {
    /// Whether a message is due with `waiting` telegrams, the oldest
    /// received at `oldest`.
    pub fn is_due(&self, waiting: i64, oldest: Option<UnixMillis>, now: UnixMillis) -> bool {
        let Some(oldest) = oldest else {
            return false;
        };
        waiting >= self.batch_telegrams.max(1) as i64 || now.since(oldest) >= self.max_delay
    }
}

/// Why publishing stopped for now.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The state file failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The channel refused.
    #[error(transparent)]
    Channel(#[from] ChannelError),
    /// The node failed; the message stays stored and is attached later.
    #[error("the node: {0}")]
    Node(#[from] ClientError),
}

/// How messages reach the Tangle.
#[derive(Debug, Clone, Copy)]
pub struct AttachSettings {
    /// Minimum weight magnitude of the proof of work.
    pub min_weight_magnitude: u8,
    /// Where the proof of work is done.
    pub pow: PowMode,
}

/// A `DATA` message just made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MadeMessage {
    /// Its place in the channel.
    pub seq: i64,
    /// Telegrams in it.
    pub telegrams: usize,
}

/// Makes one `DATA` message from waiting telegrams if the policy says one
/// is due.
pub fn make_due_message(
    store: &mut Store,
    seed: &Seed,
    policy: &BatchPolicy,
    now: UnixMillis,
) -> Result<Option<MadeMessage>, PublishError> {
    let (waiting, oldest) = store.db().outbox_summary()?;
    if !policy.is_due(waiting, oldest, now) {
        return Ok(None);
    }
    let pending = store.db().pending_telegrams(MAX_TELEGRAMS_PER_MESSAGE)?;
    let Some(last) = pending.last() else {
        return Ok(None);
    };
    let last_seq = last.seq;
    let first_received = pending.first().map(|t| t.received_at);
    let message = DeviceMessage::Data {
        telegrams: pending
            .iter()
            .map(|t| TelegramRecord {
                raw: t.raw.clone(),
                timestamp: t.received_at,
            })
            .collect(),
    };
    let telegrams = pending.len();
    let seq = store.atomically(|db| -> Result<i64, PublishError> {
        let seq = append(db, seed, &message, telegrams as i64, first_received, now)?;
        db.take_telegrams(last_seq)?;
        Ok(seq)
    })?;
    Ok(Some(MadeMessage { seq, telegrams }))
}

/// What one attached message was.
#[derive(Debug, Clone)]
pub struct Attached {
    /// The message.
    pub message: StoredMessage,
    /// Whether it was already on the node (attached before a crash).
    pub already_there: bool,
    /// Time spent attaching.
    pub took: Duration,
}

/// Attaches the oldest created message not yet on the Tangle, if any.
/// Messages go strictly in channel order: a reader following the chain
/// never meets a gap it would have to wait at.
///
/// `never_tried` holds messages made by this process and not yet sent to
/// the node: only those can be attached without first asking the node
/// whether a crash or a failed call left them there already. A message
/// is taken out of it before its first attempt.
pub fn attach_next(
    store: &mut Store,
    client: &Client,
    settings: &AttachSettings,
    never_tried: &mut HashSet<i64>,
    now: impl Fn() -> UnixMillis,
) -> Result<Option<Attached>, PublishError> {
    let Some(message) = store.db().unattached_messages(1)?.into_iter().next() else {
        return Ok(None);
    };
    let started = Instant::now();
    let address = message.address.clone();
    // After a crash between attaching and recording it, or a call that
    // failed after the node stored it, the message may already be there:
    // attaching it again would only add a duplicate.
    let may_be_there = !never_tried.remove(&message.seq);
    let found = if may_be_there {
        already_attached(client, &address, &message)?
    } else {
        None
    };
    let bundle = match found {
        Some(bundle) => (bundle, true),
        None => {
            let bundle = pollster::block_on(client.mam_attach(
                &message.created,
                &device_tag(),
                settings.min_weight_magnitude,
                settings.pow,
            ))?;
            (bundle.hash().as_str().to_owned(), false)
        }
    };
    let (bundle, already_there) = bundle;
    let done = now();
    store.atomically(|db| -> Result<(), StoreError> {
        db.mark_attached(message.seq, &bundle, done)?;
        db.count(Counter::TelegramsPublished, message.telegrams)
    })?;
    Ok(Some(Attached {
        message,
        already_there,
        took: started.elapsed(),
    }))
}

/// The bundle already carrying `message` at `address`, if any.
fn already_attached(
    client: &Client,
    address: &Hash81,
    message: &StoredMessage,
) -> Result<Option<String>, ClientError> {
    let found = pollster::block_on(client.read_bundles(address))?;
    let payload = message.created.payload.as_str();
    Ok(found
        .bundles
        .iter()
        .find(|bundle| {
            let carried = bundle.message_to(address);
            carried.as_str().starts_with(payload)
                && carried.as_str()[payload.len()..].bytes().all(|b| b == b'9')
        })
        .map(|bundle| bundle.hash().as_str().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_due_when_full_or_when_its_oldest_telegram_has_waited_long_enough() {
        let at = UnixMillis::from_millis;
        let policy = BatchPolicy::default();
        assert!(!policy.is_due(0, None, at(1_000_000)));
        assert!(!policy.is_due(3, Some(at(1_000)), at(5_000)));
        assert!(policy.is_due(3, Some(at(1_000)), at(11_000)));
        assert!(policy.is_due(10, Some(at(1_000)), at(1_500)));
        let eager = BatchPolicy {
            max_delay: Duration::ZERO,
            batch_telegrams: 10,
        };
        assert!(eager.is_due(1, Some(at(1_000)), at(1_000)));
    }
}
