//! My Home: the home owner's consent manager.
//!
//! A browser-only Yew app whose only state is an IOTA seed in the browser's
//! storage. For now it creates that seed on the first visit, finds it again
//! on every later one and shows the home's address; pairing a meter reader
//! and recording consent events on the home's private MAM channel come next.
//!
//! Built for `wasm32-unknown-unknown` by Trunk (`scripts/build-web.sh`). The
//! crate also compiles natively so that the workspace builds, lints and tests
//! in one go, but it only runs in a browser.

mod home;

use browser_app::identity::{use_identity, IdentityPanel, SeedStore};
use browser_app::page::{start, AppPage};
use yew::prelude::*;

/// Where My Home keeps its seed.
const SEED_STORE: SeedStore = SeedStore::new("my-home.seed", "My Home");

/// The whole app.
#[function_component]
fn App() -> Html {
    let identity = use_identity(SEED_STORE);
    html! {
        <AppPage title="My Home"
            tagline="Your consent manager: you decide which services may read your smart meter.">
            <IdentityPanel {identity}
                address_label="Your home's address"
                address_hint="Your meter reader and the services you authorise reach you at this \
                              IOTA address." />
            <section class="card upcoming">
                <h2>{ "Devices and consent" }</h2>
                <p class="muted">
                    { "Pairing your meter reader and giving or revoking consent will appear here." }
                </p>
            </section>
        </AppPage>
    }
}

fn main() {
    start::<App>("My Home");
}
