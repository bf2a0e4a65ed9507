//! The running provider: its requests, inbox, homes and readings, the
//! reading loop and the cache, behind one handle the pages call. It owns
//! the I/O ([`crate::tangle`], [`crate::store::cache`]) and hands the pages
//! a [`Snapshot`] after every change.
//!
//! Nothing is borrowed across an `await`: the loop takes copies of the
//! homes and cursor out of the state, reads, and puts them back with the
//! readings, so the pages can act (issue a request) while it reads.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use browser_app::consent_link::ConsentRequest;
use browser_app::storage;
use consent_protocol::TelegramRecord;
use iri_client::Client;
use mam_lib::seed::Seed;
use mam_lib::time::UnixMillis;
use yew::Callback;

use crate::energy::{Reading, ReadingFromRecord};
use crate::provider::homes::Homes;
use crate::provider::identity::ProviderIdentity;
use crate::provider::requests::{IssuedRequest, IssuedRequests};
use crate::store::cache::{Cache, NewChunk};
use crate::store::saved::{SavedInbox, SavedState};
use crate::tangle::{follow_home, read_inbox, FollowEnd};
use crate::view::links;
use crate::view::period::Period;

/// How often the address and the channels are read again.
const REFRESH: Duration = Duration::from_secs(5);

/// Messages followed between two saves (and two snapshots).
const BATCH: usize = 150;

/// Where reading stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncStatus {
    /// Loading the cache.
    Starting,
    /// Reading the address or a channel.
    Reading,
    /// Everything published was read at this time.
    UpToDate {
        /// When.
        at: UnixMillis,
    },
    /// The node did not answer; retried every few seconds.
    Failed {
        /// The client's error.
        error: String,
    },
}

/// One home's reading progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Messages followed since the page loaded.
    pub messages: usize,
    /// Readings from them.
    pub readings: usize,
}

/// What the pages show, after each change.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The homes and what was refused at the address.
    pub homes: Rc<Homes>,
    /// Each home's readings, by policy id, in channel order.
    pub readings: BTreeMap<String, Rc<Vec<Reading>>>,
    /// Telegrams that did not read as a meter reading, by policy id.
    pub unreadable_telegrams: BTreeMap<String, usize>,
    /// The requests issued.
    pub requests: Rc<IssuedRequests>,
    /// Reading.
    pub sync: SyncStatus,
    /// The home read now, and how far.
    pub reading: Option<(String, Progress)>,
    /// Whether the cache was used at start, and how many readings it held.
    pub from_cache: Option<usize>,
    /// Why the cache is not used, if it is not.
    pub cache_problem: Option<String>,
}

struct State {
    requests: IssuedRequests,
    inbox: SavedInbox,
    homes: Homes,
    readings: BTreeMap<String, Rc<Vec<Reading>>>,
    unreadable_telegrams: BTreeMap<String, usize>,
    chunks: BTreeMap<String, u32>,
    sync: SyncStatus,
    reading: Option<(String, Progress)>,
    from_cache: Option<usize>,
    cache_problem: Option<String>,
}

/// The running provider.
pub struct Core {
    identity: ProviderIdentity,
    client: Client,
    state: RefCell<State>,
    cache: RefCell<Option<Rc<Cache>>>,
    on_change: Callback<Snapshot>,
    stopped: Cell<bool>,
    /// Set to start the next read at once (after a cache reset).
    wake: Cell<bool>,
    /// Bumped when the cache is deleted: a read that started before
    /// then is dropped instead of written back over the emptied state.
    generation: Cell<u64>,
}

