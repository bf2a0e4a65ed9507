//! One home's energy: the consent's state, the current values, the charts
//! over a range the user picks, and the readings as CSV.

use std::rc::Rc;

use browser_app::download::download_text;
use browser_app::feedback::Alert;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::homes::ended_words;
use crate::app::core::Snapshot;
use crate::app::widgets::{number, plural, sync_line, time};
use crate::charts::{EnergyChart, GasChart, PowerChart, Resolution};
use crate::energy::{
    energy_per_day, energy_per_hour, gas_per_day, power_series, readings_csv, CurrentValues,
    Reading, TimeRange,
};
use crate::view::ranges::RangeChoice;

/// Points the power chart draws at most (one per bucket, the peak).
const POWER_POINTS: usize = 720;

/// Properties of [`HomePage`].
#[derive(Properties, PartialEq)]
pub struct HomePageProps {
    /// What to show.
    pub snapshot: Snapshot,
    /// The home's policy id.
    pub policy_id: AttrValue,
}

/// The series of one range, made again only when the readings or the
/// range change.
#[derive(PartialEq)]
struct Series {
    range: Option<TimeRange>,
    power: Rc<Vec<crate::energy::PowerPoint>>,
    hourly: Rc<Vec<crate::energy::EnergyInterval>>,
    daily: Rc<Vec<crate::energy::EnergyInterval>>,
    gas: Rc<Vec<crate::energy::GasInterval>>,
}

fn series(readings: &[Reading], choice: RangeChoice) -> Series {
    let (Some(first), Some(last)) = (readings.first(), readings.last()) else {
        return Series {
            range: None,
            power: Rc::default(),
            hourly: Rc::default(),
            daily: Rc::default(),
            gas: Rc::default(),
        };
    };
    let range = choice.range(first.time, last.time);
    let Some(range) = range else {
        return series(&[], choice);
    };
    Series {
        range: Some(range),
        power: Rc::new(power_series(readings, range, POWER_POINTS)),
        hourly: Rc::new(energy_per_hour(readings, range)),
        daily: Rc::new(energy_per_day(readings, range)),
        gas: Rc::new(gas_per_day(readings, range)),
    }
}

