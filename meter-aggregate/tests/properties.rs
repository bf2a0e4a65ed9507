//! Properties over random meters: irregular spacing, gaps, a clock that
//! goes back or leaps, counter resets. Quarter hours and days agree at
//! every shared boundary, so a day's energy is the sum of its quarters'
//! (what #12 will check end to end); intervals never leave holes; and
//! resuming from saved state anywhere changes nothing.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use mam_lib::time::UnixMillis;
use meter_aggregate::{Aggregator, Granularity, Interval, Reading};
use proptest::prelude::*;

/// One step of a random meter.
#[derive(Debug, Clone)]
enum Step {
    /// The next telegram `ms` later, after using `kwh`.
    Next { ms: u64, kwh: f64, power_kw: f64 },
    /// A telegram stamped `ms` before the last one.
    Back { ms: u64 },
    /// The counters restart at zero.
    Reset,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        40 => (1_000u64..30_000, 0.0..0.01f64, 0.0..5.0f64)
            .prop_map(|(ms, kwh, power_kw)| Step::Next { ms, kwh, power_kw }),
        2 => (60_000u64..4 * 3_600_000, 0.0..2.0f64)
            .prop_map(|(ms, kwh)| Step::Next { ms, kwh, power_kw: 1.0 }),
        1 => (0u64..600_000).prop_map(|ms| Step::Back { ms }),
        1 => Just(Step::Reset),
    ]
}

/// The readings of a meter taking `steps` from `start`.
fn meter(start: UnixMillis, steps: &[Step]) -> Vec<Reading> {
    let mut time = start.as_millis();
    let mut counter = BASE_KWH;
    let mut readings = Vec::with_capacity(steps.len());
    for step in steps {
        let (at, power_kw) = match *step {
            Step::Next { ms, kwh, power_kw } => {
                time += ms;
                counter += kwh;
                (time, power_kw)
            }
            Step::Back { ms } => (time.saturating_sub(ms), 0.5),
            Step::Reset => {
                time += 1_000;
                counter = 0.0;
                (time, 0.5)
            }
        };
        readings.push(Reading {
            power_delivered_kw: Some(power_kw),
            delivered_tariff1_kwh: Some(counter),
            delivered_total_kwh: Some(counter + 50.0),
            ..reading_at(UnixMillis::from_millis(at), power_kw)
        });
    }
    readings
}

fn contiguous(intervals: &[Interval]) -> bool {
    intervals
        .windows(2)
        .all(|pair| pair[0].end == pair[1].start)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn days_are_the_sums_of_their_quarters(
        hour in 0u64..24,
        steps in prop::collection::vec(step(), 1..4000),
    ) {
        // Around the autumn clock change, where days have 25 hours.
        let readings = meter(utc(2026, 10, 24, hour, 0), &steps);
        let quarters = aggregate(Granularity::QuarterHour, &readings);
        let days = aggregate(Granularity::Day, &readings);
        prop_assert!(contiguous(&quarters));
        prop_assert!(contiguous(&days));
        for day in &days {
            // The quarter ending where the day ends has the same counters,
            // bit for bit, so differences telescope to the same energy.
            let last = quarters.iter().find(|q| q.end == day.end);
            prop_assert!(last.is_some(), "a quarter ends with {}", day.local_start);
            prop_assert_eq!(last.map(|q| q.counters), Some(day.counters));
            let of_day: Vec<&Interval> = quarters
                .iter()
                .filter(|q| day.start <= q.start && q.end <= day.end)
                .collect();
            let telegrams: u32 = of_day.iter().map(|q| q.telegrams).sum();
            prop_assert_eq!(telegrams, day.telegrams);
            prop_assert_eq!(
                of_day.iter().any(|q| q.counter_reset),
                day.counter_reset
            );
            if let Some(before) = quarters.iter().find(|q| q.end == day.start) {
                let mut previous = tariff1(before);
                let mut sum = 0.0;
                for quarter in &of_day {
                    sum += tariff1(quarter) - previous;
                    previous = tariff1(quarter);
                }
                let day_start = days.iter().find(|d| d.end == day.start).map(tariff1);
                if let Some(day_start) = day_start {
                    prop_assert!((sum - (tariff1(day) - day_start)).abs() < 1e-6);
                }
            }
        }
    }

    #[test]
    fn resuming_anywhere_gives_the_same_intervals(
        steps in prop::collection::vec(step(), 1..1500),
        split in any::<prop::sample::Index>(),
    ) {
        let readings = meter(utc(2026, 3, 28, 22, 0), &steps);
        let split = split.index(readings.len() + 1);
        for granularity in Granularity::ALL {
            let whole = aggregate(granularity, &readings);
            let mut first = Aggregator::new(granularity);
            let mut resumed: Vec<Interval> =
                readings[..split].iter().flat_map(|r| first.push(r)).collect();
            let saved = serde_json::to_string(&first).expect("serialises");
            let mut second: Aggregator = serde_json::from_str(&saved).expect("reads back");
            resumed.extend(readings[split..].iter().flat_map(|r| second.push(r)));
            prop_assert_eq!(resumed, whole);
            prop_assert_eq!(second.ignored(), first_run_ignored(granularity, &readings));
        }
    }
}

fn first_run_ignored(granularity: Granularity, readings: &[Reading]) -> u64 {
    let mut aggregator = Aggregator::new(granularity);
    for reading in readings {
        aggregator.push(reading);
    }
    aggregator.ignored()
}
