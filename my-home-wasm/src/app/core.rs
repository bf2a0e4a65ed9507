//! The running home: its log, outbox, sync and pairing, behind one handle
//! the pages call. It owns the I/O ([`crate::tangle`]) and hands the pages
//! a [`Snapshot`] after every change.
//!
//! Nothing is held across an `await` but clones: the log and outbox live in
//! a `RefCell`, changed only between awaits, so the sync, the attaching of
//! pending events and a pairing can run side by side.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use browser_app::pow::Attacher;
use browser_app::settings::NodeSettings;
use browser_app::storage;
use consent_protocol::{ConsentEvent, Device, PairingSecret};
use iri_client::Client;
use mam_lib::seed::Seed;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;
use yew::Callback;

use crate::home::log::EventLog;
use crate::home::outbox::{Outbox, PendingEvent, Settled};
use crate::home::pairing::{PairStep, PairingProgress};
use crate::home::views::{describe, HomeView};
use crate::tangle::{self, Owner, ReadEnd};

/// How often the channel is read again and pending events retried.
const REFRESH: Duration = Duration::from_secs(15);

/// How long a recorded event may take to be read back before the owner is
/// told it is still pending.
const RECORD_PATIENCE: Duration = Duration::from_secs(120);

/// Where reading the channel stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncStatus {
    /// Not started.
    Starting,
    /// Reading: messages read so far.
    Reading {
        /// Messages in the log.
        read: u64,
    },
    /// Read to the end at this time (Unix ms).
    UpToDate {
        /// When.
        at: i64,
    },
    /// The last read failed.
    Failed {
        /// The client's error.
        error: String,
    },
    /// The channel forks: reading stopped.
    Fork {
        /// The root.
        root: String,
        /// The bundles.
        bundles: Vec<String>,
    },
}

/// What the pages show, after each change.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Devices, policies and history.
    pub view: Rc<HomeView>,
    /// Messages read.
    pub read: u64,
    /// Events on their way.
    pub pending: Vec<PendingEvent>,
    /// Reading.
    pub sync: SyncStatus,
    /// The pairing under way or last finished.
    pub pairing: Option<PairingProgress>,
    /// Things the owner should know (an event another browser superseded).
    pub notices: Vec<String>,
    /// Whether the cache was used at start.
    pub from_cache: bool,
}

struct State {
    log: EventLog,
    /// The fold of `log`, made again only when the log changes or a read
    /// ends (policies expire with time), not on every snapshot.
    view: Rc<HomeView>,
    outbox: Outbox,
    sync: SyncStatus,
    pairing: Option<PairingProgress>,
    notices: Vec<String>,
    from_cache: bool,
}

/// The running home.
pub struct Core {
    seed: Seed,
    owner: Owner,
    client: Client,
    attacher: Attacher,
    state: RefCell<State>,
    on_change: Callback<Snapshot>,
    syncing: Cell<bool>,
    /// Whether the last finished read reached the channel's end: only then
    /// is the next free position known.
    caught_up: Cell<bool>,
    /// Whether the cache in storage holds the log as last read.
    cache_written: Cell<bool>,
    attaching: Cell<bool>,
    stopped: Cell<bool>,
}

impl State {
    /// Takes `log` as the channel read so far, and folds it again.
    fn set_log(&mut self, log: EventLog) {
        self.view = Rc::new(HomeView::of(&log, UnixMillis::now().as_millis() as i64));
        self.log = log;
    }
}

impl PartialEq for Core {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Core {
    /// The home of `seed` (whose address is `address`) on the node
    /// `settings` name; `on_change` gets every new snapshot. Reads the
    /// cache and the outbox kept in this browser, if any.
    pub fn new(
        seed: Seed,
        address: Hash81,
        settings: &NodeSettings,
        on_change: Callback<Snapshot>,
    ) -> Result<Rc<Core>, String> {
        let root = tangle::channel_root(&seed).map_err(|e| e.to_string())?;
        let cached = storage::get(&log_key(&address))
            .ok()
            .flatten()
            .and_then(|text| EventLog::from_cache(&text, root.as_trytes()));
        let from_cache = cached.is_some();
        let log = cached.unwrap_or_else(|| EventLog::new(root.as_trytes().clone()));
        let outbox = storage::get(&outbox_key(&address))
            .ok()
            .flatten()
            .and_then(|text| Outbox::from_storage(&text))
            .unwrap_or_default();
        let core = Rc::new(Core {
            seed,
            owner: Owner { address, root },
            client: Client::new(settings.node_url.clone()),
            attacher: Attacher::new(settings.pow, settings.min_weight_magnitude),
            state: RefCell::new(State {
                view: Rc::new(HomeView::of(&log, UnixMillis::now().as_millis() as i64)),
                log,
                outbox,
                sync: SyncStatus::Starting,
                pairing: None,
                notices: Vec::new(),
                from_cache,
            }),
            on_change,
            syncing: Cell::new(false),
            caught_up: Cell::new(false),
            cache_written: Cell::new(false),
            attaching: Cell::new(false),
            stopped: Cell::new(false),
        });
        core.publish();
        Ok(core)
    }

