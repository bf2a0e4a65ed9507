//! Providers with consent to read the channel (the public key stored as
//! its wire form, two trytes per byte), and the device's consent state.

use consent_protocol::device::{AuthorizedProvider, DeviceConsent};
use consent_protocol::PolicyId;
use rusqlite::params;

use super::sql_time::{from_sql, to_sql};
use super::{Db, StoreError};

impl Db<'_> {
    /// What the device's consent rules decide on: whether the owner has the
    /// device, and the providers it serves.
    pub fn device_consent(&self) -> Result<DeviceConsent, StoreError> {
        Ok(DeviceConsent {
            active: self.device_active()?,
            pinned_security: self.pairing()?.and_then(|p| p.owner_security),
            providers: self.providers()?,
        })
    }

    /// Every authorized provider, in order of authorization.
    pub fn providers(&self) -> Result<Vec<AuthorizedProvider>, StoreError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT policy_id, address, public_key, url, goal, expires_at, authorized_at,
                    request_nonce
             FROM providers ORDER BY authorized_at, policy_id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<i64>>(5)?,
                row.get::<_, i64>(6)?,
                row.get::<_, Option<String>>(7)?,
            ))
        })?;
        let mut providers = Vec::new();
        for row in rows {
            let (policy_id, address, public_key, url, goal, expires_at, authorized_at, nonce) =
                row?;
            providers.push(AuthorizedProvider {
                policy_id: PolicyId::new(policy_id)
                    .map_err(|e| StoreError::corrupt("policy id", e))?,
                address: address
                    .parse()
                    .map_err(|e| StoreError::corrupt("provider address", e))?,
                public_key: public_key
                    .parse()
                    .map_err(|e| StoreError::corrupt("provider key", e))?,
                url,
                goal,
                expires_at: expires_at.map(from_sql),
                request_nonce: nonce
                    .map(|n| n.parse())
                    .transpose()
                    .map_err(|e| StoreError::corrupt("request nonce", e))?,
                authorized_at: from_sql(authorized_at),
            });
        }
        Ok(providers)
    }

    /// Adds (or replaces) the provider of a policy.
    pub fn add_provider(&self, provider: &AuthorizedProvider) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT OR REPLACE INTO providers
             (policy_id, address, public_key, url, goal, expires_at, authorized_at,
              request_nonce)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                provider.policy_id.as_str(),
                provider.address.as_str(),
                provider.public_key.to_trytes().as_str(),
                provider.url,
                provider.goal,
                provider.expires_at.map(to_sql),
                to_sql(provider.authorized_at),
                provider.request_nonce.as_ref().map(|n| n.as_str())
            ],
        )?;
        Ok(())
    }

    /// Removes the provider of a policy, and its `MAM_DATA` if not sent
    /// yet (keys for a consent that no longer holds must not go out);
    /// whether there was one.
    pub fn remove_provider(&self, policy_id: &PolicyId) -> Result<bool, StoreError> {
        self.drop_unsent_mam_data(Some(policy_id))?;
        Ok(self.connection.execute(
            "DELETE FROM providers WHERE policy_id = ?1",
            [policy_id.as_str()],
        )? > 0)
    }

    /// Removes every provider, and every `MAM_DATA` not sent yet.
    pub fn clear_providers(&self) -> Result<(), StoreError> {
        self.drop_unsent_mam_data(None)?;
        self.connection.execute("DELETE FROM providers", [])?;
        Ok(())
    }
}
