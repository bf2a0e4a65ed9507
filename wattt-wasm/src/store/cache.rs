//! The cache in IndexedDB (through the `idb` crate): per provider address,
//! one state record ([`SavedState`] as JSON) and the reading chunks of each
//! home ([`super::codec`] bytes). [`Cache::save`] writes new chunks and the
//! state that counts them in one transaction, so a tab closed mid-save
//! leaves the previous save whole. Browser-only calls that compile
//! natively.

use std::collections::BTreeMap;

use idb::{Database, DatabaseEvent, Factory, KeyRange, ObjectStoreParams, Query, TransactionMode};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

use super::codec::{decode_readings, encode_readings};
use super::saved::SavedState;
use crate::energy::Reading;

/// The database's name and version.
const DATABASE: &str = "wattt-insights";
const VERSION: u32 = 1;
/// The store of state records, keyed by provider address.
const STATE: &str = "state";
/// The store of reading chunks, keyed `address ␁ policy ␁ chunk number`.
const READINGS: &str = "readings";
/// Between the parts of a chunk's key: in neither an address nor a
/// policy id (printable ASCII).
const SEPARATOR: char = '\u{1}';

/// Why the cache could not be used (the app then reads from the node).
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// IndexedDB failed or is not there (private windows, old browsers).
    #[error("the browser's database: {0}")]
    Database(String),
}

impl From<idb::Error> for CacheError {
    fn from(error: idb::Error) -> CacheError {
        CacheError::Database(error.to_string())
    }
}

/// What a load found.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The state as saved.
    pub state: SavedState,
    /// The readings of each home, by policy id, in channel order.
    pub readings: BTreeMap<String, Vec<Reading>>,
    /// Chunks that did not decode (their homes are read again).
    pub damaged: usize,
}

/// New readings of one home, to save.
#[derive(Debug, Clone)]
pub struct NewChunk {
    /// The home's policy id.
    pub policy_id: String,
    /// Its number (the home's count of chunks before this one).
    pub number: u32,
    /// The readings.
    pub readings: Vec<Reading>,
}

/// The cache of one provider address.
pub struct Cache {
    database: Database,
    owner: String,
}

impl Cache {
    /// Opens (and on first use creates) the database for `owner`.
    pub async fn open(owner: &str) -> Result<Cache, CacheError> {
        let factory = Factory::new()?;
        let mut request = factory.open(DATABASE, Some(VERSION))?;
        request.on_upgrade_needed(|event| {
            if let Ok(database) = event.database() {
                for store in [STATE, READINGS] {
                    if !database.store_names().iter().any(|s| s == store) {
                        let _ = database.create_object_store(store, ObjectStoreParams::new());
                    }
                }
            }
        });
        Ok(Cache {
            database: request.await?,
            owner: owner.to_owned(),
        })
    }

    /// The saved state and readings, or `None` when nothing is saved for
    /// this address (or the state does not parse).
    pub async fn load(&self) -> Result<Option<Loaded>, CacheError> {
        let transaction = self
            .database
            .transaction(&[STATE, READINGS], TransactionMode::ReadOnly)?;
        let state = transaction
            .object_store(STATE)?
            .get(Query::Key(JsValue::from_str(&self.owner)))?
            .await?;
        let Some(state) = state
            .and_then(|value| value.as_string())
            .and_then(|json| SavedState::from_json(&json))
        else {
            return Ok(None);
        };
        let store = transaction.object_store(READINGS)?;
        let keys = store.get_all_keys(Some(self.owner_range()?), None)?.await?;
        let values = store.get_all(Some(self.owner_range()?), None)?.await?;
        let mut loaded = Loaded {
            state,
            ..Loaded::default()
        };
        for (key, value) in keys.into_iter().zip(values) {
            let Some(key) = key.as_string() else {
                continue;
            };
            let mut parts = key.split(SEPARATOR);
            let (Some(_), Some(policy), Some(number)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let counted = loaded.state.chunks.get(policy).copied().unwrap_or(0);
            if number.parse::<u32>().map_or(true, |n| n >= counted) {
                // Written by a save whose state did not land: not counted.
                continue;
            }
            let Ok(bytes) = value.dyn_into::<Uint8Array>() else {
                loaded.damaged += 1;
                continue;
            };
            match decode_readings(&bytes.to_vec()) {
                Ok(readings) => loaded
                    .readings
                    .entry(policy.to_owned())
                    .or_default()
                    .extend(readings),
                Err(_) => loaded.damaged += 1,
            }
        }
        transaction.await?;
        Ok(Some(loaded))
    }

    /// Saves `chunks` and `state` (which must count them) together.
    pub async fn save(&self, state: &SavedState, chunks: &[NewChunk]) -> Result<(), CacheError> {
        let transaction = self
            .database
            .transaction(&[STATE, READINGS], TransactionMode::ReadWrite)?;
        let readings = transaction.object_store(READINGS)?;
        for chunk in chunks {
            let bytes = encode_readings(&chunk.readings);
            let value = Uint8Array::from(bytes.as_slice());
            let key = JsValue::from_str(&self.chunk_key(&chunk.policy_id, chunk.number));
            readings.put(&value, Some(&key))?.await?;
        }
        transaction
            .object_store(STATE)?
            .put(
                &JsValue::from_str(&state.to_json()),
                Some(&JsValue::from_str(&self.owner)),
            )?
            .await?;
        transaction.commit()?.await?;
        Ok(())
    }

    /// Deletes everything saved for this address.
    pub async fn clear(&self) -> Result<(), CacheError> {
        let transaction = self
            .database
            .transaction(&[STATE, READINGS], TransactionMode::ReadWrite)?;
        transaction
            .object_store(READINGS)?
            .delete(self.owner_range()?)?
            .await?;
        transaction
            .object_store(STATE)?
            .delete(Query::Key(JsValue::from_str(&self.owner)))?
            .await?;
        transaction.commit()?.await?;
        Ok(())
    }

    fn chunk_key(&self, policy_id: &str, number: u32) -> String {
        format!(
            "{}{SEPARATOR}{policy_id}{SEPARATOR}{number:010}",
            self.owner
        )
    }

    /// Every chunk key of this address.
    fn owner_range(&self) -> Result<Query, CacheError> {
        let lower = JsValue::from_str(&format!("{}{SEPARATOR}", self.owner));
        let upper = JsValue::from_str(&format!("{}\u{2}", self.owner));
        Ok(Query::KeyRange(KeyRange::bound(
            &lower,
            &upper,
            Some(false),
            Some(true),
        )?))
    }
}
