//! Where the device's readers stand, kept across restarts: what was read
//! at the device address (the inbox cursor) and at the address of the
//! owner's next event (the event cursor), so that junk there is
//! downloaded once, not after every restart; and whether the owner's
//! channel can be read (the daemon fails closed when it cannot).

use iri_client::{CursorChanges, WaitingTransaction};
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;
use rusqlite::{params, OptionalExtension};

use super::sql_time::{from_sql, to_sql};
use super::{Db, StoreError};

/// Which reader a cursor belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorName {
    /// Transfers at the device address.
    Inbox,
    /// The owner's channel, at the address of its next event.
    Events,
}

impl CursorName {
    fn as_str(self) -> &'static str {
        match self {
            CursorName::Inbox => "inbox",
            CursorName::Events => "events",
        }
    }
}

/// A cursor as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredCursor {
    /// What the rows are about: the device address for the inbox, the root
    /// of the next event for the owner's channel.
    pub root: Option<String>,
    /// When the reader first read everything at its address (no more
    /// waiting beyond its budget); `None` until then.
    pub caught_up_at: Option<UnixMillis>,
    /// Transactions read for good.
    pub consumed: Vec<Hash81>,
    /// Transactions of incomplete bundles.
    pub waiting: Vec<WaitingTransaction>,
}

/// Whether the owner's channel can be read, as the daemon last saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnerChannelHealth {
    /// Since when reading it fails or has not caught up.
    pub failing_since: Option<UnixMillis>,
    /// Why, in words.
    pub reason: Option<String>,
    /// Whether the device makes no new data messages because of it.
    pub fail_closed: bool,
}

impl Db<'_> {
    /// The stored cursor `name` (empty if none was saved).
    pub fn cursor(&self, name: CursorName) -> Result<StoredCursor, StoreError> {
        let head: Option<(Option<String>, Option<i64>)> = self
            .connection
            .query_row(
                "SELECT root, caught_up_at FROM cursors WHERE name = ?1",
                [name.as_str()],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let (root, caught_up_at) = head.unwrap_or_default();
        let mut consumed = Vec::new();
        let mut statement = self
            .connection
            .prepare_cached("SELECT hash FROM cursor_consumed WHERE cursor = ?1")?;
        for hash in statement.query_map([name.as_str()], |row| row.get::<_, String>(0))? {
            consumed.push(parse_hash("consumed transaction", &hash?)?);
        }
        let mut waiting = Vec::new();
        let mut statement = self.connection.prepare_cached(
            "SELECT hash, bundle, first_seen FROM cursor_waiting WHERE cursor = ?1",
        )?;
        let rows = statement.query_map([name.as_str()], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (hash, bundle, first_seen) = row?;
            waiting.push(WaitingTransaction {
                hash: parse_hash("waiting transaction", &hash)?,
                bundle: parse_hash("waiting transaction's bundle", &bundle)?,
                first_seen_ms: u64::try_from(first_seen).unwrap_or(0),
            });
        }
        Ok(StoredCursor {
            root,
            caught_up_at: caught_up_at.map(from_sql),
            consumed,
            waiting,
        })
    }

    /// Adds a cursor's changes since its last save: new consumed rows, and
    /// the waiting set replaced when it changed.
    pub fn save_cursor(&self, name: CursorName, changes: &CursorChanges) -> Result<(), StoreError> {
        let cursor = name.as_str();
        self.connection
            .execute("INSERT OR IGNORE INTO cursors (name) VALUES (?1)", [cursor])?;
        let mut insert = self.connection.prepare_cached(
            "INSERT OR IGNORE INTO cursor_consumed (cursor, hash) VALUES (?1, ?2)",
        )?;
        for hash in &changes.consumed {
            insert.execute(params![cursor, hash.as_str()])?;
        }
        if let Some(waiting) = &changes.waiting {
            self.connection
                .execute("DELETE FROM cursor_waiting WHERE cursor = ?1", [cursor])?;
            let mut insert = self.connection.prepare_cached(
                "INSERT OR REPLACE INTO cursor_waiting (cursor, hash, bundle, first_seen) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for w in waiting {
                insert.execute(params![
                    cursor,
                    w.hash.as_str(),
                    w.bundle.as_str(),
                    i64::try_from(w.first_seen_ms).unwrap_or(i64::MAX)
                ])?;
            }
        }
        Ok(())
    }

    /// Starts cursor `name` afresh for `root` (the owner's channel moved to
    /// its next event, or the device was paired anew).
    pub fn reset_cursor(&self, name: CursorName, root: &str) -> Result<(), StoreError> {
        let cursor = name.as_str();
        self.connection
            .execute("DELETE FROM cursor_consumed WHERE cursor = ?1", [cursor])?;
        self.connection
            .execute("DELETE FROM cursor_waiting WHERE cursor = ?1", [cursor])?;
        self.connection.execute(
            "INSERT OR REPLACE INTO cursors (name, root, caught_up_at) VALUES (?1, ?2, NULL)",
            params![cursor, root],
        )?;
        Ok(())
    }

    /// Records that cursor `name` has read everything at its address (the
    /// first time only).
    pub fn mark_caught_up(&self, name: CursorName, now: UnixMillis) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT INTO cursors (name, caught_up_at) VALUES (?1, ?2) \
             ON CONFLICT (name) DO UPDATE SET caught_up_at = \
             COALESCE(cursors.caught_up_at, excluded.caught_up_at)",
            params![name.as_str(), to_sql(now)],
        )?;
        Ok(())
    }

    /// Forgets handled transfers from the device address recorded before
    /// `before`; how many. Only safe once the inbox cursor has caught up
    /// (see the daemon): from then on its consumed rows keep every such
    /// transfer from being read again.
    pub fn prune_processed(&self, before: UnixMillis) -> Result<usize, StoreError> {
        Ok(self.connection.execute(
            "DELETE FROM processed WHERE source = 'inbox' AND at < ?1",
            [to_sql(before)],
        )?)
    }

    /// Whether the owner's channel can be read, as last recorded.
    pub fn owner_channel_health(&self) -> Result<OwnerChannelHealth, StoreError> {
        let row: Option<(Option<i64>, Option<String>, bool)> = self
            .connection
            .query_row(
                "SELECT failing_since, reason, fail_closed FROM owner_channel WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        Ok(match row {
            Some((since, reason, fail_closed)) => OwnerChannelHealth {
                failing_since: since.map(from_sql),
                reason,
                fail_closed,
            },
            None => OwnerChannelHealth::default(),
        })
    }

    /// Records whether the owner's channel can be read.
    pub fn set_owner_channel_health(&self, health: &OwnerChannelHealth) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT OR REPLACE INTO owner_channel (id, failing_since, reason, fail_closed) \
             VALUES (1, ?1, ?2, ?3)",
            params![
                health.failing_since.map(to_sql),
                health.reason,
                health.fail_closed
            ],
        )?;
        Ok(())
    }
}

