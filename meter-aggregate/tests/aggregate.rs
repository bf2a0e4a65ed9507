//! The aggregator on a simulated meter: boundaries, the clock-change days,
//! gaps, resets, clock jumps, resuming, and quarters adding up to days.

mod common;

use common::*;
use mam_lib::time::UnixMillis;
use meter_aggregate::local_time::HOUR_MS;
use meter_aggregate::{Aggregator, Granularity, LocalDate, Reading, MAX_FILL_MS, QUARTER_HOUR_MS};

#[test]
fn granularities_have_their_wire_names() {
    for (granularity, name) in [(Granularity::QuarterHour, "15m"), (Granularity::Day, "1d")] {
        assert_eq!(granularity.wire_name(), name);
        assert_eq!(granularity.to_string(), name);
        assert_eq!(name.parse::<Granularity>(), Ok(granularity));
        let json = serde_json::to_string(&granularity).expect("serialises");
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(
            serde_json::from_str::<Granularity>(&json).expect("reads"),
            granularity
        );
    }
    let error = "1h".parse::<Granularity>().expect_err("no hours");
    assert!(error.to_string().contains("\"15m\" or \"1d\""), "{error}");
}

#[test]
fn quarter_hours_close_at_the_quarters_of_local_time() {
    let power = 1.2;
    let start = utc(2026, 6, 10, 12, 3);
    let intervals = aggregate(
        Granularity::QuarterHour,
        &readings(start, utc(2026, 6, 10, 13, 1), 10 * SECOND_MS, power),
    );
    let starts: Vec<String> = intervals.iter().map(|i| i.local_start.clone()).collect();
    assert_eq!(
        starts,
        [
            "2026-06-10T14:00:00+02:00",
            "2026-06-10T14:15:00+02:00",
            "2026-06-10T14:30:00+02:00",
            "2026-06-10T14:45:00+02:00",
        ]
    );
    // The first interval began before the aggregator's first reading.
    assert!(intervals[0].missing);
    assert_eq!(intervals[0].telegrams, 12 * 6);
    for interval in &intervals[1..] {
        assert!(!interval.missing, "{}", interval.local_start);
        assert!(!interval.counter_reset);
        assert_eq!(interval.telegrams, 15 * 6);
        assert_eq!(interval.duration_ms(), QUARTER_HOUR_MS);
        assert_eq!(interval.date, LocalDate::new(2026, 6, 10).expect("a date"));
    }
    for interval in &intervals {
        // A reading falls on every boundary: its counter, exactly.
        let at_end = reading_at(interval.end, power);
        let counter = interval.counters.delivered_tariff1_kwh.expect("tariff 1");
        assert!(!counter.estimated);
        assert_eq!(Some(counter.value), at_end.delivered_tariff1_kwh);
        let gas = interval.counters.gas.expect("gas");
        assert_eq!(Some(gas.m3), at_end.gas_m3);
        assert_eq!(Some(gas.time), at_end.gas_time);
        let delivered = interval.power_delivered.expect("power");
        assert_close(delivered.average_kw, power, "average");
        assert_close(delivered.peak_kw, power, "peak");
        assert_eq!(interval.power_returned.map(|p| p.peak_kw), Some(0.0));
    }
    let delta = tariff1(&intervals[2]) - tariff1(&intervals[1]);
    assert!((delta - power / 4.0).abs() < 1e-9, "{delta}");
}

