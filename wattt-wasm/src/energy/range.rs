//! [`TimeRange`]: the stretch of time a chart shows, which the user changes.

use mam_lib::time::UnixMillis;

use super::local_time::LocalDate;

/// A half-open stretch of time `[start, end)`, never empty: valid by
/// construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    start: UnixMillis,
    end: UnixMillis,
}

impl TimeRange {
    /// `[start, end)`, or `None` if it holds no time (`end <= start`).
    pub fn new(start: UnixMillis, end: UnixMillis) -> Option<Self> {
        (start < end).then_some(TimeRange { start, end })
    }

    /// The `duration_ms` before `now` (the live chart), or `None` if that
    /// is no time or starts before 1970.
    pub fn last(duration_ms: u64, now: UnixMillis) -> Option<Self> {
        let start = now.as_millis().checked_sub(duration_ms)?;
        TimeRange::new(UnixMillis::from_millis(start), now)
    }

    /// `days` whole days in Dutch local time from the start of `first`
    /// (23 or 25 hours on the clock-change days), or `None` for zero days.
    pub fn local_days(first: LocalDate, days: u32) -> Option<Self> {
        TimeRange::new(first.start(), first.plus_days(days).start())
    }

    /// The first moment in the range.
    pub fn start(self) -> UnixMillis {
        self.start
    }

    /// The first moment after the range.
    pub fn end(self) -> UnixMillis {
        self.end
    }

    /// Whether `time` lies in the range.
    pub fn contains(self, time: UnixMillis) -> bool {
        (self.start..self.end).contains(&time)
    }
}
