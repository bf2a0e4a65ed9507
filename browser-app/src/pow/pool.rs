//! The Web Workers that search nonces in the browser: one per core, each
//! given the same transaction and its own part of the nonces; the first
//! nonce wins. A worker busy searching cannot read messages, so the others
//! are stopped by terminating them, and new ones are started at once to
//! load while the next transaction is prepared.
//!
//! Every wait has an end: workers that do not report ready within the load
//! timeout (script missing, wasm not served) or that fail give a
//! [`ClientError::NonceSearch`] that says which script, never a hang.

use core::cell::RefCell;
use core::time::Duration;
use std::rc::Rc;

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::future::{select, Either};
use futures::lock::Mutex;
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;
use iri_client::{ClientError, NonceSearch, PowStep};
use mam_lib::ternary::{Tag27, Trytes};
use pow_worker::{Job, Reply};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The worker's loader script, relative to the page: Trunk writes it next
/// to the app (`<link data-trunk rel="rust" data-type="worker"
/// data-loader-shim ...>` in its `index.html`).
pub const WORKER_SCRIPT: &str = "pow-worker_loader.js";
/// Workers at most, whatever the browser reports: past this the page's own
/// work and the machine's other tabs suffer more than the search gains.
const MAX_WORKERS: usize = 8;
/// Time workers have to load and report ready.
const LOAD_TIMEOUT: Duration = Duration::from_secs(20);

thread_local! {
    static SHARED: RefCell<Option<Rc<WorkerPool>>> = const { RefCell::new(None) };
}

/// Web Workers that search nonces together (see the module doc).
pub struct WorkerPool {
    size: usize,
    script: String,
    load_timeout: Duration,
    /// One search at a time: a second waits for the first.
    state: Mutex<State>,
}

/// The workers and the channel their events arrive on.
struct State {
    slots: Vec<Option<Slot>>,
    sender: UnboundedSender<Event>,
    events: UnboundedReceiver<Event>,
    /// The id the next worker started gets: events of terminated workers
    /// carry ids no slot holds, and are ignored.
    next_id: u64,
}

/// One running worker. Dropping it terminates the worker.
struct Slot {
    id: u64,
    worker: Worker,
    ready: bool,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        // Unhooked first: the closures go with the slot.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// Something a worker did.
struct Event {
    worker: u64,
    what: What,
}

enum What {
    Reply(Reply),
    /// Its script failed (did not load, or threw).
    Error(String),
}

impl WorkerPool {
    /// A pool of `size` workers (at least 1) running `script` (a URL
    /// relative to the page), which must report ready within
    /// `load_timeout`. No worker starts before the first search or
    /// [`WorkerPool::start`].
    pub fn new(size: usize, script: impl Into<String>, load_timeout: Duration) -> WorkerPool {
        let (sender, events) = unbounded();
        WorkerPool {
            size: size.max(1),
            script: script.into(),
            load_timeout,
            state: Mutex::new(State {
                slots: Vec::new(),
                sender,
                events,
                next_id: 0,
            }),
        }
    }

    /// The page's pool, made on first use: [`WORKER_SCRIPT`], one worker
    /// per core the browser reports (`navigator.hardwareConcurrency`,
    /// 1 to 8).
    pub fn shared() -> Rc<WorkerPool> {
        SHARED.with(|shared| {
            shared
                .borrow_mut()
                .get_or_insert_with(|| {
                    Rc::new(WorkerPool::new(
                        browser_cores(),
                        WORKER_SCRIPT,
                        LOAD_TIMEOUT,
                    ))
                })
                .clone()
        })
    }

    /// Workers the pool runs.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Starts the workers that are not running and waits until all have
    /// loaded: call it early (or before timing a search) so the first
    /// search does not wait for the download.
    pub async fn start(&self) -> Result<(), ClientError> {
        let mut state = self.state.lock().await;
        state.start(self).await
    }
}

impl NonceSearch for WorkerPool {
    async fn find_nonce(
        &self,
        trits: &[i8],
        min_weight_magnitude: u8,
        _step: PowStep,
    ) -> Result<Tag27, ClientError> {
        let transaction = Trytes::from_trits(trits)
            .map_err(|error| ClientError::NonceSearch(format!("not a transaction: {error}")))?;
        let mut state = self.state.lock().await;
        state.start(self).await?;
        let mut search = Search {
            state: &mut state,
            finished: false,
        };
        let outcome = search.run(&transaction, min_weight_magnitude).await;
        search.finished = true;
        match &outcome {
            // The winner is idle; the others are still searching.
            Ok((_, winner)) => search.state.replace_all_but(*winner, self),
            Err(_) => search.state.stop_all(),
        }
        outcome.map(|(nonce, _)| nonce)
    }
}

/// A search under way: if its future is dropped before the end, the
/// workers are still busy with it, so they are stopped.
struct Search<'a> {
    state: &'a mut State,
    finished: bool,
}

impl Drop for Search<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.state.stop_all();
        }
    }
}

