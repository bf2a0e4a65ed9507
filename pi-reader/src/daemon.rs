//! The daemon's work besides reading the meter: one loop that answers
//! claims, follows the owner's channel, sends queued transfers, makes due
//! messages and attaches them, each step from and to the state file so
//! that any step can be cut off (node down, kill -9) and simply runs
//! again.
//!
//! The device address and the owner's channel are polled independently
//! (junk or a failure at one must not stop the other), each with a cursor
//! kept in the state file, so junk is downloaded once. When the owner's
//! channel cannot be read for [`DEFAULT_FAIL_CLOSED_AFTER`], the daemon
//! fails closed: telegrams stay in the outbox and no data message is made
//! until it has caught up with the owner's events again.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use consent_protocol::device::CHALLENGE_TTL;
use consent_protocol::device::{ClaimDecision, EventDecision};
use iri_client::{Client, ClientError, InboxCursor, MamCursor, MamFork};
use mam_lib::mam::Mode;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;
use tracing::{debug, error, info, warn};

use crate::claims::handle_transfer;
use crate::consent::{apply_event, expire};
use crate::publisher::{attach_next, device_tag, make_due_message, AttachSettings, BatchPolicy};
use crate::rotation::RotationError;
use crate::store::{Counter, CursorName, Identity, OwnerChannelHealth, Store};

/// How long the owner's channel may be unreadable before the daemon fails
/// closed (makes no new data messages), as the spec says; `run
/// --fail-closed-after` changes it.
pub const DEFAULT_FAIL_CLOSED_AFTER: Duration = Duration::from_secs(10 * 60);

/// How often handled transfers older than the challenge TTL are pruned.
const PRUNE_INTERVAL: Duration = Duration::from_secs(10 * 60);

/// How the daemon talks to the node and batches.
#[derive(Debug, Clone)]
pub struct DaemonSettings {
    /// How messages and transfers are attached.
    pub attach: AttachSettings,
    /// When telegrams become a message.
    pub batch: BatchPolicy,
    /// How often the device address and the owner's channel are read.
    pub poll_interval: Duration,
    /// Events read from the owner's channel per poll at most.
    pub events_per_poll: usize,
    /// How long the owner's channel may go unread before no new data is
    /// made ([`DEFAULT_FAIL_CLOSED_AFTER`] unless told otherwise).
    pub fail_closed_after: Duration,
}

/// The node-facing loop of a running device.
pub struct Daemon {
    store: Store,
    identity: Identity,
    client: Client,
    settings: DaemonSettings,
    last_inbox_poll: Option<Instant>,
    last_event_poll: Option<Instant>,
    last_prune: Option<Instant>,
    /// The last poll left transactions for the next one: poll again soon.
    inbox_more: bool,
    events_more: bool,
    node_down_since: Option<Instant>,
    /// What was read at the device address: each poll fetches only new
    /// transfers (a flood of them costs one `findTransactions` a poll).
    inbox_cursor: InboxCursor,
    /// Where the owner's channel is read, once paired.
    event_cursor: Option<MamCursor>,
    /// When the daemon last read all of the owner's channel there is.
    owner_caught_up_at: Instant,
    /// Whether the owner's channel can be read, as in the state file.
    owner_health: OwnerChannelHealth,
    fail_closed_after: Duration,
    /// Messages this process made and has not yet sent to the node: they
    /// cannot be there yet, so attaching them skips the check.
    never_tried: HashSet<i64>,
}

