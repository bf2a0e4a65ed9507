//! MAM over the node: attaching created messages and following a channel.

use std::collections::HashSet;

use mam_lib::bundle::Bundle;
use mam_lib::mam::{
    message_address, parse, CreatedMessage, MamError, Mode, ParsedMessage, SideKey,
};
use mam_lib::ternary::{Hash81, Tag27, Trytes};

use super::cursor::InboxCursor;
use super::send::message_bundle;
use super::{Client, ClientError, NonceSearch, PowMode, Transport};

/// A MAM message found on the tangle and verified against its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedMessage {
    /// The root it was published under.
    pub root: Trytes,
    /// The decrypted, verified message and the root of the next one.
    pub parsed: ParsedMessage,
    /// The tag of the bundle that carried it.
    pub tag: Tag27,
    /// The bundle that carried it.
    pub bundle: Hash81,
    /// When its sender says it was attached, Unix milliseconds (the
    /// attachment timestamp, or the issuance second where that is 0). Set
    /// by the sender: fine for showing when an event was recorded, never
    /// for choosing between messages.
    pub attached_at: i64,
}

/// The result of looking for the message under one root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MamFetch {
    /// The message, if one was published and verifies.
    pub message: Option<FetchedMessage>,
    /// Bundles at the address that were invalid or did not verify.
    pub skipped: usize,
    /// Set when two different messages verify under the root: then
    /// `message` is `None`.
    pub fork: Option<MamFork>,
}

/// Two or more different messages (content or next root) that all verify
/// under one root: a forgery by someone who holds the channel's key, or a
/// fork. Readers stop there; picking one (say by timestamp, which the
/// sender sets) would let whoever attached the other choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MamFork {
    /// The root both verify under.
    pub root: Trytes,
    /// The bundles that carried verifying messages, oldest first.
    pub bundles: Vec<Hash81>,
}

/// Where a reader that polls a channel again and again stands: the root of
/// the next message, and what was read at its address. Save it with
/// [`InboxCursor::take_changes`] and the root; rebuild it with
/// [`MamCursor::restore`].
#[derive(Debug, Clone)]
pub struct MamCursor {
    /// The root whose message is read next.
    pub root: Trytes,
    /// What was read at that root's address.
    pub inbox: InboxCursor,
    /// A fork found under `root`: the cursor stays there.
    pub fork: Option<MamFork>,
}

impl MamCursor {
    /// A cursor at `root` that has read nothing there.
    pub fn new(root: Trytes) -> MamCursor {
        MamCursor::restore(root, InboxCursor::new())
    }

    /// A cursor at `root` with what was read at its address.
    pub fn restore(root: Trytes, inbox: InboxCursor) -> MamCursor {
        MamCursor {
            root,
            inbox,
            fork: None,
        }
    }
}

/// One step of [`Client::mam_read_next`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MamNext {
    /// The message under the cursor's old root, if it was found (the
    /// cursor then stands at its next root).
    pub message: Option<FetchedMessage>,
    /// Bundles read at the address that were invalid or did not verify.
    pub skipped: usize,
    /// Whether transactions at the address were left for the next poll
    /// (the cursor's budget): poll again soon.
    pub more: bool,
    /// Set when two different messages verify under the cursor's root.
    pub fork: Option<MamFork>,
}

/// The result of following a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MamFetchAll {
    /// The messages found, in channel order.
    pub messages: Vec<FetchedMessage>,
    /// Where to continue later: the root with no message yet, or the next
    /// root after the last message when the limit was reached.
    pub next_root: Trytes,
    /// Bundles skipped along the way (invalid, or not verifying).
    pub skipped: usize,
    /// Set when two different messages verify under `next_root`: reading
    /// stopped there.
    pub fork: Option<MamFork>,
}

impl<T: Transport> Client<T> {
    /// Attaches a message made by [`mam_lib::mam::Channel::create`]: its
    /// payload as a zero-value transfer to its address, like `@iota/mam.js`'s
    /// `mamAttach`. Returns the attached bundle.
    pub async fn mam_attach(
        &self,
        message: &CreatedMessage,
        tag: &Tag27,
        min_weight_magnitude: u8,
        pow: PowMode,
    ) -> Result<Bundle, ClientError> {
        let bundle = mam_bundle(message, tag)?;
        self.send_bundle(&bundle, min_weight_magnitude, pow).await
    }

