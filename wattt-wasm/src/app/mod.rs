//! Wattt's user interface: the root component, its navigation and one
//! module per page. The pages get a [`core::Snapshot`] to show and call the
//! [`core::Core`] to act.

pub mod core;
mod nav;
mod pages;
mod widgets;

use std::rc::Rc;

use browser_app::consent_link::ConsentAnswer;
use browser_app::identity::state::IdentityPhase;
use browser_app::identity::{use_identity, IdentityPanel, SeedStore};
use browser_app::location_hash::use_location_hash;
use browser_app::page::AppPage;
use browser_app::settings::{load_settings, NodeSettings};
use browser_app::storage;
use yew::prelude::*;

use self::core::{Core, Snapshot};
use crate::view::links;
use crate::view::route::Route;

/// Where Wattt Insights keeps its seed.
const SEED_STORE: SeedStore = SeedStore::new("wattt.seed", "Wattt Insights");

/// Where Wattt keeps its node settings.
pub const SETTINGS_KEY: &str = "wattt.settings";

/// Where Wattt keeps My Home's address, when it is not the sibling app.
pub const MY_HOME_KEY: &str = "wattt.my-home-url";

/// The answer the owner came back with.
pub type Answer = (Option<u32>, ConsentAnswer);

/// The page's own URL.
pub fn page_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// My Home's address: the one saved, or the sibling app of this site.
pub fn my_home_url() -> String {
    storage::get(MY_HOME_KEY)
        .ok()
        .flatten()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| links::sibling_my_home(&page_url()))
}

/// The answer in the URL the page was loaded with, taken once: the address
/// bar is set back to the plain page so a reload does not show it again.
fn take_answer() -> Option<Answer> {
    let url = page_url();
    let answer = links::answer_in(&url)?;
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&links::without_answer(&url)),
        );
    }
    Some(answer)
}

/// The whole app.
#[function_component]
pub fn App() -> Html {
    let identity = use_identity(SEED_STORE);
    let route = Route::parse(&use_location_hash());
    let settings = use_state(|| None::<NodeSettings>);
    let snapshot = use_state(|| None::<Snapshot>);
    let core = use_state(|| None::<Rc<Core>>);
    let answer = use_state(take_answer);

    {
        let settings = settings.clone();
        use_effect_with((), move |()| {
            yew::platform::spawn_local(async move {
                settings.set(Some(load_settings(SETTINGS_KEY).await));
            });
        });
    }

    let ready_seed = match &identity.state.phase {
        IdentityPhase::Ready(ready) => Some(ready.seed().clone()),
        _ => None,
    };
    let node_url = settings.as_ref().map(|s| s.node_url.clone());
    {
        let core = core.clone();
        let snapshot = snapshot.clone();
        use_effect_with((ready_seed, node_url), move |(seed, node_url)| {
            let started = match (seed, node_url) {
                (Some(seed), Some(node_url)) => {
                    let on_change = {
                        let snapshot = snapshot.clone();
                        Callback::from(move |next: Snapshot| snapshot.set(Some(next)))
                    };
                    let running = Core::new(seed, node_url, on_change);
                    running.start();
                    core.set(Some(Rc::clone(&running)));
                    Some(running)
                }
                _ => None,
            };
            move || {
                if let Some(running) = started {
                    running.stop();
                }
            }
        });
    }

    let on_settings_saved = {
        let settings = settings.clone();
        Callback::from(move |saved: NodeSettings| settings.set(Some(saved)))
    };
    let on_dismiss_answer = {
        let answer = answer.clone();
        Callback::from(move |()| answer.set(None))
    };

    let content = match (&*core, &*snapshot, &*settings) {
        (Some(core), Some(snapshot), Some(node_settings)) => pages::render(pages::PageContext {
            route: &route,
            core,
            snapshot,
            settings: node_settings,
            identity: &identity,
            answer: (*answer).clone(),
            on_settings_saved,
            on_dismiss_answer,
        }),
        _ => html! {
            <IdentityPanel identity={identity.clone()}
                address_label="Our provider address"
                address_hint="Homes that give consent send the keys of their meter's channel to \
                              this IOTA address." />
        },
    };

    html! {
        <AppPage title="Wattt Insights"
            tagline="Insight into your energy use, once you share your smart-meter data with us.">
            <nav::Nav route={route.clone()} />
            { content }
        </AppPage>
    }
}
