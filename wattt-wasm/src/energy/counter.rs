//! One meter counter over time, read at any moment: the basis of energy
//! and gas per hour and per day.
//!
//! Rules, so that a chart never shows negative or invented energy:
//! - **Counter reset.** A counter that goes down (meter replaced, counter
//!   wrapped) starts a new run: the step across the reset counts as zero,
//!   and counting goes on from the new value. The track is kept monotone by
//!   adding the drop to every later value. The energy of that one step is
//!   unknown, so every interval it touches is flagged.
//! - **Between readings** the counter is interpolated linearly. That is
//!   exact enough within the meter's usual reporting period; across a gap
//!   longer than the track's `max_gap` (missing telegrams) the value is
//!   flagged as estimated.
//! - **Outside the readings** (before the first, after the last) the
//!   counter is taken as its first or last value and the interval is
//!   flagged partial: it holds only what the readings cover, e.g. the hour
//!   that is still running.

use mam_lib::time::UnixMillis;

/// A counter's value at some moment, with how it was found.
#[derive(Debug, Clone, Copy)]
struct Sample {
    /// The counter, with earlier resets added back (monotone).
    value: f64,
    /// Where the moment lies relative to the readings.
    place: Place,
    /// Resets counted up to the last reading at or before the moment.
    resets_before: u32,
    /// Resets counted up to the first reading at or after the moment.
    resets_after: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    BeforeFirst,
    Inside { estimated: bool },
    AfterLast,
}

/// How much a counter went up in an interval, with how sure that is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalValue {
    /// The increase, in the counter's unit (kWh, m³); never negative.
    pub amount: f64,
    /// An end of the interval fell in a gap in the readings longer than
    /// the meter's usual reporting period: interpolated across it.
    pub estimated: bool,
    /// The readings cover only part of the interval (it is still running,
    /// or the data starts or ends within it).
    pub partial: bool,
    /// The counter was reset (went down) within or at an end of the
    /// interval; the energy of the reset step itself is not counted.
    pub counter_reset: bool,
}

/// A counter's readings in time order, made monotone across resets.
#[derive(Debug, Default)]
pub(crate) struct CounterTrack {
    /// (time, monotone value, resets so far) with strictly increasing times.
    points: Vec<(u64, f64, u32)>,
    max_gap_ms: u64,
}

impl CounterTrack {
    /// The track of `(time, counter)` pairs in time order. A pair whose
    /// time is not after the previous one (a repeated gas reading, a clock
    /// set back) or whose value is not finite is left out.
    pub(crate) fn new(pairs: impl Iterator<Item = (UnixMillis, f64)>, max_gap_ms: u64) -> Self {
        let mut points: Vec<(u64, f64, u32)> = Vec::new();
        let mut offset = 0.0;
        let mut resets = 0;
        let mut last: Option<(u64, f64)> = None;
        for (time, raw) in pairs {
            let time = time.as_millis();
            if !raw.is_finite() || last.is_some_and(|(t, _)| time <= t) {
                continue;
            }
            if let Some((_, previous)) = last {
                if raw < previous {
                    offset += previous - raw;
                    resets += 1;
                }
            }
            last = Some((time, raw));
            points.push((time, raw + offset, resets));
        }
        CounterTrack { points, max_gap_ms }
    }

    /// How much the counter went up in each interval between consecutive
    /// `boundaries` (ascending): `boundaries.len() - 1` values, `None`
    /// where the readings cover no time within the interval (one reading
    /// exactly at its end is not enough). O(readings + boundaries).
    pub(crate) fn increases(&self, boundaries: &[UnixMillis]) -> Vec<Option<IntervalValue>> {
        let mut cursor = 0;
        let samples: Vec<Option<Sample>> = boundaries
            .iter()
            .map(|b| self.sample(b.as_millis(), &mut cursor))
            .collect();
        let (Some(first), Some(last)) = (self.points.first(), self.points.last()) else {
            return vec![None; boundaries.len().saturating_sub(1)];
        };
        let covered = |start: &UnixMillis, end: &UnixMillis| {
            end.as_millis() > first.0 && start.as_millis() < last.0
        };
        boundaries
            .windows(2)
            .zip(samples.windows(2))
            .map(|(bounds, pair)| match pair {
                [Some(start), Some(end)] if covered(&bounds[0], &bounds[1]) => {
                    Some(interval(start, end))
                }
                _ => None,
            })
            .collect()
    }

    /// The counter at `time`; `cursor` moves forward over the points, so
    /// ascending times cost O(points) in all.
    fn sample(&self, time: u64, cursor: &mut usize) -> Option<Sample> {
        let points = &self.points;
        while points.get(*cursor + 1).is_some_and(|p| p.0 <= time) {
            *cursor += 1;
        }
        let &(t0, v0, r0) = points.get(*cursor)?;
        if time < t0 {
            return Some(Sample {
                value: v0,
                place: Place::BeforeFirst,
                resets_before: r0,
                resets_after: r0,
            });
        }
        if time == t0 {
            return Some(Sample {
                value: v0,
                place: Place::Inside { estimated: false },
                resets_before: r0,
                resets_after: r0,
            });
        }
        let Some(&(t1, v1, r1)) = points.get(*cursor + 1) else {
            return Some(Sample {
                value: v0,
                place: Place::AfterLast,
                resets_before: r0,
                resets_after: r0,
            });
        };
        let share = (time - t0) as f64 / (t1 - t0) as f64;
        Some(Sample {
            value: v0 + (v1 - v0) * share,
            place: Place::Inside {
                estimated: t1 - t0 > self.max_gap_ms,
            },
            resets_before: r0,
            resets_after: r1,
        })
    }
}

/// The increase between two samples of an interval the readings cover.
fn interval(start: &Sample, end: &Sample) -> IntervalValue {
    let estimated = |s: &Sample| matches!(s.place, Place::Inside { estimated: true });
    let clamped = |s: &Sample| !matches!(s.place, Place::Inside { .. });
    IntervalValue {
        amount: (end.value - start.value).max(0.0),
        estimated: estimated(start) || estimated(end),
        partial: clamped(start) || clamped(end),
        counter_reset: end.resets_after > start.resets_before,
    }
}