    /// [`Client::mam_attach`] with the proof of work done by `search`.
    pub async fn mam_attach_with(
        &self,
        message: &CreatedMessage,
        tag: &Tag27,
        min_weight_magnitude: u8,
        search: &impl NonceSearch,
    ) -> Result<Bundle, ClientError> {
        let bundle = mam_bundle(message, tag)?;
        self.send_bundle_with(&bundle, min_weight_magnitude, search)
            .await
    }

    /// The message published under `root`, if any. Bundles whose payload
    /// does not parse and verify are skipped and counted (a hostile
    /// transaction at the address must not hide the real message); the
    /// same message attached again counts once; two different messages
    /// that verify are reported as a [`MamFork`], never chosen between.
    pub async fn mam_fetch(
        &self,
        root: &Trytes,
        mode: Mode,
        side_key: Option<&SideKey>,
    ) -> Result<MamFetch, ClientError> {
        check_mode_key(mode, side_key)?;
        let address = mam_address(root, mode)?;
        let found = self.read_bundles(&address).await?;
        let verdict = verify_at(root, &address, &found.bundles, side_key);
        Ok(MamFetch {
            message: verdict.message,
            skipped: found.invalid_bundles + verdict.skipped,
            fork: verdict.fork,
        })
    }

    /// Follows the channel from `root`: each message names the root of the
    /// next, until a root has no message yet, `limit` messages were read
    /// (`None`: no limit) or a root holds a fork, like `@iota/mam.js`'s
    /// `mamFetchAll`. The messages before a fork are returned with it.
    pub async fn mam_fetch_all(
        &self,
        root: &Trytes,
        mode: Mode,
        side_key: Option<&SideKey>,
        limit: Option<usize>,
    ) -> Result<MamFetchAll, ClientError> {
        let limit = limit.unwrap_or(usize::MAX);
        let mut messages = Vec::new();
        let mut skipped = 0;
        let mut next_root = root.clone();
        let mut visited = HashSet::new();
        let mut fork = None;
        while messages.len() < limit && visited.insert(next_root.clone()) {
            let fetched = self.mam_fetch(&next_root, mode, side_key).await?;
            skipped += fetched.skipped;
            if fetched.fork.is_some() {
                fork = fetched.fork;
                break;
            }
            match fetched.message {
                Some(message) => {
                    next_root = message.parsed.next_root.clone();
                    messages.push(message);
                }
                None => break,
            }
        }
        Ok(MamFetchAll {
            messages,
            next_root,
            skipped,
            fork,
        })
    }

    /// The next message of a channel polled again and again: reads what is
    /// new at the address of `cursor.root` (bounded by its inbox cursor's
    /// budget; junk there is read once) and, when the message is found,
    /// moves the cursor to its next root with a fresh inbox cursor of the
    /// same budget. A fork leaves the cursor where it is, and every later
    /// call reports it again without asking the node.
    ///
    /// Two messages are compared when they are read in one call; one that
    /// arrives at an address the cursor has already left is not seen.
    pub async fn mam_read_next(
        &self,
        cursor: &mut MamCursor,
        mode: Mode,
        side_key: Option<&SideKey>,
        now_ms: u64,
    ) -> Result<MamNext, ClientError> {
        check_mode_key(mode, side_key)?;
        if let Some(fork) = &cursor.fork {
            return Ok(MamNext {
                message: None,
                skipped: 0,
                more: false,
                fork: Some(fork.clone()),
            });
        }
        let address = mam_address(&cursor.root, mode)?;
        let inbox = self
            .read_new_messages(&address, &mut cursor.inbox, now_ms)
            .await?;
        // The bundles as `verify_at` wants them: the inbox kept only what
        // a bundle sends to the address, which is all a MAM payload is.
        let verdict = verify_messages(
            &cursor.root,
            inbox.messages.iter().map(|m| {
                (
                    &m.message,
                    &m.tag,
                    &m.bundle,
                    attached_at(m.attachment_timestamp, m.timestamp),
                )
            }),
            side_key,
        );
        let skipped = inbox.invalid_bundles + verdict.skipped;
        if let Some(fork) = verdict.fork {
            cursor.fork = Some(fork.clone());
            return Ok(MamNext {
                message: None,
                skipped,
                more: inbox.more,
                fork: Some(fork),
            });
        }
        if let Some(message) = &verdict.message {
            let budget = cursor.inbox.budget();
            cursor.root = message.parsed.next_root.clone();
            cursor.inbox = InboxCursor::new().with_budget(budget);
        }
        Ok(MamNext {
            more: inbox.more && verdict.message.is_none(),
            message: verdict.message,
            skipped,
            fork: None,
        })
    }
}

