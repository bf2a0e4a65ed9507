//! The [`Aggregator`]: readings in, one at a time, closed intervals out.
//!
//! Rules, by the meter's clock ([`Reading::time`]):
//! - **Closing.** An interval closes when the first reading at or after its
//!   end arrives; until then it is open and nothing is emitted for it. The
//!   interval in which the aggregator starts is emitted too, flagged
//!   `missing` (readings before its first one are not known).
//! - **Missing.** An interval is `missing` when some stretch of more than
//!   [`MAX_GAP_MS`] in it holds no reading: from its start to its first
//!   reading, between two readings, or from its last reading to its end.
//!   Meters send a telegram every 1 s (DSMR 5) or 10 s (older).
//! - **Counters at a boundary** are interpolated linearly between the last
//!   reading before it and the first at or after it; `estimated` when
//!   those are more than [`MAX_GAP_MS`] apart (unless the later one is
//!   exactly at the boundary), when only one of them has the counter, or
//!   across a counter reset, where the old value stands until the reading
//!   that shows the new one. Gas is not interpolated: the last report
//!   at or before the boundary, with the gas meter's own time.
//! - **Average power** is time-weighted: a reading's power holds until the
//!   next reading, for at most [`MAX_GAP_MS`], and the average is over the
//!   time so covered. The peak is the highest power among them.
//! - **Counter reset.** A counter that went down between two consecutive
//!   readings flags every interval the step between them touches.
//! - **Clock backwards.** A reading not after the last accepted one (a
//!   repeat, or a clock set back), or after the year 9999, is ignored and
//!   counted ([`Aggregator::ignored`]).
//! - **Clock forwards.** A reading that skips whole intervals closes the
//!   current one and emits each skipped one, with no telegrams, `missing`
//!   set and counters interpolated (so estimated) across the gap: an
//!   aggregate channel has no holes, and its deltas add up. A jump of more
//!   than [`MAX_FILL_MS`] (a clock gone wrong, not a device that was off)
//!   emits none of the skipped intervals: the next one emitted is the one
//!   the new reading falls in.

use mam_lib::time::UnixMillis;
use serde::{Deserialize, Serialize};

use crate::granularity::{Granularity, Span};
use crate::interval::{BoundaryCounters, CounterValue, GasValue, Interval, PowerSummary};
use crate::local_time::{format_local, LocalDate, HOUR_MS};
use crate::reading::Reading;

/// Readings further apart than this leave a gap: the interval is
/// `missing`, a boundary between them `estimated`, and power is not held
/// across more of it. Six telegrams of an older meter.
pub const MAX_GAP_MS: u64 = 60_000;

/// Forward jumps of the meter's clock up to this long emit the skipped
/// intervals; longer ones do not (see the module's rules).
pub const MAX_FILL_MS: u64 = 31 * 24 * HOUR_MS;

/// Turns one meter's readings, in the order the meter sent them, into
/// closed intervals of one [`Granularity`]. Serialisable: a device persists
/// it after each [`push`](Aggregator::push) whose intervals it published,
/// and resumes from it after a crash without losing or repeating one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregator {
    granularity: Granularity,
    /// The last accepted reading.
    last: Option<Reading>,
    /// The interval the last reading fell in.
    open: Option<OpenInterval>,
    /// The gas meter's last report among the accepted readings.
    gas: Option<GasValue>,
    /// Readings ignored so far.
    ignored: u64,
}

/// What an open interval has gathered so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct OpenInterval {
    span: Span,
    telegrams: u32,
    missing: bool,
    /// The last reading in the interval, or its start before the first.
    covered_until: UnixMillis,
    delivered: PowerTally,
    returned: PowerTally,
    counter_reset: bool,
}

/// Time-weighted power of one direction.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
struct PowerTally {
    /// Σ power × held time, kW·ms.
    kw_ms: f64,
    /// Σ held time, ms.
    ms: u64,
    peak_kw: Option<f64>,
}

impl Aggregator {
    /// An aggregator that has seen no reading.
    pub fn new(granularity: Granularity) -> Self {
        Aggregator {
            granularity,
            last: None,
            open: None,
            gas: None,
            ignored: 0,
        }
    }