impl Search<'_> {
    /// Posts the job to every worker and waits for the first nonce: the
    /// nonce and the id of the worker that found it.
    async fn run(
        &mut self,
        transaction: &Trytes,
        min_weight_magnitude: u8,
    ) -> Result<(Tag27, u64), ClientError> {
        for (index, slot) in self.state.slots.iter().enumerate() {
            let Some(slot) = slot else { continue };
            let job = Job {
                transaction: transaction.as_str().to_owned(),
                min_weight_magnitude,
                worker: index as u32,
            };
            slot.worker
                .post_message(&JsValue::from_str(&job.to_message()))
                .map_err(|error| {
                    ClientError::NonceSearch(format!(
                        "could not post to a worker: {}",
                        describe(&error)
                    ))
                })?;
        }
        loop {
            let event =
                self.state.events.next().await.ok_or_else(|| {
                    ClientError::NonceSearch("the workers' events stopped".into())
                })?;
            if !self.state.is_current(event.worker) {
                continue;
            }
            match event.what {
                What::Reply(Reply::Nonce { nonce, .. }) => {
                    let nonce = nonce.parse::<Tag27>().map_err(|error| {
                        ClientError::NonceSearch(format!("a worker sent a bad nonce: {error}"))
                    })?;
                    return Ok((nonce, event.worker));
                }
                What::Reply(Reply::Failed { error }) => {
                    return Err(ClientError::NonceSearch(format!(
                        "a worker failed: {error}"
                    )))
                }
                What::Reply(Reply::Ready) => {}
                What::Error(error) => {
                    return Err(ClientError::NonceSearch(format!(
                        "a worker stopped: {error}"
                    )))
                }
            }
        }
    }
}

impl State {
    /// Starts missing workers and waits until every one is ready, or fails
    /// (and stops them all) at the first error or at the load timeout.
    async fn start(&mut self, pool: &WorkerPool) -> Result<(), ClientError> {
        self.slots.resize_with(pool.size, || None);
        for index in 0..pool.size {
            if self.slots[index].is_none() {
                if let Err(error) = self.spawn(index, &pool.script) {
                    self.stop_all();
                    return Err(error);
                }
            }
        }
        let outcome = self.wait_ready(pool).await;
        if outcome.is_err() {
            self.stop_all();
        }
        outcome
    }

    async fn wait_ready(&mut self, pool: &WorkerPool) -> Result<(), ClientError> {
        let millis = u32::try_from(pool.load_timeout.as_millis()).unwrap_or(u32::MAX);
        let mut deadline = Box::pin(TimeoutFuture::new(millis));
        while self.slots.iter().flatten().any(|slot| !slot.ready) {
            let event = match select(self.events.next(), &mut deadline).await {
                Either::Left((Some(event), _)) => event,
                Either::Left((None, _)) => {
                    return Err(ClientError::NonceSearch(
                        "the workers' events stopped".into(),
                    ))
                }
                Either::Right(_) => {
                    return Err(ClientError::NonceSearch(format!(
                        "the workers did not load within {} s \
                         (is {} served next to the page?)",
                        pool.load_timeout.as_secs(),
                        pool.script
                    )))
                }
            };
            let Some(slot) = self
                .slots
                .iter_mut()
                .flatten()
                .find(|s| s.id == event.worker)
            else {
                continue;
            };
            match event.what {
                What::Reply(Reply::Ready) => slot.ready = true,
                What::Reply(Reply::Failed { error }) => {
                    return Err(ClientError::NonceSearch(format!(
                        "a worker failed: {error}"
                    )))
                }
                What::Reply(Reply::Nonce { .. }) => {}
                What::Error(error) => {
                    return Err(ClientError::NonceSearch(format!(
                        "the worker {} did not load: {error}",
                        pool.script
                    )))
                }
            }
        }
        Ok(())
    }

    /// Starts a worker in slot `index`; it reports ready once loaded.
    fn spawn(&mut self, index: usize, script: &str) -> Result<(), ClientError> {
        let id = self.next_id;
        self.next_id += 1;
        let worker = Worker::new(script).map_err(|error| {
            ClientError::NonceSearch(format!(
                "cannot start the worker {script}: {}",
                describe(&error)
            ))
        })?;
        let sender = self.sender.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let reply = match event.data().as_string() {
                Some(text) => Reply::from_message(&text),
                None => Reply::Failed {
                    error: "the worker sent something that is not text".into(),
                },
            };
            // The receiver lives as long as the pool.
            let _ = sender.unbounded_send(Event {
                worker: id,
                what: What::Reply(reply),
            });
        });
        let sender = self.sender.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let message = event
                .dyn_ref::<ErrorEvent>()
                .map(ErrorEvent::message)
                .filter(|message| !message.is_empty())
                .unwrap_or_else(|| "its script could not be loaded".into());
            let _ = sender.unbounded_send(Event {
                worker: id,
                what: What::Error(message),
            });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.slots[index] = Some(Slot {
            id,
            worker,
            ready: false,
            _on_message: on_message,
            _on_error: on_error,
        });
        Ok(())
    }

    fn is_current(&self, id: u64) -> bool {
        self.slots.iter().flatten().any(|slot| slot.id == id)
    }

    /// Terminates every worker but `winner` and starts new ones in their
    /// slots, which load while the caller goes on.
    fn replace_all_but(&mut self, winner: u64, pool: &WorkerPool) {
        for index in 0..self.slots.len() {
            if self.slots[index]
                .as_ref()
                .is_some_and(|slot| slot.id != winner)
            {
                self.slots[index] = None;
                // A failure here shows at the next search's start.
                let _ = self.spawn(index, &pool.script);
            }
        }
    }

    fn stop_all(&mut self) {
        for slot in &mut self.slots {
            *slot = None;
        }
    }
}

/// `navigator.hardwareConcurrency`, 1 to [`MAX_WORKERS`].
fn browser_cores() -> usize {
    let reported =
        web_sys::window().map_or(1.0, |window| window.navigator().hardware_concurrency());
    // NaN and negatives become 0, then 1.
    (reported as usize).clamp(1, MAX_WORKERS)
}

/// A JavaScript exception as text.
fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
