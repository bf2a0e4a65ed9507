//! Asking a home for consent: the goal, the period, and off to My Home.

use std::rc::Rc;

use browser_app::feedback::Alert;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::core::Core;
use crate::app::{my_home_url, page_url};
use crate::view::period::Period;

/// What Wattt asks for unless the user says otherwise.
pub const DEFAULT_GOAL: &str = "Show you your electricity use per hour and per day, your solar \
                                return and your gas use, from your smart meter's readings.";

/// Properties of [`AskPage`].
#[derive(Properties, PartialEq)]
pub struct AskPageProps {
    /// The running provider.
    pub core: Rc<Core>,
}

/// The ask page.
#[function_component]
pub fn AskPage(props: &AskPageProps) -> Html {
    let goal = use_node_ref();
    let period = use_node_ref();
    let my_home = use_node_ref();
    let error = use_state(|| None::<String>);
    let on_submit = {
        let (goal, period, my_home, error) =
            (goal.clone(), period.clone(), my_home.clone(), error.clone());
        let core = Rc::clone(&props.core);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (Some(goal), Some(period), Some(my_home)) = (
                goal.cast::<HtmlTextAreaElement>(),
                period.cast::<HtmlSelectElement>(),
                my_home.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            let period = Period::from_value(&period.value()).unwrap_or(Period::UntilRevoked);
            match core.ask(&goal.value(), period, my_home.value().trim(), &page_url()) {
                Ok(link) => {
                    if let Some(window) = web_sys::window() {
                        if let Err(problem) = window.location().assign(&link) {
                            error.set(Some(format!(
                                "The browser did not open My Home: {problem:?}"
                            )));
                        }
                    }
                }
                Err(problem) => error.set(Some(problem)),
            }
        })
    };
    html! {
        <section class="card" aria-labelledby="ask-title">
            <h2 id="ask-title">{ "Ask a home for consent" }</h2>
            <p>{ "The home's owner sees this request in My Home, their consent manager, and decides. \
                  If they agree, their meter reader sends us the keys of its channel, sealed to our \
                  key, and we can read their meter until they revoke it." }</p>
            <form class="form" onsubmit={on_submit} id="ask-form">
                <label for="goal">{ "What we will use the data for" }</label>
                <textarea id="goal" ref={goal} rows="3" maxlength="500" value={DEFAULT_GOAL} />
                <label for="period">{ "For how long" }</label>
                <select id="period" ref={period}>
                    { for Period::CHOICES.iter().map(|p| html! {
                        <option value={p.value()} selected={*p == Period::UntilRevoked}>{ p.label() }</option>
                    }) }
                </select>
                <label for="my-home-url">{ "The home's My Home" }</label>
                <input id="my-home-url" type="url" ref={my_home} value={my_home_url()} />
                <p class="hint">{ "My Home runs in the owner's browser; by default the one next to \
                                   this app. Change it in Settings for good." }</p>
                <div class="actions">
                    <button type="submit" class="button" id="ask-consent">{ "Continue to My Home" }</button>
                </div>
                if let Some(problem) = &*error {
                    <Alert id="ask-error"><p>{ problem.clone() }</p></Alert>
                }
            </form>
        </section>
    }
}
