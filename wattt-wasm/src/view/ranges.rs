//! The time ranges the charts offer. Relative ones end at the newest
//! reading (the meter's "now", which for a home read late or a consent
//! that ended is not the browser's), and "All" covers every reading.

use mam_lib::time::UnixMillis;

use crate::energy::local_time::HOUR_MS;
use crate::energy::{LocalDate, TimeRange};

/// A range the user picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeChoice {
    /// The hour up to the newest reading.
    LastHour,
    /// The 24 hours up to the newest reading (the default).
    LastDay,
    /// The 7 days up to the newest reading.
    LastWeek,
    /// One whole local day.
    Day(LocalDate),
    /// From the first reading to the newest.
    All,
}

impl RangeChoice {
    /// The choices of the selector (a day is picked with a date field).
    pub const PRESETS: [RangeChoice; 4] = [
        RangeChoice::LastHour,
        RangeChoice::LastDay,
        RangeChoice::LastWeek,
        RangeChoice::All,
    ];

    /// In words.
    pub fn label(self) -> String {
        match self {
            RangeChoice::LastHour => "Last hour".into(),
            RangeChoice::LastDay => "Last 24 hours".into(),
            RangeChoice::LastWeek => "Last 7 days".into(),
            RangeChoice::Day(day) => format!("{:04}-{:02}-{:02}", day.year, day.month, day.day),
            RangeChoice::All => "Everything".into(),
        }
    }

    /// The selector's value.
    pub fn value(self) -> String {
        match self {
            RangeChoice::LastHour => "hour".into(),
            RangeChoice::LastDay => "day".into(),
            RangeChoice::LastWeek => "week".into(),
            RangeChoice::Day(_) => "date".into(),
            RangeChoice::All => "all".into(),
        }
    }

    /// The choice of a selector value (`date` needs the date field).
    pub fn from_value(value: &str) -> Option<RangeChoice> {
        RangeChoice::PRESETS
            .into_iter()
            .find(|choice| choice.value() == value)
    }

    /// The day of a date field (`YYYY-MM-DD`).
    pub fn day(text: &str) -> Option<RangeChoice> {
        let mut parts = text.split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        LocalDate::new(year, month, day).map(RangeChoice::Day)
    }

    /// The smallest preset that shows every reading from `first` to
    /// `newest`: what a home's page opens with (a home that shares since a
    /// few minutes does not get a nearly empty day).
    pub fn fitting(first: UnixMillis, newest: UnixMillis) -> RangeChoice {
        let span = newest.as_millis().saturating_sub(first.as_millis());
        if span < HOUR_MS {
            RangeChoice::LastHour
        } else if span < 24 * HOUR_MS {
            RangeChoice::LastDay
        } else if span < 7 * 24 * HOUR_MS {
            RangeChoice::LastWeek
        } else {
            RangeChoice::All
        }
    }

    /// The range for readings from `first` to `newest` (inclusive).
    pub fn range(self, first: UnixMillis, newest: UnixMillis) -> Option<TimeRange> {
        let end = UnixMillis::from_millis(newest.as_millis().saturating_add(1));
        match self {
            RangeChoice::LastHour => TimeRange::last(HOUR_MS, end),
            RangeChoice::LastDay => TimeRange::last(24 * HOUR_MS, end),
            RangeChoice::LastWeek => TimeRange::last(7 * 24 * HOUR_MS, end),
            RangeChoice::Day(day) => TimeRange::local_days(day, 1),
            RangeChoice::All => TimeRange::new(first.min(newest), end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_ranges_end_at_the_newest_reading() {
        let newest = UnixMillis::from_millis(10 * 24 * HOUR_MS);
        let first = UnixMillis::from_millis(HOUR_MS);
        let day = RangeChoice::LastDay.range(first, newest).expect("range");
        assert!(day.contains(newest));
        assert_eq!(
            day.end().as_millis() - day.start().as_millis(),
            24 * HOUR_MS
        );
        let all = RangeChoice::All.range(first, newest).expect("range");
        assert!(all.contains(first) && all.contains(newest));
        for choice in RangeChoice::PRESETS {
            assert_eq!(RangeChoice::from_value(&choice.value()), Some(choice));
        }
    }

    #[test]
    fn the_first_range_shown_is_the_smallest_that_holds_every_reading() {
        let at = UnixMillis::from_millis;
        assert_eq!(
            RangeChoice::fitting(at(0), at(HOUR_MS - 1)),
            RangeChoice::LastHour
        );
        assert_eq!(
            RangeChoice::fitting(at(0), at(HOUR_MS)),
            RangeChoice::LastDay
        );
        assert_eq!(
            RangeChoice::fitting(at(0), at(30 * HOUR_MS)),
            RangeChoice::LastWeek
        );
        assert_eq!(
            RangeChoice::fitting(at(0), at(900 * HOUR_MS)),
            RangeChoice::All
        );
    }

    #[test]
    fn a_picked_day_is_that_local_day() {
        let Some(RangeChoice::Day(day)) = RangeChoice::day("2026-10-25") else {
            panic!("a day");
        };
        let range = RangeChoice::Day(day)
            .range(UnixMillis::from_millis(0), UnixMillis::from_millis(0))
            .expect("range");
        assert_eq!(
            range.end().as_millis() - range.start().as_millis(),
            25 * HOUR_MS
        );
        assert_eq!(RangeChoice::day("2026-02-30"), None);
        assert_eq!(RangeChoice::day("2026-10"), None);
    }
}
