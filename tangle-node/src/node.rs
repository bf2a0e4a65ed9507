//! The node: its store, its settings and the gate and budget in front of
//! proof of work, shared by every request.

use crate::attach_gate::AttachGate;
use crate::config::{available_cores, Config, Limits};
use crate::pow_budget::PowBudget;
use crate::storage::{StorageError, Store};

/// Everything a request handler needs.
pub struct Node {
    /// The transactions and tips.
    pub store: Store,
    /// The minimum weight magnitude every stored transaction must meet.
    pub mwm: u8,
    /// Bounds on requests.
    pub limits: Limits,
    /// Threads that check the transactions of one request.
    pub validation_threads: usize,
    /// Bounds proof of work: how many at once, how many waiting.
    pub attach: AttachGate,
    /// Who gets proof of work, and how much per remote client.
    pub pow_budget: PowBudget,
}

impl Node {
    /// Opens the database and sets the node up. Blocking.
    pub fn open(config: &Config) -> Result<Node, StorageError> {
        let store = Store::open(&config.db_path, config.synchronous)?;
        Ok(Node {
            store,
            mwm: config.mwm,
            validation_threads: available_cores(),
            attach: AttachGate::new(config.limits.attach_concurrency, config.limits.attach_queue),
            pow_budget: PowBudget::new(config.limits.remote_pow, config.limits.pow_per_minute),
            limits: config.limits.clone(),
        })
    }

    /// Interrupts proof of work, finishes queued writes and closes the
    /// database.
    pub fn close(self) {
        self.attach.interrupt_all();
        self.store.close();
    }
}
