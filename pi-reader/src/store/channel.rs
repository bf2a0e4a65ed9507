//! The device's MAM channel: where it stands, its side key, and the
//! messages created but not yet confirmed on the Tangle.

use mam_lib::mam::{ChannelPosition, CreatedMessage, SideKey};
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;
use rusqlite::{params, OptionalExtension, Row};

use super::sql_time::{from_sql, to_sql};
use super::{Db, StoreError};

/// The channel's position and current side key.
#[derive(Debug, Clone)]
pub struct ChannelState {
    /// Where the next message goes.
    pub position: ChannelPosition,
    /// The key every new message is encrypted with.
    pub side_key: SideKey,
    /// When this side key came into use.
    pub side_key_since: UnixMillis,
}

/// What a channel message carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// Telegrams.
    Data,
    /// A side key rotation.
    KeyRotation,
}

impl MessageKind {
    fn as_str(self) -> &'static str {
        match self {
            MessageKind::Data => "DATA",
            MessageKind::KeyRotation => "KEY_ROTATION",
        }
    }

    fn parse(text: &str) -> Result<MessageKind, StoreError> {
        match text {
            "DATA" => Ok(MessageKind::Data),
            "KEY_ROTATION" => Ok(MessageKind::KeyRotation),
            other => Err(StoreError::corrupt("message kind", other)),
        }
    }
}

/// A created message, in channel order.
#[derive(Debug, Clone)]
pub struct StoredMessage {
    /// Its place in the channel (1, 2, ...).
    pub seq: i64,
    /// What it carries.
    pub kind: MessageKind,
    /// The message, as created (root, address, payload, next root).
    pub created: CreatedMessage,
    /// Where it goes on the Tangle (`created.address`, read as a hash).
    pub address: Hash81,
    /// Telegrams in it.
    pub telegrams: i64,
    /// When its oldest telegram was received.
    pub first_received_at: Option<UnixMillis>,
}

impl Db<'_> {
    /// Sets the channel to its start with `side_key` (first start only).
    pub(super) fn init_channel(
        &self,
        side_key: &SideKey,
        now: UnixMillis,
    ) -> Result<(), StoreError> {
        let start = ChannelPosition::START;
        self.connection.execute(
            "INSERT INTO channel (id, start, count, next_count, position_index, side_key, side_key_since)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                start.start as i64,
                start.count as i64,
                start.next_count as i64,
                start.index as i64,
                side_key.as_trytes().as_str(),
                to_sql(now)
            ],
        )?;
        Ok(())
    }

    /// Where the channel stands and its side key.
    pub fn channel_state(&self) -> Result<ChannelState, StoreError> {
        let row = self
            .connection
            .query_row(
                "SELECT start, count, next_count, position_index, side_key, side_key_since
                 FROM channel WHERE id = 1",
                [],
                |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, i64>(2)?,
                        row.get::<_, i64>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, i64>(5)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::corrupt("channel", "missing"))?;
        let (start, count, next_count, index, side_key, side_key_since) = row;
        let side_key: SideKey = side_key
            .parse()
            .map_err(|e| StoreError::corrupt("side key", e))?;
        Ok(ChannelState {
            position: ChannelPosition {
                start: start as u64,
                count: count as u64,
                next_count: next_count as u64,
                index: index as u64,
            },
            side_key,
            side_key_since: from_sql(side_key_since),
        })
    }

    /// Stores a message just created at the channel's position and moves
    /// the channel to `next`. With the caller's other changes in the same
    /// transaction, this is what makes an index used exactly once.
    pub fn store_message(
        &self,
        kind: MessageKind,
        created: &CreatedMessage,
        next: ChannelPosition,
        telegrams: i64,
        first_received_at: Option<UnixMillis>,
        now: UnixMillis,
    ) -> Result<i64, StoreError> {
        self.connection.execute(
            "INSERT INTO messages (kind, root, address, next_root, payload, telegrams, first_received_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                kind.as_str(),
                created.root.as_str(),
                created.address.as_str(),
                created.next_root.as_str(),
                created.payload.as_str(),
                telegrams,
                first_received_at.map(to_sql),
                to_sql(now)
            ],
        )?;
        let seq = self.connection.last_insert_rowid();
        self.connection.execute(
            "UPDATE channel SET start = ?1, count = ?2, next_count = ?3, position_index = ?4 WHERE id = 1",
            params![
                next.start as i64,
                next.count as i64,
                next.next_count as i64,
                next.index as i64
            ],
        )?;
        Ok(seq)
    }

    /// Replaces the side key for every message created from now on.
    pub fn set_side_key(&self, side_key: &SideKey, now: UnixMillis) -> Result<(), StoreError> {
        self.connection.execute(
            "UPDATE channel SET side_key = ?1, side_key_since = ?2 WHERE id = 1",
            params![side_key.as_trytes().as_str(), to_sql(now)],
        )?;
        Ok(())
    }

    /// Created messages not yet confirmed on the Tangle, in channel order.
    pub fn unattached_messages(&self, limit: usize) -> Result<Vec<StoredMessage>, StoreError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT seq, kind, root, address, next_root, payload, telegrams, first_received_at
             FROM messages WHERE attached_at IS NULL ORDER BY seq LIMIT ?1",
        )?;
        let rows = statement.query_map([limit as i64], read_message)?;
        let mut messages = Vec::new();
        for row in rows {
            messages.push(row??);
        }
        Ok(messages)
    }

    /// Records that message `seq` is on the Tangle in `bundle`; its payload
    /// is no longer needed.
    pub fn mark_attached(&self, seq: i64, bundle: &str, now: UnixMillis) -> Result<(), StoreError> {
        self.connection.execute(
            "UPDATE messages SET attached_at = ?2, bundle = ?3, payload = NULL WHERE seq = ?1",
            params![seq, to_sql(now), bundle],
        )?;
        Ok(())
    }

    /// Messages created, and how many of them are not yet attached.
    pub fn message_counts(&self) -> Result<(i64, i64), StoreError> {
        Ok(self.connection.query_row(
            "SELECT COUNT(*), COUNT(*) - COUNT(attached_at) FROM messages",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?)
    }
}

fn read_message(row: &Row<'_>) -> rusqlite::Result<Result<StoredMessage, StoreError>> {
    let kind: String = row.get(1)?;
    let texts: [Option<String>; 4] = [row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?];
    let seq: i64 = row.get(0)?;
    let telegrams: i64 = row.get(6)?;
    let first_received_at: Option<i64> = row.get(7)?;
    Ok((|| {
        let kind = MessageKind::parse(&kind)?;
        let [root, address, next_root, payload] =
            texts.map(|text| text.ok_or_else(|| StoreError::corrupt("message", "payload missing")));
        let hash = |text: Result<String, StoreError>, what| {
            text?
                .parse::<Hash81>()
                .map_err(|e| StoreError::corrupt(what, e))
        };
        let address = hash(address, "message address")?;
        let payload = payload?
            .parse()
            .map_err(|e| StoreError::corrupt("message payload", e))?;
        Ok(StoredMessage {
            seq,
            kind,
            created: CreatedMessage {
                root: hash(root, "message root")?.as_trytes().clone(),
                address: address.as_trytes().clone(),
                payload,
                next_root: hash(next_root, "message next root")?.as_trytes().clone(),
            },
            address,
            telegrams,
            first_received_at: first_received_at.map(from_sql),
        })
    })())
}
