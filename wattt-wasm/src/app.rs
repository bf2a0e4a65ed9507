//! The pages: for now the provider's identity (its seed and address).

use browser_app::identity::{use_identity, IdentityPanel, SeedStore};
use browser_app::page::AppPage;
use yew::prelude::*;

/// Where Wattt Insights keeps its seed.
const SEED_STORE: SeedStore = SeedStore::new("wattt.seed", "Wattt Insights");

/// The whole app.
#[function_component]
pub fn App() -> Html {
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
