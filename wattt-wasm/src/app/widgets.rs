//! Small pieces the pages share: times, numbers, the reading status line.

use browser_app::feedback::{StatusLine, Tone};
use mam_lib::time::UnixMillis;
use yew::prelude::*;

use super::core::{Snapshot, SyncStatus};
use crate::energy::local_time::{format_local, format_readable};

/// A moment in Dutch local time, with the raw value on hover.
pub fn time(at: UnixMillis) -> Html {
    let ms = at.as_millis();
    html! { <time datetime={format_local(at)} title={format!("{} ({ms} ms since 1970)", format_local(at))}>{ format_readable(at) }</time> }
}

/// `value` with `decimals`, and the unit; a dash when the meter sends none.
pub fn number(value: Option<f64>, decimals: usize, unit: &str) -> String {
    match value {
        Some(value) => format!("{value:.decimals$} {unit}"),
        None => "–".into(),
    }
}

/// `count` and the noun in the right number.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// The line that says where reading stands, for every page.
pub fn sync_line(snapshot: &Snapshot) -> Html {
    let reading = snapshot.reading.as_ref().map(|(policy, progress)| {
        let newest = snapshot
            .readings
            .get(policy)
            .and_then(|r| r.last())
            .map(|r| format!(", readings up to {}", format_readable(r.time)))
            .unwrap_or_default();
        format!(
            "{} and {} read from the meter's channel{newest}",
            plural(progress.messages, "message", "messages"),
            plural(progress.readings, "reading", "readings"),
        )
    });
    let (tone, state, text): (Tone, &str, String) = match &snapshot.sync {
        SyncStatus::Starting => (Tone::Working, "starting", "Opening the cache…".into()),
        SyncStatus::Reading => (
            Tone::Working,
            "reading",
            match &reading {
                Some(text) => format!("Reading: {text}…"),
                None => "Reading our address for keys from homes…".into(),
            },
        ),
        SyncStatus::UpToDate { at } => (
            Tone::Ready,
            "up-to-date",
            format!("Up to date at {}.", format_readable(*at)),
        ),
        SyncStatus::Failed { error } => (
            Tone::Problem,
            "failed",
            format!(
                "The node is not answering ({error}). What was read is kept; Wattt tries again \
                 every few seconds. Check the node in Settings."
            ),
        ),
    };
    let total: usize = snapshot.readings.values().map(|r| r.len()).sum();
    html! {
        <div class="sync" id="sync" data-state={state} data-readings={total.to_string()}>
            <StatusLine tone={tone}>{ text }</StatusLine>
            if let Some(count) = snapshot.from_cache {
                <p class="hint" id="from-cache">
                    { format!("{} came from this browser's cache; only newer messages are read.",
                        plural(count, "reading", "readings")) }
                </p>
            }
            if let Some(problem) = &snapshot.cache_problem {
                <p class="hint" id="cache-problem">
                    { format!("The cache is not used ({problem}): everything is read from the node.") }
                </p>
            }
        </div>
    }
}
