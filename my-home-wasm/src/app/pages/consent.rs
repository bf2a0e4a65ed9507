//! A provider's consent request (`#/new-policy?…`): every parameter checked
//! (a bad one gets an error page and nothing is published), then who asks,
//! why and for which device; grant records `AUTHORIZED` and sends the owner
//! back with `status=granted&policyId=…` once it is on the channel; decline
//! sends the owner back at once with nothing published.

use std::rc::Rc;

use browser_app::consent_link::{ConsentAnswer, ConsentRequest};
use browser_app::feedback::{Alert, Success};
use consent_protocol::owner::PolicyStatus;
use consent_protocol::{ConsentEvent, Device, PolicyId};
use mam_lib::seed::try_random_trytes;
use mam_lib::ternary::Hash81;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::core::{Core, Snapshot};
use crate::app::widgets::time;
use crate::home::views::{host_of, parse_date, short};

/// Properties of [`ConsentPage`].
#[derive(Properties, PartialEq)]
pub struct ConsentPageProps {
    /// The running home.
    pub core: Rc<Core>,
    /// What to show.
    pub snapshot: Snapshot,
    /// The request's query.
    pub query: AttrValue,
}

/// Where the owner's answer stands.
#[derive(Clone, PartialEq)]
enum Answer {
    /// Not given yet.
    Open,
    /// Granted: recording (the policy id).
    Recording(PolicyId),
    /// Recording failed.
    Failed(String),
}

/// Sends the browser to `url`.
fn go_to(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(url);
    }
}

/// A fresh policy id: 27 random trytes.
fn new_policy_id() -> Result<PolicyId, String> {
    let trytes = try_random_trytes(27).map_err(|e| e.to_string())?;
    trytes
        .as_str()
        .parse()
        .map_err(|e: consent_protocol::InvalidPolicyId| e.to_string())
}