impl PartialEq for Core {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Core {
    /// The provider of `seed` reading from `node_url`; `on_change` gets
    /// every new snapshot. The requests kept in this browser are read.
    pub fn new(seed: &Seed, node_url: &str, on_change: Callback<Snapshot>) -> Rc<Core> {
        let identity = ProviderIdentity::from_seed(seed);
        let requests = storage::get(&requests_key(&identity))
            .ok()
            .flatten()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        Rc::new(Core {
            client: Client::new(node_url),
            identity,
            state: RefCell::new(State {
                requests,
                inbox: SavedInbox::default(),
                homes: Homes::default(),
                readings: BTreeMap::new(),
                unreadable_telegrams: BTreeMap::new(),
                chunks: BTreeMap::new(),
                sync: SyncStatus::Starting,
                reading: None,
                from_cache: None,
                cache_problem: None,
            }),
            cache: RefCell::new(None),
            on_change,
            stopped: Cell::new(false),
            wake: Cell::new(false),
            generation: Cell::new(0),
        })
    }

    /// The provider's address, keys and nonces.
    pub fn identity(&self) -> &ProviderIdentity {
        &self.identity
    }

    /// Loads the cache, then reads until [`Core::stop`].
    pub fn start(self: &Rc<Self>) {
        let core = Rc::clone(self);
        yew::platform::spawn_local(async move {
            core.load_cache().await;
            while !core.stopped.get() {
                core.sync().await;
                let mut waited = Duration::ZERO;
                while waited < REFRESH && !core.stopped.get() && !core.wake.replace(false) {
                    sleep(Duration::from_millis(250)).await;
                    waited += Duration::from_millis(250);
                }
            }
        });
        self.publish();
    }

    /// Stops reading (the page changed seed or node).
    pub fn stop(&self) {
        self.stopped.set(true);
    }

    /// Issues a consent request for `goal` over `period` and returns the
    /// link to My Home's consent page at `my_home_url`. The request is
    /// kept in storage first: keys that answer it are recognised anyway
    /// (its nonce comes from the seed), but its goal would be lost.
    pub fn ask(
        &self,
        goal: &str,
        period: Period,
        my_home_url: &str,
        page_url: &str,
    ) -> Result<String, String> {
        let goal = goal.trim();
        if goal.is_empty() {
            return Err("Say what the data is for: the home sees this before it decides.".into());
        }
        links::check_my_home_url(my_home_url)?;
        let now = UnixMillis::now();
        let request: IssuedRequest = {
            let mut state = self.state.borrow_mut();
            let request =
                state
                    .requests
                    .issue(&self.identity, goal.to_owned(), now, period.expires_at(now));
            let json = serde_json::to_string(&state.requests).unwrap_or_default();
            storage::set(&requests_key(&self.identity), &json).map_err(|error| {
                format!("This browser did not let the request be kept: {error}")
            })?;
            request
        };
        let link = ConsentRequest {
            provider_address: self.identity.address.clone(),
            public_key: self.identity.keys.public_key().clone(),
            goal: request.goal.clone(),
            return_url: links::return_url(page_url, request.index.unwrap_or_default()),
            nonce: request.nonce.clone(),
            expires_at: request.expires_at,
            provider_name: Some("Wattt Insights".into()),
        }
        .to_url(my_home_url);
        self.publish();
        Ok(link)
    }

    /// Deletes the cache and reads everything again from the node.
    pub fn reset_cache(self: &Rc<Self>) {
        let core = Rc::clone(self);
        core.generation.set(core.generation.get() + 1);
        yew::platform::spawn_local(async move {
            let cache = core.cache.borrow().clone();
            if let Some(cache) = cache {
                if let Err(error) = cache.clear().await {
                    core.state.borrow_mut().cache_problem = Some(error.to_string());
                }
            }
            {
                let mut state = core.state.borrow_mut();
                state.inbox = SavedInbox::default();
                state.homes = Homes::default();
                state.readings.clear();
                state.unreadable_telegrams.clear();
                state.chunks.clear();
                state.from_cache = None;
            }
            core.wake.set(true);
            core.publish();
        });
    }