/// Both granularities over a clock-change day at one reading every 10 s:
/// the day's length, its quarters, and their energy adding up to its own.
fn check_clock_change_day(date: LocalDate, hours: u64) {
    let power = 0.8;
    let day_start = date.start();
    let day_end = date.next().start();
    assert_eq!(day_end.as_millis() - day_start.as_millis(), hours * HOUR_MS);
    // From an hour before the day to an hour after it, so both ends close.
    let readings = readings(
        UnixMillis::from_millis(day_start.as_millis() - HOUR_MS),
        plus(day_end, HOUR_MS + 1),
        10 * SECOND_MS,
        power,
    );
    let days = aggregate(Granularity::Day, &readings);
    assert_eq!(days.len(), 2, "the day before and the day itself");
    let day = &days[1];
    assert_eq!((day.start, day.end, day.date), (day_start, day_end, date));
    assert_eq!(day.duration_ms(), hours * HOUR_MS);
    assert_eq!(u64::from(day.telegrams), hours * 360);
    assert!(!day.missing && !day.counter_reset);
    let day_delta = tariff1(day) - tariff1(&days[0]);
    assert_close(day_delta, power * hours as f64, "the day's energy");

    let quarters = aggregate(Granularity::QuarterHour, &readings);
    let of_day: Vec<_> = quarters.iter().filter(|q| q.date == date).collect();
    assert_eq!(of_day.len() as u64, hours * 4);
    assert_eq!(of_day[0].start, day_start);
    assert_eq!(of_day[of_day.len() - 1].end, day_end);
    let mut names: Vec<&str> = of_day.iter().map(|q| q.local_start.as_str()).collect();
    names.dedup();
    assert_eq!(names.len(), of_day.len(), "every local start is distinct");
    assert!(of_day.iter().all(|q| !q.missing && q.telegrams == 90));
    // The quarter before the day ends where the day's start counter is read.
    let before = quarters
        .iter()
        .find(|q| q.end == day_start)
        .expect("the quarter before the day");
    let mut previous = tariff1(before);
    let mut sum = 0.0;
    for quarter in &of_day {
        sum += tariff1(quarter) - previous;
        previous = tariff1(quarter);
    }
    assert_close(sum, day_delta, "the quarters' energy");
    assert_eq!(tariff1(of_day[of_day.len() - 1]), tariff1(day));
}

#[test]
fn the_autumn_clock_change_day_has_25_hours_and_100_quarters() {
    let date = LocalDate::new(2026, 10, 25).expect("a date");
    check_clock_change_day(date, 25);
    let quarters = aggregate(
        Granularity::QuarterHour,
        &readings(
            utc(2026, 10, 25, 0, 0),
            utc(2026, 10, 25, 1, 1),
            10_000,
            1.0,
        ),
    );
    let names: Vec<&str> = quarters.iter().map(|q| q.local_start.as_str()).collect();
    // 02:00-03:00 local happens twice: first in summer time, then in winter.
    assert_eq!(
        names,
        [
            "2026-10-25T02:00:00+02:00",
            "2026-10-25T02:15:00+02:00",
            "2026-10-25T02:30:00+02:00",
            "2026-10-25T02:45:00+02:00",
        ]
    );
    let after = aggregate(
        Granularity::QuarterHour,
        &readings(
            utc(2026, 10, 25, 1, 0),
            utc(2026, 10, 25, 1, 16),
            10_000,
            1.0,
        ),
    );
    assert_eq!(after[0].local_start, "2026-10-25T02:00:00+01:00");
}

#[test]
fn the_spring_clock_change_day_has_23_hours_and_92_quarters() {
    check_clock_change_day(LocalDate::new(2026, 3, 29).expect("a date"), 23);
    let quarters = aggregate(
        Granularity::QuarterHour,
        &readings(
            utc(2026, 3, 29, 0, 45),
            utc(2026, 3, 29, 1, 16),
            10_000,
            1.0,
        ),
    );
    let names: Vec<&str> = quarters.iter().map(|q| q.local_start.as_str()).collect();
    // Local 02:00-03:00 does not exist.
    assert_eq!(
        names,
        ["2026-03-29T01:45:00+01:00", "2026-03-29T03:00:00+02:00"]
    );
}

#[test]
fn a_gap_flags_missing_and_estimates_the_counter_across_it() {
    let power = 2.0;
    let mut input = readings(
        utc(2026, 6, 10, 12, 0),
        utc(2026, 6, 10, 12, 13),
        10_000,
        power,
    );
    // Nothing from 12:13:00 to 12:18:00.
    input.extend(readings(
        utc(2026, 6, 10, 12, 18),
        utc(2026, 6, 10, 12, 46),
        10_000,
        power,
    ));
    let intervals = aggregate(Granularity::QuarterHour, &input);
    assert_eq!(intervals.len(), 3);
    let (first, second, third) = (&intervals[0], &intervals[1], &intervals[2]);
    assert!(first.missing, "no reading in its last 60 s");
    assert!(second.missing, "no reading in its first 60 s");
    assert!(!third.missing);
    let at_gap = first.counters.delivered_tariff1_kwh.expect("tariff 1");
    assert!(at_gap.estimated);
    // The simulated counter is linear, so interpolation finds it exactly.
    assert_close(
        at_gap.value,
        reading_at(first.end, power)
            .delivered_tariff1_kwh
            .expect("kWh"),
        "interpolated",
    );
    assert!(
        !second
            .counters
            .delivered_tariff1_kwh
            .expect("kWh")
            .estimated
    );
    assert_eq!(first.telegrams, 13 * 6);
}

