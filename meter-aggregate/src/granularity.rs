//! How coarse an aggregate channel is: quarter hours or days of Dutch local
//! time, and the interval a moment falls in.

use std::fmt;
use std::str::FromStr;

use mam_lib::time::UnixMillis;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::local_time::{utc_offset_ms, LocalDate, LAST_MILLIS};

/// Milliseconds in a quarter hour.
pub const QUARTER_HOUR_MS: u64 = 15 * 60 * 1000;

/// The length of the intervals of an aggregate channel. On the wire (and in
/// serde) `15m` and `1d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Granularity {
    /// Quarter hours of local time, `15m`: 00:00-00:15, 00:15-00:30, ...
    /// Dutch offsets are whole hours, so these are UTC quarters too.
    #[serde(rename = "15m")]
    QuarterHour,
    /// Days of local time, `1d`: local midnight to local midnight, 23 hours
    /// on the last Sunday of March and 25 on the last Sunday of October.
    #[serde(rename = "1d")]
    Day,
}

/// The name is not a granularity this crate knows.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown granularity {0:?}: expected \"15m\" or \"1d\"")]
pub struct UnknownGranularity(pub String);

/// One interval of a granularity: from `start` up to, not including, `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// The interval's first moment (UTC).
    pub start: UnixMillis,
    /// The first moment after the interval (UTC): the next one's start.
    pub end: UnixMillis,
}

impl Span {
    /// Whether `time` lies in the interval.
    pub fn contains(&self, time: UnixMillis) -> bool {
        self.start <= time && time < self.end
    }
}

impl Granularity {
    /// Both granularities, finest first.
    pub const ALL: [Granularity; 2] = [Granularity::QuarterHour, Granularity::Day];

    /// The name on the wire: `15m` or `1d`.
    pub fn wire_name(self) -> &'static str {
        match self {
            Granularity::QuarterHour => "15m",
            Granularity::Day => "1d",
        }
    }

    /// The interval `time` falls in; `None` after the year 9999 (local
    /// time), which this crate does not reckon with.
    pub fn span_at(self, time: UnixMillis) -> Option<Span> {
        let millis = i64::try_from(time.as_millis())
            .ok()
            .filter(|&m| m <= LAST_MILLIS)?;
        let span = match self {
            Granularity::QuarterHour => {
                // Aligned to local time: the quarter of the local clock,
                // whatever the offset (whole hours in NL, so UTC quarters).
                let local = millis + utc_offset_ms(time);
                let into = local.rem_euclid(QUARTER_HOUR_MS as i64) as u64;
                let start = time.as_millis() - into;
                Span {
                    start: UnixMillis::from_millis(start),
                    end: UnixMillis::from_millis(start + QUARTER_HOUR_MS),
                }
            }
            Granularity::Day => {
                let date = LocalDate::of(time);
                Span {
                    start: date.start(),
                    end: date.next().start(),
                }
            }
        };
        span.contains(time).then_some(span)
    }
}

impl fmt::Display for Granularity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_name())
    }
}

impl FromStr for Granularity {
    type Err = UnknownGranularity;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Granularity::ALL
            .into_iter()
            .find(|g| g.wire_name() == name)
            .ok_or_else(|| UnknownGranularity(name.to_owned()))
    }
}