    async fn load_cache(self: &Rc<Self>) {
        match Cache::open(self.identity.address.as_str()).await {
            Ok(cache) => {
                match cache.load().await {
                    Ok(Some(loaded)) => {
                        let mut state = self.state.borrow_mut();
                        let count = loaded.readings.values().map(Vec::len).sum();
                        state.inbox = loaded.state.inbox;
                        state.homes = loaded.state.homes;
                        state.chunks = loaded.state.chunks;
                        state.readings = loaded
                            .readings
                            .into_iter()
                            .map(|(policy, readings)| (policy, Rc::new(readings)))
                            .collect();
                        state.from_cache = Some(count);
                        if loaded.damaged > 0 {
                            state.cache_problem =
                                Some(format!("{} damaged chunks were dropped", loaded.damaged));
                        }
                    }
                    Ok(None) => {}
                    Err(error) => {
                        self.state.borrow_mut().cache_problem = Some(error.to_string());
                    }
                }
                *self.cache.borrow_mut() = Some(Rc::new(cache));
            }
            Err(error) => self.state.borrow_mut().cache_problem = Some(error.to_string()),
        }
        self.publish();
    }

    /// Reads the address, then every home still reading, to the end.
    async fn sync(self: &Rc<Self>) {
        self.set_sync(SyncStatus::Reading);
        match self.sync_once().await {
            Ok(()) => self.set_sync(SyncStatus::UpToDate {
                at: UnixMillis::now(),
            }),
            Err(error) => self.set_sync(SyncStatus::Failed { error }),
        }
    }

    async fn sync_once(self: &Rc<Self>) -> Result<(), String> {
        let generation = self.generation.get();
        let (mut requests, mut homes, inbox) = {
            let state = self.state.borrow();
            (
                state.requests.clone(),
                state.homes.clone(),
                state.inbox.clone(),
            )
        };
        let mut cursor = inbox.cursor();
        let read = read_inbox(
            &self.client,
            &self.identity,
            &mut cursor,
            &mut requests,
            &mut homes,
        )
        .await
        .map_err(|e| e.to_string())?;
        let changes = cursor.take_changes();
        if self.generation.get() != generation {
            // The cache was deleted meanwhile: this read is of the old state.
            return Ok(());
        }
        if !changes.is_empty() || !read.opened.is_empty() {
            {
                let mut state = self.state.borrow_mut();
                state.inbox.apply(changes);
                state.homes = homes;
                // Only what the read learnt goes into the requests: a
                // request issued while it ran stays (copying `requests`
                // back would drop it and hand its number out again).
                let before = state.requests.clone();
                for policy in &read.opened {
                    if let Some(home) = state.homes.get(policy).cloned() {
                        state.requests.answered(
                            &self.identity,
                            home.request_nonce(),
                            home.granted_at(),
                        );
                    }
                }
                if state.requests != before {
                    let json = serde_json::to_string(&state.requests).unwrap_or_default();
                    let _ = storage::set(&requests_key(&self.identity), &json);
                }
            }
            self.save(Vec::new()).await;
            self.publish();
        }
        let reading: Vec<String> = self
            .state
            .borrow()
            .homes
            .list()
            .iter()
            .filter(|home| home.is_reading())
            .map(|home| home.policy_id().as_str().to_owned())
            .collect();
        for policy in reading {
            self.follow(&policy).await?;
        }
        self.state.borrow_mut().reading = None;
        Ok(())
    }