    /// Its granularity.
    pub fn granularity(&self) -> Granularity {
        self.granularity
    }

    /// How many readings it ignored: not after the last accepted one, or
    /// after the year 9999.
    pub fn ignored(&self) -> u64 {
        self.ignored
    }

    /// The time of the last accepted reading: a resuming device can skip
    /// what it already pushed.
    pub fn last_time(&self) -> Option<UnixMillis> {
        self.last.map(|r| r.time)
    }

    /// Takes the next reading and returns the intervals it closed, oldest
    /// first: none while it falls in the open interval, one at a boundary,
    /// more after a forward jump of the clock.
    pub fn push(&mut self, reading: &Reading) -> Vec<Interval> {
        let Some(span) = self.granularity.span_at(reading.time) else {
            self.ignored += 1;
            return Vec::new();
        };
        let mut closed = Vec::new();
        let reset = match self.last {
            Some(last) if reading.time <= last.time => {
                self.ignored += 1;
                return closed;
            }
            Some(last) => {
                let reset = went_down(&last, reading);
                self.close_up_to(&last, reading, reset, &mut closed);
                reset
            }
            None => false,
        };
        let open = self
            .open
            .get_or_insert_with(|| OpenInterval::new(span))
            .take_reading(reading.time);
        open.counter_reset |= reset;
        if let Some(m3) = reading.gas_m3.filter(|v| v.is_finite()) {
            self.gas = Some(GasValue {
                m3,
                time: reading.gas_time.unwrap_or(reading.time),
            });
        }
        self.last = Some(*reading);
        closed
    }

    /// Holds `last`'s power into the open intervals up to `next` and closes
    /// every interval `next` is past.
    fn close_up_to(
        &mut self,
        last: &Reading,
        next: &Reading,
        reset: bool,
        closed: &mut Vec<Interval>,
    ) {
        let hold_end = next.time.min(UnixMillis::from_millis(
            last.time.as_millis().saturating_add(MAX_GAP_MS),
        ));
        let far_jump = next.time.as_millis() - last.time.as_millis() > MAX_FILL_MS;
        let mut open = match self.open.take() {
            // A persisted state whose open interval does not hold the last
            // reading (edited, or from another granularity) starts afresh.
            Some(open) if open.span.contains(last.time) => open,
            _ => match self.granularity.span_at(last.time) {
                Some(span) => OpenInterval::new(span).with_missing(),
                None => return,
            },
        };
        loop {
            open.hold(last, hold_end);
            if next.time < open.span.end {
                self.open = Some(open);
                return;
            }
            open.counter_reset |= reset;
            closed.push(self.close(open, last, next));
            let following = if far_jump {
                self.granularity.span_at(next.time)
            } else {
                self.granularity
                    .span_at(closed.last().map_or(next.time, |i| i.end))
            };
            match following {
                Some(span) => open = OpenInterval::new(span),
                None => return,
            }
            if far_jump {
                self.open = Some(open);
                return;
            }
        }
    }

    /// The interval `open` as closed by `next`, the first reading at or
    /// after its end; `last` is the one before it.
    fn close(&self, open: OpenInterval, last: &Reading, next: &Reading) -> Interval {
        let end = open.span.end;
        let missing = open.missing
            || end
                .as_millis()
                .saturating_sub(open.covered_until.as_millis())
                > MAX_GAP_MS;
        let at = |field: fn(&Reading) -> Option<f64>| boundary_value(last, next, end, field);
        let gas = match next.gas_m3.filter(|v| v.is_finite()) {
            Some(m3) if next.time == end => Some(GasValue {
                m3,
                time: next.gas_time.unwrap_or(next.time),
            }),
            _ => self.gas,
        };
        Interval {
            granularity: self.granularity,
            start: open.span.start,
            end,
            date: LocalDate::of(open.span.start),
            local_start: format_local(open.span.start),
            counters: BoundaryCounters {
                delivered_tariff1_kwh: at(|r| r.delivered_tariff1_kwh),
                delivered_tariff2_kwh: at(|r| r.delivered_tariff2_kwh),
                returned_tariff1_kwh: at(|r| r.returned_tariff1_kwh),
                returned_tariff2_kwh: at(|r| r.returned_tariff2_kwh),
                delivered_total_kwh: at(|r| r.delivered_total_kwh),
                returned_total_kwh: at(|r| r.returned_total_kwh),
                gas,
            },
            power_delivered: open.delivered.summary(),
            power_returned: open.returned.summary(),
            telegrams: open.telegrams,
            missing,
            counter_reset: open.counter_reset,
        }
    }
}

