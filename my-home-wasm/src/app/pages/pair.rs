//! Pairing a device: its address and secret (typed, pasted as the text the
//! device prints, or from its QR code), then each step of the handshake as
//! it happens.

use std::rc::Rc;

use consent_protocol::PairingSecret;
use mam_lib::ternary::Hash81;
use web_sys::HtmlInputElement;
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
    let device_ref = use_node_ref();
    let secret_ref = use_node_ref();
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
                    <div class="alert" role="alert" id="pairing-error">
                        <h3>{ failure.title() }</h3>
                        <p>{ failure.advice() }</p>
                        <button class="button" id="pair-again" onclick={again.clone()}>{ "Try again" }</button>
                    </div>
                } else if pairing.is_finished() {
                    <div class="success" id="pairing-done" role="status">
                        <h3>{ "Paired" }</h3>
                        <p>{ "The device now follows your consent. It shares with nobody until you say so." }</p>
                        <a class="button" href="#/">{ "See your devices" }</a>
                        <button class="link-button" onclick={again}>{ "Pair another device" }</button>
                    </div>
                } else {
                    <p class="hint">{ "This takes a few seconds to a minute: each step is a transfer on the \
                                       Tangle with its proof of work, and the device reads its address every few seconds." }</p>
                }
            </section>
        };
    }

    let (device_value, secret_value) = prefill(&props.query);
    let on_submit = {
        let (device_ref, secret_ref, error) = (device_ref.clone(), secret_ref.clone(), error.clone());
        let core = Rc::clone(core);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Some(device), Some(secret)) = (
                device_ref.cast::<HtmlInputElement>(),
                secret_ref.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            match read_form(&device.value(), &secret.value()) {
                Ok((device, secret)) => {
                    error.set(None);
                    core.pair(device, secret);
                }
                Err(message) => error.set(Some(message)),
            }
        })
    };
    html! {
        <section class="card" aria-labelledby="pair-title" id="pair-form-card">
            <h2 id="pair-title">{ "Pair a meter reader" }</h2>
            <p class="hint">
                { "Your meter reader shows its address and a pairing secret: run `pi-reader info` on \
                   it. Pairing proves you know the secret, and the device then follows your consent." }
            </p>
            <form class="form" id="pair-form" onsubmit={on_submit}>
                <label for="device-address">{ "Device address" }</label>
                <input id="device-address" ref={device_ref} value={device_value} autocomplete="off"
                    spellcheck="false" class="trytes-input" placeholder="81 characters A–Z and 9" />
                <label for="pairing-secret">{ "Pairing secret" }</label>
                <input id="pairing-secret" ref={secret_ref} value={secret_value} autocomplete="off"
                    spellcheck="false" class="trytes-input" placeholder="27 characters A–Z and 9" />
                if let Some(error) = &*error {
                    <p class="status error" role="alert" id="pair-input-error">{ error.clone() }</p>
                }
                <button type="submit" class="button" id="pair-submit">{ "Pair" }</button>
            </form>
        </section>
    }
}

/// The device and secret a pairing link's query fills in.
fn prefill(query: &str) -> (String, String) {
    let mut device = String::new();
    let mut secret = String::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("device", value)) => device = value.to_owned(),
            Some(("secret", value)) => secret = value.to_owned(),
            _ => {}
        }
    }
    (device, secret)
}
