//! Queries, on a small pool of read-only connections (WAL lets them read
//! while the writer writes).

use std::path::PathBuf;
use std::sync::Mutex;

use mam_lib::ternary::Hash81;
use mam_lib::transaction::TRANSACTION_TRYTES;
use rusqlite::{Connection, OptionalExtension};

use super::{codec, schema, FindQuery, StorageError};

/// Idle connections kept for reuse; more are opened when needed (at most
/// as many as queries may run at once).
const IDLE: usize = 16;

/// A pool of read-only connections.
pub(super) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    pub(super) fn new(path: PathBuf) -> Readers {
        Readers {
            path,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `query` on an idle connection (or a new one), then keeps the
    /// connection for the next query.
    pub(super) fn with<T>(
        &self,
        query: impl FnOnce(&Connection) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let pooled = self.lock().pop();
        let connection = match pooled {
            Some(connection) => connection,
            None => schema::open_reader(&self.path)?,
        };
        let result = query(&connection);
        let mut idle = self.lock();
        if idle.len() < IDLE {
            idle.push(connection);
        }
        result
    }

    /// Closes the idle connections.
    pub(super) fn close_idle(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The trytes of each transaction, or `None` where it is not stored.
pub(super) fn trytes(
    connection: &Connection,
    hashes: &[Hash81],
) -> Result<Vec<Option<String>>, StorageError> {
    let mut statement =
        connection.prepare_cached("SELECT trytes FROM transactions WHERE hash = ?1")?;
    hashes
        .iter()
        .map(|hash| {
            let packed: Option<Vec<u8>> = statement
                .query_row([codec::pack_trytes(hash)], |row| row.get(0))
                .optional()?;
            packed
                .map(|packed| codec::unpack_trytes(&packed, TRANSACTION_TRYTES))
                .transpose()
                .map_err(|e| StorageError::Corrupt(format!("transaction {hash}: {e}")))
        })
        .collect()
}

/// Whether each transaction is stored.
pub(super) fn contains(
    connection: &Connection,
    hashes: &[Hash81],
) -> Result<Vec<bool>, StorageError> {
    let mut statement = connection.prepare_cached("SELECT 1 FROM transactions WHERE hash = ?1")?;
    hashes
        .iter()
        .map(|hash| {
            Ok(statement
                .query_row([codec::pack_trytes(hash)], |_| Ok(()))
                .optional()?
                .is_some())
        })
        .collect()
}

/// The number of stored transactions.
pub(super) fn count(connection: &Connection) -> Result<u64, StorageError> {
    let count: i64 = connection.query_row("SELECT count(*) FROM transactions", [], |r| r.get(0))?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Every stored transaction that nothing approves, in no particular order
/// (ordering by arrival would make SQLite walk the whole table).
pub(super) fn unapproved(connection: &Connection) -> Result<Vec<Hash81>, StorageError> {
    let mut statement = connection.prepare("SELECT hash FROM tips")?;
    let rows = statement.query_map([], |row| row.get::<_, Vec<u8>>(0))?;
    rows.map(|packed| unpack_hash(&packed?)).collect()
}

fn unpack_hash(packed: &[u8]) -> Result<Hash81, StorageError> {
    codec::unpack_hash(packed).map_err(|e| StorageError::Corrupt(format!("stored hash: {e}")))
}

fn placeholders(count: usize) -> String {
    vec!["?"; count].join(",")
}

/// Hashes of the transactions matching every list in `query` (one value of
/// each), in arrival order; at most `limit + 1`, so the caller can tell that
/// there are more than `limit`.
pub(super) fn find(
    connection: &Connection,
    query: &FindQuery,
    limit: usize,
) -> Result<Vec<Hash81>, StorageError> {
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Vec<u8>> = Vec::new();
    let pack = |list: &[Hash81]| list.iter().map(codec::pack_trytes).collect::<Vec<_>>();
    if let Some(addresses) = &query.addresses {
        conditions.push(format!("address IN ({})", placeholders(addresses.len())));
        values.extend(pack(addresses));
    }
    if let Some(bundles) = &query.bundles {
        conditions.push(format!("bundle IN ({})", placeholders(bundles.len())));
        values.extend(pack(bundles));
    }
    if let Some(tags) = &query.tags {
        let list: Vec<Vec<u8>> = tags.iter().map(codec::pack_trytes).collect();
        let marks = placeholders(list.len());
        // As IRI: match the tag; only when no transaction has any of the
        // tags, match the obsolete tag (the one the bundle hash covers).
        let any_tag: bool = connection.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM transactions WHERE tag IN ({marks}))"),
            rusqlite::params_from_iter(&list),
            |row| row.get(0),
        )?;
        // Many transactions share a tag (every message of a MAM channel):
        // with a more selective list present, `+` keeps SQLite off the tag
        // indexes.
        let hint =
            if query.addresses.is_some() || query.bundles.is_some() || query.approvees.is_some() {
                "+"
            } else {
                ""
            };
        conditions.push(if any_tag {
            format!("{hint}tag IN ({marks})")
        } else {
            // No row has one of the tags, so none where the obsolete tag
            // equals the tag can match: the second condition changes
            // nothing but lets SQLite use the partial index.
            format!("{hint}obsolete_tag IN ({marks}) AND obsolete_tag != tag")
        });
        values.extend(list);
    }
    if let Some(approvees) = &query.approvees {
        let list = pack(approvees);
        let marks = placeholders(list.len());
        conditions.push(format!("(trunk IN ({marks}) OR branch IN ({marks}))"));
        values.extend(list.iter().cloned());
        values.extend(list);
    }
    if conditions.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, hash FROM transactions WHERE {} LIMIT {}",
        conditions.join(" AND "),
        limit.saturating_add(1)
    );
    let mut statement = connection.prepare(&sql)?;
    let rows = statement.query_map(rusqlite::params_from_iter(&values), |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?))
    })?;
    let mut found = rows.collect::<Result<Vec<_>, _>>()?;
    // Sorting here rather than in SQL keeps the planner on the indexes.
    found.sort_unstable_by_key(|(id, _)| *id);
    found.iter().map(|(_, hash)| unpack_hash(hash)).collect()
}
