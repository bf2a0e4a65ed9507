//! The settings page: the node, My Home's address, and the cache.

use std::rc::Rc;

use browser_app::feedback::ConfirmButton;
use browser_app::settings::{save_settings, NodeSettings, NodeUrlField};
use browser_app::storage;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::core::Core;
use crate::app::{my_home_url, page_url, MY_HOME_KEY, SETTINGS_KEY};
use crate::view::links::{check_my_home_url, sibling_my_home};

/// Properties of [`SettingsPage`].
#[derive(Properties, PartialEq)]
pub struct SettingsPageProps {
    /// The running provider (for the cache).
    pub core: Rc<Core>,
    /// The settings in use.
    pub settings: NodeSettings,
    /// Called with the settings once saved.
    pub on_saved: Callback<NodeSettings>,
}

/// The settings page.
#[function_component]
pub fn SettingsPage(props: &SettingsPageProps) -> Html {
    let url = use_node_ref();
    let my_home = use_node_ref();
    let message = use_state(|| None::<Result<String, String>>);
    let on_submit = {
        let (url, my_home, message) = (url.clone(), my_home.clone(), message.clone());
        let (on_saved, current) = (props.on_saved.clone(), props.settings.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Some(url), Some(my_home)) = (
                url.cast::<HtmlInputElement>(),
                my_home.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let my_home = my_home.value().trim().to_owned();
            if let Err(problem) = check_my_home_url(&my_home) {
                message.set(Some(Err(problem)));
                return;
            }
            let settings = match NodeSettings::from_form(
                &url.value(),
                current.pow,
                &current.min_weight_magnitude.to_string(),
            ) {
                Ok(settings) => settings,
                Err(error) => {
                    message.set(Some(Err(format!("Not saved: {error}."))));
                    return;
                }
            };
            let kept = if my_home == sibling_my_home(&page_url()) {
                storage::remove(MY_HOME_KEY)
            } else {
                storage::set(MY_HOME_KEY, &my_home)
            };
            match kept.and_then(|()| save_settings(SETTINGS_KEY, &settings)) {
                Ok(()) => {
                    message.set(Some(Ok("Saved. Wattt now reads from this node.".into())));
                    on_saved.emit(settings);
                }
                Err(error) => message.set(Some(Err(format!(
                    "This browser did not let the settings be kept: {error}"
                )))),
            }
        })
    };
    let on_reset = {
        let core = Rc::clone(&props.core);
        Callback::from(move |()| core.reset_cache())
    };
    html! {
        <>
            <section class="card" aria-labelledby="settings-title">
                <h2 id="settings-title">{ "Settings" }</h2>
                <form class="form" onsubmit={on_submit}>
                    <NodeUrlField value={props.settings.node_url.clone()} input={url.clone()} />
                    <p class="hint">{ "Wattt only reads: it never attaches anything, so it needs no proof of work." }</p>
                    <label for="my-home-setting">{ "My Home's address" }</label>
                    <input id="my-home-setting" type="url" ref={my_home} value={my_home_url()} />
                    <p class="hint">{ "Where consent requests send the home's owner. By default the My Home next to this app." }</p>
                    <button type="submit" class="button" id="save-settings">{ "Save" }</button>
                    { match &*message {
                        None => html! {},
                        Some(Ok(text)) => html! { <p class="status ready" id="settings-message">{ text.clone() }</p> },
                        Some(Err(text)) => html! { <p class="status error" id="settings-message" role="alert">{ text.clone() }</p> },
                    } }
                </form>
            </section>
            <section class="card" aria-labelledby="cache-title">
                <h2 id="cache-title">{ "Cache" }</h2>
                <p>{ "What was read is kept in this browser so a reload reads only new messages. \
                      Deleting it loses nothing: everything is read again from the Tangle with our seed." }</p>
                <ConfirmButton id="reset-cache" label="Delete the cache"
                    question="Delete every reading kept in this browser and read them all again from the node?"
                    confirm_label="Yes, read everything again" on_confirm={on_reset} />
            </section>
        </>
    }
}
