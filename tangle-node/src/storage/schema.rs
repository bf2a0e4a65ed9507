//! Opening connections: pragmas, and the schema with its version.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::StorageError;
use crate::config::Synchronous;

/// `PRAGMA application_id`: marks the file as a tangle-node database
/// ("TNGL").
const APPLICATION_ID: i64 = 0x544E_474C;
/// `PRAGMA user_version` of the schema below.
const SCHEMA_VERSION: i64 = 1;

/// One row per transaction, `id` in arrival order. The hash and the fields
/// `findTransactions` searches are copied out of the transaction and
/// indexed; every tryte value is packed five trits to a byte (see
/// [`super::codec`]): 49 bytes for a hash, 17 for a tag, 1604 for the whole
/// transaction. The obsolete tag is only searched when no transaction has
/// the tag asked for (see `reader::find`), so only rows where it differs from
/// the tag need indexing: most do not, and every index costs on ingest.
/// `tips` holds the transactions nothing approves yet, kept in
/// the same write transactions, so that a restart reads them instead of
/// searching a million rows for them.
const SCHEMA: &str = "
CREATE TABLE transactions (
    id           INTEGER PRIMARY KEY,
    hash         BLOB    NOT NULL UNIQUE,
    address      BLOB    NOT NULL,
    bundle       BLOB    NOT NULL,
    tag          BLOB    NOT NULL,
    obsolete_tag BLOB    NOT NULL,
    trunk        BLOB    NOT NULL,
    branch       BLOB    NOT NULL,
    arrived_ms   INTEGER NOT NULL,
    trytes       BLOB    NOT NULL
) STRICT;
CREATE INDEX transactions_address      ON transactions(address);
CREATE INDEX transactions_bundle       ON transactions(bundle);
CREATE INDEX transactions_tag          ON transactions(tag);
CREATE INDEX transactions_obsolete_tag ON transactions(obsolete_tag) WHERE obsolete_tag != tag;
CREATE INDEX transactions_trunk        ON transactions(trunk);
CREATE INDEX transactions_branch       ON transactions(branch);
CREATE TABLE tips (hash BLOB PRIMARY KEY) WITHOUT ROWID;
";

/// How long a connection waits for another's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens (creating if needed) the database for writing: WAL journal, the
/// chosen `synchronous`, the schema.
pub(super) fn open_writer(
    path: &Path,
    synchronous: Synchronous,
) -> Result<Connection, StorageError> {
    let mut connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String =
        connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StorageError::Setup(format!(
            "SQLite refused WAL mode (got {mode}); is the database on a network file system?"
        )));
    }
    let level = match synchronous {
        Synchronous::Full => "FULL",
        Synchronous::Normal => "NORMAL",
    };
    connection.pragma_update(None, "synchronous", level)?;
    // 64 MiB of page cache: the six indexes of a million transactions are
    // about 500 MB, and their upper levels are what every insert touches.
    connection.pragma_update(None, "cache_size", -65_536)?;
    // Checkpoint every 40 MB of WAL instead of 4 MB: index pages that many
    // inserts touch are copied into the database once, not again and again.
    connection.pragma_update(None, "wal_autocheckpoint", 10_000)?;
    connection.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
    migrate(&mut connection)?;
    // Statistics for the query planner, bounded in cost, as SQLite advises
    // for long-lived connections (and again when the writer closes).
    connection.pragma_update(None, "analysis_limit", 1000)?;
    connection.pragma_update(None, "optimize", 0x10002)?;
    Ok(connection)
}

/// Opens the database read-only, for queries.
pub(super) fn open_reader(path: &Path) -> Result<Connection, StorageError> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.pragma_update(None, "cache_size", -16_384)?;
    Ok(connection)
}

/// Creates the schema in an empty database, accepts the current one, and
/// refuses anything else with a message saying what the file is.
fn migrate(connection: &mut Connection) -> Result<(), StorageError> {
    let transaction = connection.transaction()?;
    let application_id: i64 =
        transaction.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = transaction.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tables: i64 =
        transaction.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    match (application_id, version) {
        (0, 0) if tables == 0 => {
            transaction.execute_batch(SCHEMA)?;
            transaction.pragma_update(None, "application_id", APPLICATION_ID)?;
            transaction.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        }
        (APPLICATION_ID, SCHEMA_VERSION) => {}
        (APPLICATION_ID, other) => {
            return Err(StorageError::Setup(format!(
                "the database has schema version {other}, this tangle-node knows only \
                 version {SCHEMA_VERSION}; use the tangle-node that wrote it"
            )))
        }
        _ => {
            return Err(StorageError::Setup(
                "the file is an SQLite database but not a tangle-node one; \
                 choose another path with --db or --data-dir"
                    .into(),
            ))
        }
    }
    transaction.commit()?;
    Ok(())
}
