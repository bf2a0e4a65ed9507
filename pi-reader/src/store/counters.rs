//! Counters of what happened, kept across restarts (shown by `info`).

use rusqlite::params;

use super::{Db, StoreError};

/// Something the device counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// Telegrams framed with a good (or no) CRC and kept.
    TelegramsReceived,
    /// Telegrams whose CRC did not match: skipped.
    BadCrc,
    /// Bytes or frames dropped by the framer (noise, truncation, overlong).
    FramesDiscarded,
    /// Telegrams in messages on the Tangle.
    TelegramsPublished,
    /// Transfers at the device address that were not a protocol message.
    InvalidTransfers,
    /// Claims or answers refused (`NOK`) or ignored as hostile.
    RefusedClaims,
    /// Events on the owner's channel about another device, or unreadable.
    IgnoredEvents,
    /// Side key rotations.
    KeyRotations,
    /// Failed calls to the node.
    NodeErrors,
}

impl Counter {
    /// Every counter, in display order.
    pub const ALL: [Counter; 9] = [
        Counter::TelegramsReceived,
        Counter::BadCrc,
        Counter::FramesDiscarded,
        Counter::TelegramsPublished,
        Counter::InvalidTransfers,
        Counter::RefusedClaims,
        Counter::IgnoredEvents,
        Counter::KeyRotations,
        Counter::NodeErrors,
    ];

    /// The counter's name in the state file and in `info --json`.
    pub fn name(self) -> &'static str {
        match self {
            Counter::TelegramsReceived => "telegrams_received",
            Counter::BadCrc => "telegrams_bad_crc",
            Counter::FramesDiscarded => "frames_discarded",
            Counter::TelegramsPublished => "telegrams_published",
            Counter::InvalidTransfers => "invalid_transfers",
            Counter::RefusedClaims => "refused_claims",
            Counter::IgnoredEvents => "ignored_events",
            Counter::KeyRotations => "key_rotations",
            Counter::NodeErrors => "node_errors",
        }
    }
}

impl Db<'_> {
    /// Adds `by` to `counter`.
    pub fn count(&self, counter: Counter, by: i64) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT INTO counters (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = value + ?2",
            params![counter.name(), by],
        )?;
        Ok(())
    }

    /// The value of `counter`.
    pub fn counter(&self, counter: Counter) -> Result<i64, StoreError> {
        Ok(self
            .connection
            .query_row(
                "SELECT value FROM counters WHERE name = ?1",
                [counter.name()],
                |row| row.get(0),
            )
            .or_else(|error| match error {
                rusqlite::Error::QueryReturnedNoRows => Ok(0),
                other => Err(other),
            })?)
    }
}
