//! The daemon's work besides reading the meter: one loop that answers
//! claims, follows the owner's channel, sends queued transfers, makes due
//! messages and attaches them, each step from and to the state file so
//! that any step can be cut off (node down, kill -9) and simply runs
//! again.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use consent_protocol::device::{ClaimDecision, EventDecision};
use iri_client::{Client, ClientError, InboxCursor};
use mam_lib::mam::Mode;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;
use tracing::{debug, info, warn};

use crate::claims::handle_transfer;
use crate::consent::{apply_event, expire};
use crate::publisher::{attach_next, device_tag, make_due_message, AttachSettings, BatchPolicy};
use crate::rotation::RotationError;
use crate::store::{Counter, Identity, Store};

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
}

/// The node-facing loop of a running device.
pub struct Daemon {
    store: Store,
    identity: Identity,
    client: Client,
    settings: DaemonSettings,
    last_poll: Option<Instant>,
    node_down_since: Option<Instant>,
    /// What was read at the device address: each poll fetches only new
    /// transfers (a flood of them costs one `findTransactions` a poll).
    inbox_cursor: InboxCursor,
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
        Ok(Daemon {
            store,
            identity,
            client,
            settings,
            last_poll: None,
            node_down_since: None,
            inbox_cursor: InboxCursor::new(),
            never_tried: HashSet::new(),
        })
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
        let poll_due = self
            .last_poll
            .is_none_or(|at| at.elapsed() >= self.settings.poll_interval);
        if poll_due {
            self.last_poll = Some(Instant::now());
            let polled = self
                .poll_inbox()
                .and_then(|inbox| self.poll_events().map(|events| inbox || events));
            self.node_result(polled)?;
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
        let made = make_due_message(
            &mut self.store,
            &self.identity.seed,
            &self.settings.batch,
            UnixMillis::now(),
        );
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
        if self.node_down_since.is_none() {
            self.node_down_since = Some(Instant::now());
            warn!(%error, "the node failed; telegrams wait in the outbox and are published when it is back");
        } else {
            debug!(%error, "the node still fails");
        }
        // Don't spin against a node that is down.
        std::thread::sleep(Duration::from_secs(1));
        Ok(())
    }

    /// Claims and answers at the device address.
    fn poll_inbox(&mut self) -> Result<bool, NodeStepError> {
        let address = self.identity.address.clone();
        let inbox = pollster::block_on(self.client.read_new_messages(
            &address,
            &mut self.inbox_cursor,
            UnixMillis::now().as_millis(),
        ))?;
        tracing::trace!(new = inbox.messages.len(), "device address read");
        let mut worked = false;
        for received in inbox.messages {
            let bundle = received.tail.as_str().to_owned();
            if self.store.db().is_processed(&bundle).map_err(local)? {
                continue;
            }
            worked = true;
            let identity = self.identity.clone();
            let decision = self
                .store
                .atomically(|db| -> Result<ClaimDecision, RotationError> {
                    let now = UnixMillis::now();
                    let decision = handle_transfer(db, &identity, &received.message, now)?;
                    db.mark_processed(&bundle, "inbox", decision.label(), now)?;
                    Ok(decision)
                })
                .map_err(|e| local(anyhow::Error::new(e)))?;
            match &decision {
                ClaimDecision::Paired {
                    owner, new_owner, ..
                } => {
                    info!(root = %owner.root, new_owner, "paired with My Home")
                }
                ClaimDecision::Refused { .. } => {
                    warn!("a claim answered with a wrong signed challenge was refused")
                }
                other => debug!(outcome = other.label(), "transfer at the device address"),
            }
        }
        Ok(worked)
    }

    /// New events on the owner's channel.
    fn poll_events(&mut self) -> Result<bool, NodeStepError> {
        let Some(pairing) = self.store.db().pairing().map_err(local)? else {
            return Ok(false);
        };
        let fetched = pollster::block_on(self.client.mam_fetch_all(
            pairing.next_event_root.as_trytes(),
            Mode::Private,
            None,
            Some(self.settings.events_per_poll),
        ))?;
        if fetched.skipped > 0 {
            self.store
                .db()
                .count(Counter::IgnoredEvents, fetched.skipped as i64)
                .map_err(local)?;
        }
        let worked = !fetched.messages.is_empty();
        for message in fetched.messages {
            let next = Hash81::from_trytes(message.parsed.next_root.clone())
                .map_err(|e| local(anyhow::anyhow!("next root of an event: {e}")))?;
            let identity = self.identity.clone();
            let decision = self
                .store
                .atomically(|db| -> Result<EventDecision, RotationError> {
                    let decision = apply_event(
                        db,
                        &identity,
                        &pairing,
                        &message.parsed.message,
                        message.parsed.security,
                        UnixMillis::now(),
                    )?;
                    db.advance_events(&next)?;
                    Ok(decision)
                })
                .map_err(|e| local(anyhow::Error::new(e)))?;
            log_event(&decision);
        }
        Ok(worked)
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
