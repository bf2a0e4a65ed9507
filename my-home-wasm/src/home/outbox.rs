//! Events created but not yet read back from the channel.
//!
//! An event is made into a MAM message at the next free position, stored
//! here (and in browser storage) before it is attached, and leaves only
//! when the reader finds it on the channel: it is never shown as recorded
//! before the node has it. A stored message is attached again as it is,
//! never made anew, so a retry after a crash or a failed attach cannot put
//! two different messages under one root.

use consent_protocol::ConsentEvent;
use mam_lib::mam::CreatedMessage;
use mam_lib::ternary::{Hash81, Trytes};
use serde::{Deserialize, Serialize};

use super::log::EventLog;

/// One event on its way to the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingEvent {
    /// The channel position it was made for.
    pub position: u64,
    /// The event.
    pub event: ConsentEvent,
    /// The root it is signed under.
    pub root: Trytes,
    /// Where the payload goes.
    pub address: Hash81,
    /// The signed, masked payload.
    pub payload: Trytes,
    /// When the owner asked for it, Unix milliseconds.
    pub created_at: i64,
    /// Attach attempts so far.
    pub attempts: u32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Whether the node took it (it is then waiting to be read back).
    pub attached: bool,
}

impl PendingEvent {
    /// `event`, made into `message` at `position`, asked for at `now_ms`.
    pub fn new(
        position: u64,
        event: ConsentEvent,
        message: &CreatedMessage,
        now_ms: i64,
    ) -> Result<PendingEvent, mam_lib::ternary::TernaryError> {
        Ok(PendingEvent {
            position,
            event,
            root: message.root.clone(),
            address: Hash81::from_trytes(message.address.clone())?,
            payload: message.payload.clone(),
            created_at: now_ms,
            attempts: 0,
            last_error: None,
            attached: false,
        })
    }
}

/// What became of a pending event once the channel was read past its
/// position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// It is on the channel.
    Recorded(PendingEvent),
    /// Another message took its position (the same seed used in another
    /// browser at the same time): it was not recorded.
    Superseded(PendingEvent),
}

/// The events on their way, in position order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pending: Vec<PendingEvent>,
}

impl Outbox {
    /// The events on their way, oldest first.
    pub fn pending(&self) -> &[PendingEvent] {
        &self.pending
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// How many wait.
    pub fn len(&self) -> u64 {
        self.pending.len() as u64
    }

    /// Where the next event goes, after `log` and what waits.
    pub fn next_position(&self, log: &EventLog) -> u64 {
        self.pending
            .last()
            .map_or(log.len(), |last| last.position + 1)
            .max(log.len())
    }

    /// Adds `event`, made for [`next_position`](Self::next_position).
    pub fn push(&mut self, event: PendingEvent) {
        self.pending.push(event);
    }

    /// The first event still to attach, if any.
    pub fn next_to_attach(&self) -> Option<&PendingEvent> {
        self.pending.iter().find(|p| !p.attached)
    }

    /// Records an attach attempt of the event at `position`.
    pub fn attempted(&mut self, position: u64, outcome: Result<(), String>) {
        if let Some(pending) = self.pending.iter_mut().find(|p| p.position == position) {
            pending.attempts += 1;
            match outcome {
                Ok(()) => {
                    pending.attached = true;
                    pending.last_error = None;
                }
                Err(error) => pending.last_error = Some(error),
            }
        }
    }

    /// Takes out every event whose position `log` has read past: recorded
    /// when the message there is the same event, superseded otherwise. The
    /// events after a superseded one are superseded too (their positions
    /// were taken), so the owner sees each and can ask again.
    pub fn settle(&mut self, log: &EventLog) -> Vec<Settled> {
        let mut settled = Vec::new();
        let mut shifted = false;
        let mut keep = Vec::new();
        for pending in self.pending.drain(..) {
            let read = log.entries().get(pending.position as usize);
            match read {
                Some(entry)
                    if !shifted
                        && entry.root == pending.root
                        && entry.event() == Some(&pending.event) =>
                {
                    settled.push(Settled::Recorded(pending));
                }
                Some(_) => {
                    shifted = true;
                    settled.push(Settled::Superseded(pending));
                }
                None if shifted => settled.push(Settled::Superseded(pending)),
                None => keep.push(pending),
            }
        }
        self.pending = keep;
        settled
    }

    /// The outbox as storage text.
    pub fn to_storage(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The outbox in `text`; `None` when it does not parse.
    pub fn from_storage(text: &str) -> Option<Outbox> {
        let outbox: Outbox = serde_json::from_str(text).ok()?;
        let ordered = outbox
            .pending
            .windows(2)
            .all(|pair| pair[1].position == pair[0].position + 1);
        ordered.then_some(outbox)
    }
}
