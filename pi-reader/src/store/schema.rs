//! The tables, created or upgraded on open.

use rusqlite::Connection;

use super::StoreError;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 2;

const SCHEMA_V1: &str = "
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE channel (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    next_count INTEGER NOT NULL,
    position_index INTEGER NOT NULL,
    side_key TEXT NOT NULL,
    side_key_since INTEGER NOT NULL
);
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    raw TEXT NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE TABLE messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    root TEXT NOT NULL,
    address TEXT NOT NULL,
    next_root TEXT NOT NULL,
    payload TEXT,
    telegrams INTEGER NOT NULL,
    first_received_at INTEGER,
    created_at INTEGER NOT NULL,
    attached_at INTEGER,
    bundle TEXT
);
CREATE INDEX messages_unattached ON messages (seq) WHERE attached_at IS NULL;
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose TEXT NOT NULL,
    address TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    bundle TEXT
);
CREATE TABLE processed (
    tail TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    outcome TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE challenges (
    challenge TEXT PRIMARY KEY,
    claimant TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE pairing (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    owner TEXT NOT NULL,
    root TEXT NOT NULL,
    next_event_root TEXT NOT NULL,
    events_read INTEGER NOT NULL DEFAULT 0,
    paired_at INTEGER NOT NULL
);
CREATE TABLE providers (
    policy_id TEXT PRIMARY KEY,
    address TEXT NOT NULL,
    public_key TEXT NOT NULL,
    url TEXT NOT NULL,
    goal TEXT NOT NULL,
    expires_at INTEGER,
    authorized_at INTEGER NOT NULL
);
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
";

/// The version 1 schema, for the upgrade test.
#[cfg(test)]
pub(super) const SCHEMA_V1_FOR_TESTS: &str = SCHEMA_V1;

/// Version 2, protocol v2 pairing and consent: the claim nonces answered (each once), the owner
/// channel's security level pinned at `DEVICE_ADDED`, and each provider's
/// request nonce, sealed into its `MAM_DATA`; and which policy a queued
/// `MAM_DATA` is for, so a revocation drops it unsent.
const SCHEMA_V2_PAIRING: &str = "
CREATE TABLE claim_nonces (
    nonce TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
);
ALTER TABLE pairing ADD COLUMN owner_security INTEGER;
ALTER TABLE providers ADD COLUMN request_nonce TEXT;
CREATE TABLE mam_data_policies (
    transfer INTEGER PRIMARY KEY,
    policy_id TEXT NOT NULL
);
";

/// Version 2, flood-proof reading: where the readers of the device address and of the owner's
/// channel stand (so junk is downloaded once, not after every restart),
/// and whether the owner's channel can be read (the daemon fails closed
/// when it cannot).
const SCHEMA_V2_CURSORS: &str = "
CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    root TEXT,
    caught_up_at INTEGER
);
CREATE TABLE cursor_consumed (
    cursor TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (cursor, hash)
) WITHOUT ROWID;
CREATE TABLE cursor_waiting (
    cursor TEXT NOT NULL,
    hash TEXT NOT NULL,
    bundle TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    PRIMARY KEY (cursor, hash)
) WITHOUT ROWID;
CREATE TABLE owner_channel (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    failing_since INTEGER,
    reason TEXT,
    fail_closed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX processed_at ON processed (at);
";

/// Brings the schema of `connection` to [`SCHEMA_VERSION`]. Safe when
/// several connections open the file at once: the check and the upgrade
/// happen under one write lock.
pub fn migrate(connection: &Connection) -> Result<(), StoreError> {
    connection.execute_batch("BEGIN IMMEDIATE")?;
    let result = upgrade(connection);
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    connection.execute_batch(end)?;
    result
}

fn upgrade(connection: &Connection) -> Result<(), StoreError> {
    let version: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version < 1 {
        connection.execute_batch(SCHEMA_V1)?;
        connection.pragma_update(None, "user_version", 1)?;
    }
    if version < 2 {
        connection.execute_batch(SCHEMA_V2_PAIRING)?;
        connection.execute_batch(SCHEMA_V2_CURSORS)?;
        connection.pragma_update(None, "user_version", 2)?;
    }
    Ok(())
}
