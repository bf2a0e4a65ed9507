//! The overview: the home's devices and consents, with revoke and remove.

use std::rc::Rc;

use browser_app::feedback::{Alert, ConfirmButton};
use browser_app::identity::browser::IdentityHandle;
use browser_app::identity::IdentityPanel;
use consent_protocol::owner::PolicyStatus;
use consent_protocol::{ConsentEvent, Device};
use yew::prelude::*;

use crate::app::core::{Core, Snapshot};
use crate::app::widgets::{time, trytes};
use crate::home::views::{provider_name, short, PolicyRow};

/// Properties of [`Overview`].
#[derive(Properties, PartialEq)]
pub struct OverviewProps {
    /// The running home.
    pub core: Rc<Core>,
    /// What to show.
    pub snapshot: Snapshot,
    /// The identity (address card).
    pub identity: IdentityHandle,
}

/// The overview page.
#[function_component]
pub fn Overview(props: &OverviewProps) -> Html {
    let error = use_state(|| None::<String>);
    let record = {
        let core = Rc::clone(&props.core);
        let error = error.clone();
        Callback::from(move |event: ConsentEvent| {
            error.set(core.record(event).err());
        })
    };
    let view = &props.snapshot.view;
    let policies_of = |status: &[&str]| -> Vec<&PolicyRow> {
        view.policies
            .iter()
            .filter(|p| status.contains(&p.status_word()))
            .collect()
    };
    let active = policies_of(&["active"]);
    let ended = policies_of(&["expired", "revoked", "ended", "not applied"]);
    let revoking: Vec<_> = props
        .snapshot
        .pending
        .iter()
        .filter_map(|p| match &p.event {
            ConsentEvent::AuthorizationRevoked { policy } => Some(policy.id.clone()),
            _ => None,
        })
        .collect();
    let removing: Vec<_> = props
        .snapshot
        .pending
        .iter()
        .filter_map(|p| match &p.event {
            ConsentEvent::DeviceDeleted { device } => Some(device.address.clone()),
            _ => None,
        })
        .collect();

    let devices = view.paired_devices().collect::<Vec<_>>();
    html! {
        <>
            if let Some(error) = &*error {
                <section class="card"><Alert><p>{ error.clone() }</p></Alert></section>
            }
            <section class="card" aria-labelledby="devices-title" id="devices">
                <div class="card-head">
                    <h2 id="devices-title">{ "Your devices" }</h2>
                    <a class="button" href="#/pair" id="pair-link">{ "Pair a device" }</a>
                </div>
                if devices.is_empty() {
                    <p class="empty" id="devices-empty">
                        { "No meter reader paired yet. Pair the one on your smart meter's P1 port: \
                           you need its address and pairing secret (`pi-reader info` shows both, \
                           with a QR code)." }
                    </p>
                } else {
                    <ul class="rows">
                        { for devices.iter().map(|device| {
                            let on_remove = {
                                let record = record.clone();
                                let address = device.address.clone();
                                Callback::from(move |()| record.emit(ConsentEvent::DeviceDeleted {
                                    device: Device { address: address.clone() },
                                }))
                            };
                            let busy = removing.contains(&device.address);
                            html! {
                                <li class="row device" data-address={device.address.to_string()}>
                                    <div class="row-head">
                                        <strong>{ format!("Meter reader {}", short(&device.address)) }</strong>
                                        if let Some(at) = device.added_at { <span class="muted">{ "paired " }{ time(at) }</span> }
                                    </div>
                                    { trytes(device.address.to_string(), "device-address") }
                                    <p class="muted">{ match device.active_policies.len() {
                                        0 => "Shares with nobody.".to_owned(),
                                        1 => "Shares with 1 service.".to_owned(),
                                        n => format!("Shares with {n} services."),
                                    } }</p>
                                    if busy {
                                        <span class="badge waiting">{ "Removing…" }</span>
                                    } else {
                                        <ConfirmButton id={format!("remove-{}", &device.address.to_string()[..9])}
                                            label="Remove device"
                                            question="Remove this device? It ends every consent for it at once (new keys, which no service gets) and ignores new consent until you pair it again."
                                            confirm_label="Yes, remove it" on_confirm={on_remove} />
                                    }
                                </li>
                            }
                        }) }
                    </ul>
                }
            </section>
            <section class="card" aria-labelledby="policies-title" id="policies">
                <h2 id="policies-title">{ "Services you share with" }</h2>
                if active.is_empty() {
                    <p class="empty" id="policies-empty">
                        { "Nobody reads your meter. A service that wants to asks you through a link \
                           to this page; you decide." }
                    </p>
                } else {
                    <ul class="rows">
                        { for active.iter().map(|row| policy_row(row, &record, &revoking)) }
                    </ul>
                }
                if !ended.is_empty() {
                    <h3>{ "Ended" }</h3>
                    <ul class="rows ended">
                        { for ended.iter().map(|row| policy_row(row, &record, &revoking)) }
                    </ul>
                }
            </section>
            <IdentityPanel identity={props.identity.clone()}
                address_label="Your home's address"
                address_hint="Your meter reader and the services you authorise reach you at \
                              this IOTA address." />
        </>
    }
}

