//! How long the energy series take for a day of 1 Hz telegrams (86,400
//! readings), natively: `cargo run --release -p wattt-wasm --example energy_day`.
//! A plain timing, no benchmark harness; the series are O(readings), and a
//! day should take well under 100 ms.

use std::time::Instant;

use mam_lib::time::UnixMillis;
use wattt_wasm::energy::{
    energy_per_day, energy_per_hour, gas_per_day, power_series, CurrentValues, LocalDate, Reading,
    TimeRange, TimeSource,
};

fn main() {
    let Some(day) = LocalDate::new(2026, 10, 25) else {
        return;
    };
    let Some(range) = TimeRange::local_days(day, 1) else {
        return;
    };
    let start = range.start().as_millis();
    let seconds = (range.end().as_millis() - start) / 1000;
    let readings: Vec<Reading> = (0..seconds)
        .map(|s| {
            let kwh = s as f64 / 3600.0 * 0.4;
            Reading {
                time: UnixMillis::from_millis(start + s * 1000),
                time_source: TimeSource::Meter,
                power_delivered_kw: Some(0.4 + (s % 600) as f64 / 1000.0),
                power_returned_kw: Some(0.0),
                delivered_tariff1_kwh: Some(1000.0 + kwh),
                delivered_tariff2_kwh: Some(2000.0),
                returned_tariff1_kwh: Some(10.0),
                returned_tariff2_kwh: Some(20.0),
                delivered_total_kwh: Some(3000.0 + kwh),
                returned_total_kwh: Some(30.0),
                gas_m3: Some(500.0 + (s / 3600) as f64 * 0.1),
                gas_time: Some(UnixMillis::from_millis(start + s / 3600 * 3_600_000)),
            }
        })
        .collect();
    let began = Instant::now();
    let points = power_series(&readings, range, 1000);
    let hours = energy_per_hour(&readings, range);
    let days = energy_per_day(&readings, range);
    let gas = gas_per_day(&readings, range);
    let current = CurrentValues::latest(&readings);
    let took = began.elapsed();
    println!(
        "{} readings: {} power points, {} hours, {} day, {} gas day, current {}; {:.1} ms",
        readings.len(),
        points.len(),
        hours.len(),
        days.len(),
        gas.len(),
        current.is_some(),
        took.as_secs_f64() * 1000.0
    );
}
