//! The arithmetic of the chart axes, pure and tested natively: nice value
//! bounds and their labels, time ticks on Dutch local clock times and
//! their labels, and where a line has to break for a gap in the readings.

use mam_lib::time::UnixMillis;

use crate::energy::local_time::{utc_offset_ms, HOUR_MS};
use crate::energy::LocalDate;

/// Milliseconds in a minute.
const MINUTE_MS: u64 = 60_000;
/// Milliseconds in a 24-hour day (a tick step; days on the clock vary).
const DAY_MS: u64 = 24 * HOUR_MS;
/// Ranges up to this long are labelled by clock time (HH:MM), longer ones
/// by date.
pub const CLOCK_LABELS_UP_TO_MS: u64 = 2 * DAY_MS;
/// Tick steps shorter than a day, each a whole divisor of a day so that
/// ticks fall on round clock times.
const CLOCK_STEPS_MS: [u64; 13] = [
    MINUTE_MS,
    2 * MINUTE_MS,
    5 * MINUTE_MS,
    10 * MINUTE_MS,
    15 * MINUTE_MS,
    30 * MINUTE_MS,
    HOUR_MS,
    2 * HOUR_MS,
    3 * HOUR_MS,
    4 * HOUR_MS,
    6 * HOUR_MS,
    8 * HOUR_MS,
    12 * HOUR_MS,
];
/// Tick steps of whole local days.
const DAY_STEPS: [u32; 8] = [1, 2, 7, 14, 28, 56, 91, 182];
/// Month names for date labels (the app is in English).
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A value axis from `low` to `high` (`low <= 0 <= high`) in steps of
/// `step`, each bound a whole number of steps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueAxis {
    /// The bottom of the axis, zero or a negative multiple of `step`.
    pub low: f64,
    /// The top of the axis, zero or a positive multiple of `step`.
    pub high: f64,
    /// The distance between two labelled ticks: 1, 2 or 5 times a power of ten.
    pub step: f64,
}

impl ValueAxis {
    /// The axis for values from `min` to `max`, always including zero (bars
    /// and power start there), with about `max_ticks` ticks at most. Values
    /// that are not finite are ignored; with nothing to show, `0..1`.
    pub fn including_zero(min: f64, max: f64, max_ticks: usize) -> Self {
        let min = if min.is_finite() { min.min(0.0) } else { 0.0 };
        let max = if max.is_finite() { max.max(0.0) } else { 0.0 };
        let span = if max - min > 0.0 { max - min } else { 1.0 };
        let step = nice_step(span, max_ticks.max(2));
        let high = (max / step).ceil() * step;
        let low = (min / step).floor() * step;
        // Nothing but zeros: an empty axis from 0 to 1.
        let high = if high > low { high } else { low + span };
        ValueAxis { low, high, step }
    }

    /// The label of `value` on this axis: as many decimals as the step needs.
    pub fn label(&self, value: f64) -> String {
        let decimals = decimals_for(self.step);
        let text = format!("{value:.decimals$}");
        // "-0" and "-0.0" for a value rounded to zero read as a glitch.
        if text
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            text.trim_start_matches('-').to_owned()
        } else {
            text
        }
    }
}

/// The step of 1, 2 or 5 times a power of ten that cuts `span` into at most
/// `max_ticks` pieces (at least one piece).
pub fn nice_step(span: f64, max_ticks: usize) -> f64 {
    let pieces = max_ticks.max(1) as f64;
    let raw = span / pieces;
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

/// Decimals that show a multiple of `step` exactly (0 for 1, 2, 5, 10...;
/// 1 for 0.5; 2 for 0.05).
fn decimals_for(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) || step >= 1.0 {
        return 0;
    }
    (-step.log10().floor()) as usize
}

/// The tick step for `[start, end)` (ms) with at most `max_ticks` ticks:
/// a round clock step within a day, or a whole number of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickStep {
    /// Every this many ms, at round local clock times (a divisor of a day).
    Clock(u64),
    /// Every this many local days, at local midnight.
    Days(u32),
}

