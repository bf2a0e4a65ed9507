//! Plain transfers the device owes someone (challenges, claim results,
//! `MAM_DATA`), kept until a node has them.

use consent_protocol::{Outgoing, PolicyId, TransferMessage};
use mam_lib::ternary::{Hash81, Trytes};
use mam_lib::time::UnixMillis;
use rusqlite::params;

use super::sql_time::to_sql;
use super::{Db, StoreError};

/// Why a transfer is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferPurpose {
    /// A pairing challenge.
    Challenge,
    /// The outcome of a claim.
    ClaimResult,
    /// Channel keys for a newly authorized provider.
    MamData,
}

impl TransferPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TransferPurpose::Challenge => "CHALLENGE",
            TransferPurpose::ClaimResult => "CLAIM_RESULT",
            TransferPurpose::MamData => "MAM_DATA",
        }
    }
}

/// A transfer waiting to be sent.
#[derive(Debug, Clone)]
pub struct QueuedTransfer {
    /// Its id in the queue.
    pub id: i64,
    /// Why it is sent (as stored).
    pub purpose: String,
    /// The recipient.
    pub address: Hash81,
    /// The encoded message.
    pub message: Trytes,
}

impl Db<'_> {
    /// Queues `message` for `address`.
    pub fn queue_transfer(
        &self,
        purpose: TransferPurpose,
        address: &Hash81,
        message: &Trytes,
        now: UnixMillis,
    ) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT INTO transfers (purpose, address, message, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                purpose.as_str(),
                address.as_str(),
                message.as_str(),
                to_sql(now)
            ],
        )?;
        Ok(())
    }

    /// Queues what the protocol rules ask to send. A `MAM_DATA` is kept
    /// with its policy id, so a revocation can drop it unsent.
    pub fn queue_outgoing(
        &self,
        purpose: TransferPurpose,
        outgoing: &Outgoing,
        now: UnixMillis,
    ) -> Result<(), StoreError> {
        self.queue_transfer(purpose, &outgoing.to, &outgoing.encoded(), now)?;
        if let TransferMessage::MamData { policy_id, .. } = &outgoing.message {
            self.connection.execute(
                "INSERT INTO mam_data_policies (transfer, policy_id) VALUES (?1, ?2)",
                params![self.connection.last_insert_rowid(), policy_id.as_str()],
            )?;
        }
        Ok(())
    }

    /// Drops the `MAM_DATA` not yet sent for `policy_id` (every policy when
    /// `None`); how many. Call in the transaction that drops the provider.
    pub fn drop_unsent_mam_data(&self, policy_id: Option<&PolicyId>) -> Result<usize, StoreError> {
        let dropped = self.connection.execute(
            "DELETE FROM transfers WHERE sent_at IS NULL AND purpose = ?1 AND id IN
             (SELECT transfer FROM mam_data_policies WHERE ?2 IS NULL OR policy_id = ?2)",
            params![
                TransferPurpose::MamData.as_str(),
                policy_id.map(PolicyId::as_str)
            ],
        )?;
        // Queued before the table existed: without a policy id, so only a
        // drop of all of them can name them.
        let legacy = if policy_id.is_none() {
            self.connection.execute(
                "DELETE FROM transfers WHERE sent_at IS NULL AND purpose = ?1",
                [TransferPurpose::MamData.as_str()],
            )?
        } else {
            0
        };
        self.connection.execute(
            "DELETE FROM mam_data_policies WHERE transfer NOT IN (SELECT id FROM transfers)",
            [],
        )?;
        Ok(dropped + legacy)
    }

    /// Transfers not yet sent, oldest first.
    pub fn queued_transfers(&self) -> Result<Vec<QueuedTransfer>, StoreError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT id, purpose, address, message FROM transfers WHERE sent_at IS NULL ORDER BY id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
            ))
        })?;
        let mut transfers = Vec::new();
        for row in rows {
            let (id, purpose, address, message) = row?;
            transfers.push(QueuedTransfer {
                id,
                purpose,
                address: address
                    .parse()
                    .map_err(|e| StoreError::corrupt("transfer address", e))?,
                message: message
                    .parse()
                    .map_err(|e| StoreError::corrupt("transfer message", e))?,
            });
        }
        Ok(transfers)
    }

    /// Records that transfer `id` is on the Tangle in `bundle`.
    pub fn mark_transfer_sent(
        &self,
        id: i64,
        bundle: &str,
        now: UnixMillis,
    ) -> Result<(), StoreError> {
        self.connection.execute(
            "UPDATE transfers SET sent_at = ?2, bundle = ?3, message = '' WHERE id = ?1",
            params![id, to_sql(now), bundle],
        )?;
        Ok(())
    }

    /// Whether the transfer whose tail transaction is `tail` was already
    /// handled. (Tail hashes, not bundle hashes, name transfers: legacy
    /// bundle hashes cover no message and can be shared.)
    pub fn is_processed(&self, tail: &str) -> Result<bool, StoreError> {
        Ok(self
            .connection
            .prepare_cached("SELECT 1 FROM processed WHERE tail = ?1")?
            .exists([tail])?)
    }

    /// Records that the transfer with tail `tail` (from `source`) was
    /// handled, and how.
    pub fn mark_processed(
        &self,
        tail: &str,
        source: &str,
        outcome: &str,
        now: UnixMillis,
    ) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT OR IGNORE INTO processed (tail, source, outcome, at) VALUES (?1, ?2, ?3, ?4)",
            params![tail, source, outcome, to_sql(now)],
        )?;
        Ok(())
    }
}
