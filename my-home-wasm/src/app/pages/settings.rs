//! The settings page: the node, where proof of work runs, and the weight.

use browser_app::settings::{save_settings, NodeSettings, NodeUrlField, PowChoice};
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

/// The settings page.
#[function_component]
pub fn SettingsPage(props: &SettingsPageProps) -> Html {
    let url = use_node_ref();
    let mwm = use_node_ref();
    let pow = use_state(|| props.settings.pow);
    let message = use_state(|| None::<Result<String, String>>);

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
    html! {
        <section class="card" aria-labelledby="settings-title">
            <h2 id="settings-title">{ "Settings" }</h2>
            <form class="form" onsubmit={on_submit}>
                <NodeUrlField value={props.settings.node_url.clone()} input={url.clone()} />
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