impl Daemon {
    /// A daemon over `store` (whose identity exists) talking to `client`.
    pub fn new(store: Store, client: Client, settings: DaemonSettings) -> Result<Daemon> {
        let identity = store
            .db()
            .identity_or_create(UnixMillis::now())
            .context("reading the device identity")?;
        let db = store.db();
        let stored = db
            .cursor(CursorName::Inbox)
            .context("reading the inbox cursor")?;
        let inbox_cursor = if stored.root.as_deref() == Some(identity.address.as_str()) {
            InboxCursor::restore(stored.consumed, stored.waiting)
        } else {
            db.reset_cursor(CursorName::Inbox, identity.address.as_str())
                .context("starting the inbox cursor")?;
            InboxCursor::new()
        };
        let owner_health = db
            .owner_channel_health()
            .context("reading the owner channel's health")?;
        let fail_closed_after = settings.fail_closed_after;
        // A restart does not restart the clock: reading has failed since
        // the recorded time (and had caught up before it, no later).
        let failing_for = owner_health.failing_since.map_or(Duration::ZERO, |since| {
            Duration::from_millis(
                UnixMillis::now()
                    .as_millis()
                    .saturating_sub(since.as_millis()),
            )
        });
        let owner_caught_up_at = Instant::now()
            .checked_sub(failing_for)
            .unwrap_or_else(Instant::now);
        info!(
            consumed = inbox_cursor.consumed(),
            waiting = inbox_cursor.waiting(),
            fail_closed = owner_health.fail_closed,
            "inbox cursor restored"
        );
        Ok(Daemon {
            store,
            identity,
            client,
            settings,
            last_inbox_poll: None,
            last_event_poll: None,
            last_prune: None,
            inbox_more: false,
            events_more: false,
            node_down_since: None,
            inbox_cursor,
            event_cursor: None,
            owner_caught_up_at,
            owner_health,
            fail_closed_after,
            never_tried: HashSet::new(),
        })
    }

    /// Whether the daemon makes no new data messages because it cannot
    /// read its owner's channel.
    pub fn is_failing_closed(&self) -> bool {
        self.owner_health.fail_closed
    }

