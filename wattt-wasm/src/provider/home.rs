//! One home's meter as Wattt follows it: the connection its keys opened
//! (where to read next, with which side key), what was read, and where
//! and when the consent ended. The telegrams themselves go to the caller
//! (they become readings, kept apart).

use consent_protocol::provider::{Connection, ConnectionState, EndReason, FollowStep};
use consent_protocol::seal::ProviderKeyPair;
use consent_protocol::{decode, DeviceMessage, PolicyId, TelegramRecord};
use iri_client::{FetchedMessage, MamCursor};
use mam_lib::mam::SideKey;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;
use serde::{Deserialize, Serialize};

/// Why Wattt reads no more from a home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CloseReason {
    /// A key rotation left Wattt out: the consent was revoked, ran out or
    /// the device was reset (the channel does not say which).
    LeftOut,
    /// Wattt's entry in a key rotation did not open with its key pair.
    KeyUnreadable,
    /// The `expiresAt` of Wattt's request passed.
    Expired,
}

/// Where and when the consent with a home ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Closed {
    /// Why.
    pub reason: CloseReason,
    /// When: the attachment time of the rotation that ended it (set by
    /// the device, fine for showing), or the expiry.
    pub at: UnixMillis,
    /// The reception time of the last telegram read under the consent.
    pub last_telegram: Option<UnixMillis>,
}

/// What Wattt has read of one home's channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FollowCounts {
    /// Channel messages followed (every kind).
    pub messages: usize,
    /// `DATA` messages among them.
    pub data: usize,
    /// Telegrams in them.
    pub telegrams: usize,
    /// Key rotations that handed Wattt a new side key.
    pub rotations: usize,
    /// Messages that verified under the channel but were no device
    /// message (skipped, reading goes on).
    pub skipped: usize,
    /// Bundles at the channel's addresses that did not verify or open with
    /// the side key Wattt held (forgeries, junk, or a key that opens
    /// nothing: then reading stands still here).
    pub unreadable: usize,
}

/// What following one message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Followed {
    /// A `DATA` message with these telegrams.
    Data(Vec<TelegramRecord>),
    /// A key rotation with Wattt's entry: reading goes on under the new key.
    KeyRotated,
    /// The consent ended here; nothing more is read from this home.
    Closed(Closed),
    /// A message that is no device message, passed over.
    Skipped,
}

/// Why a message could not be followed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowError {
    /// No connection for this policy.
    #[error("no home with policy {0}")]
    UnknownPolicy(PolicyId),
    /// The consent has ended: nothing more is read.
    #[error("the consent ended")]
    Closed(Closed),
    /// The message is not the one at the connection's next root.
    #[error("the message at root {got} is not the next one ({expected})")]
    OutOfOrder {
        /// The root the connection reads next.
        expected: Hash81,
        /// The root the message was read at.
        got: String,
    },
    /// The message names a next root that is not 81 trytes.
    #[error("the message's next root is not 81 trytes")]
    NextRoot,
}

/// One home: the connection its `MAM_DATA` opened and what was read on it.
///
/// Serde keeps it in browser storage so a reload reads only new messages;
/// the side key in it is no more secret there than the seed beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Home {
    connection: Connection,
    granted_at: UnixMillis,
    /// The reception time of the last telegram read.
    #[serde(default)]
    last_telegram: Option<UnixMillis>,
    closed: Option<Closed>,
    counts: FollowCounts,
}

impl Home {
    /// A home whose keys (sent at `granted_at`) opened into `connection`.
    pub fn new(connection: Connection, granted_at: UnixMillis) -> Home {
        Home {
            connection,
            granted_at,
            last_telegram: None,
            closed: None,
            counts: FollowCounts::default(),
        }
    }

    /// The policy the home granted.
    pub fn policy_id(&self) -> &PolicyId {
        self.connection.policy_id()
    }

    /// The nonce of Wattt's request the policy answers.
    pub fn request_nonce(&self) -> &Hash81 {
        self.connection.request_nonce()
    }

