//! Renders the identity state: the address with a copy button, the seed
//! behind a reveal toggle, the status line, and a way out of every error.

use yew::prelude::*;

use super::browser::IdentityHandle;
use super::state::{CopyStatus, Identity, IdentityPhase, SeedOrigin};
use web_sys::HtmlInputElement;

/// Properties of [`IdentityPanel`].
#[derive(Properties, PartialEq)]
pub struct IdentityPanelProps {
    /// The app's identity, from [`super::use_identity`].
    pub identity: IdentityHandle,
    /// What the address is called in this app.
    pub address_label: AttrValue,
    /// One sentence on who uses the address.
    pub address_hint: AttrValue,
}

/// The card that shows an app's address, its seed on request, and the status
/// line (`#status`, with `data-state` = `loading`, `ready` or `error`).
#[function_component]
pub fn IdentityPanel(props: &IdentityPanelProps) -> Html {
    let identity = &props.identity;
    let state = &identity.state;
    let (status_state, status_text) = status(&state.phase);
    let body = match &state.phase {
        IdentityPhase::Loading => html! {
            <p class="muted">{ "Reading this browser's storage…" }</p>
        },
        IdentityPhase::Ready(ready) => html! {
            <>
                <p class="hint">{ props.address_hint.clone() }</p>
                { address_row(ready, state.copy, &identity.copy_address) }
                { seed_reveal(ready, state.seed_revealed, &identity.toggle_seed) }
            </>
        },
        IdentityPhase::InvalidStoredSeed { reason } => {
            let onclick = identity.replace_seed.reform(|_: MouseEvent| ());
            html! {
                <div class="alert" role="alert">
                    <h3>{ "The seed stored in this browser cannot be read" }</h3>
                    <p>{ format!("It was rejected: {reason}.") }</p>
                    <p>
                        { "A new seed gives this app a new address. The unreadable value is \
                           kept aside in this browser's storage, so it can still be recovered \
                           by hand." }
                    </p>
                    <button class="button" id="replace-seed" {onclick}>
                        { "Generate a new seed" }
                    </button>
                </div>
            }
        }
        IdentityPhase::StorageUnavailable { reason } => html! {
            <div class="alert" role="alert">
                <h3>{ "This browser does not let the app keep its seed" }</h3>
                <p>{ format!("The browser said: {reason}") }</p>
                <p>
                    { "Allow this site to store data (private browsing usually blocks it), \
                       then reload the page." }
                </p>
            </div>
        },
    };
    html! {
        <section class="card identity" aria-labelledby="identity-title">
            <h2 id="identity-title">{ props.address_label.clone() }</h2>
            { body }
            <p id="status" data-testid="status" data-state={status_state} role="status"
                class={classes!("status", status_state)}>
                { status_text }
            </p>
        </section>
    }
}

/// The status line for `phase`: its `data-state` and its text.
fn status(phase: &IdentityPhase) -> (&'static str, &'static str) {
    match phase {
        IdentityPhase::Loading => ("loading", "Loading…"),
        IdentityPhase::Ready(identity) => match identity.origin() {
            SeedOrigin::Generated => (
                "ready",
                "Ready: a new seed was generated and stored in this browser.",
            ),
            SeedOrigin::Restored => ("ready", "Ready: seed restored from this browser."),
            SeedOrigin::Imported => ("ready", "Ready: seed restored from your backup."),
        },
        IdentityPhase::InvalidStoredSeed { .. } => ("error", "Error: the stored seed is invalid."),
        IdentityPhase::StorageUnavailable { .. } => {
            ("error", "Error: browser storage is unavailable.")
        }
    }
}

fn address_row(identity: &Identity, copy: CopyStatus, copy_address: &Callback<()>) -> Html {
    let onclick = copy_address.reform(|_: MouseEvent| ());
    let label = match copy {
        CopyStatus::Idle => "Copy",
        CopyStatus::Copied => "Copied",
        CopyStatus::Failed => "Copy failed: select the text",
    };
    html! {
        <div class="address-row">
            <code id="address" class="trytes">{ identity.address().to_string() }</code>
            <button class="button" id="copy-address" title="Copy the address" {onclick}>
                { label }
            </button>
        </div>
    }
}

