//! Every real telegram in `testdata/telegrams` as a reading the aggregator
//! takes: read by `Reading::from_telegram_text` as the device reads it, then
//! pushed, and its counters found at the boundary the next reading closes.

#[path = "../../p1-telegram/tests/fixtures/mod.rs"]
mod fixtures;

use mam_lib::time::UnixMillis;
use meter_aggregate::{Aggregator, Granularity, Reading, TimeSource, QUARTER_HOUR_MS};

/// When the simulated device received every telegram: 2026-06-10 12:00 UTC.
const RECEIVED: UnixMillis = UnixMillis::from_millis(1_781_092_800_000);

/// Every captured telegram as (file name, text, reading).
fn captured() -> Vec<(String, String, Reading)> {
    fixtures::telegram_files()
        .into_iter()
        .flat_map(|(name, bytes)| {
            fixtures::telegrams_in(&bytes)
                .into_iter()
                .map(move |raw| (name.clone(), raw))
        })
        .map(|(name, raw)| {
            let reading = Reading::from_telegram_text(&raw, RECEIVED)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, raw, reading)
        })
        .collect()
}

/// Every captured telegram as (file name, reading).
fn captured_readings() -> Vec<(String, Reading)> {
    captured()
        .into_iter()
        .map(|(name, _, reading)| (name, reading))
        .collect()
}

#[test]
fn every_captured_telegram_is_a_reading_the_aggregator_takes() {
    let readings = captured_readings();
    assert!(readings.len() >= 13, "{} telegrams", readings.len());
    for (name, reading) in readings {
        for granularity in Granularity::ALL {
            let mut aggregator = Aggregator::new(granularity);
            assert!(aggregator.push(&reading).is_empty(), "{name}");
            assert_eq!(aggregator.ignored(), 0, "{name}: {granularity}");
            assert_eq!(aggregator.last_time(), Some(reading.time), "{name}");
            // The same values a day and a quarter later close its interval
            // with the meter's own counters at the boundary.
            let later = Reading {
                time: UnixMillis::from_millis(
                    reading.time.as_millis() + 24 * 3_600_000 + QUARTER_HOUR_MS,
                ),
                ..reading
            };
            let closed = aggregator.push(&later);
            assert!(!closed.is_empty(), "{name}: {granularity}");
            let first = &closed[0];
            assert!(
                first.start <= reading.time && reading.time < first.end,
                "{name}"
            );
            assert_eq!(first.telegrams, 1, "{name}");
            assert_eq!(
                first.counters.delivered_total_kwh.map(|c| c.value),
                reading.delivered_total_kwh,
                "{name}"
            );
            assert_eq!(first.counters.gas.map(|g| g.m3), reading.gas_m3, "{name}");
            assert!(!first.counter_reset, "{name}");
        }
    }
}

#[test]
fn telegrams_with_a_meter_clock_are_timed_by_it() {
    for (name, raw, reading) in captured() {
        let telegram = p1_telegram::Telegram::parse(&raw).expect("parses");
        let clock = p1_telegram::Readings::from_telegram(&telegram).timestamp;
        if clock.is_some() {
            assert_eq!(reading.time_source, TimeSource::Meter, "{name}");
        } else {
            assert_eq!(reading.time_source, TimeSource::Reception, "{name}");
            assert_eq!(reading.time, RECEIVED, "{name}");
        }
    }
}