impl TickStep {
    /// The smallest step that gives at most `max_ticks` ticks in a span of
    /// `span_ms`.
    pub fn for_span(span_ms: u64, max_ticks: usize) -> Self {
        let max_ticks = max_ticks.max(1) as u64;
        if let Some(step) = CLOCK_STEPS_MS.iter().find(|s| span_ms / **s <= max_ticks) {
            return TickStep::Clock(*step);
        }
        let days = DAY_STEPS
            .iter()
            .copied()
            .find(|d| span_ms / (u64::from(*d) * DAY_MS) <= max_ticks)
            .unwrap_or(365);
        TickStep::Days(days)
    }
}

/// Ticks on round Dutch local times within `[start, end)` (ms), at most
/// about `max_ticks` of them. With `centre_days`, whole-day ticks sit at
/// local noon (the middle of a day's bar) instead of midnight.
pub fn time_ticks(start: u64, end: u64, max_ticks: usize, centre_days: bool) -> Vec<u64> {
    if end <= start {
        return Vec::new();
    }
    match TickStep::for_span(end - start, max_ticks) {
        TickStep::Clock(step) if step < HOUR_MS => {
            // Local offsets are whole hours, so a divisor of an hour is
            // round in local time exactly when it is round in UTC.
            let first = start.div_ceil(step) * step;
            (first..end).step_by(step as usize).collect()
        }
        TickStep::Clock(step) => {
            let first = start.div_ceil(HOUR_MS) * HOUR_MS;
            (first..end)
                .step_by(HOUR_MS as usize)
                .filter(|t| local_ms_of_day(*t).is_multiple_of(step))
                .collect()
        }
        TickStep::Days(days) => {
            let mut date = LocalDate::of(UnixMillis::from_millis(start));
            let mut ticks = Vec::new();
            loop {
                let midnight = date.start().as_millis();
                let tick = if centre_days {
                    midnight + (date.next().start().as_millis() - midnight) / 2
                } else {
                    midnight
                };
                if tick >= end {
                    break;
                }
                if tick >= start {
                    ticks.push(tick);
                }
                date = date.plus_days(days);
            }
            ticks
        }
    }
}

