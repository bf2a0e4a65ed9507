//! The events read from My Home's private channel, in channel order.
//!
//! Every entry is a message that verified under its root (the reader,
//! `iri-client`, skips and counts anything else at the address), kept with
//! its position, root, bundle and attachment time. A message that verifies
//! but is not a consent event is kept as unreadable, so positions stay
//! true. The log is the only input of the fold ([`super::views`]); a cache
//! of it in browser storage spares a reload the reading, and losing the
//! cache loses nothing.

use consent_protocol::owner::ConsentLedger;
use consent_protocol::{decode, ConsentEvent};
use iri_client::FetchedMessage;
use mam_lib::address::Security;
use mam_lib::mam::ChannelPosition;
use mam_lib::ternary::{Hash81, Trytes};
use mam_lib::time::UnixMillis;
use serde::{Deserialize, Serialize};

/// The security level My Home's channel signs with.
pub const CHANNEL_SECURITY: Security = Security::Medium;

/// Version of the cache's form; a cache of another version is read again
/// from the Tangle.
const CACHE_VERSION: u32 = 1;

/// What a message on the channel held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LoggedContent {
    /// A consent event.
    Event {
        /// The event.
        event: ConsentEvent,
    },
    /// A message that verifies but is no consent event.
    Unreadable {
        /// Why it does not decode.
        reason: String,
    },
}

/// One message read from the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedEvent {
    /// Its position on the channel: 0 for the first message.
    pub position: u64,
    /// The root it verified under.
    pub root: Trytes,
    /// The bundle that carried it.
    pub bundle: Hash81,
    /// When it was attached, Unix milliseconds (the sender's clock).
    pub attached_at: i64,
    /// What it held.
    pub content: LoggedContent,
}

impl LoggedEvent {
    /// The event, if the message held one.
    pub fn event(&self) -> Option<&ConsentEvent> {
        match &self.content {
            LoggedContent::Event { event } => Some(event),
            LoggedContent::Unreadable { .. } => None,
        }
    }
}

/// The messages read from the channel so far, and where reading goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventLog {
    version: u32,
    /// The channel's first root (it names the channel).
    channel_root: Trytes,
    entries: Vec<LoggedEvent>,
    /// The root of the next message.
    next_root: Trytes,
}

impl EventLog {
    /// The log of a channel that starts at `channel_root`, nothing read yet.
    pub fn new(channel_root: Trytes) -> EventLog {
        EventLog {
            version: CACHE_VERSION,
            next_root: channel_root.clone(),
            channel_root,
            entries: Vec::new(),
        }
    }

    /// The channel's first root.
    pub fn channel_root(&self) -> &Trytes {
        &self.channel_root
    }

    /// The root of the next message: where reading goes on.
    pub fn next_root(&self) -> &Trytes {
        &self.next_root
    }

    /// The messages read, in channel order.
    pub fn entries(&self) -> &[LoggedEvent] {
        &self.entries
    }

    /// How many messages were read: also the position of the next one.
    pub fn len(&self) -> u64 {
        self.entries.len() as u64
    }

    /// Whether nothing was read.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Appends the message `fetched`, read under [`next_root`](Self::next_root).
    /// A message under any other root is refused: the log holds one chain.
    pub fn push(&mut self, fetched: &FetchedMessage) -> Result<&LoggedEvent, WrongRoot> {
        if fetched.root != self.next_root {
            return Err(WrongRoot);
        }
        let content = match decode::<ConsentEvent>(&fetched.parsed.message) {
            Ok(event) => LoggedContent::Event { event },
            Err(error) => LoggedContent::Unreadable {
                reason: error.to_string(),
            },
        };
        self.entries.push(LoggedEvent {
            position: self.len(),
            root: fetched.root.clone(),
            bundle: fetched.bundle.clone(),
            attached_at: fetched.attached_at,
            content,
        });
        self.next_root = fetched.parsed.next_root.clone();
        Ok(self.entries.last().expect("just pushed"))
    }

    /// The writer's position after the messages read and `pending` more.
    pub fn writer_position(&self, pending: u64) -> ChannelPosition {
        channel_position(self.len() + pending)
    }

    /// The events folded by the devices' rules, each applied at the time
    /// it was attached (as a device reading it then would).
    pub fn ledger(&self) -> ConsentLedger {
        let mut ledger = ConsentLedger::with_security(CHANNEL_SECURITY);
        for entry in &self.entries {
            if let Some(event) = entry.event() {
                ledger.apply(event.clone(), at(entry.attached_at));
            }
        }
        ledger
    }

    /// The log as cache text.
    pub fn to_cache(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The log in `cache`, if it is one of this version for the channel at
    /// `channel_root` and consistent; anything else is `None`, and the
    /// channel is read again.
    pub fn from_cache(cache: &str, channel_root: &Trytes) -> Option<EventLog> {
        let log: EventLog = serde_json::from_str(cache).ok()?;
        let positions_true = log
            .entries
            .iter()
            .enumerate()
            .all(|(n, entry)| entry.position == n as u64);
        let starts_right = log.entries.first().is_none_or(|e| &e.root == channel_root);
        (log.version == CACHE_VERSION
            && &log.channel_root == channel_root
            && positions_true
            && starts_right)
            .then_some(log)
    }
}

/// A message offered to the log under another root than its next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the message is not the channel's next one")]
pub struct WrongRoot;

/// Where the channel's writer stands before its message at `position`:
/// one message per tree, so that message signs with key `position`.
pub fn channel_position(position: u64) -> ChannelPosition {
    ChannelPosition {
        start: position,
        ..ChannelPosition::START
    }
}

/// Unix milliseconds as the protocol's time, never before 1970.
pub fn at(ms: i64) -> UnixMillis {
    UnixMillis::from_millis(u64::try_from(ms).unwrap_or(0))
}