/// A transaction's attachment time in Unix milliseconds: its attachment
/// timestamp, or its issuance second when it has none.
fn attached_at(attachment_timestamp_ms: i64, timestamp_s: i64) -> i64 {
    if attachment_timestamp_ms > 0 {
        attachment_timestamp_ms
    } else {
        timestamp_s.saturating_mul(1000)
    }
}

/// The address a root's message is attached to.
fn mam_address(root: &Trytes, mode: Mode) -> Result<Hash81, ClientError> {
    Ok(Hash81::from_trytes(message_address(root, mode)?).map_err(MamError::from)?)
}

/// What the bundles at a root's address say.
struct Verdict {
    message: Option<FetchedMessage>,
    fork: Option<MamFork>,
    skipped: usize,
}

fn verify_at(
    root: &Trytes,
    address: &Hash81,
    bundles: &[Bundle],
    side_key: Option<&SideKey>,
) -> Verdict {
    let payloads: Vec<(Trytes, &Tag27, &Hash81, i64)> = bundles
        .iter()
        .map(|bundle| {
            let tail = bundle.tail();
            (
                bundle.message_to(address),
                &tail.tag,
                bundle.hash(),
                attached_at(tail.attachment_timestamp, tail.timestamp),
            )
        })
        .collect();
    verify_messages(
        root,
        payloads
            .iter()
            .map(|(payload, tag, hash, at)| (payload, *tag, *hash, *at)),
        side_key,
    )
}

/// Parses each payload (oldest first) under `root`: the first message
/// that verifies, unless a different one verifies too (a fork). The same
/// message and next root in another bundle is a re-attachment, not a fork.
fn verify_messages<'a>(
    root: &Trytes,
    payloads: impl Iterator<Item = (&'a Trytes, &'a Tag27, &'a Hash81, i64)>,
    side_key: Option<&SideKey>,
) -> Verdict {
    let mut verified: Vec<FetchedMessage> = Vec::new();
    let mut skipped = 0;
    for (payload, tag, bundle, at) in payloads {
        match parse(payload, root, side_key) {
            Ok(parsed) => verified.push(FetchedMessage {
                root: root.clone(),
                parsed,
                tag: tag.clone(),
                bundle: bundle.clone(),
                attached_at: at,
            }),
            Err(_) => skipped += 1,
        }
    }
    let mut verified = verified.into_iter();
    let Some(first) = verified.next() else {
        return Verdict {
            message: None,
            fork: None,
            skipped,
        };
    };
    let rest: Vec<FetchedMessage> = verified.collect();
    let differs = |other: &FetchedMessage| {
        other.parsed.message != first.parsed.message
            || other.parsed.next_root != first.parsed.next_root
    };
    if rest.iter().any(differs) {
        let mut bundles = vec![first.bundle.clone()];
        bundles.extend(rest.iter().map(|m| m.bundle.clone()));
        return Verdict {
            message: None,
            fork: Some(MamFork {
                root: root.clone(),
                bundles,
            }),
            skipped,
        };
    }
    Verdict {
        message: Some(first),
        fork: None,
        skipped,
    }
}

/// The bundle that carries `message`: its payload as one zero-value
/// transfer to its address, issued now.
fn mam_bundle(message: &CreatedMessage, tag: &Tag27) -> Result<Bundle, ClientError> {
    let address = Hash81::from_trytes(message.address.clone()).map_err(MamError::from)?;
    message_bundle(&address, &message.payload, tag)
}

/// The side key is required in restricted mode and refused otherwise, as
/// the MAM libraries do.
fn check_mode_key(mode: Mode, side_key: Option<&SideKey>) -> Result<(), MamError> {
    match (mode, side_key) {
        (Mode::Restricted, None) => Err(MamError::MissingSideKey),
        (Mode::Public | Mode::Private, Some(_)) => Err(MamError::UnexpectedSideKey),
        _ => Ok(()),
    }
}
