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

/// How far the readings of the home being read reach, in percent of the
/// time from its first reading to now: the messages still to read are not
/// known in number (each names only the next), but the meter publishes
/// steadily, so time is the measure of how much is left.
fn caught_up_percent(snapshot: &Snapshot) -> Option<u32> {
    let (policy, _) = snapshot.reading.as_ref()?;
    let readings = snapshot.readings.get(policy)?;
    let (first, last) = (readings.first()?.time, readings.last()?.time);
    Some(reach_percent(first, last, UnixMillis::now()))
}

/// `last` as a share of the time from `first` to `now`, 0 to 100.
pub fn reach_percent(first: UnixMillis, last: UnixMillis, now: UnixMillis) -> u32 {
    let whole = now.as_millis().saturating_sub(first.as_millis());
    if whole == 0 {
        return 100;
    }
    let done = last
        .as_millis()
        .saturating_sub(first.as_millis())
        .min(whole);
    u32::try_from(done * 100 / whole).unwrap_or(100)
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
            if let (SyncStatus::Reading, Some(percent)) = (&snapshot.sync, caught_up_percent(snapshot)) {
                <progress id="read-progress" max="100" value={percent.to_string()}
                    aria-label="How far the readings reach, from the first to now">
                    { format!("{percent}%") }
                </progress>
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reach_is_the_share_of_time_from_the_first_reading_to_now() {
        let at = UnixMillis::from_millis;
        assert_eq!(reach_percent(at(1_000), at(6_000), at(11_000)), 50);
        assert_eq!(reach_percent(at(1_000), at(11_000), at(11_000)), 100);
        assert_eq!(
            reach_percent(at(1_000), at(20_000), at(11_000)),
            100,
            "a meter clock ahead"
        );
        assert_eq!(
            reach_percent(at(5_000), at(5_000), at(1_000)),
            100,
            "now before the first"
        );
        assert_eq!(reach_percent(at(0), at(0), at(10)), 0);
    }
}
