//! My Home's user interface: the root component, its navigation, and one
//! module per page. The pages get a [`core::Snapshot`] to show and call the
//! [`core::Core`] to act.

pub mod core;
mod nav;
mod pages;
mod widgets;

use std::rc::Rc;

use browser_app::feedback::Alert;
use browser_app::identity::state::IdentityPhase;
use browser_app::identity::{use_identity, IdentityPanel, SeedStore};
use browser_app::location_hash::use_location_hash;
use browser_app::page::AppPage;
use browser_app::settings::{load_settings, NodeSettings};
use yew::prelude::*;

use self::core::{Core, Snapshot};
use crate::home::route::Route;

/// Where My Home keeps its seed.
const SEED_STORE: SeedStore = SeedStore::new("my-home.seed", "My Home");

/// Where My Home keeps its node settings.
pub const SETTINGS_KEY: &str = "my-home.settings";

/// The whole app.
#[function_component]
pub fn App() -> Html {
    let identity = use_identity(SEED_STORE);
    let route = Route::parse(&use_location_hash());
    let settings = use_state(|| None::<NodeSettings>);
    let snapshot = use_state(|| None::<Snapshot>);
    let core = use_state(|| None::<Rc<Core>>);
    let core_error = use_state(|| None::<String>);

    // The settings: stored ones, or the site's presets.
    {
        let settings = settings.clone();
        use_effect_with((), move |()| {
            yew::platform::spawn_local(async move {
                settings.set(Some(load_settings(SETTINGS_KEY).await));
            });
        });
    }

    // The home runs once the seed and the settings are known, and starts
    // again when either changes.
    let ready_identity = match &identity.state.phase {
        IdentityPhase::Ready(ready) => Some(ready.clone()),
        _ => None,
    };
    {
        let core = core.clone();
        let snapshot = snapshot.clone();
        let core_error = core_error.clone();
        use_effect_with(
            (ready_identity.clone(), (*settings).clone()),
            move |(ready, settings)| {
                let started = match (ready, settings) {
                    (Some(ready), Some(settings)) => {
                        let on_change = {
                            let snapshot = snapshot.clone();
                            Callback::from(move |next: Snapshot| snapshot.set(Some(next)))
                        };
                        match Core::new(
                            ready.seed().clone(),
                            ready.address().clone(),
                            settings,
                            on_change,
                        ) {
                            Ok(running) => {
                                running.start();
                                core.set(Some(Rc::clone(&running)));
                                core_error.set(None);
                                Some(running)
                            }
                            Err(error) => {
                                core_error.set(Some(error));
                                None
                            }
                        }
                    }
                    _ => None,
                };
                move || {
                    if let Some(running) = started {
                        running.stop();
                    }
                }
            },
        );
    }

    let on_settings_saved = {
        let settings = settings.clone();
        Callback::from(move |saved: NodeSettings| settings.set(Some(saved)))
    };

    let content = match (&*core, &*snapshot, &*settings) {
        (Some(core), Some(snapshot), Some(node_settings)) => pages::render(
            &route,
            core,
            snapshot,
            node_settings,
            &identity,
            on_settings_saved,
        ),
        _ => match &*core_error {
            Some(error) => html! {
                <section class="card">
                    <Alert title="My Home cannot start">
                        <p>{ error.clone() }</p>
                    </Alert>
                </section>
            },
            None => html! {
                <IdentityPanel identity={identity.clone()}
                    address_label="Your home's address"
                    address_hint="Your meter reader and the services you authorise reach you at \
                                  this IOTA address." />
            },
        },
    };

    html! {
        <AppPage title="My Home"
            tagline="Your consent manager: you decide which services may read your smart meter.">
            <nav::Nav route={route.clone()} />
            { content }
        </AppPage>
    }
}
