//! What My Home's pages show, folded from the [`EventLog`]: devices,
//! policies with their dates, and the history in words.

use std::collections::HashMap;

use consent_protocol::owner::{ConsentLedger, PolicyStatus};
use consent_protocol::{ConsentEvent, Policy, PolicyId};
use mam_lib::calendar::{civil_from_days, days_from_civil};
use mam_lib::ternary::{Hash81, Trytes};

use super::log::{EventLog, LoggedContent};

/// A policy as the policy list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRow {
    /// The policy as authorized.
    pub policy: Policy,
    /// What became of it, at the time the rows were made.
    pub status: PolicyStatus,
    /// When it was authorized (attachment time), Unix ms.
    pub granted_at: Option<i64>,
    /// When it was revoked or ended by a reset, Unix ms; for an expired
    /// policy, its `expiresAt`.
    pub ended_at: Option<i64>,
}

impl PolicyRow {
    /// The status in one word, as the list groups it.
    pub fn status_word(&self) -> &'static str {
        status_word(self.status)
    }
}

/// A status in one word.
pub fn status_word(status: PolicyStatus) -> &'static str {
    match status {
        PolicyStatus::InForce => "active",
        PolicyStatus::Expired => "expired",
        PolicyStatus::Revoked => "revoked",
        PolicyStatus::EndedByReset => "ended",
        PolicyStatus::NotApplied(_) => "not applied",
    }
}

/// A device as the device list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRow {
    /// Its address.
    pub address: Hash81,
    /// Whether it is the owner's now (added and not deleted since).
    pub added: bool,
    /// When it was last added, Unix ms.
    pub added_at: Option<i64>,
    /// The policies in force for it.
    pub active_policies: Vec<PolicyId>,
}

/// One line of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    /// Its position on the channel.
    pub position: u64,
    /// The root it is published under.
    pub root: Trytes,
    /// The bundle that carried it.
    pub bundle: Hash81,
    /// When it was attached, Unix ms.
    pub attached_at: i64,
    /// What happened, in words.
    pub title: String,
    /// The detail: device, provider, goal.
    pub detail: String,
    /// Why the device did not act on it, if it did not.
    pub ignored: Option<&'static str>,
}

/// Devices, policies and history of a log, at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeView {
    /// Every device the events name, in order of first mention.
    pub devices: Vec<DeviceRow>,
    /// Every policy, newest first.
    pub policies: Vec<PolicyRow>,
    /// Every message, newest first.
    pub history: Vec<HistoryLine>,
}

impl HomeView {
    /// The view of `log` at `now` (Unix ms).
    pub fn of(log: &EventLog, now: i64) -> HomeView {
        let ledger = log.ledger();
        let dates = Dates::of(log, &ledger);
        let now_at = super::log::at(now);
        let policies: Vec<PolicyRow> = ledger
            .policies()
            .iter()
            .rev()
            .map(|record| {
                let status = record.status_at(now_at);
                let ended_at = match status {
                    PolicyStatus::Expired => record
                        .policy
                        .expires_at
                        .map(|at| at.as_millis() as i64)
                        .or_else(|| dates.ended.get(&record.policy.id).copied()),
                    _ => dates.ended.get(&record.policy.id).copied(),
                };
                PolicyRow {
                    policy: record.policy.clone(),
                    status,
                    granted_at: dates.granted.get(&record.policy.id).copied(),
                    ended_at,
                }
            })
            .collect();
        let devices = ledger
            .devices()
            .iter()
            .map(|device| DeviceRow {
                address: device.address.clone(),
                added: device.added,
                added_at: dates.added.get(&device.address).copied(),
                active_policies: policies
                    .iter()
                    .filter(|p| {
                        p.policy.device.address == device.address
                            && p.status == PolicyStatus::InForce
                    })
                    .map(|p| p.policy.id.clone())
                    .collect(),
            })
            .collect();
        HomeView {
            devices,
            policies,
            history: history(log, &ledger),
        }
    }

    /// The devices the owner has now.
    pub fn paired_devices(&self) -> impl Iterator<Item = &DeviceRow> {
        self.devices.iter().filter(|d| d.added)
    }

    /// The policy `id`, if any.
    pub fn policy(&self, id: &PolicyId) -> Option<&PolicyRow> {
        self.policies.iter().find(|p| &p.policy.id == id)
    }
}

/// When things happened, from the attachment times of the events that did
/// them (events the devices ignored change nothing).
#[derive(Default)]
struct Dates {
    granted: HashMap<PolicyId, i64>,
    ended: HashMap<PolicyId, i64>,
    added: HashMap<Hash81, i64>,
}

