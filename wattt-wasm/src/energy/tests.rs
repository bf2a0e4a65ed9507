//! The readings-to-series computations on hand-made readings: hours, days,
//! counter resets, gaps, the clock-change days, tariff switches. The real
//! telegrams are read in `tests/telegrams.rs`.

use mam_lib::calendar::days_from_civil;
use mam_lib::time::UnixMillis;

use super::local_time::{format_local, format_readable, HOUR_MS};
use super::*;

const MINUTE_MS: u64 = 60_000;

/// The moment of a UTC date and time.
fn utc(year: i64, month: u32, day: u32, hour: u64, minute: u64) -> UnixMillis {
    let days = u64::try_from(days_from_civil(year, month, day)).expect("after 1970");
    UnixMillis::from_millis(days * 24 * HOUR_MS + hour * HOUR_MS + minute * MINUTE_MS)
}

fn at(millis: u64) -> UnixMillis {
    UnixMillis::from_millis(millis)
}

fn date(year: i64, month: u32, day: u32) -> LocalDate {
    LocalDate::new(year, month, day).expect("a real date")
}

/// A reading with the two delivered counters and power; nothing returned.
fn delivered(time: UnixMillis, tariff1: f64, tariff2: f64) -> Reading {
    Reading {
        time,
        time_source: TimeSource::Meter,
        power_delivered_kw: Some(1.0),
        power_returned_kw: Some(0.0),
        delivered_tariff1_kwh: Some(tariff1),
        delivered_tariff2_kwh: Some(tariff2),
        returned_tariff1_kwh: None,
        returned_tariff2_kwh: None,
        delivered_total_kwh: Some(tariff1 + tariff2),
        returned_total_kwh: None,
        gas_m3: None,
        gas_time: None,
    }
}

/// Readings every `step_ms` from `start` to `end` (inclusive) of a home
/// using a steady `kw` on tariff 1, its counter at `counter_at_start`.
fn steady(
    start: UnixMillis,
    end: UnixMillis,
    step_ms: u64,
    kw: f64,
    counter_at_start: f64,
) -> Vec<Reading> {
    (start.as_millis()..=end.as_millis())
        .step_by(step_ms as usize)
        .map(|t| {
            let hours = (t - start.as_millis()) as f64 / HOUR_MS as f64;
            delivered(at(t), counter_at_start + kw * hours, 50.0)
        })
        .collect()
}

fn amount(value: Option<IntervalValue>) -> f64 {
    value.expect("a value").amount
}

fn assert_close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-6,
        "expected {expected}, got {actual}"
    );
}

#[test]
fn hours_sum_the_counter_differences_at_the_hour_boundaries() {
    let start = utc(2026, 6, 10, 8, 0);
    let readings = steady(start, utc(2026, 6, 10, 11, 0), 10_000, 1.5, 1000.0);
    let range = TimeRange::new(start, utc(2026, 6, 10, 11, 0)).expect("range");
    let hours = energy_per_hour(&readings, range);
    assert_eq!(hours.len(), 3);
    for (i, hour) in hours.iter().enumerate() {
        assert_eq!(hour.start, at(start.as_millis() + i as u64 * HOUR_MS));
        assert_eq!(hour.end.as_millis() - hour.start.as_millis(), HOUR_MS);
        let t1 = hour.delivered_tariff1.expect("tariff 1");
        assert_close(t1.amount, 1.5);
        assert!(!t1.estimated && !t1.partial && !t1.counter_reset);
        assert_close(amount(hour.delivered_tariff2), 0.0);
        assert_close(amount(hour.delivered_total), 1.5);
        assert_eq!(
            hour.returned_tariff1, None,
            "the meter has no returned counter"
        );
    }
}

#[test]
fn a_boundary_between_readings_is_interpolated_and_flagged_estimated_across_a_long_gap() {
    // Readings at :55 and :05 past, 10 minutes apart: longer than the 5
    // minute gap allowed, so the boundary value is an estimate.
    let readings = vec![
        delivered(utc(2026, 6, 10, 7, 55), 10.0, 0.0),
        delivered(utc(2026, 6, 10, 8, 5), 11.0, 0.0),
        delivered(utc(2026, 6, 10, 8, 55), 12.0, 0.0),
        delivered(utc(2026, 6, 10, 8, 58), 12.3, 0.0),
        delivered(utc(2026, 6, 10, 9, 1), 12.6, 0.0),
    ];
    let range = TimeRange::new(utc(2026, 6, 10, 8, 0), utc(2026, 6, 10, 9, 0)).expect("range");
    let hours = energy_per_hour(&readings, range);
    assert_eq!(hours.len(), 1);
    let t1 = hours[0].delivered_tariff1.expect("tariff 1");
    // 10.5 at 08:00 (halfway 10 → 11), 12.5 at 09:00 (two thirds 12.3 → 12.6).
    assert_close(t1.amount, 2.0);
    assert!(t1.estimated, "08:00 lies in a 10-minute gap");
    assert!(!t1.partial);
}