/// The consent page.
#[function_component]
pub fn ConsentPage(props: &ConsentPageProps) -> Html {
    let device_ref = use_node_ref();
    let end_ref = use_node_ref();
    let answer = use_state(|| Answer::Open);
    let form_error = use_state(|| None::<String>);

    let parsed = ConsentRequest::from_query(&props.query);

    // Once the AUTHORIZED event is read back from the channel, back to the
    // provider with the answer.
    let redirect = match (&parsed, &*answer) {
        (Ok(request), Answer::Recording(policy_id))
            if props
                .snapshot
                .view
                .policy(policy_id)
                .is_some_and(|p| p.status == PolicyStatus::InForce) =>
        {
            Some(
                ConsentAnswer::Granted {
                    policy_id: policy_id.clone(),
                }
                .return_url(&request.return_url),
            )
        }
        _ => None,
    };
    use_effect_with(redirect, |redirect| {
        if let Some(url) = redirect {
            go_to(url);
        }
    });

    let request = match parsed {
        Ok(request) => Rc::new(request),
        Err(error) => {
            return html! {
                <section class="card" id="consent-error">
                    <Alert title="This consent request cannot be used">
                        <p>{ error.to_string() }</p>
                        <p>{ "Nothing was shared and nothing was recorded. The link you followed is \
                               damaged or was not made by a real service: ask the service for a new one." }</p>
                    </Alert>
                    <a class="button" href="#/">{ "Go to the overview" }</a>
                </section>
            };
        }
    };

    let view = &props.snapshot.view;
    let who = request
        .provider_name
        .clone()
        .or_else(|| host_of(&request.return_url))
        .unwrap_or_else(|| short(&request.provider_address));
    // A request already granted (the same nonce) is not granted twice.
    let already = view
        .policies
        .iter()
        .find(|p| p.policy.request_nonce.as_ref() == Some(&request.nonce));
    let devices: Vec<Hash81> = view.paired_devices().map(|d| d.address.clone()).collect();

    let on_decline = {
        let request = Rc::clone(&request);
        Callback::from(move |_: MouseEvent| {
            go_to(&ConsentAnswer::Declined.return_url(&request.return_url));
        })
    };
    let on_grant = {
        let (device_ref, end_ref) = (device_ref.clone(), end_ref.clone());
        let (answer, form_error) = (answer.clone(), form_error.clone());
        let request = Rc::clone(&request);
        let core = Rc::clone(&props.core);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(device) = device_ref
                .cast::<HtmlSelectElement>()
                .and_then(|select| select.value().parse::<Hash81>().ok())
            else {
                form_error.set(Some("Choose the meter to share.".into()));
                return;
            };
            let end = end_ref
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let expires_at = if end.trim().is_empty() {
                request.expires_at.map(|at| at.as_millis() as i64)
            } else {
                // The end of the chosen day (UTC).
                match parse_date(&end) {
                    Some(start) => Some(start + 86_400_000),
                    None => {
                        form_error.set(Some("The end date is not a date.".into()));
                        return;
                    }
                }
            };
            let now = mam_lib::time::UnixMillis::now().as_millis() as i64;
            if let Some(at) = expires_at {
                if at <= now {
                    form_error.set(Some("The end date has passed: choose a later one.".into()));
                    return;
                }
                if request
                    .expires_at
                    .is_some_and(|asked| at > asked.as_millis() as i64)
                {
                    form_error.set(Some(
                        "The service asked for less time than that: choose an earlier end.".into(),
                    ));
                    return;
                }
            }
            let policy_id = match new_policy_id() {
                Ok(id) => id,
                Err(error) => {
                    form_error.set(Some(format!("No policy id could be drawn: {error}")));
                    return;
                }
            };
            let mut policy = request.policy(policy_id.clone(), Device { address: device });
            policy.expires_at = expires_at.map(crate::home::log::at);
            form_error.set(None);
            match core.record(ConsentEvent::Authorized { policy }) {
                Ok(position) => {
                    answer.set(Answer::Recording(policy_id));
                    let (core, answer) = (Rc::clone(&core), answer.clone());
                    yew::platform::spawn_local(async move {
                        if let Err(error) = core.wait_recorded(position).await {
                            answer.set(Answer::Failed(error));
                        }
                    });
                }
                Err(error) => answer.set(Answer::Failed(error)),
            }
        })
    };

    let summary = html! {
        <div class="request">
            <p class="who" id="consent-who">{ format!("{who} asks to read your smart meter") }</p>
            <blockquote id="consent-goal">{ request.goal.clone() }</blockquote>
            <dl class="facts">
                <dt>{ "Service" }</dt>
                <dd><a href={request.return_url.clone()} rel="noopener noreferrer">{ request.return_url.clone() }</a></dd>
                <dt>{ "Its address" }</dt><dd><code>{ request.provider_address.to_string() }</code></dd>
                <dt>{ "For how long" }</dt>
                <dd>{ match request.expires_at {
                    Some(at) => html! { <>{ "until " }{ time(at.as_millis() as i64) }</> },
                    None => html! { "until you revoke it" },
                } }</dd>
            </dl>
            <p class="hint">
                { "If you agree, your meter reader hands this service the keys to its readings from now \
                   on, sealed so that only the service can open them. You can revoke it at any time; \
                   it then reads nothing published after that." }
            </p>
        </div>
    };

    let body = match (&*answer, already) {
        (Answer::Recording(_), _) => html! {
            <p class="status loading" id="consent-recording" role="status">
                { "Recording your consent on your channel (proof of work, then the node)… You go back \
                   to the service as soon as it is on the Tangle." }
            </p>
        },
        (Answer::Failed(error), _) => html! {
            <Alert id="consent-failed" title="Your consent is not recorded yet">
                <p>{ error.clone() }</p>
                <p>{ "It stays pending in this browser and is retried; the service gets nothing until it is on the Tangle." }</p>
            </Alert>
        },
        (Answer::Open, Some(granted)) => {
            let policy_id = granted.policy.id.clone();
            let back = {
                let request = Rc::clone(&request);
                Callback::from(move |_: MouseEvent| {
                    go_to(
                        &ConsentAnswer::Granted {
                            policy_id: policy_id.clone(),
                        }
                        .return_url(&request.return_url),
                    )
                })
            };
            html! {
                <Success id="consent-already" title="You already answered this request">
                    <p>{ format!("Its consent is {}.", granted.status_word()) }</p>
                    <button class="button" onclick={back}>{ "Back to the service" }</button>
                </Success>
            }
        }
        (Answer::Open, None) if devices.is_empty() => html! {
            <>
                <Alert id="consent-no-device" title="You have no paired meter reader yet">
                    <p>{ "Pair your meter reader first, then open the service's link again." }</p>
                </Alert>
                <div class="actions">
                    <a class="button" href="#/pair">{ "Pair a device" }</a>
                    <button class="button secondary" id="consent-decline" onclick={on_decline}>{ "Decline" }</button>
                </div>
            </>
        },
        (Answer::Open, None) => {
            let max = request
                .expires_at
                .map(|at| crate::home::views::format_time(at.as_millis() as i64)[..10].to_owned());
            html! {
                <form class="form" id="consent-form" onsubmit={on_grant}>
                    <label for="consent-device">{ "Which meter" }</label>
                    <select id="consent-device" ref={device_ref}>
                        { for devices.iter().map(|d| html! {
                            <option value={d.to_string()}>{ format!("Meter reader {}", short(d)) }</option>
                        }) }
                    </select>
                    <label for="consent-end">{ "End (optional)" }</label>
                    <input id="consent-end" type="date" ref={end_ref} max={max} />
                    <p class="hint">{ "Leave empty for the service's own end, or until you revoke it." }</p>
                    if let Some(error) = &*form_error {
                        <p class="status error" role="alert" id="consent-form-error">{ error.clone() }</p>
                    }
                    <div class="actions">
                        <button type="submit" class="button" id="consent-grant">{ "Give consent" }</button>
                        <button type="button" class="button secondary" id="consent-decline" onclick={on_decline}>
                            { "Decline" }
                        </button>
                    </div>
                </form>
            }
        }
    };

    html! {
        <section class="card" id="consent" aria-labelledby="consent-title">
            <h2 id="consent-title">{ "Consent request" }</h2>
            { summary }
            { body }
        </section>
    }
}
