//! What `pi-reader info` shows: the device's identity, pairing, providers,
//! queues and counters, read from the state file.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use consent_protocol::PairingLink;
use mam_lib::time::UnixMillis;
use serde::Serialize;

use crate::channel::{first_root, next_root, ChannelError};
use crate::store::{Counter, Store, StoreError};

/// How the owner pairs, as `info` says it.
pub const PAIR_HOW: &str = "open the pairing link, or in My Home > Pair a device paste it or scan the QR code (or enter the address and secret)";

/// The device's state, as `info` prints it (and `info --json` writes it).
#[derive(Debug, Serialize)]
pub struct DeviceStatus {
    /// Where My Home sends claims.
    pub address: String,
    /// The secret the owner enters in My Home.
    pub pairing_secret: String,
    /// The address and the secret as one My Home link that opens the
    /// pairing form filled in (`consent_protocol::pairing_link`).
    pub pairing_link: String,
    /// The root of the channel's first message.
    pub channel_root: String,
    /// The root the next message goes under.
    pub next_root: String,
    /// The owner's channel root, when paired.
    pub paired_root: Option<String>,
    /// Whether the owner deleted the device.
    pub deleted_by_owner: bool,
    /// Events read from the owner's channel.
    pub events_read: i64,
    /// Providers with consent.
    pub providers: Vec<ProviderStatus>,
    /// Telegrams waiting for a message.
    pub outbox: i64,
    /// Messages made.
    pub messages: i64,
    /// Messages made but not yet on the Tangle.
    pub messages_unattached: i64,
    /// Transfers queued and not yet sent.
    pub transfers_queued: usize,
    /// Counters by name.
    pub counters: BTreeMap<&'static str, i64>,
    /// Whether the owner's channel can be read, and whether the device
    /// fails closed (makes no new data) because it cannot.
    pub owner_channel: OwnerChannelStatus,
}

/// Whether the daemon can read the owner's channel, as it last recorded.
#[derive(Debug, Serialize)]
pub struct OwnerChannelStatus {
    /// No new data messages are made until the owner's events are read.
    pub fail_closed: bool,
    /// Since when reading has failed or not caught up, Unix milliseconds.
    pub failing_since: Option<UnixMillis>,
    /// Why (a node error, a fork of the owner's channel, a backlog).
    pub reason: Option<String>,
}

/// One authorized provider.
#[derive(Debug, Serialize)]
pub struct ProviderStatus {
    /// The policy.
    pub policy_id: String,
    /// The provider's address.
    pub address: String,
    /// Its web address.
    pub url: String,
    /// Why it reads.
    pub goal: String,
    /// When consent ends, Unix milliseconds.
    pub expires_at: Option<UnixMillis>,
}

/// Why the status could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    /// The state file failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The channel could not be computed.
    #[error(transparent)]
    Channel(#[from] ChannelError),
}

impl DeviceStatus {
    /// Reads the status (making the identity on first use, so the pairing
    /// secret can be shown before the daemon first runs); the pairing link
    /// points at `my_home_url`, where the owner's My Home is served.
    pub fn read(store: &Store, my_home_url: &str) -> Result<DeviceStatus, StatusError> {
        let db = store.db();
        let identity = db.identity_or_create(UnixMillis::now())?;
        let pairing = db.pairing()?;
        let (outbox, _) = db.outbox_summary()?;
        let (messages, messages_unattached) = db.message_counts()?;
        let health = db.owner_channel_health()?;
        let mut counters = BTreeMap::new();
        for counter in Counter::ALL {
            counters.insert(counter.name(), db.counter(counter)?);
        }
        let pairing_link = PairingLink {
            device: identity.address.clone(),
            secret: identity.pairing_secret.clone(),
        }
        .to_url(my_home_url);
        Ok(DeviceStatus {
            address: identity.address.as_str().to_owned(),
            pairing_secret: identity.pairing_secret.as_str().to_owned(),
            pairing_link,
            channel_root: first_root(&identity.seed)?.as_str().to_owned(),
            next_root: next_root(&db, &identity.seed)?.as_str().to_owned(),
            paired_root: pairing.as_ref().map(|p| p.root.as_str().to_owned()),
            deleted_by_owner: !db.device_active()?,
            events_read: pairing.as_ref().map_or(0, |p| p.events_read),
            providers: db
                .providers()?
                .into_iter()
                .map(|p| ProviderStatus {
                    policy_id: p.policy_id.to_string(),
                    address: p.address.as_str().to_owned(),
                    url: p.url,
                    goal: p.goal,
                    expires_at: p.expires_at,
                })
                .collect(),
            outbox,
            messages,
            messages_unattached,
            transfers_queued: db.queued_transfers()?.len(),
            counters,
            owner_channel: OwnerChannelStatus {
                fail_closed: health.fail_closed,
                failing_since: health.failing_since,
                reason: health.reason,
            },
        })
    }

    /// The status as text for a terminal; `qr` is the pairing link drawn
    /// as a QR code.
    pub fn to_text(&self, qr: Option<&str>) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "device address   {}", self.address);
        let _ = writeln!(out, "pairing secret   {}", self.pairing_secret);
        let _ = writeln!(out, "pairing link     {}", self.pairing_link);
        if let Some(qr) = qr {
            out.push('\n');
            out.push_str(qr);
            out.push('\n');
        }
        let _ = writeln!(out, "channel root     {}", self.channel_root);
        let _ = writeln!(out, "next root        {}", self.next_root);
        match (&self.paired_root, self.deleted_by_owner) {
            (Some(root), false) => {
                let _ = writeln!(
                    out,
                    "paired           yes, owner's channel {root} ({} events read)",
                    self.events_read
                );
            }
            (Some(_), true) => {
                let _ = writeln!(
                    out,
                    "paired           deleted by the owner: claim it again to use it"
                );
            }
            (None, _) => {
                let _ = writeln!(out, "paired           no: {PAIR_HOW}");
            }
        }
        let owner = &self.owner_channel;
        match (&owner.reason, owner.fail_closed) {
            (Some(reason), true) => {
                let _ = writeln!(
                    out,
                    "FAILING CLOSED   no new data until the owner's events are read (telegrams wait in the outbox): {reason}"
                );
            }
            (Some(reason), false) => {
                let _ = writeln!(out, "owner's channel  {reason}");
            }
            (None, true) => {
                let _ = writeln!(
                    out,
                    "FAILING CLOSED   no new data until the owner's events are read"
                );
            }
            (None, false) => {}
        }
        if self.providers.is_empty() {
            let _ = writeln!(out, "providers        none");
        } else {
            let _ = writeln!(out, "providers        {}", self.providers.len());
            for provider in &self.providers {
                let _ = writeln!(
                    out,
                    "  {}  {}  {}  ({})",
                    provider.policy_id, provider.url, provider.goal, provider.address
                );
            }
        }
        let _ = writeln!(
            out,
            "outbox           {} telegrams waiting, {} of {} messages not yet on the Tangle, {} transfers queued",
            self.outbox, self.messages_unattached, self.messages, self.transfers_queued
        );
        for (name, value) in &self.counters {
            let _ = writeln!(out, "  {name:<22} {value}");
        }
        out
    }
}