#[test]
fn a_gap_of_missing_telegrams_is_interpolated_and_flagged_estimated() {
    // 1.2 kW steadily, but no telegram from 09:20 to 11:40.
    let before = steady(
        utc(2026, 6, 10, 8, 0),
        utc(2026, 6, 10, 9, 20),
        10_000,
        1.2,
        500.0,
    );
    let after = steady(
        utc(2026, 6, 10, 11, 40),
        utc(2026, 6, 10, 13, 0),
        10_000,
        1.2,
        500.0 + 1.2 * (220.0 / 60.0),
    );
    let readings: Vec<Reading> = before.into_iter().chain(after).collect();
    let range = TimeRange::new(utc(2026, 6, 10, 8, 0), utc(2026, 6, 10, 13, 0)).expect("range");
    let hours = energy_per_hour(&readings, range);
    assert_eq!(hours.len(), 5);
    let flags: Vec<bool> = hours
        .iter()
        .map(|h| h.delivered_tariff1.expect("tariff 1").estimated)
        .collect();
    // 10:00 and 11:00 fall in the gap: the hours 9-10, 10-11 and 11-12 touch them.
    assert_eq!(flags, [false, true, true, true, false]);
    for hour in &hours {
        assert_close(amount(hour.delivered_tariff1), 1.2);
    }
    let day = energy_per_day(&readings, range);
    assert_close(amount(day[0].delivered_tariff1), 1.2 * 5.0);
}

#[test]
fn a_counter_reset_never_gives_negative_energy() {
    // The meter is replaced at 10:30: the old counter stood at 4000.5,
    // the new one starts at 0.2 and counts 1 kWh an hour like the old one.
    let mut readings = steady(
        utc(2026, 6, 10, 8, 0),
        utc(2026, 6, 10, 10, 30),
        60_000,
        1.0,
        3998.0,
    );
    readings.extend(steady(
        utc(2026, 6, 10, 10, 31),
        utc(2026, 6, 10, 13, 0),
        60_000,
        1.0,
        0.2,
    ));
    let range = TimeRange::new(utc(2026, 6, 10, 8, 0), utc(2026, 6, 10, 13, 0)).expect("range");
    let hours = energy_per_hour(&readings, range);
    let t1: Vec<IntervalValue> = hours
        .iter()
        .map(|h| h.delivered_tariff1.expect("t1"))
        .collect();
    assert_eq!(
        t1.iter().map(|v| v.counter_reset).collect::<Vec<_>>(),
        [false, false, true, false, false]
    );
    for (i, value) in t1.iter().enumerate() {
        assert!(value.amount >= 0.0);
        // The one minute across the reset is not counted.
        let expected = if i == 2 { 1.0 - 1.0 / 60.0 } else { 1.0 };
        assert_close(value.amount, expected);
    }
    let day = energy_per_day(&readings, range);
    let total = day[0].delivered_tariff1.expect("t1");
    assert!(total.counter_reset);
    assert_close(total.amount, 5.0 - 1.0 / 60.0);
}

#[test]
fn a_counter_reset_at_a_boundary_flags_both_hours() {
    let readings = vec![
        delivered(utc(2026, 6, 10, 8, 0), 100.0, 0.0),
        delivered(utc(2026, 6, 10, 8, 59), 101.0, 0.0),
        delivered(utc(2026, 6, 10, 9, 1), 0.0, 0.0),
        delivered(utc(2026, 6, 10, 10, 0), 1.0, 0.0),
    ];
    let range = TimeRange::new(utc(2026, 6, 10, 8, 0), utc(2026, 6, 10, 10, 0)).expect("range");
    let hours = energy_per_hour(&readings, range);
    let t1: Vec<IntervalValue> = hours
        .iter()
        .map(|h| h.delivered_tariff1.expect("t1"))
        .collect();
    assert!(t1.iter().all(|v| v.counter_reset));
    assert_close(t1[0].amount, 1.0);
    assert_close(t1[1].amount, 1.0);
}