impl OpenInterval {
    fn new(span: Span) -> Self {
        OpenInterval {
            span,
            telegrams: 0,
            missing: false,
            covered_until: span.start,
            delivered: PowerTally::default(),
            returned: PowerTally::default(),
            counter_reset: false,
        }
    }

    fn with_missing(mut self) -> Self {
        self.missing = true;
        self
    }

    /// Counts a reading at `time`, which lies in the interval.
    fn take_reading(&mut self, time: UnixMillis) -> &mut Self {
        self.telegrams = self.telegrams.saturating_add(1);
        if time
            .as_millis()
            .saturating_sub(self.covered_until.as_millis())
            > MAX_GAP_MS
        {
            self.missing = true;
        }
        self.covered_until = time;
        self
    }

    /// Adds `reading`'s power, held from its time to `until`, where that
    /// overlaps the interval.
    fn hold(&mut self, reading: &Reading, until: UnixMillis) {
        let from = reading.time.max(self.span.start);
        let until = until.min(self.span.end);
        if until <= from {
            return;
        }
        let ms = until.as_millis() - from.as_millis();
        self.delivered.add(reading.power_delivered_kw, ms);
        self.returned.add(reading.power_returned_kw, ms);
    }
}

impl PowerTally {
    fn add(&mut self, power_kw: Option<f64>, ms: u64) {
        let Some(kw) = power_kw.filter(|v| v.is_finite()) else {
            return;
        };
        self.kw_ms += kw * ms as f64;
        self.ms += ms;
        self.peak_kw = Some(self.peak_kw.map_or(kw, |peak| peak.max(kw)));
    }

    fn summary(&self) -> Option<PowerSummary> {
        let peak_kw = self.peak_kw?;
        (self.ms > 0).then(|| PowerSummary {
            average_kw: self.kw_ms / self.ms as f64,
            peak_kw,
        })
    }
}

/// A counter at `end`, between `last` (before it) and `next` (at or after
/// it), by the module's rules.
fn boundary_value(
    last: &Reading,
    next: &Reading,
    end: UnixMillis,
    field: fn(&Reading) -> Option<f64>,
) -> Option<CounterValue> {
    let before = field(last).filter(|v| v.is_finite());
    let after = field(next).filter(|v| v.is_finite());
    let value = |value, estimated| Some(CounterValue { value, estimated });
    match (before, after) {
        (_, Some(after)) if next.time == end => value(after, false),
        (Some(before), Some(after)) if after < before => value(before, true),
        (Some(before), Some(after)) => {
            let span = next.time.as_millis() - last.time.as_millis();
            let share = (end.as_millis() - last.time.as_millis()) as f64 / span as f64;
            value(before + (after - before) * share, span > MAX_GAP_MS)
        }
        (Some(only), None) | (None, Some(only)) => value(only, true),
        (None, None) => None,
    }
}

/// Whether a counter went down from `last` to `next`.
fn went_down(last: &Reading, next: &Reading) -> bool {
    let counters = |r: &Reading| {
        [
            r.delivered_tariff1_kwh,
            r.delivered_tariff2_kwh,
            r.returned_tariff1_kwh,
            r.returned_tariff2_kwh,
            r.delivered_total_kwh,
            r.returned_total_kwh,
            r.gas_m3,
        ]
    };
    counters(last)
        .into_iter()
        .zip(counters(next))
        .any(|pair| matches!(pair, (Some(a), Some(b)) if b < a))
}