impl Dates {
    fn of(log: &EventLog, ledger: &ConsentLedger) -> Dates {
        let mut dates = Dates::default();
        // The ledger's history holds the events of the log, in order.
        let applied = log
            .entries()
            .iter()
            .filter(|entry| entry.event().is_some())
            .zip(ledger.history());
        // Policies in force per device, to date the end a reset brings.
        let mut in_force: HashMap<Hash81, Vec<PolicyId>> = HashMap::new();
        for (entry, history) in applied {
            if history.ignored.is_some() {
                continue;
            }
            let at = entry.attached_at;
            match &history.event {
                ConsentEvent::Authorized { policy } => {
                    dates.granted.insert(policy.id.clone(), at);
                    dates.ended.remove(&policy.id);
                    in_force
                        .entry(policy.device.address.clone())
                        .or_default()
                        .push(policy.id.clone());
                }
                ConsentEvent::AuthorizationRevoked { policy } => {
                    dates.ended.insert(policy.id.clone(), at);
                    if let Some(ids) = in_force.get_mut(&policy.device.address) {
                        ids.retain(|id| id != &policy.id);
                    }
                }
                ConsentEvent::DeviceAdded { device } | ConsentEvent::DeviceDeleted { device } => {
                    if matches!(history.event, ConsentEvent::DeviceAdded { .. }) {
                        dates.added.insert(device.address.clone(), at);
                    }
                    for id in in_force.remove(&device.address).unwrap_or_default() {
                        dates.ended.entry(id).or_insert(at);
                    }
                }
            }
        }
        dates
    }
}

/// The log in words, newest first.
fn history(log: &EventLog, ledger: &ConsentLedger) -> Vec<HistoryLine> {
    let mut judged = ledger.history().iter();
    let mut lines: Vec<HistoryLine> = log
        .entries()
        .iter()
        .map(|entry| {
            let (title, detail, ignored) = match &entry.content {
                LoggedContent::Event { event } => {
                    let ignored = judged
                        .next()
                        .and_then(|h| h.ignored)
                        .map(|why| why.reason());
                    let (title, detail) = describe(event);
                    (title, detail, ignored)
                }
                LoggedContent::Unreadable { reason } => (
                    "Unreadable message".to_owned(),
                    format!("A message signed with your seed that is no consent event ({reason})."),
                    None,
                ),
            };
            HistoryLine {
                position: entry.position,
                root: entry.root.clone(),
                bundle: entry.bundle.clone(),
                attached_at: entry.attached_at,
                title,
                detail,
                ignored,
            }
        })
        .collect();
    lines.reverse();
    lines
}

/// An event's title and detail in words.
pub fn describe(event: &ConsentEvent) -> (String, String) {
    match event {
        ConsentEvent::DeviceAdded { device } => (
            "Device paired".into(),
            format!(
                "Meter reader {} now follows your consent.",
                short(&device.address)
            ),
        ),
        ConsentEvent::DeviceDeleted { device } => (
            "Device removed".into(),
            format!(
                "Meter reader {} ends every consent and ignores new ones.",
                short(&device.address)
            ),
        ),
        ConsentEvent::Authorized { policy } => (
            "Consent given".into(),
            format!(
                "{} may read meter {} for: {}{}",
                provider_name(policy),
                short(&policy.device.address),
                policy.goal,
                policy
                    .expires_at
                    .map(|at| format!(" (until {})", format_time(at.as_millis() as i64)))
                    .unwrap_or_default()
            ),
        ),
        ConsentEvent::AuthorizationRevoked { policy } => (
            "Consent revoked".into(),
            format!(
                "{} may no longer read meter {}",
                provider_name(policy),
                short(&policy.device.address)
            ),
        ),
    }
}

/// The provider of `policy` as the owner knows it: its web address's host.
pub fn provider_name(policy: &Policy) -> String {
    host_of(&policy.service_provider.url)
        .unwrap_or_else(|| short(&policy.service_provider.iota_address))
}

/// The host of an http(s) URL.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| host.to_owned())
}

/// The first nine trytes of an address and an ellipsis: enough to tell
/// one's own devices apart.
pub fn short(address: &Hash81) -> String {
    let text = address.to_string();
    format!("{}…", &text[..9])
}

/// A Unix time in milliseconds as `YYYY-MM-DD HH:MM UTC`.
pub fn format_time(ms: i64) -> String {
    let seconds = ms.div_euclid(1000);
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        of_day / 3600,
        of_day % 3600 / 60
    )
}

/// Unix ms of the start (00:00 UTC) of a `YYYY-MM-DD` date, as a date
/// input gives it; `None` for anything else.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month as u32, day as u32);
    let (back_year, back_month, back_day) = civil_from_days(days);
    // 2025-02-31 and the like do not exist.
    (back_year == year && i64::from(back_month) == month && i64::from(back_day) == day)
        .then_some(days * 86_400_000)
}