    /// Runs until `stop` is set.
    pub fn run(&mut self, stop: &AtomicBool) -> Result<()> {
        while !stop.load(Ordering::Relaxed) {
            let worked = self.step()?;
            if !worked {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        Ok(())
    }

    /// One round of work; whether anything was done. Node failures are
    /// logged and retried next round; state file failures end the daemon.
    pub fn step(&mut self) -> Result<bool> {
        let mut worked = false;
        let interval = self.settings.poll_interval;
        if self.inbox_more
            || self
                .last_inbox_poll
                .is_none_or(|at| at.elapsed() >= interval)
        {
            self.last_inbox_poll = Some(Instant::now());
            let polled = self.poll_inbox();
            worked |= self.node_result(polled)?;
            self.prune_processed()?;
        }
        if self.events_more
            || self
                .last_event_poll
                .is_none_or(|at| at.elapsed() >= interval)
        {
            self.last_event_poll = Some(Instant::now());
            let polled = self.poll_events();
            let outcome = match &polled {
                Ok(EventPoll {
                    fork: Some(fork), ..
                }) => OwnerRead::Forked(fork.clone()),
                Ok(EventPoll { more: true, .. }) => OwnerRead::Behind,
                Ok(_) => OwnerRead::CaughtUp,
                Err(NodeStepError::Node(error)) => OwnerRead::Failed(error.to_string()),
                Err(NodeStepError::Local(_)) => OwnerRead::Behind,
            };
            worked |= self.node_result(polled.map(|poll| poll.worked))?;
            self.watch_owner_channel(outcome)?;
            let expired = self
                .store
                .atomically(|db| expire(db, &self.identity, UnixMillis::now()))
                .context("expiring consents")?;
            for policy in expired {
                info!(%policy, "consent expired: provider dropped, side key rotated");
            }
        }
        let sent = self.send_transfers();
        worked |= self.node_result(sent)?;
        let made = if self.owner_health.fail_closed {
            // Telegrams wait in the outbox until the owner's events are
            // read: a revocation may be among them.
            Ok(None)
        } else {
            make_due_message(
                &mut self.store,
                &self.identity.seed,
                &self.settings.batch,
                UnixMillis::now(),
            )
        };
        match made {
            Ok(None) => {}
            Ok(Some(made)) => {
                debug!(
                    seq = made.seq,
                    telegrams = made.telegrams,
                    "message created"
                );
                self.never_tried.insert(made.seq);
                worked = true;
            }
            Err(error) => return Err(anyhow::Error::new(error).context("creating a message")),
        }
        let attached = attach_next(
            &mut self.store,
            &self.client,
            &self.settings.attach,
            &mut self.never_tried,
            UnixMillis::now,
        );
        match attached {
            Ok(Some(done)) => {
                self.node_ok();
                let (_, waiting) = self.store.db().message_counts()?;
                info!(
                    seq = done.message.seq,
                    kind = ?done.message.kind,
                    telegrams = done.message.telegrams,
                    took_ms = done.took.as_millis() as u64,
                    already_there = done.already_there,
                    waiting,
                    "message on the Tangle"
                );
                worked = true;
            }
            Ok(None) => {}
            Err(crate::publisher::PublishError::Node(error)) => {
                self.node_failed(&error)?;
            }
            Err(error) => return Err(anyhow::Error::new(error).context("attaching a message")),
        }
        Ok(worked)
    }

    /// The identity the daemon runs as.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    fn node_result(&mut self, result: Result<bool, NodeStepError>) -> Result<bool> {
        match result {
            Ok(worked) => {
                self.node_ok();
                Ok(worked)
            }
            Err(NodeStepError::Node(error)) => {
                self.node_failed(&error)?;
                Ok(false)
            }
            Err(NodeStepError::Local(error)) => Err(error),
        }
    }

    fn node_ok(&mut self) {
        if let Some(since) = self.node_down_since.take() {
            info!(down_s = since.elapsed().as_secs(), "the node answers again");
        }
    }

    fn node_failed(&mut self, error: &ClientError) -> Result<()> {
        self.store.db().count(Counter::NodeErrors, 1)?;
        if let ClientError::TooManyResults { .. } = error {
            // Not an outage: someone put more transactions at an address
            // the device reads than the node lists. Retrying will not help;
            // the node's result cap must be raised.
            error!(%error, "an address the device reads is flooded past the node's result cap");
        } else if self.node_down_since.is_none() {
            self.node_down_since = Some(Instant::now());
            warn!(%error, "the node failed; telegrams wait in the outbox and are published when it is back");
        } else {
            debug!(%error, "the node still fails");
        }
        // Don't spin against a node that is down.
        std::thread::sleep(Duration::from_secs(1));
        Ok(())
    }

    /// Claims and answers at the device address: a poll's transfers are
    /// handled, and the cursor saved, in one transaction.
    fn poll_inbox(&mut self) -> Result<bool, NodeStepError> {
        let address = self.identity.address.clone();
        let inbox = pollster::block_on(self.client.read_new_messages(
            &address,
            &mut self.inbox_cursor,
            UnixMillis::now().as_millis(),
        ))?;
        self.inbox_more = inbox.more;
        tracing::trace!(
            new = inbox.messages.len(),
            more = inbox.more,
            waiting = self.inbox_cursor.waiting(),
            "device address read"
        );
        let changes = self.inbox_cursor.take_changes();
        let identity = self.identity.clone();
        let decisions = self
            .store
            .atomically(|db| -> Result<Vec<ClaimDecision>, RotationError> {
                let now = UnixMillis::now();
                let mut decisions = Vec::new();
                for received in &inbox.messages {
                    let tail = received.tail.as_str();
                    if db.is_processed(tail)? {
                        continue;
                    }
                    let decision = handle_transfer(db, &identity, &received.message, now)?;
                    db.mark_processed(tail, "inbox", decision.label(), now)?;
                    decisions.push(decision);
                }
                // Junk is in hand once (the cursor does not fetch it again),
                // so each lone transaction or broken bundle counts once.
                let junk = inbox.invalid_bundles + inbox.invalid_transactions;
                if junk > 0 {
                    db.count(
                        Counter::InvalidTransfers,
                        i64::try_from(junk).unwrap_or(i64::MAX),
                    )?;
                }
                db.save_cursor(CursorName::Inbox, &changes)?;
                if !inbox.more {
                    db.mark_caught_up(CursorName::Inbox, now)?;
                }
                Ok(decisions)
            })
            .map_err(|e| local(anyhow::Error::new(e).context("handling transfers")))?;
        for decision in &decisions {
            match decision {
                ClaimDecision::Paired {
                    owner, new_owner, ..
                } => {
                    info!(root = %owner.root, new_owner, "paired with My Home")
                }
                ClaimDecision::Refused { .. } | ClaimDecision::AlreadyPaired { .. } => {
                    warn!("a claim with the current pairing secret was refused: already paired")
                }
                ClaimDecision::Ignored(why) => {
                    warn!(
                        why = why.label(),
                        "a claim or answer was ignored and counted"
                    )
                }
                other => debug!(outcome = other.label(), "transfer at the device address"),
            }
        }
        Ok(!decisions.is_empty())
    }

    /// Forgets handled transfers older than the challenge TTL, once the
    /// inbox cursor has read everything at the device address once. Safe:
    /// from then on every transfer there is in the cursor's consumed rows
    /// (saved in the same transaction as its `processed` row), so it is
    /// never handed to the daemon again; the `processed` row only guarded
    /// state files from before the cursor was kept. The TTL adds a margin:
    /// a claim answer older than it names an expired challenge anyway.
    fn prune_processed(&mut self) -> Result<()> {
        if self
            .last_prune
            .is_some_and(|at| at.elapsed() < PRUNE_INTERVAL)
        {
            return Ok(());
        }
        let db = self.store.db();
        if db.cursor(CursorName::Inbox)?.caught_up_at.is_none() {
            return Ok(());
        }
        self.last_prune = Some(Instant::now());
        let before = UnixMillis::now().saturating_sub(CHALLENGE_TTL);
        let pruned = db
            .prune_processed(before)
            .context("pruning handled transfers")?;
        if pruned > 0 {
            debug!(
                pruned,
                "handled transfers older than the challenge TTL forgotten"
            );
        }
        Ok(())
    }

    /// New events on the owner's channel, read with a cursor kept in the
    /// state file: each event is applied, and the cursor moved, in one
    /// transaction.
    fn poll_events(&mut self) -> Result<EventPoll, NodeStepError> {
        let Some(pairing) = self.store.db().pairing().map_err(local)? else {
            self.event_cursor = None;
            self.events_more = false;
            return Ok(EventPoll::default());
        };
        let root = pairing.next_event_root.clone();
        let mut cursor = match self.event_cursor.take() {
            Some(cursor) if cursor.root == *root.as_trytes() => cursor,
            _ => {
                let db = self.store.db();
                let stored = db.cursor(CursorName::Events).map_err(local)?;
                if stored.root.as_deref() == Some(root.as_str()) {
                    MamCursor::restore(
                        root.as_trytes().clone(),
                        InboxCursor::restore(stored.consumed, stored.waiting),
                    )
                } else {
                    db.reset_cursor(CursorName::Events, root.as_str())
                        .map_err(local)?;
                    MamCursor::new(root.as_trytes().clone())
                }
            }
        };
        let result = self.read_events(&mut cursor, &pairing);
        self.event_cursor = Some(cursor);
        let poll = result?;
        self.events_more = poll.more;
        Ok(poll)
    }

    fn read_events(
        &mut self,
        cursor: &mut MamCursor,
        pairing: &crate::store::Pairing,
    ) -> Result<EventPoll, NodeStepError> {
        let mut poll = EventPoll::default();
        for _ in 0..self.settings.events_per_poll.max(1) {
            let next = pollster::block_on(self.client.mam_read_next(
                cursor,
                Mode::Private,
                None,
                UnixMillis::now().as_millis(),
            ))?;
            if next.skipped > 0 {
                self.store
                    .db()
                    .count(Counter::IgnoredEvents, next.skipped as i64)
                    .map_err(local)?;
            }
            let Some(message) = next.message else {
                let changes = cursor.inbox.take_changes();
                if !changes.is_empty() {
                    self.store
                        .atomically(|db| db.save_cursor(CursorName::Events, &changes))
                        .map_err(local)?;
                }
                poll.more = next.more;
                poll.fork = next.fork;
                return Ok(poll);
            };
            let next_root = Hash81::from_trytes(message.parsed.next_root.clone())
                .map_err(|e| local(anyhow::anyhow!("next root of an event: {e}")))?;
            let identity = self.identity.clone();
            let decision = self
                .store
                .atomically(|db| -> Result<EventDecision, RotationError> {
                    let decision = apply_event(
                        db,
                        &identity,
                        pairing,
                        &message.parsed.message,
                        message.parsed.security,
                        UnixMillis::now(),
                    )?;
                    db.advance_events(&next_root)?;
                    db.reset_cursor(CursorName::Events, next_root.as_str())?;
                    Ok(decision)
                })
                .map_err(|e| local(anyhow::Error::new(e)))?;
            log_event(&decision);
            poll.worked = true;
        }
        // The limit per poll was reached: there may be more events.
        poll.more = true;
        Ok(poll)
    }

    /// Fails closed when the owner's channel has not been read to its end
    /// for longer than allowed, and opens again once it has; the state
    /// file says why, for `info`.
    fn watch_owner_channel(&mut self, outcome: OwnerRead) -> Result<()> {
        let paired = self.store.db().pairing()?.is_some();
        let now = UnixMillis::now();
        let mut health = self.owner_health.clone();
        match (&outcome, paired) {
            (OwnerRead::CaughtUp, _) | (_, false) => {
                self.owner_caught_up_at = Instant::now();
                if health.fail_closed {
                    info!("the owner's channel is read again: publishing resumes");
                }
                health = OwnerChannelHealth::default();
            }
            (OwnerRead::Behind, true) => {
                health.failing_since.get_or_insert(now);
                if health.reason.is_none() {
                    health.reason =
                        Some("still reading the owner's channel (a backlog or junk)".into());
                }
            }
            (OwnerRead::Failed(error), true) => {
                health.failing_since.get_or_insert(now);
                health.reason = Some(format!("the owner's channel cannot be read: {error}"));
            }
            (OwnerRead::Forked(fork), true) => {
                health.failing_since.get_or_insert(now);
                let mut reason = format!(
                    "fork: two different events verify under the owner's root {}; bundles",
                    fork.root
                );
                for bundle in &fork.bundles {
                    let _ = write!(reason, " {bundle}");
                }
                if health.reason.as_deref() != Some(reason.as_str()) {
                    error!(root = %fork.root, bundles = fork.bundles.len(), "{reason}");
                }
                health.reason = Some(reason);
            }
        }
        if health.failing_since.is_some()
            && !health.fail_closed
            && self.owner_caught_up_at.elapsed() >= self.fail_closed_after
        {
            health.fail_closed = true;
            warn!(
                reason = health.reason.as_deref().unwrap_or(""),
                after_s = self.fail_closed_after.as_secs(),
                "failing closed: no new data until the owner's events are read; telegrams wait in the outbox"
            );
        }
        if health != self.owner_health {
            self.store
                .db()
                .set_owner_channel_health(&health)
                .context("recording the owner channel's health")?;
            self.owner_health = health;
        }
        Ok(())
    }

    /// Sends every queued transfer, oldest first.
    fn send_transfers(&mut self) -> Result<bool, NodeStepError> {
        let queued = self.store.db().queued_transfers().map_err(local)?;
        let tag = device_tag();
        let worked = !queued.is_empty();
        for transfer in queued {
            let bundle = pollster::block_on(self.client.send_message(
                &transfer.address,
                &transfer.message,
                &tag,
                self.settings.attach.min_weight_magnitude,
                self.settings.attach.pow,
            ))?;
            self.store
                .db()
                .mark_transfer_sent(transfer.id, bundle.hash().as_str(), UnixMillis::now())
                .map_err(local)?;
            info!(purpose = %transfer.purpose, to = %transfer.address, "transfer sent");
        }
        Ok(worked)
    }
}

/// What an applied event did, in the log.
fn log_event(decision: &EventDecision) {
    match decision {
        EventDecision::Ignore(why) => debug!(why = why.reason(), "event ignored"),
        EventDecision::Authorize(provider) => info!(
            policy = %provider.policy_id,
            provider = %provider.address,
            "consent given: the provider was sent the keys"
        ),
        EventDecision::Revoke { policy_id, staying } => info!(
            policy = %policy_id,
            staying = staying.len(),
            "consent revoked: the provider was dropped and the side key rotated"
        ),
        EventDecision::Reset(reset) => info!(
            device_active = reset.device_active,
            "reset: every provider dropped, the side key rotated for nobody"
        ),
    }
}

/// What one poll of the owner's channel did.
#[derive(Default)]
struct EventPoll {
    /// Events were applied.
    worked: bool,
    /// Events may be waiting beyond this poll's limits.
    more: bool,
    /// The channel forks at the cursor's root.
    fork: Option<MamFork>,
}

/// How reading the owner's channel went, for failing closed.
enum OwnerRead {
    /// Everything there is was read.
    CaughtUp,
    /// Read, but not to the end yet (or the state file failed).
    Behind,
    /// The node failed.
    Failed(String),
    /// Two events verify under one root.
    Forked(MamFork),
}

/// A failed step: the node (retried later) or this machine (fatal).
enum NodeStepError {
    Node(ClientError),
    Local(anyhow::Error),
}

impl From<ClientError> for NodeStepError {
    fn from(error: ClientError) -> NodeStepError {
        NodeStepError::Node(error)
    }
}

fn local(error: impl Into<anyhow::Error>) -> NodeStepError {
    NodeStepError::Local(error.into())
}
