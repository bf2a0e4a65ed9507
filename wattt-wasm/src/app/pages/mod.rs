//! One module per page, and [`render`], which picks the page of a route.

mod ask;
mod home;
mod homes;
mod identity;
mod settings;

use std::rc::Rc;

use browser_app::identity::browser::IdentityHandle;
use browser_app::settings::NodeSettings;
use yew::prelude::*;

use super::core::{Core, Snapshot};
use super::Answer;
use crate::view::route::Route;

/// What every page may need.
pub struct PageContext<'a> {
    /// The page to show.
    pub route: &'a Route,
    /// The running provider.
    pub core: &'a Rc<Core>,
    /// What it last said.
    pub snapshot: &'a Snapshot,
    /// The node settings.
    pub settings: &'a NodeSettings,
    /// The seed.
    pub identity: &'a IdentityHandle,
    /// The answer the owner came back with, until dismissed.
    pub answer: Option<Answer>,
    /// Called when the settings were saved.
    pub on_settings_saved: Callback<NodeSettings>,
    /// Called to dismiss the answer.
    pub on_dismiss_answer: Callback<()>,
}

/// The page of `context.route`.
pub fn render(context: PageContext<'_>) -> Html {
    let snapshot = context.snapshot.clone();
    match context.route {
        Route::Homes => html! {
            <homes::HomesPage snapshot={snapshot} answer={context.answer}
                on_dismiss_answer={context.on_dismiss_answer} identity={context.identity.clone()} />
        },
        Route::Home { policy_id } => html! {
            <home::HomePage snapshot={snapshot} policy_id={policy_id.clone()} />
        },
        Route::Ask => html! { <ask::AskPage core={Rc::clone(context.core)} /> },
        Route::Identity => html! {
            <identity::IdentityPage identity={context.identity.clone()}
                fingerprint={context.core.identity().keys.public_key().fingerprint()} />
        },
        Route::Settings => html! {
            <settings::SettingsPage core={Rc::clone(context.core)} settings={context.settings.clone()}
                on_saved={context.on_settings_saved} />
        },
        Route::NotFound(path) => html! {
            <section class="card">
                <h2>{ "No such page" }</h2>
                <p>{ format!("Wattt Insights has no page {path}.") }</p>
                <a class="button" href="#/">{ "To the homes" }</a>
            </section>
        },
    }
}
