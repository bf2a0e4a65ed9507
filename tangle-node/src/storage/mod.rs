//! The transaction store: SQLite in WAL mode, one writer thread with group
//! commit ([`writer`]), a pool of read-only connections ([`reader`]), and
//! the tips kept in memory beside it.
//!
//! The async methods run SQLite off the async threads (the writer thread, or
//! `spawn_blocking` for reads). Every write is one SQLite transaction, so a
//! killed process leaves either all of a request's transactions or none.

pub mod codec;
mod reader;
mod schema;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use mam_lib::ternary::{Hash81, Tag27};
use tokio::sync::{mpsc, oneshot, Semaphore};

use crate::config::Synchronous;
use crate::tips::{Approval, Tips};
use crate::validation::ValidTransaction;
use reader::Readers;

/// The database failed (not the input).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(String),
    /// The database cannot be used as it is (wrong file, unknown schema).
    #[error("{0}")]
    Setup(String),
    /// A stored value does not decode.
    #[error("database damaged: {0}")]
    Corrupt(String),
    /// The store is shutting down.
    #[error("the store is shutting down")]
    Closed,
}

impl From<rusqlite::Error> for StorageError {
    fn from(error: rusqlite::Error) -> StorageError {
        StorageError::Sqlite(error.to_string())
    }
}

/// Why a batch was not stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InsertError {
    /// A transaction approves one this node does not have.
    #[error(
        "trytes[{position}]: transaction {hash} approves {parent} as its {field}, which this \
         node does not have; store that transaction first (or in the same request), or attach \
         to tips from getTransactionsToApprove"
    )]
    UnknownParent {
        /// Position in the request.
        position: usize,
        /// The transaction's hash.
        hash: Hash81,
        /// `trunkTransaction` or `branchTransaction`.
        field: &'static str,
        /// The unknown transaction.
        parent: Hash81,
    },
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<rusqlite::Error> for InsertError {
    fn from(error: rusqlite::Error) -> InsertError {
        InsertError::Storage(error.into())
    }
}

/// What storing a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InsertOutcome {
    /// The transactions newly stored.
    pub approvals: Vec<Approval>,
    /// Transactions that were already stored (or repeated in the batch).
    pub duplicates: usize,
}

/// A `findTransactions` query: each list present must match (one of its
/// values); an empty list matches nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindQuery {
    /// Addresses.
    pub addresses: Option<Vec<Hash81>>,
    /// Bundle hashes.
    pub bundles: Option<Vec<Hash81>>,
    /// Tags (or, when no transaction has any of them, obsolete tags).
    pub tags: Option<Vec<Tag27>>,
    /// Transactions whose approvers are wanted.
    pub approvees: Option<Vec<Hash81>>,
}

/// The transaction store.
pub struct Store {
    writer: Option<mpsc::Sender<writer::Job>>,
    thread: Option<JoinHandle<()>>,
    readers: Arc<Readers>,
    /// Bounds the queries running at once (and so the connections open).
    reading: Semaphore,
    tips: Arc<Tips>,
}

/// Queries that may run at once; more wait for a turn.
const CONCURRENT_READS: usize = 16;

impl Store {
    /// Opens (creating if needed) the database at `path`, and rebuilds the
    /// tips from it. Blocking: call before serving.
    pub fn open(path: &Path, synchronous: Synchronous) -> Result<Store, StorageError> {
        let connection = schema::open_writer(path, synchronous)?;
        let tips = Arc::new(Tips::from_hashes(reader::unapproved(&connection)?));
        let (sender, thread) = writer::spawn(connection, Arc::clone(&tips))
            .map_err(|e| StorageError::Setup(format!("cannot start the writer thread: {e}")))?;
        Ok(Store {
            writer: Some(sender),
            thread: Some(thread),
            readers: Arc::new(Readers::new(PathBuf::from(path))),
            reading: Semaphore::new(CONCURRENT_READS),
            tips,
        })
    }

    /// The current tips.
    pub fn tips(&self) -> &Tips {
        &self.tips
    }

    /// Stores a batch of checked transactions: all of them (already stored
    /// ones are skipped) or, if one approves an unknown transaction, none.
    pub async fn insert(
        &self,
        transactions: Vec<ValidTransaction>,
    ) -> Result<InsertOutcome, InsertError> {
        let writer = self.writer.as_ref().ok_or(StorageError::Closed)?;
        let (reply, outcome) = oneshot::channel();
        writer
            .send(writer::Job {
                transactions,
                reply,
            })
            .await
            .map_err(|_| StorageError::Closed)?;
        outcome.await.map_err(|_| StorageError::Closed)?
    }

    /// The trytes of each transaction, `None` where it is not stored.
    pub async fn trytes(&self, hashes: Vec<Hash81>) -> Result<Vec<Option<String>>, StorageError> {
        self.read(move |c| reader::trytes(c, &hashes)).await
    }

    /// Whether each transaction is stored.
    pub async fn contains(&self, hashes: Vec<Hash81>) -> Result<Vec<bool>, StorageError> {
        self.read(move |c| reader::contains(c, &hashes)).await
    }

    /// Hashes matching `query`, in arrival order, at most `limit + 1`.
    pub async fn find(&self, query: FindQuery, limit: usize) -> Result<Vec<Hash81>, StorageError> {
        self.read(move |c| reader::find(c, &query, limit)).await
    }

    /// The number of stored transactions.
    pub async fn count(&self) -> Result<u64, StorageError> {
        self.read(reader::count).await
    }

    async fn read<T: Send + 'static>(
        &self,
        query: impl FnOnce(&rusqlite::Connection) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        let _turn = self
            .reading
            .acquire()
            .await
            .map_err(|_| StorageError::Closed)?;
        let readers = Arc::clone(&self.readers);
        tokio::task::spawn_blocking(move || readers.with(query))
            .await
            .map_err(|e| StorageError::Sqlite(format!("query task failed: {e}")))?
    }

    /// Finishes queued writes and closes the database.
    pub fn close(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        // Readers close first, so that the writer's connection is the last
        // one: closing it checkpoints the WAL into the database and removes
        // it (a read-only connection cannot).
        self.readers.close_idle();
        // Dropping the sender ends the writer's loop once the queue is empty.
        self.writer = None;
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("the writer thread panicked");
            }
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.shut_down();
    }
}

#[cfg(test)]
mod tests;
