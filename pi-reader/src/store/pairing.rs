//! Pairing state: the owner's channel, and challenges handed out.

use consent_protocol::device::{OpenChallenge, Owner};
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
                "SELECT owner, root, next_event_root, events_read, paired_at FROM pairing WHERE id = 1",
                [],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, i64>(3)?,
                        row.get::<_, i64>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((owner, root, next, events_read, paired_at)) = row else {
            return Ok(None);
        };
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
        }))
    }

    /// Pairs with the owner at `owner` whose channel starts at `root`
    /// (replacing any earlier pairing).
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

    /// Marks a challenge answered: it never counts again.
    pub fn use_challenge(&self, challenge: &Hash81) -> Result<(), StoreError> {
        self.connection.execute(
            "UPDATE challenges SET used = 1 WHERE challenge = ?1",
            [challenge.as_str()],
        )?;
        Ok(())
    }
}