/// The home page.
#[function_component]
pub fn HomePage(props: &HomePageProps) -> Html {
    // `None` until the user picks: then the smallest range that holds
    // every reading, which grows as readings arrive.
    let picked = use_state(|| None::<RangeChoice>);
    let snapshot = &props.snapshot;
    let id = props.policy_id.to_string();
    let home = snapshot
        .homes
        .list()
        .iter()
        .find(|h| h.policy_id().as_str() == id);
    let readings = snapshot.readings.get(&id).cloned().unwrap_or_default();
    let choice = picked.unwrap_or_else(|| match (readings.first(), readings.last()) {
        (Some(first), Some(last)) => RangeChoice::fitting(first.time, last.time),
        _ => RangeChoice::LastDay,
    });
    let made = use_memo((Rc::clone(&readings), choice), |(readings, choice)| {
        series(readings, *choice)
    });
    let Some(home) = home else {
        return html! {
            <section class="card">
                <Alert title="No such home">
                    <p>{ format!("No home gave us consent under policy {id}.") }</p>
                </Alert>
                <a class="button" href="#/">{ "To the homes" }</a>
            </section>
        };
    };
    let on_preset = {
        let picked = picked.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                if let Some(choice) = RangeChoice::from_value(&select.value()) {
                    picked.set(Some(choice));
                }
            }
        })
    };
    let on_day = {
        let picked = picked.clone();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                if let Some(day) = RangeChoice::day(&input.value()) {
                    picked.set(Some(day));
                }
            }
        })
    };
    let download_error = use_state(|| None::<String>);
    let on_csv = {
        let (readings, id, download_error) =
            (Rc::clone(&readings), id.clone(), download_error.clone());
        Callback::from(move |_: MouseEvent| {
            let name = format!(
                "wattt-{}.csv",
                id.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
            );
            download_error.set(download_text(&name, "text/csv", &readings_csv(&readings)).err());
        })
    };
    let current = CurrentValues::latest(&readings);
    let unreadable = snapshot.unreadable_telegrams.get(&id).copied().unwrap_or(0);
    let day_value = match choice {
        RangeChoice::Day(day) => format!("{:04}-{:02}-{:02}", day.year, day.month, day.day),
        _ => String::new(),
    };
    html! {
        <>
            <section class="card" aria-labelledby="home-title" id="home" data-policy={id.clone()}>
                <div class="card-head">
                    <h2 id="home-title">{ format!("Home with policy {id}") }</h2>
                    <a class="link-button" href="#/">{ "All homes" }</a>
                </div>
                { sync_line(snapshot) }
                if let Some(closed) = home.closed() {
                    <div id="consent-ended" data-ended-at={closed.at.as_millis().to_string()}>
                        <Alert title="Consent ended">
                            <p>{ ended_words(closed.reason) }{ " at " }{ time(closed.at) }
                               { ". Nothing more is read from this home; what was read before stays here." }</p>
                        </Alert>
                    </div>
                } else {
                    <p class="muted">{ "Sharing since " }{ time(home.granted_at()) }
                        { format!(". {} read.", plural(readings.len(), "reading", "readings")) }</p>
                }
                if unreadable > 0 {
                    <p class="hint">{ format!("{} did not read as a meter reading and were left out.",
                        plural(unreadable, "telegram", "telegrams")) }</p>
                }
            </section>
            if readings.is_empty() {
                <section class="card">
                    <p class="empty" id="no-readings">{ if home.is_reading() {
                        "No readings yet: the meter reader publishes every few seconds, and they appear here as they arrive."
                    } else {
                        "No readings were shared before the consent ended."
                    } }</p>
                </section>
            } else {
                { current_values(current.as_ref()) }
                <section class="card" aria-labelledby="charts-title">
                    <div class="card-head">
                        <h2 id="charts-title">{ "Energy" }</h2>
                        <div class="inline-row range-picker">
                            <label for="range">{ "Range" }</label>
                            <select id="range" onchange={on_preset}>
                                { for RangeChoice::PRESETS.iter().map(|c| html! {
                                    <option value={c.value()} selected={*c == choice}>{ c.label() }</option>
                                }) }
                                if matches!(choice, RangeChoice::Day(_)) {
                                    <option value="date" selected=true>{ choice.label() }</option>
                                }
                            </select>
                            <input type="date" id="range-day" value={day_value} onchange={on_day} aria-label="A day" />
                        </div>
                    </div>
                    if let Some(range) = made.range {
                        <p class="muted" id="range-shown">{ "From " }{ time(range.start()) }{ " to " }{ time(range.end()) }</p>
                        <h3>{ "Power" }</h3>
                        <PowerChart points={Rc::clone(&made.power)} range={range} />
                        <h3>{ "Electricity per hour" }</h3>
                        <EnergyChart intervals={Rc::clone(&made.hourly)} resolution={Resolution::Hour} />
                        <h3>{ "Electricity per day" }</h3>
                        <EnergyChart intervals={Rc::clone(&made.daily)} resolution={Resolution::Day} />
                        <h3>{ "Gas per day" }</h3>
                        <GasChart intervals={Rc::clone(&made.gas)} />
                    }
                    <div class="actions">
                        <button class="button secondary" id="download-csv" onclick={on_csv}>
                            { format!("Download the {} as CSV", plural(readings.len(), "reading", "readings")) }
                        </button>
                    </div>
                    if let Some(problem) = &*download_error { <Alert><p>{ problem.clone() }</p></Alert> }
                </section>
            }
        </>
    }
}

fn current_values(current: Option<&CurrentValues>) -> Html {
    let Some(now) = current else {
        return html! {};
    };
    html! {
        <section class="card" aria-labelledby="now-title" id="current">
            <h2 id="now-title">{ "Now" }<span class="muted">{ " · " }{ time(now.time) }</span></h2>
            <div class="now-grid">
                { now_value("Using", "now-delivered", html! { number(now.power_delivered_kw, 3, "kW") }) }
                { now_value("Returning", "now-returned", html! { number(now.power_returned_kw, 3, "kW") }) }
                { now_value("Meter total used", "now-used-total", html! { number(now.delivered_total_kwh, 3, "kWh") }) }
                { now_value("Meter total returned", "now-returned-total", html! { number(now.returned_total_kwh, 3, "kWh") }) }
                { now_value("Gas meter", "now-gas", match now.gas {
                    Some((m3, at)) => html! { <>{ format!("{m3:.3} m³") }<small class="muted">{ time(at) }</small></> },
                    None => html! { "–" },
                }) }
            </div>
        </section>
    }
}

/// One of the current values: its label over the number.
fn now_value(label: &str, id: &'static str, value: Html) -> Html {
    html! {
        <div class="now-value">
            <span class="muted">{ label.to_owned() }</span>
            <strong id={id}>{ value }</strong>
        </div>
    }
}