    /// When its keys were attached (set by the sender).
    pub fn granted_at(&self) -> UnixMillis {
        self.granted_at
    }

    /// The root of the next message to read.
    pub fn next_root(&self) -> &Hash81 {
        self.connection.next_root()
    }

    /// The side key of the next message.
    pub fn side_key(&self) -> &SideKey {
        self.connection.side_key()
    }

    /// A cursor at the next root, for `Client::mam_read_next`.
    pub fn cursor(&self) -> MamCursor {
        MamCursor::new(self.next_root().as_trytes().clone())
    }

    /// The reception time of the last telegram read.
    pub fn last_telegram(&self) -> Option<UnixMillis> {
        self.last_telegram
    }

    /// Where the consent ended, if it did.
    pub fn closed(&self) -> Option<&Closed> {
        self.closed.as_ref()
    }

    /// Whether new messages are read from this home.
    pub fn is_reading(&self) -> bool {
        self.closed.is_none()
    }

    /// What was read so far.
    pub fn counts(&self) -> &FollowCounts {
        &self.counts
    }

    /// Closes the home when its consent has expired at `now`; whether it
    /// is closed now.
    pub fn expire(&mut self, now: UnixMillis) -> bool {
        if self.closed.is_none() {
            if let ConnectionState::Expired { at } = self.connection.state(now) {
                self.closed = Some(Closed {
                    reason: CloseReason::Expired,
                    at,
                    last_telegram: self.last_telegram,
                });
            }
        }
        self.closed.is_some()
    }

    /// Counts `bundles` read at the next root's address that did not
    /// verify or open with the side key.
    pub fn note_unreadable(&mut self, bundles: usize) {
        self.counts.unreadable += bundles;
    }

    /// Follows `fetched`, the message read at the next root with the side
    /// key (`keys` opens a rotation's entry). Nothing is read once the
    /// consent ended or expired at `now`.
    pub fn follow(
        &mut self,
        keys: &ProviderKeyPair,
        fetched: &FetchedMessage,
        now: UnixMillis,
    ) -> Result<Followed, FollowError> {
        self.expire(now);
        if let Some(closed) = self.closed {
            return Err(FollowError::Closed(closed));
        }
        if &fetched.root != self.next_root().as_trytes() {
            return Err(FollowError::OutOfOrder {
                expected: self.next_root().clone(),
                got: fetched.root.to_string(),
            });
        }
        let next_root = Hash81::from_trytes(fetched.parsed.next_root.clone())
            .map_err(|_| FollowError::NextRoot)?;
        self.counts.messages += 1;
        let Ok(message) = decode::<DeviceMessage>(&fetched.parsed.message) else {
            self.connection.skip(next_root);
            self.counts.skipped += 1;
            return Ok(Followed::Skipped);
        };
        Ok(match self.connection.follow(keys, &message, next_root) {
            FollowStep::Telegrams(telegrams) => {
                self.counts.data += 1;
                self.counts.telegrams += telegrams.len();
                if let Some(last) = telegrams.last() {
                    self.last_telegram = Some(last.timestamp);
                }
                Followed::Data(telegrams)
            }
            FollowStep::KeyRotated => {
                self.counts.rotations += 1;
                Followed::KeyRotated
            }
            FollowStep::Ended(ended) => {
                let closed = Closed {
                    reason: match ended.reason {
                        EndReason::LeftOut => CloseReason::LeftOut,
                        EndReason::KeyUnreadable => CloseReason::KeyUnreadable,
                    },
                    at: attached_at(fetched.attached_at),
                    last_telegram: ended.after,
                };
                self.closed = Some(closed);
                Followed::Closed(closed)
            }
        })
    }
}

/// An attachment time as a moment (a sender's negative one as the epoch).
pub(crate) fn attached_at(millis: i64) -> UnixMillis {
    UnixMillis::from_millis(u64::try_from(millis).unwrap_or(0))
}