#[test]
fn the_spring_clock_change_day_has_23_hours() {
    let day = date(2026, 3, 29);
    assert_eq!(day.start(), utc(2026, 3, 28, 23, 0), "midnight CET");
    assert_eq!(day.next().start(), utc(2026, 3, 29, 22, 0), "midnight CEST");
    let readings = steady(
        utc(2026, 3, 28, 20, 0),
        utc(2026, 3, 30, 2, 0),
        10_000,
        1.0,
        0.0,
    );
    let range = TimeRange::local_days(date(2026, 3, 28), 3).expect("range");
    let days = energy_per_day(&readings, range);
    assert_eq!(days.len(), 3);
    assert_eq!(days[1].start, day.start());
    let lengths: Vec<u64> = days
        .iter()
        .map(|d| (d.end.as_millis() - d.start.as_millis()) / HOUR_MS)
        .collect();
    assert_eq!(lengths, [24, 23, 24]);
    let t1 = days[1].delivered_tariff1.expect("t1");
    assert_close(t1.amount, 23.0);
    assert!(!t1.partial && !t1.estimated);
    assert!(
        days[0].delivered_tariff1.expect("t1").partial,
        "data starts at 21:00 local"
    );
    let hours = energy_per_hour(&readings, TimeRange::local_days(day, 1).expect("range"));
    assert_eq!(hours.len(), 23);
}

#[test]
fn the_autumn_clock_change_day_has_25_hours() {
    let day = date(2026, 10, 25);
    assert_eq!(day.start(), utc(2026, 10, 24, 22, 0), "midnight CEST");
    assert_eq!(day.next().start(), utc(2026, 10, 25, 23, 0), "midnight CET");
    let readings = steady(
        utc(2026, 10, 24, 12, 0),
        utc(2026, 10, 26, 12, 0),
        10_000,
        2.0,
        7.0,
    );
    let days = energy_per_day(&readings, TimeRange::local_days(day, 1).expect("range"));
    assert_eq!(days.len(), 1);
    assert_close(amount(days[0].delivered_tariff1), 50.0);
    let hours = energy_per_hour(&readings, TimeRange::local_days(day, 1).expect("range"));
    assert_eq!(hours.len(), 25);
}

#[test]
fn a_tariff_switch_moves_the_energy_from_one_counter_to_the_other() {
    // Low tariff (1) until 07:00 local (05:00 UTC in summer), normal (2) after.
    let switch = utc(2026, 6, 10, 5, 0).as_millis();
    let readings: Vec<Reading> = (utc(2026, 6, 10, 3, 0).as_millis()
        ..=utc(2026, 6, 10, 7, 0).as_millis())
        .step_by(10_000)
        .map(|t| {
            let low = (t.min(switch) as f64 - 3.0 * HOUR_MS as f64) / HOUR_MS as f64;
            let normal = t.saturating_sub(switch) as f64 / HOUR_MS as f64;
            delivered(at(t), 200.0 + 0.5 * low, 300.0 + 0.5 * normal)
        })
        .collect();
    let range = TimeRange::new(utc(2026, 6, 10, 3, 0), utc(2026, 6, 10, 7, 0)).expect("range");
    let hours = energy_per_hour(&readings, range);
    let split: Vec<(f64, f64)> = hours
        .iter()
        .map(|h| (amount(h.delivered_tariff1), amount(h.delivered_tariff2)))
        .collect();
    for (i, (low, normal)) in split.iter().enumerate() {
        let (want_low, want_normal) = if i < 2 { (0.5, 0.0) } else { (0.0, 0.5) };
        assert_close(*low, want_low);
        assert_close(*normal, want_normal);
        assert_close(amount(hours[i].delivered_total), 0.5);
    }
}

#[test]
fn the_running_hour_is_partial_and_hours_without_readings_have_no_value() {
    let readings = steady(
        utc(2026, 6, 10, 8, 0),
        utc(2026, 6, 10, 9, 30),
        10_000,
        1.0,
        0.0,
    );
    let range = TimeRange::new(utc(2026, 6, 10, 7, 0), utc(2026, 6, 10, 11, 0)).expect("range");
    let hours = energy_per_hour(&readings, range);
    assert_eq!(hours.len(), 4);
    assert_eq!(hours[0].delivered_tariff1, None);
    assert!(!hours[1].delivered_tariff1.expect("t1").partial);
    let running = hours[2].delivered_tariff1.expect("t1");
    assert!(running.partial);
    assert_close(running.amount, 0.5);
    assert_eq!(hours[3].delivered_tariff1, None);
}

#[test]
fn gas_per_day_follows_the_gas_meters_hourly_reports() {
    // The gas meter reports on the hour, 0.1 m³ an hour; every telegram
    // (each 10 s) repeats the last report.
    let start = utc(2026, 1, 14, 20, 0).as_millis();
    let readings: Vec<Reading> = (start..=utc(2026, 1, 16, 4, 0).as_millis())
        .step_by(10_000)
        .map(|t| {
            let hours_reported = (t - start) / HOUR_MS;
            Reading {
                gas_m3: Some(800.0 + 0.1 * hours_reported as f64),
                gas_time: Some(at(start + hours_reported * HOUR_MS)),
                ..delivered(at(t), 1.0, 1.0)
            }
        })
        .collect();
    let range = TimeRange::local_days(date(2026, 1, 15), 1).expect("range");
    let days = gas_per_day(&readings, range);
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].start, utc(2026, 1, 14, 23, 0));
    let gas = days[0].gas.expect("gas");
    assert_close(gas.amount, 2.4);
    assert!(!gas.estimated && !gas.partial && !gas.counter_reset);
}