    /// Starts reading, attaching what waits, and refreshing every few
    /// seconds until [`stop`](Self::stop).
    pub fn start(self: &Rc<Self>) {
        let core = Rc::clone(self);
        yew::platform::spawn_local(async move {
            core.attach_waiting().await;
            while !core.stopped.get() {
                core.sync().await;
                tangle::sleep(REFRESH).await;
                if !core.stopped.get() {
                    core.attach_waiting().await;
                }
            }
        });
    }

    /// Stops the refresh loop (the seed or the settings changed).
    pub fn stop(&self) {
        self.stopped.set(true);
    }

    /// Reads the channel to its end now.
    pub async fn sync(self: &Rc<Self>) {
        if self.syncing.replace(true) {
            return;
        }
        let mut log = self.state.borrow().log.clone();
        {
            let mut state = self.state.borrow_mut();
            state.sync = SyncStatus::Reading { read: log.len() };
        }
        self.publish();
        let outcome = tangle::read_channel(&self.client, &mut log, |progress| {
            let mut state = self.state.borrow_mut();
            state.set_log(progress.clone());
            state.sync = SyncStatus::Reading {
                read: progress.len(),
            };
            drop(state);
            self.publish();
        })
        .await;
        {
            let mut state = self.state.borrow_mut();
            let read_more = log.len() != state.log.len();
            // Folded again even when nothing was read: consents expire.
            state.set_log(log);
            state.sync = match outcome {
                Ok(ReadEnd::CaughtUp) => SyncStatus::UpToDate {
                    at: UnixMillis::now().as_millis() as i64,
                },
                Ok(ReadEnd::Fork { root, bundles }) => SyncStatus::Fork { root, bundles },
                Err(error) => SyncStatus::Failed {
                    error: format!("{} ({error})", self.client.url()),
                },
            };
            self.caught_up
                .set(matches!(state.sync, SyncStatus::UpToDate { .. }));
            let settled = {
                let State { log, outbox, .. } = &mut *state;
                outbox.settle(log)
            };
            for superseded in settled.iter().filter_map(|s| match s {
                Settled::Superseded(p) => Some(p),
                Settled::Recorded(_) => None,
            }) {
                let (title, detail) = describe(&superseded.event);
                state.notices.push(format!(
                    "Not recorded: “{title}” ({detail}). Another browser with your seed recorded \
                     a different event at the same place on your channel. Check the history and \
                     do it again if it is still needed."
                ));
            }
            if read_more || !self.cache_written.get() {
                let written = storage::set(&log_key(&self.owner.address), &state.log.to_cache());
                self.cache_written.set(written.is_ok());
            }
            if !settled.is_empty() {
                let _ = storage::set(&outbox_key(&self.owner.address), &state.outbox.to_storage());
            }
        }
        self.syncing.set(false);
        self.publish();
    }

    /// Records `event` on the channel: made at the next free position,
    /// kept in the outbox (and browser storage), then attached. Returns the
    /// position; the event counts as recorded only once read back
    /// ([`wait_recorded`](Self::wait_recorded)).
    pub fn record(self: &Rc<Self>, event: ConsentEvent) -> Result<u64, String> {
        if !self.caught_up.get() {
            return Err(
                "Your channel has not been read to its end yet, so the place of a new \
                        event is not known: wait until the line above says it is up to date \
                        (check the node in Settings if it does not), then try again."
                    .into(),
            );
        }
        let position = {
            let mut state = self.state.borrow_mut();
            let position = state.outbox.next_position(&state.log);
            let pending = tangle::make_pending(&self.seed, position, event)
                .map_err(|error| format!("the event could not be made: {error}"))?;
            state.outbox.push(pending);
            storage::set(&outbox_key(&self.owner.address), &state.outbox.to_storage())
                .map_err(|error| format!("this browser did not let the event be kept: {error}"))?;
            position
        };
        self.publish();
        let core = Rc::clone(self);
        yew::platform::spawn_local(async move { core.attach_waiting().await });
        Ok(position)
    }

