//! The identity's side effects (browser storage, the clipboard, the backup
//! file) and the hook that feeds their outcomes to the reducer in
//! [`super::state`].
//!
//! These functions call browser APIs and so only work in a browser; they
//! compile natively so that the workspace builds and lints in one go.

use gloo::timers::callback::Timeout;
use mam_lib::address::Address;
use mam_lib::seed::Seed;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::backup::{backup_file_text, parse_seed_text, MAX_BACKUP_TEXT};
use super::state::{
    CopyStatus, Identity, IdentityAction, IdentityPhase, IdentityState, SeedOrigin, StoredSeed,
};
use crate::download::{download_text, read_chosen_file};
use crate::storage::{self, StorageError};

/// How long the copy buttons show their feedback.
const COPY_FEEDBACK_MS: u32 = 2_000;

/// Suffix of the key under which an unreadable value is kept when the owner
/// replaces it: a damaged seed may still be repairable by hand.
const SET_ASIDE_SUFFIX: &str = ".unreadable";

/// Suffix of the key under which a replaced seed is kept when the owner
/// restores another one: restoring the wrong backup must not lose a seed.
const REPLACED_SUFFIX: &str = ".replaced";

/// What to do with a stored value that is not a seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OnInvalid {
    /// Leave it and tell the owner.
    Report,
    /// The owner chose a new seed: keep the old value aside, then replace it.
    SetAsideAndReplace,
}

/// The `localStorage` entry that holds an app's seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedStore {
    key: &'static str,
    app: &'static str,
}

impl SeedStore {
    /// The entry under `key`, for example `my-home.seed`, of the app named
    /// `app` (named in the backup file).
    pub const fn new(key: &'static str, app: &'static str) -> SeedStore {
        SeedStore { key, app }
    }

    /// The storage key.
    pub fn key(&self) -> &'static str {
        self.key
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
        let raw = storage::get(self.key)?;
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
                    storage::set(&format!("{}{SET_ASIDE_SUFFIX}", self.key), unreadable)?;
                }
            }
            StoredSeed::Missing => {}
        }
        let seed = Seed::try_random().map_err(|error| StorageError(error.to_string()))?;
        storage::set(self.key, &seed.to_string())?;
        Ok(IdentityAction::Established(Identity::from_seed(
            seed,
            SeedOrigin::Generated,
        )))
    }

    /// Stores `seed` (restored by the owner) in place of the current one,
    /// which is kept aside.
    fn import(self, seed: Seed) -> IdentityAction {
        let result = (|| -> Result<(), StorageError> {
            if let Some(current) = storage::get(self.key)? {
                if current != seed.to_string() {
                    storage::set(&format!("{}{REPLACED_SUFFIX}", self.key), &current)?;
                }
            }
            storage::set(self.key, &seed.to_string())
        })();
        match result {
            Ok(()) => IdentityAction::Established(Identity::from_seed(seed, SeedOrigin::Imported)),
            Err(error) => IdentityAction::RestoreRejected(format!(
                "this browser did not let the seed be stored: {error}"
            )),
        }
    }
}

/// Puts `text` on the clipboard and reports the outcome as `done(status)`.
fn copy_to_clipboard(text: String, done: Callback<CopyStatus>) {
    let Some(window) = web_sys::window() else {
        return done.emit(CopyStatus::Failed);
    };
    let clipboard = window.navigator().clipboard();
    // Only secure contexts (https, localhost) have a clipboard.
    if clipboard.is_undefined() {
        return done.emit(CopyStatus::Failed);
    }
    let written = JsFuture::from(clipboard.write_text(&text));
    yew::platform::spawn_local(async move {
        let status = match written.await {
            Ok(_) => CopyStatus::Copied,
            Err(_) => CopyStatus::Failed,
        };
        done.emit(status);
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
    /// Copy the seed to the clipboard.
    pub copy_seed: Callback<()>,
    /// Download the backup file of the seed.
    pub download_backup: Callback<()>,
    /// Restore the seed in a pasted text.
    pub restore_text: Callback<String>,
    /// Restore the seed in the backup file chosen in this file input.
    pub restore_file: Callback<web_sys::HtmlInputElement>,
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

    // Copy feedback fades after a while; a newer answer restarts the timer.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((state.copy, state.seed_copy), move |(copy, seed_copy)| {
            let active = *copy != CopyStatus::Idle || *seed_copy != CopyStatus::Idle;
            let timeout = active.then(|| {
                Timeout::new(COPY_FEEDBACK_MS, move || {
                    dispatcher.dispatch(IdentityAction::CopyFinished(CopyStatus::Idle));
                    dispatcher.dispatch(IdentityAction::SeedCopyFinished(CopyStatus::Idle));
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

    let identity: Option<Identity> = match &state.phase {
        IdentityPhase::Ready(identity) => Some(identity.clone()),
        _ => None,
    };
    let address: Option<Address> = identity.as_ref().map(|i| i.address().clone());
    let copy_address = {
        let dispatcher = state.dispatcher();
        use_callback(address, move |(), address| {
            if let Some(address) = address {
                let dispatcher = dispatcher.clone();
                let done = Callback::from(move |status| {
                    dispatcher.dispatch(IdentityAction::CopyFinished(status))
                });
                copy_to_clipboard(address.to_string(), done);
            }
        })
    };
    let copy_seed = {
        let dispatcher = state.dispatcher();
        use_callback(identity.clone(), move |(), identity| {
            if let Some(identity) = identity {
                let dispatcher = dispatcher.clone();
                let done = Callback::from(move |status| {
                    dispatcher.dispatch(IdentityAction::SeedCopyFinished(status))
                });
                copy_to_clipboard(identity.seed().to_string(), done);
            }
        })
    };
    let download_backup = {
        let dispatcher = state.dispatcher();
        use_callback((identity, store), move |(), (identity, store)| {
            let Some(identity) = identity else { return };
            let text = backup_file_text(store.app, identity.seed(), identity.address());
            let name = format!("{}-seed-backup.txt", store.key.trim_end_matches(".seed"));
            if let Err(error) = download_text(&name, "text/plain", &text) {
                dispatcher.dispatch(IdentityAction::RestoreRejected(format!(
                    "the backup file could not be saved: {error}"
                )));
            }
        })
    };
    let restore_text = {
        let dispatcher = state.dispatcher();
        use_callback(store, move |text: String, store| {
            dispatcher.dispatch(restore(*store, &text));
        })
    };
    let restore_file = {
        let dispatcher = state.dispatcher();
        use_callback(store, move |input: web_sys::HtmlInputElement, store| {
            let dispatcher = dispatcher.clone();
            let store = *store;
            yew::platform::spawn_local(async move {
                let action = match read_chosen_file(&input, (MAX_BACKUP_TEXT * 4) as f64).await {
                    Ok(text) => restore(store, &text),
                    Err(error) => IdentityAction::RestoreRejected(format!(
                        "The file cannot be read: {error}."
                    )),
                };
                input.set_value("");
                dispatcher.dispatch(action);
            });
        })
    };

    IdentityHandle {
        state,
        replace_seed,
        toggle_seed,
        copy_address,
        copy_seed,
        download_backup,
        restore_text,
        restore_file,
    }
}

/// The action for restoring the seed in `text`.
fn restore(store: SeedStore, text: &str) -> IdentityAction {
    match parse_seed_text(text) {
        Ok(seed) => store.import(seed),
        Err(error) => IdentityAction::RestoreRejected(format!("This is not a seed: {error}.")),
    }
}