/// The label of a tick at `time` on an axis spanning `span_ms`: local clock
/// time `HH:MM` for spans up to two days (the date at local midnight when
/// the span is longer than a day, a 25-hour day being one day), the local
/// date `25 Oct` beyond, with the year for spans over half a year.
pub fn time_label(time: u64, span_ms: u64) -> String {
    let of_day = local_ms_of_day(time);
    if span_ms <= CLOCK_LABELS_UP_TO_MS && !(of_day == 0 && span_ms > DAY_MS + HOUR_MS) {
        let minutes = of_day / MINUTE_MS;
        return format!("{:02}:{:02}", minutes / 60, minutes % 60);
    }
    let date = LocalDate::of(UnixMillis::from_millis(time));
    let month = MONTHS
        .get((date.month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?");
    if span_ms > 183 * DAY_MS {
        format!("{} {month} {}", date.day, date.year)
    } else {
        format!("{} {month}", date.day)
    }
}

/// Milliseconds since local midnight at `time`.
fn local_ms_of_day(time: u64) -> u64 {
    let local = i128::from(time) + i128::from(utc_offset_ms(UnixMillis::from_millis(time)));
    // In range of u64: the remainder is below a day.
    local.rem_euclid(i128::from(DAY_MS)) as u64
}

/// From the earliest start to the latest end of `(start, end)` intervals,
/// ms; `(0, 0)` for none.
pub fn time_span(intervals: impl IntoIterator<Item = (u64, u64)>) -> (u64, u64) {
    intervals
        .into_iter()
        .fold(None, |span: Option<(u64, u64)>, (start, end)| {
            Some(span.map_or((start, end), |(s, e)| (s.min(start), e.max(end))))
        })
        .unwrap_or((0, 0))
}

/// Splits times in order into runs without gaps: a new run starts where a
/// time follows the one before by more than `max_gap_ms`. Returns the index
/// ranges of the runs.
pub fn runs_without_gaps(times: &[u64], max_gap_ms: u64) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut run_start = 0;
    for (i, pair) in times.windows(2).enumerate() {
        if pair[1].saturating_sub(pair[0]) > max_gap_ms {
            runs.push(run_start..i + 1);
            run_start = i + 1;
        }
    }
    if run_start < times.len() {
        runs.push(run_start..times.len());
    }
    runs
}

/// The longest step between two points of a power series that is still no
/// gap: three times the usual (median) step, and never less than
/// `at_least_ms` (the meter's own reporting may be that sparse).
pub fn gap_threshold(times: &[u64], at_least_ms: u64) -> u64 {
    let mut steps: Vec<u64> = times
        .windows(2)
        .map(|pair| pair[1].saturating_sub(pair[0]))
        .collect();
    if steps.is_empty() {
        return at_least_ms;
    }
    let middle = steps.len() / 2;
    let (_, median, _) = steps.select_nth_unstable(middle);
    median.saturating_mul(3).max(at_least_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-10-24T22:00:00Z: local midnight starting Sunday 25 October
    /// 2026 (CEST), the 25-hour day the clocks go back.
    const OCT_25_MIDNIGHT: u64 = 1_792_879_200_000;

    #[test]
    fn value_axis_rounds_to_nice_steps_around_zero() {
        let axis = ValueAxis::including_zero(0.3, 3.7, 6);
        assert_eq!(
            axis,
            ValueAxis {
                low: 0.0,
                high: 4.0,
                step: 1.0
            }
        );
        let axis = ValueAxis::including_zero(-1.2, 2.6, 8);
        assert_eq!(
            axis,
            ValueAxis {
                low: -1.5,
                high: 3.0,
                step: 0.5
            }
        );
    }

    #[test]
    fn value_axis_of_nothing_or_garbage_is_zero_to_one() {
        for (min, max) in [(0.0, 0.0), (f64::NAN, f64::INFINITY), (5.0, 5.0)] {
            let axis = ValueAxis::including_zero(min, max, 5);
            assert!(
                axis.low <= 0.0 && axis.high > axis.low,
                "{min} {max}: {axis:?}"
            );
        }
        assert_eq!(ValueAxis::including_zero(0.0, 0.0, 5).high, 1.0);
    }

    #[test]
    fn value_labels_have_the_decimals_of_their_step() {
        let axis = ValueAxis::including_zero(0.0, 0.9, 5);
        assert_eq!(axis.step, 0.2);
        assert_eq!(axis.label(0.4), "0.4");
        assert_eq!(axis.label(-0.0), "0.0");
        assert_eq!(ValueAxis::including_zero(0.0, 37.0, 5).label(20.0), "20");
        assert_eq!(ValueAxis::including_zero(0.0, 0.09, 5).label(0.04), "0.04");
    }

    #[test]
    fn nice_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(10.0, 10), 1.0);
        assert_eq!(nice_step(7.0, 3), 5.0);
        assert_eq!(nice_step(0.0, 3), 1.0);
        assert!((nice_step(0.3, 6) - 0.05).abs() < 1e-12);
    }

    #[test]
    fn a_day_gets_ticks_on_round_local_hours_even_when_the_clocks_go_back() {
        let end = OCT_25_MIDNIGHT + 25 * HOUR_MS;
        let ticks = time_ticks(OCT_25_MIDNIGHT, end, 8, false);
        let labels: Vec<String> = ticks
            .iter()
            .map(|t| time_label(*t, end - OCT_25_MIDNIGHT))
            .collect();
        assert_eq!(
            labels,
            ["00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00"]
        );
        // 09:00 CET is 10 hours after midnight CEST on this day.
        assert_eq!(ticks[3] - OCT_25_MIDNIGHT, 10 * HOUR_MS);
    }

    #[test]
    fn short_ranges_get_minute_ticks() {
        let start = OCT_25_MIDNIGHT + 3 * MINUTE_MS + 7_000;
        let ticks = time_ticks(start, start + 10 * MINUTE_MS, 6, false);
        let labels: Vec<String> = ticks
            .iter()
            .map(|t| time_label(*t, 10 * MINUTE_MS))
            .collect();
        assert_eq!(labels, ["00:04", "00:06", "00:08", "00:10", "00:12"]);
    }

    #[test]
    fn a_week_gets_daily_ticks_at_local_midnight_or_noon() {
        let week = 7 * DAY_MS + HOUR_MS;
        let ticks = time_ticks(OCT_25_MIDNIGHT, OCT_25_MIDNIGHT + week, 8, false);
        let labels: Vec<String> = ticks.iter().map(|t| time_label(*t, week)).collect();
        assert_eq!(
            labels,
            ["25 Oct", "26 Oct", "27 Oct", "28 Oct", "29 Oct", "30 Oct", "31 Oct"]
        );
        let centred = time_ticks(OCT_25_MIDNIGHT, OCT_25_MIDNIGHT + week, 8, true);
        // Noon of the 25-hour day is 12.5 hours after its midnight.
        assert_eq!(centred[0] - OCT_25_MIDNIGHT, 25 * HOUR_MS / 2);
        assert_eq!(time_label(centred[1], week), "26 Oct");
    }

    #[test]
    fn two_days_are_labelled_by_clock_time_with_the_date_at_midnight() {
        let span = 2 * DAY_MS;
        assert_eq!(time_label(OCT_25_MIDNIGHT + 13 * HOUR_MS, span), "12:00");
        assert_eq!(time_label(OCT_25_MIDNIGHT + 25 * HOUR_MS, span), "26 Oct");
        assert_eq!(time_label(OCT_25_MIDNIGHT, DAY_MS), "00:00");
        assert_eq!(time_label(OCT_25_MIDNIGHT, 365 * DAY_MS), "25 Oct 2026");
    }

    #[test]
    fn ticks_never_exceed_the_hint_much_for_any_span() {
        for span in [MINUTE_MS, HOUR_MS, DAY_MS, 30 * DAY_MS, 400 * DAY_MS] {
            for max in [2, 5, 10] {
                let ticks = time_ticks(OCT_25_MIDNIGHT, OCT_25_MIDNIGHT + span, max, false);
                assert!(ticks.len() <= max + 1, "{span} {max}: {}", ticks.len());
                assert!(ticks.windows(2).all(|w| w[0] < w[1]));
            }
        }
        assert!(time_ticks(5, 5, 5, false).is_empty());
    }

    #[test]
    fn the_time_span_runs_from_the_first_start_to_the_last_end() {
        assert_eq!(time_span([(10, 20), (5, 8), (30, 40)]), (5, 40));
        assert_eq!(time_span([]), (0, 0));
    }

    #[test]
    fn a_gap_longer_than_the_threshold_splits_the_line() {
        let times = [0, 10, 20, 200, 210, 220];
        assert_eq!(runs_without_gaps(&times, 50), vec![0..3, 3..6]);
        assert_eq!(runs_without_gaps(&times, 500), vec![0..6]);
        assert!(runs_without_gaps(&[], 50).is_empty());
        assert_eq!(runs_without_gaps(&[7], 50), vec![0..1]);
    }

    #[test]
    fn the_gap_threshold_is_three_usual_steps_or_the_minimum() {
        let times = [0, 10, 20, 30, 1000, 1010];
        assert_eq!(gap_threshold(&times, 5), 30);
        assert_eq!(gap_threshold(&times, 100), 100);
        assert_eq!(gap_threshold(&[1], 100), 100);
    }
}