    /// Waits until the event at `position` is read back from the channel:
    /// `Ok` when it is there, `Err` with the reason when another message
    /// took its place or it is still pending after a while.
    pub async fn wait_recorded(self: &Rc<Self>, position: u64) -> Result<(), String> {
        let started = UnixMillis::now();
        loop {
            {
                let state = self.state.borrow();
                let waiting = state
                    .outbox
                    .pending()
                    .iter()
                    .any(|p| p.position == position);
                if !waiting && state.log.len() > position {
                    return Ok(());
                }
                if !waiting {
                    return Err("another message took its place on your channel".into());
                }
                if UnixMillis::now().since(started) > RECORD_PATIENCE {
                    let why = state
                        .outbox
                        .pending()
                        .iter()
                        .find(|p| p.position == position)
                        .and_then(|p| p.last_error.clone())
                        .unwrap_or_else(|| "the node has not shown it yet".into());
                    return Err(format!(
                        "it is not on the Tangle yet ({why}); it stays pending and is retried"
                    ));
                }
            }
            self.attach_waiting().await;
            self.sync().await;
            tangle::sleep(Duration::from_millis(700)).await;
        }
    }

    /// Attaches the events waiting in the outbox, oldest first, stopping at
    /// the first failure (retried on the next refresh).
    pub async fn attach_waiting(self: &Rc<Self>) {
        if self.attaching.replace(true) {
            return;
        }
        let mut attached_any = false;
        loop {
            let next = self.state.borrow().outbox.next_to_attach().cloned();
            let Some(pending) = next else { break };
            let outcome = tangle::attach_pending(&self.client, &self.attacher, &pending).await;
            let failed = outcome.is_err();
            {
                let mut state = self.state.borrow_mut();
                state
                    .outbox
                    .attempted(pending.position, outcome.map_err(|e| e.to_string()));
                let _ = storage::set(&outbox_key(&self.owner.address), &state.outbox.to_storage());
            }
            self.publish();
            if failed {
                break;
            }
            attached_any = true;
        }
        self.attaching.set(false);
        if attached_any {
            self.sync().await;
        }
    }

    /// Pairs `device` with `secret`, then records `DEVICE_ADDED`; the
    /// progress is in the snapshot's `pairing`.
    pub fn pair(self: &Rc<Self>, device: Hash81, secret: PairingSecret) {
        if self
            .state
            .borrow()
            .pairing
            .as_ref()
            .is_some_and(|p| !p.is_finished())
        {
            return;
        }
        self.state.borrow_mut().pairing = Some(PairingProgress::start(device.clone()));
        self.publish();
        let core = Rc::clone(self);
        yew::platform::spawn_local(async move {
            let step = |step: PairStep| core.update_pairing(|p| p.advance(step));
            let handshake = tangle::pair(
                &core.client,
                &core.attacher,
                &core.owner,
                &device,
                secret,
                step,
            )
            .await;
            if let Err(failure) = handshake {
                core.update_pairing(|p| p.fail(failure.clone()));
                return;
            }
            core.update_pairing(|p| p.advance(PairStep::RecordingDevice));
            let event = ConsentEvent::DeviceAdded {
                device: Device {
                    address: device.clone(),
                },
            };
            let recorded = match core.record(event) {
                Ok(position) => core.wait_recorded(position).await,
                Err(error) => Err(error),
            };
            match recorded {
                Ok(()) => core.update_pairing(|p| p.advance(PairStep::Done)),
                Err(error) => core.update_pairing(|p| {
                    p.fail(crate::home::pairing::PairFailure::Node {
                        error: format!("the device accepted, but recording it failed: {error}"),
                    })
                }),
            }
        });
    }

    /// Forgets a finished pairing (the form is shown again).
    pub fn clear_pairing(&self) {
        let mut state = self.state.borrow_mut();
        if state
            .pairing
            .as_ref()
            .is_some_and(PairingProgress::is_finished)
        {
            state.pairing = None;
        }
        drop(state);
        self.publish();
    }

    /// Dismisses the notices.
    pub fn clear_notices(&self) {
        self.state.borrow_mut().notices.clear();
        self.publish();
    }

    /// The owner's address and channel root.
    pub fn owner(&self) -> &Owner {
        &self.owner
    }

    /// The node's URL.
    pub fn node_url(&self) -> &str {
        self.client.url()
    }

    fn update_pairing(&self, change: impl FnOnce(&mut PairingProgress)) {
        if let Some(pairing) = self.state.borrow_mut().pairing.as_mut() {
            change(pairing);
        }
        self.publish();
    }

    fn publish(&self) {
        let state = self.state.borrow();
        let snapshot = Snapshot {
            view: Rc::clone(&state.view),
            read: state.log.len(),
            pending: state.outbox.pending().to_vec(),
            sync: state.sync.clone(),
            pairing: state.pairing.clone(),
            notices: state.notices.clone(),
            from_cache: state.from_cache,
        };
        drop(state);
        self.on_change.emit(snapshot);
    }
}

fn log_key(address: &Hash81) -> String {
    format!("my-home.log.{address}")
}

fn outbox_key(address: &Hash81) -> String {
    format!("my-home.outbox.{address}")
}