fn parse_hash(what: &'static str, text: &str) -> Result<Hash81, StoreError> {
    text.parse().map_err(|e| StoreError::corrupt(what, e))
}

#[cfg(test)]
mod tests {
    use iri_client::InboxCursor;

    use super::*;
    use crate::store::Store;

    fn hash(letter: char) -> Hash81 {
        letter.to_string().repeat(81).parse().expect("hash")
    }

    #[test]
    fn a_cursor_saved_in_steps_reads_back_and_a_reset_forgets_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("state.sqlite");
        let mut store = Store::open(&path).expect("opens");
        store
            .atomically(|db| db.reset_cursor(CursorName::Events, "ROOT"))
            .expect("reset");
        let first = CursorChanges {
            consumed: vec![hash('A'), hash('B')],
            waiting: Some(vec![WaitingTransaction {
                hash: hash('C'),
                bundle: hash('D'),
                first_seen_ms: 7,
            }]),
        };
        let second = CursorChanges {
            consumed: vec![hash('C')],
            waiting: Some(Vec::new()),
        };
        for changes in [&first, &second] {
            store
                .atomically(|db| db.save_cursor(CursorName::Events, changes))
                .expect("saved");
        }
        drop(store);
        let store = Store::open(&path).expect("reopens");
        let stored = store.db().cursor(CursorName::Events).expect("cursor");
        assert_eq!(stored.root.as_deref(), Some("ROOT"));
        let mut consumed = stored.consumed.clone();
        consumed.sort();
        assert_eq!(consumed, [hash('A'), hash('B'), hash('C')]);
        assert!(stored.waiting.is_empty());
        let restored = InboxCursor::restore(stored.consumed, stored.waiting);
        assert!(restored.knows(&hash('C')));
        assert!(
            store
                .db()
                .cursor(CursorName::Inbox)
                .expect("cursor")
                .consumed
                .is_empty(),
            "cursors are separate"
        );

        store
            .db()
            .mark_caught_up(CursorName::Events, UnixMillis::from_millis(5))
            .expect("caught up");
        store
            .db()
            .mark_caught_up(CursorName::Events, UnixMillis::from_millis(9))
            .expect("caught up");
        let stored = store.db().cursor(CursorName::Events).expect("cursor");
        assert_eq!(
            stored.caught_up_at,
            Some(UnixMillis::from_millis(5)),
            "the first time"
        );
        store
            .db()
            .reset_cursor(CursorName::Events, "NEXT")
            .expect("reset");
        let stored = store.db().cursor(CursorName::Events).expect("cursor");
        assert_eq!(stored.root.as_deref(), Some("NEXT"));
        assert!(stored.consumed.is_empty() && stored.caught_up_at.is_none());
    }

    #[test]
    fn the_owner_channel_health_is_kept_for_info() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("state.sqlite")).expect("opens");
        assert_eq!(
            store.db().owner_channel_health().expect("health"),
            OwnerChannelHealth::default()
        );
        let failing = OwnerChannelHealth {
            failing_since: Some(UnixMillis::from_millis(3)),
            reason: Some("fork".into()),
            fail_closed: true,
        };
        store.db().set_owner_channel_health(&failing).expect("set");
        assert_eq!(store.db().owner_channel_health().expect("health"), failing);
    }

    #[test]
    fn pruning_forgets_only_inbox_transfers_handled_before_the_cutoff() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("state.sqlite")).expect("opens");
        let db = store.db();
        let at = UnixMillis::from_millis;
        db.mark_processed("OLD", "inbox", "claim", at(10))
            .expect("mark");
        db.mark_processed("NEW", "inbox", "claim", at(30))
            .expect("mark");
        db.mark_processed("ELSE", "other", "x", at(10))
            .expect("mark");
        assert_eq!(db.prune_processed(at(20)).expect("pruned"), 1);
        assert!(!db.is_processed("OLD").expect("read"));
        assert!(db.is_processed("NEW").expect("read"));
        assert!(db.is_processed("ELSE").expect("read"));
    }
}
