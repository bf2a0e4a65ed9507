//! Who the device is: its seed (address and channel) and pairing secret,
//! made from the CSPRNG on first start and kept.

use consent_protocol::PairingSecret;
use mam_lib::address::{generate_address, Security};
use mam_lib::mam::SideKey;
use mam_lib::seed::Seed;
use mam_lib::ternary::Hash81;
use mam_lib::time::UnixMillis;
use rusqlite::{params, OptionalExtension};

use super::{Db, StoreError};

/// The device's long-lived secrets and the address derived from them.
#[derive(Clone)]
pub struct Identity {
    /// The seed of the device's address and MAM channel.
    pub seed: Seed,
    /// The secret the owner proves to pair.
    pub pairing_secret: PairingSecret,
    /// Where claims and answers are sent: the seed's address at index 0,
    /// security 2.
    pub address: Hash81,
}

impl Db<'_> {
    /// The identity, made and stored on first call (with the channel at
    /// its start and a fresh side key), all in one savepoint: a crash or a
    /// second process leaves either a whole identity or none, whether or
    /// not the caller holds a transaction.
    pub fn identity_or_create(&self, now: UnixMillis) -> Result<Identity, StoreError> {
        if let Some(identity) = self.identity()? {
            return Ok(identity);
        }
        let seed = Seed::try_random()?;
        let secret = PairingSecret::random()?;
        let side_key = SideKey::from_trytes(mam_lib::seed::try_random_trytes(81)?)
            .map_err(|e| StoreError::corrupt("side key", e))?;
        self.savepoint("identity", || {
            // Another process may have made one since the check above.
            if self.meta("seed")?.is_some() {
                return Ok(());
            }
            self.connection.execute(
                "INSERT INTO meta (key, value) VALUES ('seed', ?1), ('pairing_secret', ?2)",
                params![seed.as_trytes().as_str(), secret.as_str()],
            )?;
            self.init_channel(&side_key, now)
        })?;
        self.identity()?
            .ok_or_else(|| StoreError::corrupt("identity", "not stored"))
    }

    /// Replaces the pairing secret (after a pairing, or a local unpair):
    /// the old one proves nothing any more.
    pub fn set_pairing_secret(&self, secret: &PairingSecret) -> Result<(), StoreError> {
        self.connection.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'pairing_secret'",
            [secret.as_str()],
        )?;
        Ok(())
    }

    /// Runs `change` inside a savepoint named `name`: released if it returns
    /// `Ok`, rolled back otherwise.
    fn savepoint(
        &self,
        name: &str,
        change: impl FnOnce() -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.connection
            .execute_batch(&format!("SAVEPOINT {name}"))?;
        match change() {
            Ok(()) => {
                self.connection.execute_batch(&format!("RELEASE {name}"))?;
                Ok(())
            }
            Err(error) => {
                self.connection
                    .execute_batch(&format!("ROLLBACK TO {name}; RELEASE {name}"))?;
                Err(error)
            }
        }
    }

    /// The identity, if one was made.
    pub fn identity(&self) -> Result<Option<Identity>, StoreError> {
        let Some(seed) = self.meta("seed")? else {
            return Ok(None);
        };
        let secret = self
            .meta("pairing_secret")?
            .ok_or_else(|| StoreError::corrupt("pairing secret", "missing"))?;
        let seed: Seed = seed.parse().map_err(|e| StoreError::corrupt("seed", e))?;
        let pairing_secret: PairingSecret = secret
            .parse()
            .map_err(|e| StoreError::corrupt("pairing secret", e))?;
        let address = generate_address(&seed, 0, Security::Medium);
        Ok(Some(Identity {
            seed,
            pairing_secret,
            address,
        }))
    }

    /// Whether the owner has the device (not deleted by `DEVICE_DELETED`).
    pub fn device_active(&self) -> Result<bool, StoreError> {
        Ok(self.meta("device_deleted")?.as_deref() != Some("1"))
    }

    /// Records whether the owner has the device.
    pub fn set_device_active(&self, active: bool) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('device_deleted', ?1)",
            [if active { "0" } else { "1" }],
        )?;
        Ok(())
    }

    fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .connection
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }
}
