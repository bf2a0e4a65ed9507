//! Wattt's talk with the node: reading its own address for the keys homes
//! send, and following each home's restricted channel message by message.
//!
//! Everything here is `async` over `iri-client` (it fetches in the
//! browser); what a message means is decided by the pure
//! [`crate::provider`] state and `consent_protocol::provider`'s rules.

use consent_protocol::seal::ProviderKeyPair;
use consent_protocol::{PolicyId, TelegramRecord};
use iri_client::{Client, ClientError, InboxCursor, Transport};
use mam_lib::mam::Mode;
use mam_lib::time::UnixMillis;

use crate::provider::home::{attached_at, Closed, FollowError, Followed, Home};
use crate::provider::homes::{Homes, Received};
use crate::provider::identity::ProviderIdentity;
use crate::provider::requests::IssuedRequests;

/// What one read of Wattt's address found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxRead {
    /// Policies whose keys opened into a new connection.
    pub opened: Vec<PolicyId>,
    /// Transfers not taken (each counted in [`Homes::refused`]).
    pub refused: usize,
    /// Bundles at the address that were invalid (incomplete, altered).
    pub invalid_bundles: usize,
}

/// Reads what is new at `provider`'s address since `cursor`, to the end,
/// and hands every transfer to `homes` (opened with its keys for one of
/// `requests`). Save `cursor` with `InboxCursor::take_changes`.
pub async fn read_inbox<T: Transport>(
    client: &Client<T>,
    provider: &ProviderIdentity,
    cursor: &mut InboxCursor,
    requests: &mut IssuedRequests,
    homes: &mut Homes,
) -> Result<InboxRead, ClientError> {
    let mut read = InboxRead::default();
    loop {
        let now = UnixMillis::now().as_millis();
        let inbox = client
            .read_new_messages(&provider.address, cursor, now)
            .await?;
        read.invalid_bundles += inbox.invalid_bundles;
        for message in &inbox.messages {
            let at = attached_at(if message.attachment_timestamp > 0 {
                message.attachment_timestamp
            } else {
                message.timestamp.saturating_mul(1000)
            });
            match homes.receive(provider, requests, &message.message, at) {
                Received::Opened(policy_id) => read.opened.push(policy_id),
                Received::Refused(_) => read.refused += 1,
            }
        }
        if !inbox.more {
            return Ok(read);
        }
    }
}

/// How following a home's channel stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowEnd {
    /// Everything published so far was read.
    CaughtUp,
    /// The message limit of one call was reached: there may be more.
    Limit,
    /// The consent ended (now or before): nothing more is read.
    Closed(Closed),
    /// Two different messages verify under one root: reading stops there.
    Fork {
        /// The root.
        root: String,
        /// The bundles that carry them.
        bundles: Vec<String>,
    },
}

/// What one follow of a home's channel read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeRead {
    /// Messages followed.
    pub messages: usize,
    /// Telegrams among them.
    pub telegrams: usize,
    /// Bundles at the channel's addresses that did not verify or open.
    pub unreadable: usize,
    /// Why it stopped.
    pub end: FollowEnd,
}

/// Why a home could not be followed.
#[derive(Debug, thiserror::Error)]
pub enum FollowHomeError {
    /// The node failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// No home holds this policy.
    #[error("no home with policy {0}")]
    UnknownPolicy(PolicyId),
    /// The message read could not be followed (the node handed a message
    /// that is not the next one, or a bad next root).
    #[error(transparent)]
    Follow(#[from] FollowError),
}

/// Reads the channel of `policy_id`'s home from its next root with its side
/// key, message by message (`Client::mam_read_next`), until no more is
/// there, the consent ends or `limit` messages were followed. After every
/// message, `on_message` gets the home as it now stands and the telegrams
/// the message carried: take them there, so that a node failing later in
/// the call loses none of them.
pub async fn follow_home<T: Transport>(
    client: &Client<T>,
    keys: &ProviderKeyPair,
    homes: &mut Homes,
    policy_id: &PolicyId,
    limit: usize,
    mut on_message: impl FnMut(&Home, Vec<TelegramRecord>),
) -> Result<HomeRead, FollowHomeError> {
    let home = homes
        .get_mut(policy_id)
        .ok_or_else(|| FollowHomeError::UnknownPolicy(policy_id.clone()))?;
    let mut read = HomeRead {
        messages: 0,
        telegrams: 0,
        unreadable: 0,
        end: FollowEnd::CaughtUp,
    };
    let mut cursor = home.cursor();
    loop {
        let now = UnixMillis::now();
        home.expire(now);
        if let Some(closed) = home.closed() {
            read.end = FollowEnd::Closed(*closed);
            return Ok(read);
        }
        if read.messages >= limit {
            read.end = FollowEnd::Limit;
            return Ok(read);
        }
        let next = client
            .mam_read_next(
                &mut cursor,
                Mode::Restricted,
                Some(home.side_key()),
                now.as_millis(),
            )
            .await?;
        home.note_unreadable(next.skipped);
        read.unreadable += next.skipped;
        if let Some(fork) = next.fork {
            read.end = FollowEnd::Fork {
                root: fork.root.to_string(),
                bundles: fork.bundles.iter().map(ToString::to_string).collect(),
            };
            return Ok(read);
        }
        match next.message {
            Some(message) => {
                let followed = home.follow(keys, &message, now)?;
                read.messages += 1;
                match followed {
                    Followed::Data(telegrams) => {
                        read.telegrams += telegrams.len();
                        on_message(home, telegrams);
                    }
                    Followed::Closed(closed) => {
                        on_message(home, Vec::new());
                        read.end = FollowEnd::Closed(closed);
                        return Ok(read);
                    }
                    Followed::KeyRotated | Followed::Skipped => on_message(home, Vec::new()),
                }
            }
            None if next.more => {}
            None => return Ok(read),
        }
    }
}
