//! Telegrams received and not yet in a channel message.

use mam_lib::time::UnixMillis;
use rusqlite::params;

use super::sql_time::{from_sql, to_sql};
use super::{Db, StoreError};

/// A telegram waiting to be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingTelegram {
    /// Order of reception.
    pub seq: i64,
    /// The telegram text from `/` to the CRC line.
    pub raw: String,
    /// Reception time.
    pub received_at: UnixMillis,
}

impl Db<'_> {
    /// Keeps a received telegram until it is in a created message.
    pub fn push_telegram(&self, raw: &str, received_at: UnixMillis) -> Result<i64, StoreError> {
        self.connection.execute(
            "INSERT INTO outbox (raw, received_at) VALUES (?1, ?2)",
            params![raw, to_sql(received_at)],
        )?;
        Ok(self.connection.last_insert_rowid())
    }

    /// The oldest `limit` waiting telegrams.
    pub fn pending_telegrams(&self, limit: usize) -> Result<Vec<PendingTelegram>, StoreError> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT seq, raw, received_at FROM outbox ORDER BY seq LIMIT ?1")?;
        let rows = statement.query_map([limit as i64], |row| {
            Ok(PendingTelegram {
                seq: row.get(0)?,
                raw: row.get(1)?,
                received_at: from_sql(row.get(2)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many telegrams wait, and when the oldest arrived.
    pub fn outbox_summary(&self) -> Result<(i64, Option<UnixMillis>), StoreError> {
        Ok(self.connection.query_row(
            "SELECT COUNT(*), MIN(received_at) FROM outbox",
            [],
            |row| Ok((row.get(0)?, row.get::<_, Option<i64>>(1)?.map(from_sql))),
        )?)
    }

    /// Drops the telegrams up to and including `last_seq` (they are now in
    /// a stored message).
    pub fn take_telegrams(&self, last_seq: i64) -> Result<(), StoreError> {
        self.connection
            .execute("DELETE FROM outbox WHERE seq <= ?1", [last_seq])?;
        Ok(())
    }
}
