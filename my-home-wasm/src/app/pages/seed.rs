//! The seed page: the home's address, and backing up or restoring the seed.

use browser_app::identity::browser::IdentityHandle;
use browser_app::identity::{IdentityPanel, SeedBackupPanel};
use yew::prelude::*;

/// Properties of [`SeedPage`].
#[derive(Properties, PartialEq)]
pub struct SeedPageProps {
    /// The identity.
    pub identity: IdentityHandle,
}

/// The seed page.
#[function_component]
pub fn SeedPage(props: &SeedPageProps) -> Html {
    html! {
        <>
            <IdentityPanel identity={props.identity.clone()}
                address_label="Your home's address"
                address_hint="Your meter reader and the services you authorise reach you at \
                              this IOTA address." />
            <SeedBackupPanel identity={props.identity.clone()}
                restore_effect="Restoring a seed replaces the one in this browser (it is kept \
                                aside in this browser's storage) and reads that seed's devices, \
                                consents and history back from the Tangle." />
        </>
    }
}