#[test]
fn a_day_at_one_hertz_becomes_at_most_the_asked_points_keeping_the_peaks() {
    let start = utc(2026, 6, 10, 22, 0);
    let readings: Vec<Reading> = (0..86_400u64)
        .map(|s| {
            // Half a minute at 2.2 kW, shorter than one bucket (86.4 s).
            let kettle = (40_000..40_030).contains(&s);
            Reading {
                power_delivered_kw: Some(if kettle { 2.2 } else { 0.3 }),
                ..delivered(at(start.as_millis() + s * 1000), s as f64 / 3600.0, 0.0)
            }
        })
        .collect();
    let range = TimeRange::local_days(date(2026, 6, 11), 1).expect("range");
    let points = power_series(&readings, range, 1000);
    assert!(
        points.len() <= 1000 && points.len() > 990,
        "{} points",
        points.len()
    );
    let peak = points
        .iter()
        .filter_map(|p| p.delivered_kw)
        .fold(0.0, f64::max);
    assert_close(peak, 2.2);
    assert!(points.windows(2).all(|w| w[0].time < w[1].time));
    assert!(points.iter().all(|p| range.contains(p.time)));
    // Few readings come back as they are.
    let short = TimeRange::new(start, at(start.as_millis() + 60_000)).expect("range");
    let raw = power_series(&readings, short, 1000);
    assert_eq!(raw.len(), 60);
    assert_eq!(raw[0].time, start);
    // The whole day per hour, from 86,400 readings.
    let hours = energy_per_hour(&readings, range);
    assert_eq!(hours.len(), 24);
    assert_close(amount(hours[5].delivered_tariff1), 1.0);
}

#[test]
fn current_values_are_the_latest_readings() {
    let mut last = delivered(utc(2026, 6, 10, 12, 0), 10.0, 20.0);
    last.power_delivered_kw = Some(0.25);
    last.power_returned_kw = Some(1.5);
    last.gas_m3 = Some(12.5);
    last.gas_time = Some(utc(2026, 6, 10, 11, 0));
    let readings = [delivered(utc(2026, 6, 10, 11, 0), 9.0, 20.0), last];
    let current = CurrentValues::latest(&readings).expect("values");
    assert_eq!(current.time, utc(2026, 6, 10, 12, 0));
    assert_eq!(current.net_power_kw, Some(-1.25));
    assert_eq!(current.delivered_total_kwh, Some(30.0));
    assert_eq!(current.gas, Some((12.5, utc(2026, 6, 10, 11, 0))));
    assert_eq!(CurrentValues::latest(&[]), None);
}

#[test]
fn csv_rows_carry_every_value_in_local_time() {
    let mut reading = delivered(utc(2026, 10, 25, 0, 30), 1.5, 2.25);
    reading.gas_m3 = Some(3.0);
    reading.gas_time = Some(utc(2026, 10, 25, 1, 30));
    assert_eq!(
        csv_row(&reading),
        "2026-10-25T02:30:00+02:00,meter,1,0,1.5,2.25,,,3,2026-10-25T02:30:00+01:00"
    );
    assert_eq!(
        CSV_HEADER.split(',').count(),
        csv_row(&reading).split(',').count()
    );
    let csv = readings_csv(&[reading, reading]);
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.starts_with("time,time_source,"));
    assert_eq!(
        format_local(utc(2026, 1, 1, 0, 0)),
        "2026-01-01T01:00:00+01:00"
    );
    assert_eq!(
        format_readable(utc(2026, 7, 1, 22, 5)),
        "2 Jul 2026, 00:05:00",
        "summer time, past local midnight"
    );
}

#[test]
fn local_dates_and_ranges_are_checked() {
    assert_eq!(LocalDate::new(2026, 2, 29), None);
    assert_eq!(LocalDate::new(2026, 13, 1), None);
    assert_eq!(LocalDate::of(utc(2026, 3, 28, 23, 0)), date(2026, 3, 29));
    assert_eq!(LocalDate::of(utc(2026, 3, 28, 22, 59)), date(2026, 3, 28));
    assert_eq!(TimeRange::new(at(5), at(5)), None);
    assert_eq!(TimeRange::last(10, at(5)), None);
    assert_eq!(TimeRange::local_days(date(2026, 1, 1), 0), None);
    assert_eq!(LocalDate::new(10_000, 1, 1), None);
    assert_eq!(date(2026, 12, 31).plus_days(60), date(2027, 3, 1));
}
