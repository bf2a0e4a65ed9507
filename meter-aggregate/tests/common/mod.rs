//! A simulated meter for the aggregator's tests: constant power, counters
//! that grow with it, a gas meter reporting on the hour.

#![allow(dead_code)]

use mam_lib::calendar::days_from_civil;
use mam_lib::time::UnixMillis;
use meter_aggregate::local_time::HOUR_MS;
use meter_aggregate::{Aggregator, Granularity, Interval, Reading, TimeSource};

pub const SECOND_MS: u64 = 1000;
pub const MINUTE_MS: u64 = 60_000;

/// The moment of a UTC date and time.
pub fn utc(year: i64, month: u32, day: u32, hour: u64, minute: u64) -> UnixMillis {
    let days = u64::try_from(days_from_civil(year, month, day)).expect("after 1970");
    UnixMillis::from_millis(days * 24 * HOUR_MS + hour * HOUR_MS + minute * MINUTE_MS)
}

pub fn plus(time: UnixMillis, ms: u64) -> UnixMillis {
    UnixMillis::from_millis(time.as_millis() + ms)
}

/// Tariff 1 delivered at the start of every simulation, kWh.
pub const BASE_KWH: f64 = 1000.0;
/// The simulation's origin: its counters are [`BASE_KWH`] here.
pub fn origin() -> UnixMillis {
    utc(2026, 1, 1, 0, 0)
}

/// What a meter drawing `power_kw` since [`origin`] reads at `time`:
/// delivered tariff 1 grows, tariff 2 stays, nothing is returned, and the
/// gas meter last reported at the top of the hour.
pub fn reading_at(time: UnixMillis, power_kw: f64) -> Reading {
    let hours = (time.as_millis() - origin().as_millis()) as f64 / HOUR_MS as f64;
    let tariff1 = BASE_KWH + power_kw * hours;
    let gas_time = UnixMillis::from_millis(time.as_millis() / HOUR_MS * HOUR_MS);
    let gas_hours = (gas_time.as_millis() - origin().as_millis()) / HOUR_MS;
    Reading {
        time,
        time_source: TimeSource::Meter,
        power_delivered_kw: Some(power_kw),
        power_returned_kw: Some(0.0),
        delivered_tariff1_kwh: Some(tariff1),
        delivered_tariff2_kwh: Some(50.0),
        returned_tariff1_kwh: Some(0.0),
        returned_tariff2_kwh: Some(0.0),
        delivered_total_kwh: Some(tariff1 + 50.0),
        returned_total_kwh: Some(0.0),
        gas_m3: Some(100.0 + 0.1 * gas_hours as f64),
        gas_time: Some(gas_time),
    }
}

/// Readings every `step_ms` from `from` up to, not including, `to`.
pub fn readings(from: UnixMillis, to: UnixMillis, step_ms: u64, power_kw: f64) -> Vec<Reading> {
    (from.as_millis()..to.as_millis())
        .step_by(step_ms as usize)
        .map(|t| reading_at(UnixMillis::from_millis(t), power_kw))
        .collect()
}

/// Every interval `readings` close, pushed one at a time.
pub fn aggregate(granularity: Granularity, readings: &[Reading]) -> Vec<Interval> {
    let mut aggregator = Aggregator::new(granularity);
    readings.iter().flat_map(|r| aggregator.push(r)).collect()
}

/// The delivered tariff 1 counter at an interval's end.
pub fn tariff1(interval: &Interval) -> f64 {
    interval
        .counters
        .delivered_tariff1_kwh
        .expect("tariff 1 at the boundary")
        .value
}

pub fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: {actual} but expected {expected}"
    );
}
