//! Wattt Insights: an example service provider.
//!
//! A browser-only Yew app whose only state is an IOTA seed in the browser's
//! storage. For now it creates that seed on the first visit, finds it again
//! on every later one and shows the provider's address; requesting consent,
//! opening the sealed channel keys and graphing the energy data come next.
//!
//! Built for `wasm32-unknown-unknown` by Trunk (`scripts/build-web.sh`). The
//! crate also compiles natively so that the workspace builds, lints and tests
//! in one go, but it only runs in a browser.

use browser_app::identity::{use_identity, IdentityPanel, SeedStore};
use browser_app::page::{start, AppPage};
use yew::prelude::*;

/// Where Wattt Insights keeps its seed.
const SEED_STORE: SeedStore = SeedStore::new("wattt.seed", "Wattt Insights");

/// The whole app.
#[function_component]
fn App() -> Html {
    let identity = use_identity(SEED_STORE);
    html! {
        <AppPage title="Wattt Insights"
            tagline="Insight into your energy use, once you share your smart-meter data with us.">
            <IdentityPanel {identity}
                address_label="Our provider address"
                address_hint="Homes that give consent send the keys of their meter's channel to \
                              this IOTA address." />
            <section class="card upcoming">
                <h2>{ "Your energy" }</h2>
                <p class="muted">
                    { "Once a home gives consent, its meter readings will be graphed here." }
                </p>
            </section>
        </AppPage>
    }
}

fn main() {
    start::<App>("Wattt Insights");
}