#[test]
fn average_power_is_time_weighted_and_held_at_most_60_s() {
    let with_power = |minute: u64, second: u64, kw: f64| Reading {
        power_delivered_kw: Some(kw),
        ..reading_at(plus(utc(2026, 6, 10, 12, minute), second * 1000), kw)
    };
    let mut aggregator = Aggregator::new(Granularity::QuarterHour);
    let mut closed = Vec::new();
    for reading in [
        with_power(0, 0, 3.0),
        with_power(0, 30, 1.0),
        with_power(10, 0, 1.0),
        with_power(15, 0, 1.0),
    ] {
        closed.extend(aggregator.push(&reading));
    }
    assert_eq!(closed.len(), 1);
    let power = closed[0].power_delivered.expect("power");
    // 3 kW for 30 s, then 1 kW for 60 s twice (held no longer across the
    // gaps): 210 kW·s over 150 s.
    assert_close(power.average_kw, 1.4, "average");
    assert_close(power.peak_kw, 3.0, "peak");
    assert_eq!(closed[0].telegrams, 3);
    assert!(closed[0].missing);
}

#[test]
fn a_counter_reset_flags_the_intervals_its_step_touches() {
    let start = utc(2026, 6, 10, 12, 0);
    let mut input: Vec<Reading> = readings(
        plus(start, 5_000),
        plus(utc(2026, 6, 10, 13, 0), 6_000),
        10_000,
        1.0,
    );
    // The meter is replaced between 12:14:55 and 12:15:05: counters restart
    // near zero.
    let replaced = utc(2026, 6, 10, 12, 15).as_millis();
    for reading in input.iter_mut().filter(|r| r.time.as_millis() > replaced) {
        for counter in [
            &mut reading.delivered_tariff1_kwh,
            &mut reading.delivered_total_kwh,
        ] {
            *counter = counter.map(|v| v - 1000.0);
        }
    }
    let intervals = aggregate(Granularity::QuarterHour, &input);
    let resets: Vec<bool> = intervals.iter().map(|i| i.counter_reset).collect();
    assert_eq!(resets, [true, true, false, false]);
    let at_reset = intervals[0].counters.delivered_tariff1_kwh.expect("kWh");
    assert!(at_reset.estimated, "no interpolation across a reset");
    assert_close(
        at_reset.value,
        reading_at(plus(start, 14 * 60_000 + 55_000), 1.0)
            .delivered_tariff1_kwh
            .expect("kWh"),
        "the old counter stands until the new one shows",
    );
    assert!(
        tariff1(&intervals[1]) < tariff1(&intervals[0]),
        "the new meter's counter"
    );
    assert!(
        !intervals[1]
            .counters
            .delivered_tariff2_kwh
            .expect("kWh")
            .estimated
    );
}

