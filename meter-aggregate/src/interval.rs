//! A closed interval as an aggregate channel carries it: the meter's
//! counters at its end, its power, and how well readings cover it. The
//! rules that fill these fields are in [`aggregate`](crate::aggregate).

use mam_lib::time::UnixMillis;
use serde::{Deserialize, Serialize};

use crate::granularity::Granularity;
use crate::local_time::LocalDate;

/// A counter's value at an interval boundary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CounterValue {
    /// The meter's counter (kWh), as the meter counts it: not corrected for
    /// resets (see [`Interval::counter_reset`]).
    pub value: f64,
    /// Not read at the boundary nor interpolated between readings at most
    /// [`MAX_GAP_MS`](crate::aggregate::MAX_GAP_MS) apart: interpolated
    /// across a gap, taken across a counter reset, or from a reading on one
    /// side only.
    pub estimated: bool,
}

/// The gas meter's counter as last reported before a boundary. Gas meters
/// report hourly (DSMR 4/5), so it is not interpolated: `time` says how old
/// it is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GasValue {
    /// The counter, m³.
    pub m3: f64,
    /// When the gas meter measured it (its own timestamp), UTC.
    pub time: UnixMillis,
}

/// The meter's counters at an interval's end; `None` where the meter has no
/// such counter. Consecutive intervals' differences are the energy in each.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct BoundaryCounters {
    /// Energy delivered, tariff 1 (NL: low), kWh.
    pub delivered_tariff1_kwh: Option<CounterValue>,
    /// Energy delivered, tariff 2 (NL: normal), kWh.
    pub delivered_tariff2_kwh: Option<CounterValue>,
    /// Energy returned, tariff 1, kWh.
    pub returned_tariff1_kwh: Option<CounterValue>,
    /// Energy returned, tariff 2, kWh.
    pub returned_tariff2_kwh: Option<CounterValue>,
    /// Energy delivered in all: the meter's total or the sum of its tariffs.
    pub delivered_total_kwh: Option<CounterValue>,
    /// Energy returned in all: the meter's total or the sum of its tariffs.
    pub returned_total_kwh: Option<CounterValue>,
    /// The gas meter's last report at or before the boundary.
    pub gas: Option<GasValue>,
}

/// Power in one direction over an interval, from the readings' power
/// values (not from the counters).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PowerSummary {
    /// Time-weighted average, kW: each reading's power holds until the next
    /// reading, for at most [`MAX_GAP_MS`](crate::aggregate::MAX_GAP_MS),
    /// and the average is over the time so covered.
    pub average_kw: f64,
    /// The highest power of the readings that count toward the average, kW.
    pub peak_kw: f64,
}

/// One closed interval of an aggregate channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Quarter hour or day.
    pub granularity: Granularity,
    /// The interval's first moment, UTC.
    pub start: UnixMillis,
    /// The first moment after it, UTC (the next interval's start).
    pub end: UnixMillis,
    /// The local date `start` falls on.
    pub date: LocalDate,
    /// `start` in Dutch local time with its offset, e.g.
    /// `2026-10-25T02:15:00+01:00` (unambiguous in the autumn hour that
    /// happens twice).
    pub local_start: String,
    /// The counters at `end`.
    pub counters: BoundaryCounters,
    /// Power taken from the grid; `None` if no reading's power covers any
    /// of the interval.
    pub power_delivered: Option<PowerSummary>,
    /// Power fed into the grid; `None` as for `power_delivered`.
    pub power_returned: Option<PowerSummary>,
    /// How many readings fell in the interval (`start <= time < end`).
    pub telegrams: u32,
    /// Readings are missing: some stretch of more than
    /// [`MAX_GAP_MS`](crate::aggregate::MAX_GAP_MS) in the interval (from
    /// its start to its first reading, between two readings, or from its
    /// last reading to its end) holds none.
    pub missing: bool,
    /// A counter (electricity or gas) went down between two consecutive
    /// readings whose step touches the interval: the meter was replaced or
    /// a counter wrapped, and the difference to the previous interval's
    /// counters is not energy.
    pub counter_reset: bool,
}

impl Interval {
    /// How long the interval is, ms (15 minutes; 23, 24 or 25 hours).
    pub fn duration_ms(&self) -> u64 {
        self.end.as_millis().saturating_sub(self.start.as_millis())
    }
}
