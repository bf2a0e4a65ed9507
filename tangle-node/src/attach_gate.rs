//! Admission to proof of work: how many `attachToTangle` searches run at
//! once, how many may wait, and the flag that stops them.
//!
//! The [`Node`](crate::node::Node) owns one gate; the `attachToTangle`
//! handler passes through it. It knows nothing of HTTP: refusals are
//! [`GateClosed`] values that the handler turns into API errors.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{Semaphore, SemaphorePermit};

/// Admission to proof of work.
pub struct AttachGate {
    permits: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
    /// Set to stop the searches running now; replaced by a fresh flag on
    /// every interruption, so later searches run.
    stop: Mutex<Arc<AtomicBool>>,
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
            stop: Mutex::new(Arc::new(AtomicBool::new(false))),
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

    /// The flag the next search watches. Take it before [`AttachGate::enter`],
    /// so an interruption also ends requests still waiting.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.lock())
    }

    /// Stops every search running or waiting now.
    pub fn interrupt(&self) {
        let mut current = self.lock();
        current.store(true, Ordering::SeqCst);
        *current = Arc::new(AtomicBool::new(false));
    }

    fn lock(&self) -> MutexGuard<'_, Arc<AtomicBool>> {
        self.stop
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
