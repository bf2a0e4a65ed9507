//! The browser's `localStorage`, with its refusals as a typed error.
//!
//! Browser-only calls; they compile natively so that the workspace builds and
//! lints in one go.

use std::fmt;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys;
use web_sys::Storage;

/// Browser storage refused a read or a write; holds the browser's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageError(pub String);

impl From<JsValue> for StorageError {
    fn from(error: JsValue) -> Self {
        StorageError(js_error_text(&error))
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StorageError {}

/// The text of a JavaScript error value (its `message`, or the value itself).
pub fn js_error_text(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// The page's `localStorage`.
pub fn local_storage() -> Result<Storage, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError("no browser window".into()))?;
    window
        .local_storage()?
        .ok_or_else(|| StorageError("this browser has no localStorage".into()))
}

/// The value under `key`, if any.
pub fn get(key: &str) -> Result<Option<String>, StorageError> {
    Ok(local_storage()?.get_item(key)?)
}

/// Stores `value` under `key`.
pub fn set(key: &str, value: &str) -> Result<(), StorageError> {
    Ok(local_storage()?.set_item(key, value)?)
}

/// Removes `key`.
pub fn remove(key: &str) -> Result<(), StorageError> {
    Ok(local_storage()?.remove_item(key)?)
}
