//! The homes page: the answer the owner came back with, every home that
//! gave consent (reading or ended), the requests issued and what was
//! refused at the address.

use browser_app::consent_link::ConsentAnswer;
use browser_app::feedback::{Alert, Success};
use browser_app::identity::browser::IdentityHandle;
use browser_app::identity::IdentityPanel;
use yew::prelude::*;

use crate::app::core::Snapshot;
use crate::app::widgets::{plural, sync_line, time};
use crate::app::Answer;
use crate::provider::home::{CloseReason, Home};
use crate::view::route::Route;

/// Properties of [`HomesPage`].
#[derive(Properties, PartialEq)]
pub struct HomesPageProps {
    /// What to show.
    pub snapshot: Snapshot,
    /// The answer the owner came back with.
    pub answer: Option<Answer>,
    /// Dismisses the answer.
    pub on_dismiss_answer: Callback<()>,
    /// The seed (the address card at the foot of the page).
    pub identity: IdentityHandle,
}

/// Why a home ended, in words.
pub fn ended_words(reason: CloseReason) -> &'static str {
    match reason {
        CloseReason::LeftOut => "Consent ended: the home's meter changed its keys without us (revoked, or the device was reset)",
        CloseReason::KeyUnreadable => "Consent ended: the new key sent to us does not open",
        CloseReason::Expired => "Consent ended: the period asked for is over",
    }
}

/// The homes page.
#[function_component]
pub fn HomesPage(props: &HomesPageProps) -> Html {
    let snapshot = &props.snapshot;
    let homes = snapshot.homes.list();
    let answer = props.answer.as_ref().map(|(request, answer)| {
        let goal = request
            .and_then(|i| snapshot.requests.by_index(i))
            .map(|r| format!(" (“{}”)", r.goal))
            .unwrap_or_default();
        let dismiss = props.on_dismiss_answer.reform(|_: MouseEvent| ());
        match answer {
            ConsentAnswer::Granted { policy_id } => {
                let arrived = snapshot.homes.get(policy_id).is_some();
                html! {
                    <section class="card" id="answer" data-answer="granted">
                        <Success title="Consent given">
                            <p>{ format!("The home agreed to our request{goal} under policy {policy_id}.") }</p>
                            if arrived {
                                <p>{ "Its meter's keys arrived: " }
                                   <a href={Route::Home { policy_id: policy_id.as_str().into() }.href()}>{ "see its energy" }</a></p>
                            } else {
                                <p id="waiting-keys">{ "Waiting for its meter reader to send the keys (it reads its owner's consent every few seconds)…" }</p>
                            }
                            <button class="link-button" onclick={dismiss}>{ "Dismiss" }</button>
                        </Success>
                    </section>
                }
            }
            ConsentAnswer::Declined => html! {
                <section class="card" id="answer" data-answer="declined">
                    <Alert title="Consent declined">
                        <p>{ format!("The home did not agree to our request{goal}. Nothing was shared.") }</p>
                        <button class="link-button" onclick={dismiss}>{ "Dismiss" }</button>
                    </Alert>
                </section>
            },
        }
    });
    html! {
        <>
            { for answer }
            <section class="card" aria-labelledby="homes-title" id="homes">
                <div class="card-head">
                    <h2 id="homes-title">{ "Homes sharing with us" }</h2>
                    <a class="button" href="#/ask" id="ask-link">{ "Ask for consent" }</a>
                </div>
                { sync_line(snapshot) }
                if homes.is_empty() {
                    <p class="empty" id="homes-empty">
                        { "No home shares its meter with us yet. Ask a home for consent: its owner \
                           decides in My Home, and their meter reader sends us the keys." }
                    </p>
                } else {
                    <ul class="rows">
                        { for homes.iter().rev().map(|home| home_row(home, snapshot)) }
                    </ul>
                }
            </section>
            { requests(snapshot) }
            <IdentityPanel identity={props.identity.clone()}
                address_label="Our provider address"
                address_hint="Homes that give consent send the keys of their meter's channel to \
                              this IOTA address. Backup and our public key: Our identity." />
        </>
    }
}

fn home_row(home: &Home, snapshot: &Snapshot) -> Html {
    let id = home.policy_id().as_str().to_owned();
    let readings = snapshot.readings.get(&id).map_or(0, |r| r.len());
    let goal = snapshot
        .requests
        .find(home.request_nonce())
        .map(|r| r.goal.clone())
        .filter(|g| !g.is_empty());
    html! {
        <li class="row home" data-policy={id.clone()} data-reading={home.is_reading().to_string()}>
            <div class="row-head">
                <strong>{ format!("Home with policy {id}") }</strong>
                if home.is_reading() {
                    <span class="badge">{ "sharing" }</span>
                } else {
                    <span class="badge revoked">{ "ended" }</span>
                }
            </div>
            if let Some(goal) = goal { <p class="muted">{ goal }</p> }
            <p>{ "Keys received " }{ time(home.granted_at()) }{ format!(": {}, {}.",
                plural(readings, "reading", "readings"),
                plural(home.counts().rotations, "key rotation followed", "key rotations followed")) }</p>
            if let Some(closed) = home.closed() {
                <p class="ended" data-ended-at={closed.at.as_millis().to_string()}>
                    { ended_words(closed.reason) }{ " at " }{ time(closed.at) }{ "." }
                    if let Some(last) = closed.last_telegram { { " Last reading: " }{ time(last) }{ "." } }
                </p>
            }
            <div class="actions">
                <a class="button secondary" href={Route::Home { policy_id: id.clone() }.href()}>{ "See the energy" }</a>
            </div>
        </li>
    }
}

fn requests(snapshot: &Snapshot) -> Html {
    let list = snapshot.requests.list();
    let refused = snapshot.homes.refused().total();
    if list.is_empty() && refused == 0 {
        return html! {};
    }
    html! {
        <section class="card" aria-labelledby="requests-title" id="requests">
            <h2 id="requests-title">{ "Our requests" }</h2>
            <ul class="rows">
                { for list.iter().rev().map(|request| {
                    let answered = snapshot.homes.list().iter().any(|h| h.request_nonce() == &request.nonce);
                    html! {
                        <li class="row">
                            <div class="row-head">
                                <strong>{ format!("Request {}", request.index.map(|i| i.to_string()).unwrap_or_else(|| "–".into())) }</strong>
                                <span class="muted">{ time(request.created_at) }</span>
                                if answered { <span class="badge">{ "keys received" }</span> }
                                else { <span class="badge waiting">{ "no keys yet" }</span> }
                            </div>
                            <p class="muted">{ if request.goal.is_empty() { "(asked from another browser; its goal was kept there)".to_owned() } else { request.goal.clone() } }</p>
                            if let Some(at) = request.expires_at { <p class="muted">{ "Until " }{ time(at) }</p> }
                        </li>
                    }
                }) }
            </ul>
            if refused > 0 {
                <p class="hint" id="refused">{ format!("{} at our address were not keys for us and were ignored (sealed to another key, for a request we never made, or junk).",
                    plural(refused, "transfer", "transfers")) }</p>
            }
        </section>
    }
}
