//! One module per page; [`render`] picks the page of the route.

mod consent;
mod history;
mod overview;
mod pair;
mod seed;
mod settings;

use std::rc::Rc;

use browser_app::identity::browser::IdentityHandle;
use browser_app::settings::NodeSettings;
use yew::prelude::*;

use super::core::{Core, Snapshot};
use super::widgets;
use crate::home::route::Route;

/// The page of `route`.
pub fn render(
    route: &Route,
    core: &Rc<Core>,
    snapshot: &Snapshot,
    settings: &NodeSettings,
    identity: &IdentityHandle,
    on_settings_saved: Callback<NodeSettings>,
) -> Html {
    let retry = {
        let core = Rc::clone(core);
        Callback::from(move |()| {
            let core = Rc::clone(&core);
            yew::platform::spawn_local(async move { core.sync().await });
        })
    };
    let dismiss = {
        let core = Rc::clone(core);
        Callback::from(move |()| core.clear_notices())
    };
    let page = match route {
        Route::Overview => html! {
            <overview::Overview core={Rc::clone(core)} snapshot={snapshot.clone()}
                identity={identity.clone()} />
        },
        Route::Pair { query } => html! {
            // Keyed by the query: a pairing link opened while the page is
            // shown fills the form anew.
            <pair::PairPage key={query.clone()} core={Rc::clone(core)} snapshot={snapshot.clone()}
                query={query.clone()} />
        },
        Route::NewPolicy { query } => html! {
            <consent::ConsentPage key={query.clone()} core={Rc::clone(core)} snapshot={snapshot.clone()}
                query={query.clone()} />
        },
        Route::History => html! { <history::History snapshot={snapshot.clone()} /> },
        Route::Seed => html! { <seed::SeedPage identity={identity.clone()} /> },
        Route::Settings => html! {
            <settings::SettingsPage settings={settings.clone()} on_saved={on_settings_saved} />
        },
        Route::NotFound(path) => html! {
            <section class="card">
                <h2>{ "No such page" }</h2>
                <p>{ format!("My Home has no page “{path}”.") }</p>
                <a class="button" href="#/">{ "Go to the overview" }</a>
            </section>
        },
    };
    html! {
        <>
            { widgets::sync_line(snapshot, retry) }
            { widgets::notices(snapshot, dismiss) }
            { page }
            { widgets::pending_list(snapshot) }
        </>
    }
}
