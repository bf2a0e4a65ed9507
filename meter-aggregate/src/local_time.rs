//! Dutch local time (Europe/Amsterdam: CET, UTC+1, and CEST, UTC+2) without
//! a time-zone database: the EU rule since 1996, summer time from the last
//! Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
//!
//! Meters state their clock in this local time with an `S`/`W` flag, and a
//! household's day runs from local midnight to local midnight, so the days
//! of the clock change are 23 and 25 hours long.

use mam_lib::calendar::{civil_from_days, days_from_civil};
use mam_lib::time::UnixMillis;
use p1_telegram::MeterTimestamp;
use serde::{Deserialize, Serialize};

/// Milliseconds in an hour.
pub const HOUR_MS: u64 = 3_600_000;
/// Milliseconds in a (UTC) day.
const DAY_MS: i64 = 86_400_000;
/// The last moment this module reckons with, 9999-12-31T21:59:59.999Z
/// (still 9999 in local time): later times (a hostile reception time) are
/// taken as this one, so the arithmetic never overflows.
pub(crate) const LAST_MILLIS: i64 = 253_402_293_599_999;
/// CET, standard time: UTC+1.
const CET_OFFSET_MS: i64 = 3_600_000;
/// CEST, summer time: UTC+2.
const CEST_OFFSET_MS: i64 = 7_200_000;
/// The clock changes at 01:00 UTC in both directions.
const CHANGE_UTC_MS: i64 = 3_600_000;

/// A calendar date in Dutch local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LocalDate {
    /// The year, e.g. 2026.
    pub year: i64,
    /// 1 to 12.
    pub month: u32,
    /// 1 to 31.
    pub day: u32,
}

impl LocalDate {
    /// The date, if it exists in the calendar (no 31 April, no 29 February
    /// 2026) and lies in the years 1970 to 9999.
    pub fn new(year: i64, month: u32, day: u32) -> Option<Self> {
        let date = LocalDate { year, month, day };
        ((1970..=9999).contains(&year)
            && (1..=12).contains(&month)
            && (1..=31).contains(&day)
            && LocalDate::from_days(date.days()) == date)
            .then_some(date)
    }

    /// The local date of a moment.
    pub fn of(time: UnixMillis) -> Self {
        let utc = millis_i64(time);
        LocalDate::from_days((utc + offset_at_utc(utc)).div_euclid(DAY_MS))
    }

    /// The day after this one.
    pub fn next(self) -> Self {
        self.plus_days(1)
    }

    /// The day `days` after this one.
    pub fn plus_days(self, days: u32) -> Self {
        LocalDate::from_days(self.days() + i64::from(days))
    }

    /// The moment this day starts: local midnight, in UTC.
    pub fn start(self) -> UnixMillis {
        let midnight_as_utc = self.days() * DAY_MS;
        // The clock never changes between 22:00 and 23:00 UTC, where every
        // local midnight falls, so the offset an hour before UTC midnight is
        // the one in force at local midnight.
        let utc = midnight_as_utc - offset_at_utc(midnight_as_utc - CET_OFFSET_MS);
        from_i64(utc)
    }

    fn days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    fn from_days(days: i64) -> Self {
        let (year, month, day) = civil_from_days(days);
        LocalDate { year, month, day }
    }
}

/// The offset of Dutch local time from UTC at a moment, in ms.
pub fn utc_offset_ms(time: UnixMillis) -> i64 {
    offset_at_utc(millis_i64(time))
}

