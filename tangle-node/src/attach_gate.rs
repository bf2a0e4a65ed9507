//! Admission to proof of work: how many `attachToTangle` searches run at
//! once, how many may wait, and the stop flag of each.
//!
//! The [`Node`](crate::node::Node) owns one gate; the `attachToTangle`
//! handler registers an [`AttachJob`] and passes through the gate. Each job
//! has its own stop flag, tagged with the client's address, so that
//! `interruptAttachingToTangle` stops only the caller's own searches, and a
//! job whose request is abandoned (deadline, client gone) stops its search
//! when it is dropped. It knows nothing of HTTP: refusals are [`GateClosed`]
//! values that the handler turns into API errors.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{Semaphore, SemaphorePermit};

/// Admission to proof of work.
pub struct AttachGate {
    permits: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
    jobs: Mutex<Jobs>,
}

/// The searches running or waiting now.
#[derive(Default)]
struct Jobs {
    next_id: u64,
    by_id: HashMap<u64, (IpAddr, Arc<AtomicBool>)>,
}

/// One `attachToTangle` request's claim on proof of work. Dropping it
/// stops its search.
pub struct AttachJob<'a> {
    gate: &'a AttachGate,
    id: u64,
    stop: Arc<AtomicBool>,
}
/// Why a request got no turn at proof of work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GateClosed {
    /// Too many requests already wait for a turn.
    #[error(
        "{waiting} attachToTangle requests are already waiting for proof of work; retry later"
    )]
    QueueFull {
        /// How many were waiting.
        waiting: usize,
    },
    /// The node is shutting down.
    #[error("the node is shutting down")]
    ShuttingDown,
}

/// Counts a request as waiting while it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl AttachGate {
    /// At most `concurrency` searches at once, `max_waiting` waiting.
    pub fn new(concurrency: usize, max_waiting: usize) -> AttachGate {
        AttachGate {
            permits: Semaphore::new(concurrency.max(1)),
            waiting: AtomicUsize::new(0),
            max_waiting,
            jobs: Mutex::new(Jobs::default()),
        }
    }

    /// Registers a search for `client`. Register before
    /// [`AttachGate::enter`], so an interruption also ends requests still
    /// waiting.
    pub fn register(&self, client: IpAddr) -> AttachJob<'_> {
        let stop = Arc::new(AtomicBool::new(false));
        let mut jobs = self.lock();
        let id = jobs.next_id;
        jobs.next_id += 1;
        jobs.by_id
            .insert(id, (client.to_canonical(), Arc::clone(&stop)));
        AttachJob {
            gate: self,
            id,
            stop,
        }
    }

    /// Waits for a turn, or refuses when too many already wait. The turn
    /// lasts as long as the permit.
    pub async fn enter(&self) -> Result<SemaphorePermit<'_>, GateClosed> {
        if let Ok(permit) = self.permits.try_acquire() {
            return Ok(permit);
        }
        let already = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.waiting);
        if already >= self.max_waiting {
            return Err(GateClosed::QueueFull { waiting: already });
        }
        self.permits
            .acquire()
            .await
            .map_err(|_| GateClosed::ShuttingDown)
    }

    /// Stops the searches of `client`, running or waiting; how many.
    pub fn interrupt_client(&self, client: IpAddr) -> usize {
        let client = client.to_canonical();
        let jobs = self.lock();
        let mut stopped = 0;
        for (owner, stop) in jobs.by_id.values() {
            if *owner == client {
                stop.store(true, Ordering::SeqCst);
                stopped += 1;
            }
        }
        stopped
    }

    /// Stops every search running or waiting now (shutdown); later ones
    /// run.
    pub fn interrupt_all(&self) {
        for (_, stop) in self.lock().by_id.values() {
            stop.store(true, Ordering::SeqCst);
        }
    }

    fn lock(&self) -> MutexGuard<'_, Jobs> {
        self.jobs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl AttachJob<'_> {
    /// The flag the search watches; set by an interruption or by dropping
    /// the job.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }
}

impl Drop for AttachJob<'_> {
    fn drop(&mut self) {
        // A search still running for an abandoned request wastes cores.
        self.stop.store(true, Ordering::SeqCst);
        self.gate.lock().by_id.remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn an_interruption_stops_only_the_callers_searches() {
        let gate = AttachGate::new(1, 4);
        let mine = gate.register(ip("127.0.0.1"));
        let theirs = gate.register(ip("127.0.0.2"));
        assert_eq!(gate.interrupt_client(ip("::ffff:127.0.0.1")), 1);
        assert!(mine.stop_flag().load(Ordering::SeqCst));
        assert!(!theirs.stop_flag().load(Ordering::SeqCst));
        gate.interrupt_all();
        assert!(theirs.stop_flag().load(Ordering::SeqCst));
    }

    #[test]
    fn a_dropped_job_stops_its_search_and_is_forgotten() {
        let gate = AttachGate::new(1, 4);
        let job = gate.register(ip("127.0.0.1"));
        let flag = job.stop_flag();
        drop(job);
        assert!(flag.load(Ordering::SeqCst));
        assert_eq!(gate.interrupt_client(ip("127.0.0.1")), 0);
        let later = gate.register(ip("127.0.0.1"));
        assert!(!later.stop_flag().load(Ordering::SeqCst));
    }
}
