//! Pairing a device: its address and secret (typed, pasted as the text the
//! device prints, or from its QR code), then each step of the handshake as
//! it happens.

use std::rc::Rc;

use browser_app::feedback::{Alert, Success};
use browser_app::qr_scan::QrScanner;
use consent_protocol::{PairingLink, PairingSecret};
use mam_lib::ternary::Hash81;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::core::{Core, Snapshot};
use crate::home::pairing::StepState;
use crate::home::views::short;

/// Properties of [`PairPage`].
#[derive(Properties, PartialEq)]
pub struct PairPageProps {
    /// The running home.
    pub core: Rc<Core>,
    /// What to show.
    pub snapshot: Snapshot,
    /// The route's query (a pairing link's `device=…&secret=…`).
    pub query: AttrValue,
}

/// The device and secret a form holds, or why not.
fn read_form(device: &str, secret: &str) -> Result<(Hash81, PairingSecret), String> {
    let device = device.trim();
    let secret = secret.trim();
    let device: Hash81 = device.parse().map_err(|_| {
        format!(
            "The device address must be 81 characters A–Z and 9 (this one has {}).",
            device.chars().count()
        )
    })?;
    let secret: PairingSecret = secret.parse().map_err(|_| {
        format!(
            "The pairing secret must be 27 characters A–Z and 9 (this one has {}).",
            secret.chars().count()
        )
    })?;
    Ok((device, secret))
}