/// A meter's clock reading as a moment. `S` is CEST and `W` is CET; without
/// the flag (older meters, M-Bus readings of DSMR 2.2/3), or with one the
/// Dutch rule contradicts for the hours around it (an Irish meter's `S` in
/// February), the rule decides, and in the autumn hour that happens twice
/// the moment closer to `near` (the reception time) wins. `None` for a date
/// that does not exist.
pub fn meter_time(timestamp: &MeterTimestamp, near: UnixMillis) -> Option<UnixMillis> {
    let date = LocalDate::new(
        i64::from(timestamp.year),
        u32::from(timestamp.month),
        u32::from(timestamp.day),
    )?;
    let seconds = i64::from(timestamp.hour) * 3600
        + i64::from(timestamp.minute) * 60
        + i64::from(timestamp.second);
    let local = date.days() * DAY_MS + seconds * 1000;
    let flagged = match timestamp.dst {
        Some(true) => Some(local - CEST_OFFSET_MS),
        Some(false) => Some(local - CET_OFFSET_MS),
        None => None,
    };
    let utc = match (flagged, timestamp.dst) {
        (Some(utc), Some(summer)) if flag_is_dutch(utc, summer) => utc,
        _ => {
            let summer = local - CEST_OFFSET_MS;
            let winter = local - CET_OFFSET_MS;
            let summer_fits = is_summer_time(summer);
            let winter_fits = !is_summer_time(winter);
            let near = millis_i64(near);
            match (summer_fits, winter_fits) {
                (true, true) if (summer - near).abs() < (winter - near).abs() => summer,
                (true, false) => summer,
                _ => winter,
            }
        }
    };
    u64::try_from(utc).ok().map(UnixMillis::from_millis)
}

/// ISO 8601 text of a moment in Dutch local time with its offset,
/// e.g. `2026-03-29T03:00:00+02:00`.
pub fn format_local(time: UnixMillis) -> String {
    let utc = millis_i64(time);
    let offset = offset_at_utc(utc);
    let local = utc + offset;
    let date = LocalDate::from_days(local.div_euclid(DAY_MS));
    let seconds = local.rem_euclid(DAY_MS) / 1000;
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+{:02}:00",
        date.year,
        date.month,
        date.day,
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
        offset / 3_600_000
    )
}

/// A moment in Dutch local time as people read it, e.g.
/// `29 Mar 2026, 03:00:00` (the offset is in [`format_local`]).
pub fn format_readable(time: UnixMillis) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let utc = millis_i64(time);
    let local = utc + offset_at_utc(utc);
    let date = LocalDate::from_days(local.div_euclid(DAY_MS));
    let seconds = local.rem_euclid(DAY_MS) / 1000;
    let month = MONTHS
        .get(date.month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?");
    format!(
        "{} {month} {}, {:02}:{:02}:{:02}",
        date.day,
        date.year,
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Whether a meter's `S`/`W` flag can be Dutch: the rule agrees with it at
/// the moment or within an hour of it (a meter clock a little off around
/// the change is still trusted).
fn flag_is_dutch(utc: i64, summer: bool) -> bool {
    [utc - CET_OFFSET_MS, utc, utc + CET_OFFSET_MS]
        .iter()
        .any(|&t| is_summer_time(t) == summer)
}

fn offset_at_utc(utc: i64) -> i64 {
    if is_summer_time(utc) {
        CEST_OFFSET_MS
    } else {
        CET_OFFSET_MS
    }
}

fn is_summer_time(utc: i64) -> bool {
    let (year, _, _) = civil_from_days(utc.div_euclid(DAY_MS));
    let begins = last_sunday(year, 3) * DAY_MS + CHANGE_UTC_MS;
    let ends = last_sunday(year, 10) * DAY_MS + CHANGE_UTC_MS;
    (begins..ends).contains(&utc)
}

/// Day count of the last Sunday of a 31-day month.
fn last_sunday(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: day 0 has weekday 4 (Sunday = 0).
    last - (last + 4).rem_euclid(7)
}

fn millis_i64(time: UnixMillis) -> i64 {
    i64::try_from(time.as_millis()).map_or(LAST_MILLIS, |millis| millis.min(LAST_MILLIS))
}

fn from_i64(millis: i64) -> UnixMillis {
    UnixMillis::from_millis(u64::try_from(millis).unwrap_or(0))
}