    /// Follows one home to the end of what is published, a batch at a
    /// time, saving after each.
    async fn follow(self: &Rc<Self>, policy: &str) -> Result<(), String> {
        let mut progress = Progress::default();
        loop {
            if self.stopped.get() {
                return Ok(());
            }
            let generation = self.generation.get();
            let mut homes = self.state.borrow().homes.clone();
            let Some(policy_id) = homes
                .list()
                .iter()
                .find(|h| h.policy_id().as_str() == policy)
                .map(|h| h.policy_id().clone())
            else {
                return Ok(());
            };
            let mut telegrams: Vec<TelegramRecord> = Vec::new();
            let result = follow_home(
                &self.client,
                &self.identity.keys,
                &mut homes,
                &policy_id,
                BATCH,
                |_, new| telegrams.extend(new),
            )
            .await;
            if self.generation.get() != generation {
                // The cache was deleted meanwhile: start again from it.
                return Ok(());
            }
            let (readings, unreadable) = to_readings(&telegrams);
            let followed = result.as_ref().map(|read| read.messages).unwrap_or(0);
            progress.messages += followed;
            progress.readings += readings.len();
            {
                let mut state = self.state.borrow_mut();
                state.homes = homes;
                if !readings.is_empty() {
                    Rc::make_mut(state.readings.entry(policy.to_owned()).or_default())
                        .extend_from_slice(&readings);
                }
                if unreadable > 0 {
                    *state
                        .unreadable_telegrams
                        .entry(policy.to_owned())
                        .or_default() += unreadable;
                }
                state.reading = Some((policy.to_owned(), progress));
            }
            let chunk = (!readings.is_empty()).then(|| NewChunk {
                policy_id: policy.to_owned(),
                number: 0,
                readings,
            });
            self.save(chunk.into_iter().collect()).await;
            self.publish();
            match result {
                Ok(read) if read.end == FollowEnd::Limit => {}
                Ok(_) => return Ok(()),
                Err(error) => return Err(error.to_string()),
            }
        }
    }

    /// Saves the state with `chunks` (numbered here) in one transaction.
    async fn save(&self, mut chunks: Vec<NewChunk>) {
        let Some(cache) = self.cache.borrow().clone() else {
            return;
        };
        let saved = {
            let mut state = self.state.borrow_mut();
            for chunk in &mut chunks {
                let count = state.chunks.entry(chunk.policy_id.clone()).or_default();
                chunk.number = *count;
                *count += 1;
            }
            SavedState {
                inbox: state.inbox.clone(),
                homes: state.homes.clone(),
                chunks: state.chunks.clone(),
            }
        };
        if let Err(error) = cache.save(&saved, &chunks).await {
            // Nothing of this save landed, but its chunks were counted:
            // saving on would leave a hole. The cache stays as it was last
            // saved whole, and a reload reads on from there.
            *self.cache.borrow_mut() = None;
            self.state.borrow_mut().cache_problem =
                Some(format!("{error}; the cache stays as it was last saved"));
        }
    }

    fn set_sync(&self, sync: SyncStatus) {
        self.state.borrow_mut().sync = sync;
        self.publish();
    }

    fn publish(&self) {
        let snapshot = {
            let state = self.state.borrow();
            Snapshot {
                homes: Rc::new(state.homes.clone()),
                readings: state.readings.clone(),
                unreadable_telegrams: state.unreadable_telegrams.clone(),
                requests: Rc::new(state.requests.clone()),
                sync: state.sync.clone(),
                reading: state.reading.clone(),
                from_cache: state.from_cache,
                cache_problem: state.cache_problem.clone(),
            }
        };
        self.on_change.emit(snapshot);
    }
}

/// The readings of `telegrams`, and how many did not read.
fn to_readings(telegrams: &[TelegramRecord]) -> (Vec<Reading>, usize) {
    let mut readings = Vec::with_capacity(telegrams.len());
    let mut unreadable = 0;
    for telegram in telegrams {
        match Reading::from_record(telegram) {
            Ok(reading) => readings.push(reading),
            Err(_) => unreadable += 1,
        }
    }
    (readings, unreadable)
}

/// Where the requests of this provider are kept.
fn requests_key(identity: &ProviderIdentity) -> String {
    format!("wattt.requests.{}", identity.address.as_str())
}

/// Waits `duration` (in the browser, without blocking the page).
async fn sleep(duration: Duration) {
    #[cfg(target_arch = "wasm32")]
    yew::platform::time::sleep(duration).await;
    #[cfg(not(target_arch = "wasm32"))]
    std::thread::sleep(duration);
}
