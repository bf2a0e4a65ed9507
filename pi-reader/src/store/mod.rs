//! The device's durable state in one SQLite file: identity, channel
//! position and side key, the telegram outbox, created messages not yet on
//! the Tangle, transfers to send, pairing, authorized providers, processed
//! transfers and counters.
//!
//! Every change that must happen together happens in one transaction
//! ([`Store::atomically`]), with `synchronous=FULL` in WAL mode: after a
//! crash (kill -9, power loss) the file holds either all of a step or none
//! of it. That is what keeps the channel from forking or reusing an index:
//! a message is created, stored and its telegrams taken from the outbox in
//! one transaction, and only a stored message is ever attached.

mod channel;
mod counters;
mod cursors;
mod error;
mod identity;
mod outbox;
mod pairing;
mod providers;
mod schema;
mod sql_time;
mod transfers;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

pub use channel::{ChannelState, MessageKind, StoredMessage};
pub use counters::Counter;
pub use cursors::{CursorName, OwnerChannelHealth, StoredCursor};
pub use error::StoreError;
pub use identity::Identity;
pub use outbox::PendingTelegram;
pub use pairing::Pairing;
pub use transfers::{QueuedTransfer, TransferPurpose};

/// An open state file.
pub struct Store {
    connection: Connection,
}

/// The state as seen inside one transaction (or outside any, for reads).
pub struct Db<'a> {
    connection: &'a Connection,
}

impl Store {
    /// Opens (creating if needed) the state file at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Directory {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let connection = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        connection.busy_timeout(Duration::from_secs(30))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&connection)?;
        Ok(Store { connection })
    }

    /// Reads outside a transaction.
    pub fn db(&self) -> Db<'_> {
        Db {
            connection: &self.connection,
        }
    }

    /// Runs `change` in one immediate transaction: committed if it returns
    /// `Ok`, rolled back otherwise.
    pub fn atomically<T, E>(&mut self, change: impl FnOnce(&Db<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let result = change(&Db {
            connection: &transaction,
        })?;
        transaction.commit().map_err(StoreError::from)?;
        Ok(result)
    }
}

#[cfg(test)]
mod tests;
