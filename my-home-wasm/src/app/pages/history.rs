//! The audit trail: every message on the channel, newest first, in words,
//! with its time and where it sits.

use yew::prelude::*;

use crate::app::core::Snapshot;
use crate::app::widgets::time;

/// Properties of [`History`].
#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    /// What to show.
    pub snapshot: Snapshot,
}

/// The history page.
#[function_component]
pub fn History(props: &HistoryProps) -> Html {
    let history = &props.snapshot.view.history;
    html! {
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{ "History" }</h2>
            <p class="hint">
                { "Every event on your private channel, newest first. Your devices read the same \
                   channel and act on it by the same rules; an event a device ignored says why." }
            </p>
            if history.is_empty() {
                <p class="empty" id="history-empty">{ "Nothing recorded yet: pair a device to start." }</p>
            } else {
                <ol class="rows history" id="history" reversed=true>
                    { for history.iter().map(|line| html! {
                        <li class="row history-line" data-position={line.position.to_string()}>
                            <div class="row-head">
                                <strong class="event-title">{ line.title.clone() }</strong>
                                { time(line.attached_at) }
                            </div>
                            <p class="muted">{ line.detail.clone() }</p>
                            if let Some(why) = line.ignored {
                                <p class="badge ignored">{ format!("Not applied by the device: {why}") }</p>
                            }
                            <details class="where">
                                <summary>{ format!("Message {} on your channel", line.position + 1) }</summary>
                                <dl>
                                    <dt>{ "Root" }</dt><dd><code class="trytes inline">{ line.root.to_string() }</code></dd>
                                    <dt>{ "Bundle" }</dt><dd><code class="trytes inline">{ line.bundle.to_string() }</code></dd>
                                </dl>
                            </details>
                        </li>
                    }) }
                </ol>
            }
        </section>
    }
}