/// The pairing page.
#[function_component]
pub fn PairPage(props: &PairPageProps) -> Html {
    let (prefill_device, prefill_secret) = prefill(&props.query);
    let device = use_state(|| prefill_device);
    let secret = use_state(|| prefill_secret);
    let pasted = use_node_ref();
    let note = use_state(|| None::<String>);
    let scanning = use_state(|| false);
    let error = use_state(|| None::<String>);
    let core = &props.core;

    if let Some(pairing) = &props.snapshot.pairing {
        let steps = pairing.step_states();
        let again = {
            let core = Rc::clone(core);
            Callback::from(move |_: MouseEvent| core.clear_pairing())
        };
        return html! {
            <section class="card" aria-labelledby="pairing-title" id="pairing">
                <h2 id="pairing-title">{ format!("Pairing meter reader {}", short(&pairing.device)) }</h2>
                <ol class="steps">
                    { for steps.iter().map(|(step, state)| {
                        let class = match state {
                            StepState::Done => "done",
                            StepState::Active => "active",
                            StepState::Failed => "failed",
                            StepState::Waiting => "waiting",
                        };
                        html! { <li class={classes!("step", class)} data-state={class}>{ step.describe() }</li> }
                    }) }
                </ol>
                if let Some(failure) = &pairing.failure {
                    <Alert id="pairing-error" title={failure.title()}>
                        <p>{ failure.advice() }</p>
                        <button class="button" id="pair-again" onclick={again.clone()}>{ "Try again" }</button>
                    </Alert>
                } else if pairing.is_finished() {
                    <Success id="pairing-done" title="Paired">
                        <p>{ "The device now follows your consent. It shares with nobody until you say so." }</p>
                        <a class="button" href="#/">{ "See your devices" }</a>
                        <button class="link-button" onclick={again}>{ "Pair another device" }</button>
                    </Success>
                } else {
                    <p class="hint">{ "This takes a few seconds to a minute: each step is a transfer on the \
                                       Tangle with its proof of work, and the device reads its address every few seconds." }</p>
                }
            </section>
        };
    }

    let on_submit = {
        let (device, secret, error) = (device.clone(), secret.clone(), error.clone());
        let core = Rc::clone(core);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match read_form(&device, &secret) {
                Ok((device, secret)) => {
                    error.set(None);
                    core.pair(device, secret);
                }
                Err(message) => error.set(Some(message)),
            }
        })
    };
    let on_device = {
        let device = device.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                device.set(input.value());
            }
        })
    };
    let on_secret = {
        let secret = secret.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                secret.set(input.value());
            }
        })
    };
    // A pasted or scanned pairing text fills both fields.
    let use_text = {
        let (device, secret, error, note) =
            (device.clone(), secret.clone(), error.clone(), note.clone());
        Callback::from(move |text: String| match PairingLink::parse(&text) {
            Ok(link) => {
                device.set(link.device.to_string());
                secret.set(link.secret.as_str().to_owned());
                error.set(None);
                note.set(Some(format!(
                    "Read meter reader {} and its secret from the text.",
                    short(&link.device)
                )));
            }
            Err(problem) => {
                note.set(None);
                error.set(Some(format!("That text is no pairing text: {problem}.")));
            }
        })
    };
    let on_paste_submit = {
        let (pasted, use_text) = (pasted.clone(), use_text.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = pasted.cast::<HtmlTextAreaElement>() {
                use_text.emit(area.value());
                area.set_value("");
            }
        })
    };
    let on_scanned = {
        let (use_text, scanning) = (use_text.clone(), scanning.clone());
        Callback::from(move |text: String| {
            scanning.set(false);
            use_text.emit(text);
        })
    };
    let on_scan_cancel = {
        let scanning = scanning.clone();
        Callback::from(move |()| scanning.set(false))
    };
    let on_scan = {
        let scanning = scanning.clone();
        Callback::from(move |_: MouseEvent| scanning.set(true))
    };
    html! {
        <section class="card" aria-labelledby="pair-title" id="pair-form-card">
            <h2 id="pair-title">{ "Pair a meter reader" }</h2>
            <p class="hint">
                { "Your meter reader shows a pairing link with its address and secret, as text and as a                    QR code: run `pi-reader info` on it. Open the link, paste it below, or type the two                    values. Pairing proves you know the secret; the device then follows your consent." }
            </p>
            <div class="form paste">
                <label for="pairing-text">{ "Paste the pairing text" }</label>
                <textarea id="pairing-text" ref={pasted} rows="2" spellcheck="false" autocomplete="off"
                    class="trytes-input" placeholder="http://…/my-home/#/pair?device=…&secret=…" />
                <div class="actions">
                    <button type="button" class="button secondary" id="pairing-text-use" onclick={on_paste_submit}>
                        { "Read the text" }
                    </button>
                    if !*scanning {
                        <button type="button" class="button secondary" id="scan-qr" onclick={on_scan}>
                            { "Scan the QR code" }
                        </button>
                    }
                </div>
                if *scanning {
                    <QrScanner on_text={on_scanned} on_cancel={on_scan_cancel} />
                }
            </div>
            <form class="form" id="pair-form" onsubmit={on_submit}>
                <label for="device-address">{ "Device address" }</label>
                <input id="device-address" value={(*device).clone()} oninput={on_device} autocomplete="off"
                    spellcheck="false" class="trytes-input" placeholder="81 characters A–Z and 9" />
                <label for="pairing-secret">{ "Pairing secret" }</label>
                <input id="pairing-secret" value={(*secret).clone()} oninput={on_secret} autocomplete="off"
                    spellcheck="false" class="trytes-input" placeholder="27 characters A–Z and 9" />
                if let Some(note) = &*note {
                    <p class="status ready" id="pair-note">{ note.clone() }</p>
                }
                if let Some(error) = &*error {
                    <p class="status error" role="alert" id="pair-input-error">{ error.clone() }</p>
                }
                <button type="submit" class="button" id="pair-submit">{ "Pair" }</button>
            </form>
        </section>
    }
}

/// The device and secret a pairing link's query fills in (nothing when
/// the query is no pairing link's).
fn prefill(query: &str) -> (String, String) {
    match PairingLink::parse(query) {
        Ok(link) => (link.device.to_string(), link.secret.as_str().to_owned()),
        Err(_) => (String::new(), String::new()),
    }
}
