//! The identity page: the provider's address and key fingerprint, and
//! backing up or restoring the seed.

use browser_app::identity::browser::IdentityHandle;
use browser_app::identity::{IdentityPanel, SeedBackupPanel};
use yew::prelude::*;

/// Properties of [`IdentityPage`].
#[derive(Properties, PartialEq)]
pub struct IdentityPageProps {
    /// The seed.
    pub identity: IdentityHandle,
    /// The public key's fingerprint.
    pub fingerprint: AttrValue,
}

/// The identity page.
#[function_component]
pub fn IdentityPage(props: &IdentityPageProps) -> Html {
    html! {
        <>
            <IdentityPanel identity={props.identity.clone()}
                address_label="Our provider address"
                address_hint="Homes that give consent send the keys of their meter's channel to \
                              this IOTA address." />
            <section class="card" aria-labelledby="key-title">
                <h2 id="key-title">{ "Our public key" }</h2>
                <p>{ "Homes seal their meter's keys to this NTRU key (ntruhps2048677), derived from \
                      the seed. Its fingerprint, to compare with what My Home shows:" }</p>
                <p><code class="trytes inline" id="key-fingerprint">{ props.fingerprint.clone() }</code></p>
            </section>
            <SeedBackupPanel identity={props.identity.clone()}
                restore_effect="Restoring a seed replaces the one in this browser (it is kept \
                                aside in this browser's storage) and reads the keys homes sent \
                                that seed, and their meters' data, back from the Tangle." />
        </>
    }
}
