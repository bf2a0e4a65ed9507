//! The identity's side effects (browser storage, the clipboard) and the hook
//! that feeds their outcomes to the reducer in [`super::state`].
//!
//! These functions call browser APIs and so only work in a browser; they
//! compile natively so that the workspace builds and lints in one go.

use std::fmt;

use gloo::timers::callback::Timeout;
use mam_lib::address::Address;
use mam_lib::seed::Seed;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys;
use web_sys::Storage;
use yew::prelude::*;

use super::state::{
    CopyStatus, Identity, IdentityAction, IdentityPhase, IdentityState, SeedOrigin, StoredSeed,
};

/// How long the copy button shows its feedback.
const COPY_FEEDBACK_MS: u32 = 2_000;

/// Suffix of the key under which an unreadable value is kept when the owner
/// replaces it: a damaged seed may still be repairable by hand.
const SET_ASIDE_SUFFIX: &str = ".unreadable";

/// What to do with a stored value that is not a seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OnInvalid {
    /// Leave it and tell the owner.
    Report,
    /// The owner chose a new seed: keep the old value aside, then replace it.
    SetAsideAndReplace,
}

/// Browser storage refused a read or a write; holds the browser's message.
#[derive(Clone, Debug, PartialEq, Eq)]
struct StorageError(String);

impl From<JsValue> for StorageError {
    fn from(error: JsValue) -> Self {
        let message = error
            .dyn_ref::<js_sys::Error>()
            .map(|error| String::from(error.message()))
            .or_else(|| error.as_string())
            .unwrap_or_else(|| format!("{error:?}"));
        StorageError(message)
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The `localStorage` entry that holds an app's seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedStore {
    key: &'static str,
}

impl SeedStore {
    /// The entry under `key`, for example `my-home.seed`.
    pub const fn new(key: &'static str) -> SeedStore {
        SeedStore { key }
    }

    fn storage() -> Result<Storage, StorageError> {
        let window = web_sys::window().ok_or_else(|| StorageError("no browser window".into()))?;
        window
            .local_storage()?
            .ok_or_else(|| StorageError("this browser has no localStorage".into()))
    }

    /// Reads the stored seed; on a first visit draws a new one from the
    /// CSPRNG and stores it. The result is the action for the reducer.
    fn open(self, on_invalid: OnInvalid) -> IdentityAction {
        match self.try_open(on_invalid) {
            Ok(action) => action,
            Err(error) => IdentityAction::StorageFailed(error.to_string()),
        }
    }

    fn try_open(self, on_invalid: OnInvalid) -> Result<IdentityAction, StorageError> {
        let storage = Self::storage()?;
        let raw = storage.get_item(self.key)?;
        match StoredSeed::parse(raw.as_deref()) {
            StoredSeed::Valid(seed) => {
                let identity = Identity::from_seed(seed, SeedOrigin::Restored);
                return Ok(IdentityAction::Established(identity));
            }
            StoredSeed::Invalid(error) if on_invalid == OnInvalid::Report => {
                return Ok(IdentityAction::StoredSeedRejected(error));
            }
            StoredSeed::Invalid(_) => {
                if let Some(unreadable) = &raw {
                    let set_aside_key = format!("{}{SET_ASIDE_SUFFIX}", self.key);
                    storage.set_item(&set_aside_key, unreadable)?;
                }
            }
            StoredSeed::Missing => {}
        }
        let seed = Seed::random();
        storage.set_item(self.key, &seed.to_string())?;
        Ok(IdentityAction::Established(Identity::from_seed(
            seed,
            SeedOrigin::Generated,
        )))
    }
}

/// Puts `text` on the clipboard and reports the outcome to `dispatcher`.
fn copy_to_clipboard(text: String, dispatcher: UseReducerDispatcher<IdentityState>) {
    let Some(window) = web_sys::window() else {
        return dispatcher.dispatch(IdentityAction::CopyFinished(CopyStatus::Failed));
    };
    let clipboard = window.navigator().clipboard();
    // Only secure contexts (https, localhost) have a clipboard.
    if clipboard.is_undefined() {
        return dispatcher.dispatch(IdentityAction::CopyFinished(CopyStatus::Failed));
    }
    let written = JsFuture::from(clipboard.write_text(&text));
    yew::platform::spawn_local(async move {
        let status = match written.await {
            Ok(_) => CopyStatus::Copied,
            Err(_) => CopyStatus::Failed,
        };
        dispatcher.dispatch(IdentityAction::CopyFinished(status));
    });
}

/// An app's identity and the requests its view may make.
#[derive(Clone, PartialEq)]
pub struct IdentityHandle {
    /// The current state.
    pub state: UseReducerHandle<IdentityState>,
    /// Replace an unreadable stored value with a new seed.
    pub replace_seed: Callback<()>,
    /// Show or hide the seed.
    pub toggle_seed: Callback<()>,
    /// Copy the address to the clipboard.
    pub copy_address: Callback<()>,
}

/// Loads (or creates) the seed kept in `store` once, when the app mounts, and
/// returns the state with the callbacks that change it.
#[hook]
pub fn use_identity(store: SeedStore) -> IdentityHandle {
    let state = use_reducer(IdentityState::default);

    {
        let dispatcher = state.dispatcher();
        use_effect_with(store, move |store| {
            dispatcher.dispatch(store.open(OnInvalid::Report));
        });
    }

    {
        // Copy feedback fades after a while; a newer answer restarts the timer.
        let dispatcher = state.dispatcher();
        use_effect_with(state.copy, move |copy| {
            let timeout = (*copy != CopyStatus::Idle).then(|| {
                Timeout::new(COPY_FEEDBACK_MS, move || {
                    dispatcher.dispatch(IdentityAction::CopyFinished(CopyStatus::Idle));
                })
            });
            move || drop(timeout)
        });
    }

    let replace_seed = {
        let dispatcher = state.dispatcher();
        use_callback(store, move |(), store| {
            dispatcher.dispatch(store.open(OnInvalid::SetAsideAndReplace));
        })
    };

    let toggle_seed = {
        let dispatcher = state.dispatcher();
        use_callback((), move |(), ()| {
            dispatcher.dispatch(IdentityAction::ToggleSeed)
        })
    };

    let address: Option<Address> = match &state.phase {
        IdentityPhase::Ready(identity) => Some(identity.address().clone()),
        _ => None,
    };
    let copy_address = {
        let dispatcher = state.dispatcher();
        use_callback(address, move |(), address| {
            if let Some(address) = address {
                copy_to_clipboard(address.to_string(), dispatcher.clone());
            }
        })
    };

    IdentityHandle {
        state,
        replace_seed,
        toggle_seed,
        copy_address,
    }
}