#[test]
fn a_clock_going_back_is_ignored_and_a_jump_forward_emits_the_skipped_quarters() {
    let mut aggregator = Aggregator::new(Granularity::QuarterHour);
    let mut closed = Vec::new();
    for reading in readings(
        utc(2026, 6, 10, 12, 0),
        utc(2026, 6, 10, 12, 10),
        10_000,
        1.0,
    ) {
        closed.extend(aggregator.push(&reading));
    }
    let last = aggregator.last_time().expect("a reading");
    // Back to 12:05, then the very same moment again: both ignored.
    assert!(aggregator
        .push(&reading_at(utc(2026, 6, 10, 12, 5), 1.0))
        .is_empty());
    assert!(aggregator.push(&reading_at(last, 1.0)).is_empty());
    assert_eq!(aggregator.ignored(), 2);
    assert_eq!(aggregator.last_time(), Some(last));
    // Forward to 13:07: 12:00 closes, 12:15, 12:30 and 12:45 are skipped.
    closed.extend(aggregator.push(&reading_at(utc(2026, 6, 10, 13, 7), 1.0)));
    let starts: Vec<UnixMillis> = closed.iter().map(|i| i.start).collect();
    assert_eq!(
        starts,
        [12 * 60, 12 * 60 + 15, 12 * 60 + 30, 12 * 60 + 45].map(|m| utc(2026, 6, 10, 0, m))
    );
    assert_eq!(closed[0].telegrams, 60);
    assert!(closed[0].missing, "its last 60 s hold no reading");
    for skipped in &closed[1..] {
        assert_eq!(skipped.telegrams, 0);
        assert!(skipped.missing);
        let counter = skipped.counters.delivered_tariff1_kwh.expect("kWh");
        assert!(counter.estimated);
        assert_close(
            counter.value,
            reading_at(skipped.end, 1.0)
                .delivered_tariff1_kwh
                .expect("kWh"),
            "interpolated across the jump",
        );
    }
    // A reading's power holds 60 s at most: none reaches the skipped ones.
    assert!(closed[1..].iter().all(|q| q.power_delivered.is_none()));
    assert_eq!(aggregator.ignored(), 2);
}

#[test]
fn a_jump_beyond_a_month_emits_none_of_the_skipped_intervals() {
    let mut aggregator = Aggregator::new(Granularity::Day);
    let start = utc(2026, 6, 10, 12, 0);
    aggregator.push(&reading_at(start, 1.0));
    let far = plus(start, MAX_FILL_MS + HOUR_MS);
    let closed = aggregator.push(&reading_at(far, 1.0));
    assert_eq!(closed.len(), 1, "only the day that was open");
    assert!(closed[0].missing);
    let next = aggregator.push(&reading_at(plus(far, 24 * HOUR_MS), 1.0));
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].date, LocalDate::of(far));
}

#[test]
fn readings_beyond_the_year_9999_are_ignored() {
    let mut aggregator = Aggregator::new(Granularity::QuarterHour);
    for millis in [u64::MAX, 253_402_300_800_000] {
        assert!(aggregator.push(&reading_at_raw(millis)).is_empty());
    }
    assert_eq!(aggregator.ignored(), 2);
    assert_eq!(aggregator.last_time(), None);
}

fn reading_at_raw(millis: u64) -> Reading {
    Reading {
        time: UnixMillis::from_millis(millis),
        ..reading_at(origin(), 1.0)
    }
}

#[test]
fn resuming_from_saved_state_gives_the_intervals_of_one_run() {
    let mut input = readings(
        utc(2026, 10, 24, 20, 3),
        utc(2026, 10, 25, 2, 0),
        7_000,
        0.4,
    );
    input.extend(readings(
        utc(2026, 10, 25, 2, 9),
        utc(2026, 10, 26, 1, 0),
        9_000,
        1.7,
    ));
    for granularity in Granularity::ALL {
        let whole = aggregate(granularity, &input);
        assert!(!whole.is_empty());
        for split in [1, 2, 100, 1234, input.len() / 2, input.len() - 1] {
            let mut first = Aggregator::new(granularity);
            let mut resumed: Vec<_> = input[..split].iter().flat_map(|r| first.push(r)).collect();
            let saved = serde_json::to_string(&first).expect("serialises");
            let mut second: Aggregator = serde_json::from_str(&saved).expect("reads back");
            assert_eq!(second, first);
            resumed.extend(input[split..].iter().flat_map(|r| second.push(r)));
            assert_eq!(resumed, whole, "{granularity} split at {split}");
        }
    }
}

#[test]
fn every_interval_starts_where_the_previous_one_ended() {
    let mut input = readings(utc(2026, 3, 28, 20, 0), utc(2026, 3, 29, 3, 0), 10_000, 1.0);
    input.extend(readings(
        utc(2026, 3, 29, 5, 17),
        utc(2026, 3, 30, 1, 0),
        10_000,
        1.0,
    ));
    for granularity in Granularity::ALL {
        let intervals = aggregate(granularity, &input);
        for pair in intervals.windows(2) {
            assert_eq!(pair[0].end, pair[1].start, "{granularity}");
        }
    }
}
