//! The settings page: the node, where proof of work runs, and the weight.

use browser_app::settings::{check_node, save_settings, NodeCheck, NodeSettings, PowChoice};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::SETTINGS_KEY;

/// Properties of [`SettingsPage`].
#[derive(Properties, PartialEq)]
pub struct SettingsPageProps {
    /// The settings in use.
    pub settings: NodeSettings,
    /// Called with the settings once saved.
    pub on_saved: Callback<NodeSettings>,
}

/// What the connection check said.
#[derive(Clone, PartialEq)]
enum Check {
    Idle,
    Running,
    Reached(NodeCheck),
    Failed(String),
}

/// The settings page.
#[function_component]
pub fn SettingsPage(props: &SettingsPageProps) -> Html {
    let url = use_node_ref();
    let mwm = use_node_ref();
    let pow = use_state(|| props.settings.pow);
    let check = use_state(|| Check::Idle);
    let message = use_state(|| None::<Result<String, String>>);

    let on_check = {
        let url = url.clone();
        let check = check.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(input) = url.cast::<HtmlInputElement>() else {
                return;
            };
            let node = input.value().trim().trim_end_matches('/').to_owned();
            check.set(Check::Running);
            let check = check.clone();
            yew::platform::spawn_local(async move {
                check.set(match check_node(&node).await {
                    Ok(reached) => Check::Reached(reached),
                    Err(error) => Check::Failed(error),
                });
            });
        })
    };
    let on_submit = {
        let (url, mwm, pow, message) = (url.clone(), mwm.clone(), pow.clone(), message.clone());
        let on_saved = props.on_saved.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Some(url), Some(mwm)) = (
                url.cast::<HtmlInputElement>(),
                mwm.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            match NodeSettings::from_form(&url.value(), *pow, &mwm.value()) {
                Ok(settings) => match save_settings(SETTINGS_KEY, &settings) {
                    Ok(()) => {
                        message.set(Some(Ok("Saved. My Home now uses these settings.".into())));
                        on_saved.emit(settings);
                    }
                    Err(error) => message.set(Some(Err(format!(
                        "This browser did not let the settings be kept: {error}"
                    )))),
                },
                Err(error) => message.set(Some(Err(format!("Not saved: {error}.")))),
            }
        })
    };
    let choose = |choice: PowChoice| {
        let pow = pow.clone();
        Callback::from(move |_: Event| pow.set(choice))
    };
    let check_result = match &*check {
        Check::Idle => html! {},
        Check::Running => {
            html! { <p class="status loading" id="node-check">{ "Asking the node…" }</p> }
        }
        Check::Reached(reached) => html! {
            <p class="status ready" id="node-check" data-state="ready">
                { format!("Reached: {}{}.", reached.software,
                    reached.milestone.map(|m| format!(", milestone {m}")).unwrap_or_default()) }
            </p>
        },
        Check::Failed(error) => html! {
            <p class="status error" id="node-check" data-state="error">
                { format!("Not reached: {error}") }
            </p>
        },
    };
    html! {
        <section class="card" aria-labelledby="settings-title">
            <h2 id="settings-title">{ "Settings" }</h2>
            <form class="form" onsubmit={on_submit}>
                <label for="node-url">{ "Node (IRI HTTP API)" }</label>
                <div class="inline-row">
                    <input id="node-url" type="url" ref={url} value={props.settings.node_url.clone()}
                        placeholder="http://127.0.0.1:14265" />
                    <button type="button" class="button secondary" id="check-node" onclick={on_check}>
                        { "Check connection" }
                    </button>
                </div>
                { check_result }
                <fieldset>
                    <legend>{ "Proof of work" }</legend>
                    <label class="choice">
                        <input type="radio" name="pow" id="pow-local" checked={*pow == PowChoice::Local}
                            onchange={choose(PowChoice::Local)} />
                        { "In this browser (Web Workers, one per processor core)" }
                    </label>
                    <label class="choice">
                        <input type="radio" name="pow" id="pow-node" checked={*pow == PowChoice::Node}
                            onchange={choose(PowChoice::Node)} />
                        { "On the node (attachToTangle; public nodes often refuse it)" }
                    </label>
                </fieldset>
                <label for="mwm">{ "Minimum weight magnitude" }</label>
                <input id="mwm" type="number" min="1" max="20" ref={mwm}
                    value={props.settings.min_weight_magnitude.to_string()} />
                <p class="hint">{ "The node's own setting: 9 for this project's tangle-node, 14 on the \
                                   legacy mainnet. Higher takes longer." }</p>
                <button type="submit" class="button" id="save-settings">{ "Save" }</button>
                { match &*message {
                    None => html! {},
                    Some(Ok(text)) => html! { <p class="status ready" id="settings-message">{ text.clone() }</p> },
                    Some(Err(text)) => html! { <p class="status error" id="settings-message" role="alert">{ text.clone() }</p> },
                } }
            </form>
        </section>
    }
}
