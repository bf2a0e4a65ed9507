//! Pairing state: the owner's channel (and its security level, pinned at
//! `DEVICE_ADDED`), challenges handed out and claim nonces answered.

use consent_protocol::device::{OpenChallenge, Owner};
use mam_lib::address::Security;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;
use rusqlite::{params, OptionalExtension};

use super::sql_time::{from_sql, to_sql};
use super::{Db, StoreError};

/// The owner the device is paired with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    /// My Home's address.
    pub owner: Hash81,
    /// The root of My Home's private channel (its event store).
    pub root: Hash81,
    /// The root of the next event to read.
    pub next_event_root: Hash81,
    /// Events read so far.
    pub events_read: i64,
    /// When it was paired.
    pub paired_at: UnixMillis,
    /// The security level of the owner's channel, pinned by the first
    /// `DEVICE_ADDED` applied; events of another level are ignored.
    pub owner_security: Option<Security>,
}

impl Pairing {
    /// The owner, as the pairing rules name it.
    pub fn owner(&self) -> Owner {
        Owner {
            address: self.owner.clone(),
            root: self.root.clone(),
        }
    }
}

impl Db<'_> {
    /// The current pairing, if any.
    pub fn pairing(&self) -> Result<Option<Pairing>, StoreError> {
        let row = self
            .connection
            .query_row(
                "SELECT owner, root, next_event_root, events_read, paired_at, owner_security
                 FROM pairing WHERE id = 1",
                [],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, i64>(3)?,
                        row.get::<_, i64>(4)?,
                        row.get::<_, Option<u8>>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((owner, root, next, events_read, paired_at, security)) = row else {
            return Ok(None);
        };
        let owner_security = security
            .map(Security::try_from)
            .transpose()
            .map_err(|e| StoreError::corrupt("owner security", e))?;
        let hash = |text: String| {
            text.parse::<Hash81>()
                .map_err(|e| StoreError::corrupt("pairing", e))
        };
        Ok(Some(Pairing {
            owner: hash(owner)?,
            root: hash(root)?,
            next_event_root: hash(next)?,
            events_read,
            paired_at: from_sql(paired_at),
            owner_security,
        }))
    }

    /// Pairs with the owner at `owner` whose channel starts at `root`
    /// (replacing any earlier pairing, and its pinned security level).
    pub fn set_pairing(
        &self,
        owner: &Hash81,
        root: &Hash81,
        now: UnixMillis,
    ) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT OR REPLACE INTO pairing (id, owner, root, next_event_root, events_read, paired_at)
             VALUES (1, ?1, ?2, ?2, 0, ?3)",
            params![owner.as_str(), root.as_str(), to_sql(now)],
        )?;
        Ok(())
    }

    /// Pins the owner channel's security level (at `DEVICE_ADDED`).
    pub fn pin_owner_security(&self, security: Security) -> Result<(), StoreError> {
        self.connection.execute(
            "UPDATE pairing SET owner_security = ?1 WHERE id = 1",
            [security as u8],
        )?;
        Ok(())
    }

    /// Whether a claim with `nonce` was answered before.
    pub fn claim_nonce_seen(&self, nonce: &Hash81) -> Result<bool, StoreError> {
        Ok(self
            .connection
            .prepare_cached("SELECT 1 FROM claim_nonces WHERE nonce = ?1")?
            .exists([nonce.as_str()])?)
    }

    /// Keeps `nonce` as answered: a claim carrying it is never answered
    /// again.
    pub fn add_claim_nonce(&self, nonce: &Hash81, now: UnixMillis) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT OR IGNORE INTO claim_nonces (nonce, seen_at) VALUES (?1, ?2)",
            params![nonce.as_str(), to_sql(now)],
        )?;
        Ok(())
    }

    /// Forgets every challenge not yet answered (a local unpair: an answer
    /// under the old secret must not pair afterwards).
    pub fn drop_open_challenges(&self) -> Result<(), StoreError> {
        self.connection
            .execute("UPDATE challenges SET used = 1 WHERE used = 0", [])?;
        Ok(())
    }

    /// Forgets the pairing.
    pub fn clear_pairing(&self) -> Result<(), StoreError> {
        self.connection.execute("DELETE FROM pairing", [])?;
        Ok(())
    }

    /// Moves past one event of the owner's channel.
    pub fn advance_events(&self, next_event_root: &Hash81) -> Result<(), StoreError> {
        self.connection.execute(
            "UPDATE pairing SET next_event_root = ?1, events_read = events_read + 1 WHERE id = 1",
            [next_event_root.as_str()],
        )?;
        Ok(())
    }

    /// Keeps a challenge handed to `claimant`.
    pub fn add_challenge(
        &self,
        challenge: &Hash81,
        claimant: &Hash81,
        now: UnixMillis,
    ) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT INTO challenges (challenge, claimant, issued_at) VALUES (?1, ?2, ?3)",
            params![challenge.as_str(), claimant.as_str(), to_sql(now)],
        )?;
        Ok(())
    }

    /// Unused challenges handed to `claimant` since `since`.
    pub fn open_challenges(
        &self,
        claimant: &Hash81,
        since: UnixMillis,
    ) -> Result<Vec<OpenChallenge>, StoreError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT challenge, issued_at FROM challenges
             WHERE claimant = ?1 AND used = 0 AND issued_at >= ?2 ORDER BY issued_at",
        )?;
        let rows = statement.query_map(params![claimant.as_str(), to_sql(since)], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?;
        let mut challenges = Vec::new();
        for row in rows {
            let (challenge, issued_at) = row?;
            challenges.push(OpenChallenge {
                challenge: challenge
                    .parse()
                    .map_err(|e| StoreError::corrupt("challenge", e))?,
                issued_at: from_sql(issued_at),
            });
        }
        Ok(challenges)
    }

    /// Challenges handed out since `since` (for rate limiting).
    pub fn challenges_since(&self, since: UnixMillis) -> Result<i64, StoreError> {
        Ok(self.connection.query_row(
            "SELECT COUNT(*) FROM challenges WHERE issued_at >= ?1",
            [to_sql(since)],
            |row| row.get(0),
        )?)
    }

    /// Pairing replies that cost proof of work (challenges and claim
    /// results) queued since `since`: what the hourly budget counts.
    pub fn pairing_replies_since(&self, since: UnixMillis) -> Result<i64, StoreError> {
        Ok(self.connection.query_row(
            "SELECT (SELECT COUNT(*) FROM challenges WHERE issued_at >= ?1)
                  + (SELECT COUNT(*) FROM transfers WHERE purpose = 'CLAIM_RESULT' AND created_at >= ?1)",
            [to_sql(since)],
            |row| row.get(0),
        )?)
    }

    /// Marks a challenge answered: it never counts again.
    pub fn use_challenge(&self, challenge: &Hash81) -> Result<(), StoreError> {
        self.connection.execute(
            "UPDATE challenges SET used = 1 WHERE challenge = ?1",
            [challenge.as_str()],
        )?;
        Ok(())
    }
}
