//! Energy per hour and per day, and gas per day: differences of the
//! meter's counters at the interval boundaries, by the rules of
//! [`counter`](super::counter) (resets, gaps, partial intervals).
//!
//! Hours are whole hours of UTC, which are whole hours of Dutch local time
//! too (its offsets are whole hours). Days run from local midnight to local
//! midnight: 23 hours on the last Sunday of March, 25 on the last Sunday of
//! October.

use mam_lib::time::UnixMillis;

use super::counter::{CounterTrack, IntervalValue};
use super::local_time::{LocalDate, HOUR_MS};
use super::range::TimeRange;
use super::reading::Reading;

/// Interpolating electricity counters across more than this is an
/// estimate: meters send a telegram every 1 s (DSMR 5) or 10 s (older).
pub const ELECTRICITY_MAX_GAP_MS: u64 = 5 * 60 * 1000;
/// Interpolating the gas counter across more than this is an estimate:
/// gas meters report hourly (DSMR 4/5; every 5 minutes in Belgium).
pub const GAS_MAX_GAP_MS: u64 = 65 * 60 * 1000;

/// The electricity used and returned in one interval, kWh per counter;
/// `None` where the meter has no such counter or no reading covers the
/// interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnergyInterval {
    /// The interval's first moment.
    pub start: UnixMillis,
    /// The first moment after the interval.
    pub end: UnixMillis,
    /// Energy delivered at tariff 1 (NL: low).
    pub delivered_tariff1: Option<IntervalValue>,
    /// Energy delivered at tariff 2 (NL: normal).
    pub delivered_tariff2: Option<IntervalValue>,
    /// Energy returned at tariff 1 (solar homes).
    pub returned_tariff1: Option<IntervalValue>,
    /// Energy returned at tariff 2.
    pub returned_tariff2: Option<IntervalValue>,
    /// All energy delivered (for meters with one total counter only).
    pub delivered_total: Option<IntervalValue>,
    /// All energy returned.
    pub returned_total: Option<IntervalValue>,
}

/// The gas used in one interval, m³.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GasInterval {
    /// The interval's first moment.
    pub start: UnixMillis,
    /// The first moment after the interval.
    pub end: UnixMillis,
    /// Gas used; `None` where no gas reading covers the interval.
    pub gas: Option<IntervalValue>,
}

/// Electricity per whole hour touching `range`, from `readings` in time
/// order. One interval per hour: the caller keeps the range to what a chart
/// can show (a year is 8,760 hours).
pub fn energy_per_hour(readings: &[Reading], range: TimeRange) -> Vec<EnergyInterval> {
    energy_between(readings, &hour_boundaries(range))
}

/// Electricity per local day touching `range`, from `readings` in time order.
pub fn energy_per_day(readings: &[Reading], range: TimeRange) -> Vec<EnergyInterval> {
    energy_between(readings, &day_boundaries(range))
}

/// Gas per local day touching `range`, by the gas meter's own report times.
pub fn gas_per_day(readings: &[Reading], range: TimeRange) -> Vec<GasInterval> {
    let boundaries = day_boundaries(range);
    let track = CounterTrack::new(
        readings
            .iter()
            .filter_map(|r| Some((r.gas_time?, r.gas_m3?))),
        GAS_MAX_GAP_MS,
    );
    track
        .increases(&boundaries)
        .into_iter()
        .zip(boundaries.windows(2))
        .map(|(gas, bounds)| GasInterval {
            start: bounds[0],
            end: bounds[1],
            gas,
        })
        .collect()
}

/// The interval boundaries of whole UTC hours from the hour `range` starts in
/// through the end of the hour it ends in.
fn hour_boundaries(range: TimeRange) -> Vec<UnixMillis> {
    let first = range.start().as_millis() / HOUR_MS;
    let last = range.end().as_millis().div_ceil(HOUR_MS);
    (first..=last)
        .map(|hour| UnixMillis::from_millis(hour.saturating_mul(HOUR_MS)))
        .collect()
}

/// Local midnights from the day `range` starts in through the end of the
/// day its last moment lies in.
fn day_boundaries(range: TimeRange) -> Vec<UnixMillis> {
    let last_day = LocalDate::of(UnixMillis::from_millis(range.end().as_millis() - 1));
    let mut day = LocalDate::of(range.start());
    let mut boundaries = vec![day.start()];
    while day <= last_day {
        day = day.next();
        boundaries.push(day.start());
    }
    boundaries
}

fn energy_between(readings: &[Reading], boundaries: &[UnixMillis]) -> Vec<EnergyInterval> {
    let per_counter = |counter: fn(&Reading) -> Option<f64>| {
        CounterTrack::new(
            readings.iter().filter_map(|r| Some((r.time, counter(r)?))),
            ELECTRICITY_MAX_GAP_MS,
        )
        .increases(boundaries)
    };
    let delivered_tariff1 = per_counter(|r| r.delivered_tariff1_kwh);
    let delivered_tariff2 = per_counter(|r| r.delivered_tariff2_kwh);
    let returned_tariff1 = per_counter(|r| r.returned_tariff1_kwh);
    let returned_tariff2 = per_counter(|r| r.returned_tariff2_kwh);
    let delivered_total = per_counter(|r| r.delivered_total_kwh);
    let returned_total = per_counter(|r| r.returned_total_kwh);
    boundaries
        .windows(2)
        .enumerate()
        .map(|(i, bounds)| EnergyInterval {
            start: bounds[0],
            end: bounds[1],
            delivered_tariff1: delivered_tariff1[i],
            delivered_tariff2: delivered_tariff2[i],
            returned_tariff1: returned_tariff1[i],
            returned_tariff2: returned_tariff2[i],
            delivered_total: delivered_total[i],
            returned_total: returned_total[i],
        })
        .collect()
}
