//! The page's location hash as Yew state: both apps route on it (hash
//! routes work on plain static hosting) and parse it into their own
//! routes.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The location hash now (with its `#`), or empty.
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The location hash, following `hashchange`.
#[hook]
pub fn use_location_hash() -> String {
    let hash = use_state(location_hash);
    {
        let hash = hash.clone();
        use_effect_with((), move |()| {
            let listener = Closure::<dyn Fn()>::new(move || hash.set(location_hash()));
            let window = web_sys::window();
            if let Some(window) = &window {
                let _ = window.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(window) = window {
                    let _ = window.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    (*hash).clone()
}