fn seed_reveal(identity: &Identity, revealed: bool, toggle_seed: &Callback<()>) -> Html {
    let onclick = toggle_seed.reform(|_: MouseEvent| ());
    html! {
        <div class="seed">
            <button class="link-button" id="toggle-seed" aria-controls="seed"
                aria-expanded={revealed.to_string()} {onclick}>
                { if revealed { "Hide seed" } else { "Reveal seed" } }
            </button>
            if revealed {
                <code id="seed" class="trytes secret">{ identity.seed().to_string() }</code>
                <p class="warning">
                    { "Anyone who knows this seed can act as you. Write it down and keep it \
                       offline: it is the only way to restore this app in another browser." }
                </p>
            }
        </div>
    }
}

/// Properties of [`SeedBackupPanel`].
#[derive(Properties, PartialEq)]
pub struct SeedBackupPanelProps {
    /// The app's identity, from [`super::use_identity`].
    pub identity: IdentityHandle,
    /// What restoring another seed does in this app, in one sentence.
    pub restore_effect: AttrValue,
}

/// The card to back the seed up (copy, download) and to restore one (paste
/// or upload), with the warnings each deserves.
#[function_component]
pub fn SeedBackupPanel(props: &SeedBackupPanelProps) -> Html {
    let identity = &props.identity;
    let state = &identity.state;
    let pasted = use_node_ref();
    let IdentityPhase::Ready(ready) = &state.phase else {
        return html! {};
    };
    let copy_label = match state.seed_copy {
        CopyStatus::Idle => "Copy seed",
        CopyStatus::Copied => "Seed copied",
        CopyStatus::Failed => "Copy failed: reveal and select it",
    };
    let on_copy = identity.copy_seed.reform(|_: MouseEvent| ());
    let on_download = identity.download_backup.reform(|_: MouseEvent| ());
    let on_restore = {
        let pasted = pasted.clone();
        let restore = identity.restore_text.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(input) = pasted.cast::<web_sys::HtmlTextAreaElement>() {
                restore.emit(input.value());
                input.set_value("");
            }
        })
    };
    let on_upload = {
        let restore = identity.restore_file.clone();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                restore.emit(input);
            }
        })
    };
    html! {
        <section class="card backup" aria-labelledby="backup-title">
            <h2 id="backup-title">{ "Back up and restore your seed" }</h2>
            <p class="hint">
                { "Your seed is the only thing this app keeps: everything else is read back from \
                   the Tangle. Without it nobody, not even you, can restore this app." }
            </p>
            { seed_reveal(ready, state.seed_revealed, &identity.toggle_seed) }
            <div class="actions">
                <button class="button secondary" id="copy-seed" onclick={on_copy}>{ copy_label }</button>
                <button class="button secondary" id="download-seed" onclick={on_download}>
                    { "Download backup file" }
                </button>
            </div>
            <h3>{ "Restore a seed" }</h3>
            <p class="hint">{ props.restore_effect.clone() }</p>
            <form class="restore" onsubmit={on_restore}>
                <label for="restore-seed">{ "Paste your seed (81 characters A–Z and 9)" }</label>
                <textarea id="restore-seed" ref={pasted} rows="2" spellcheck="false"
                    autocomplete="off" class="trytes-input" />
                <div class="actions">
                    <button class="button" id="restore-submit" type="submit">{ "Restore this seed" }</button>
                    <label class="button secondary file-button">
                        { "Upload backup file…" }
                        <input id="restore-file" type="file" accept=".txt,text/plain" onchange={on_upload} />
                    </label>
                </div>
            </form>
            if let Some(error) = &state.restore_error {
                <div class="alert" role="alert" id="restore-error">
                    <h3>{ "Nothing was restored" }</h3>
                    <p>{ error.clone() }</p>
                </div>
            }
        </section>
    }
}
