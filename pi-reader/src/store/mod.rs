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
    ///
    /// The file holds the seed and the pairing secret: a directory made
    /// here is 0700 and the file 0600 (tightened if it was looser; SQLite
    /// gives its `-wal` and `-shm` files the same mode), whatever the
    /// umask or the service manager, and deleted content is overwritten
    /// (`secure_delete`), so an old pairing secret does not linger in free
    /// pages.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent).map_err(|source| StoreError::Directory {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        create_private_file(path).map_err(|source| StoreError::Directory {
            path: path.to_path_buf(),
            source,
        })?;
        let connection = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        connection.busy_timeout(Duration::from_secs(30))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.pragma_update(None, "secure_delete", "ON")?;
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

/// Creates `dir` and its missing parents, those made here 0700.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Creates the state file 0600 if it is missing, and takes away group and
/// other access if it has any.
///
/// An existing file is never opened here: closing any descriptor of a
/// SQLite file drops every POSIX lock this process holds on it, and
/// another connection in this process (the P1 intake's) may hold some.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(metadata) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = metadata.permissions().mode();
                if mode & 0o077 != 0 {
                    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
                }
            }
            #[cfg(not(unix))]
            let _ = metadata;
            Ok(())
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(path) {
                // Another process made it first: it is theirs to set up.
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
                other => other.map(drop),
            }
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests;