/// One policy with its dates, and a revoke button while it is active.
fn policy_row(
    row: &PolicyRow,
    record: &Callback<ConsentEvent>,
    revoking: &[consent_protocol::PolicyId],
) -> Html {
    let policy = &row.policy;
    let word = row.status_word();
    let status_text = match row.status {
        PolicyStatus::InForce => "Active".to_owned(),
        PolicyStatus::Expired => "Expired".to_owned(),
        PolicyStatus::Revoked => "Revoked".to_owned(),
        PolicyStatus::EndedByReset => "Ended (device removed or paired again)".to_owned(),
        PolicyStatus::NotApplied(why) => format!("Not applied by the device: {}", why.reason()),
    };
    let on_revoke = {
        let record = record.clone();
        let policy = policy.clone();
        Callback::from(move |()| {
            record.emit(ConsentEvent::AuthorizationRevoked {
                policy: policy.clone(),
            })
        })
    };
    let busy = revoking.contains(&policy.id);
    html! {
        <li class={classes!("row", "policy", word.replace(' ', "-"))} data-policy-id={policy.id.to_string()}
            data-status={word}>
            <div class="row-head">
                <strong>{ provider_name(policy) }</strong>
                <span class={classes!("badge", word.replace(' ', "-"))}>{ status_text }</span>
            </div>
            <p>{ format!("“{}”", policy.goal) }</p>
            <dl class="facts">
                <dt>{ "Meter" }</dt><dd>{ short(&policy.device.address) }</dd>
                <dt>{ "Service" }</dt><dd><a href={policy.service_provider.url.clone()} rel="noopener noreferrer">{ policy.service_provider.url.clone() }</a></dd>
                if let Some(at) = row.granted_at { <dt>{ "Given" }</dt><dd>{ time(at) }</dd> }
                if let Some(at) = policy.expires_at {
                    <dt>{ if row.status == PolicyStatus::Expired { "Expired" } else { "Ends" } }</dt>
                    <dd>{ time(at.as_millis() as i64) }</dd>
                }
                if let (Some(at), PolicyStatus::Revoked | PolicyStatus::EndedByReset) = (row.ended_at, row.status) {
                    <dt>{ "Ended" }</dt><dd>{ time(at) }</dd>
                }
                <dt>{ "Policy" }</dt><dd><code>{ policy.id.to_string() }</code></dd>
            </dl>
            if row.status == PolicyStatus::InForce {
                if busy {
                    <span class="badge waiting">{ "Revoking…" }</span>
                } else {
                    <ConfirmButton id={format!("revoke-{}", policy.id)} label="Revoke"
                        question="Revoke this consent? The device stops sharing with this service at once: its next data is under a new key the service does not get."
                        confirm_label="Yes, revoke" on_confirm={on_revoke} />
                }
            }
        </li>
    }
}
