//! Small pieces the pages share: the sync line, pending events, times,
//! addresses and a button that asks before it acts.

use browser_app::feedback::{Alert, StatusLine, Tone};
use yew::prelude::*;

use super::core::{Snapshot, SyncStatus};
use crate::home::views::{describe, format_time};

/// A time for people, with the exact value as a tooltip.
pub fn time(ms: i64) -> Html {
    html! { <time datetime={ms.to_string()} title={format!("{ms} ms since 1970")}>{ format_time(ms) }</time> }
}

/// An address or root in full, in a monospace block that wraps.
pub fn trytes(text: impl Into<AttrValue>, class: &'static str) -> Html {
    html! { <code class={classes!("trytes", "inline", class)}>{ text.into() }</code> }
}

/// `count` and the noun in the right number.
pub fn plural(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// The line that says how far reading the channel is.
pub fn sync_line(snapshot: &Snapshot, on_retry: Callback<()>) -> Html {
    let (tone, text): (Tone, String) = match &snapshot.sync {
        SyncStatus::Starting => (Tone::Working, "Connecting to the node…".into()),
        SyncStatus::Reading { read } => (
            Tone::Working,
            format!("Reading your channel from the Tangle: {read} messages read…"),
        ),
        SyncStatus::UpToDate { at } => (
            Tone::Ready,
            format!(
                "Up to date: {} on your channel, read {}.",
                plural(snapshot.read, "message", "messages"),
                format_time(*at)
            ),
        ),
        SyncStatus::Failed { error } => (
            Tone::Problem,
            format!(
                "Cannot read your channel: {error}. Showing what was read before ({} messages). \
                 Check the node in Settings.",
                snapshot.read
            ),
        ),
        SyncStatus::Fork { root, bundles } => (
            Tone::Problem,
            format!(
                "Your channel forks at root {root}: {} different messages verify there (bundles \
                 {}). Someone who has your seed wrote to it. Your devices stop there too; \
                 move to a new seed.",
                bundles.len(),
                bundles.join(", ")
            ),
        ),
    };
    let retry = matches!(snapshot.sync, SyncStatus::Failed { .. }).then(|| {
        let onclick = on_retry.reform(|_: MouseEvent| ());
        html! { <button class="link-button" id="sync-retry" {onclick}>{ "Try again" }</button> }
    });
    html! {
        <div class="sync-line" data-read={snapshot.read.to_string()} id="sync">
            <StatusLine id="sync-status" tone={tone} class="sync">
                <span>{ text }</span>
                { retry }
            </StatusLine>
        </div>
    }
}

/// The events not yet on the Tangle.
pub fn pending_list(snapshot: &Snapshot) -> Html {
    if snapshot.pending.is_empty() {
        return html! {};
    }
    html! {
        <section class="card pending" id="pending" aria-labelledby="pending-title">
            <h2 id="pending-title">{ "Not yet on the Tangle" }</h2>
            <p class="hint">
                { "These events are kept in this browser and attached until the node has them; \
                   they count only once read back from your channel." }
            </p>
            <ul class="rows">
                { for snapshot.pending.iter().map(|pending| {
                    let (title, detail) = describe(&pending.event);
                    let state = match (&pending.last_error, pending.attached) {
                        (_, true) => "attached, waiting to be read back".to_owned(),
                        (Some(error), false) => format!(
                            "not attached yet (attempt {} failed: {error}); retried every 15 s",
                            pending.attempts
                        ),
                        (None, false) => "proof of work and attaching…".to_owned(),
                    };
                    html! {
                        <li class="row pending-event" data-position={pending.position.to_string()}>
                            <strong>{ title }</strong>
                            <span class="muted">{ detail }</span>
                            <span class="badge waiting">{ state }</span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// The notices the owner should read, with a way to dismiss them.
pub fn notices(snapshot: &Snapshot, on_dismiss: Callback<()>) -> Html {
    if snapshot.notices.is_empty() {
        return html! {};
    }
    let onclick = on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <section class="card">
            { for snapshot.notices.iter().map(|notice| html! {
                <Alert><p>{ notice.clone() }</p></Alert>
            }) }
            <button class="link-button" {onclick}>{ "Dismiss" }</button>
        </section>
    }
}
