//! Dutch local time without a time-zone database: the meter's `S`/`W`
//! flag, the hour that happens twice, dates that do not exist.

mod common;

use common::utc;
use meter_aggregate::local_time::{meter_time, utc_offset_ms};
use meter_aggregate::LocalDate;
use p1_telegram::MeterTimestamp;

#[test]
fn the_meters_summer_and_winter_flags_tell_the_twice_lived_hour_apart() {
    let stamp = |dst| MeterTimestamp {
        year: 2026,
        month: 10,
        day: 25,
        hour: 2,
        minute: 30,
        second: 0,
        dst,
    };
    let received = utc(2026, 10, 25, 1, 30);
    assert_eq!(
        meter_time(&stamp(Some(true)), received),
        Some(utc(2026, 10, 25, 0, 30))
    );
    assert_eq!(
        meter_time(&stamp(Some(false)), received),
        Some(utc(2026, 10, 25, 1, 30))
    );
    // Without a flag the rule decides, and the reception time settles the
    // hour that happens twice.
    assert_eq!(
        meter_time(&stamp(None), received),
        Some(utc(2026, 10, 25, 1, 30))
    );
    assert_eq!(
        meter_time(&stamp(None), utc(2026, 10, 25, 0, 31)),
        Some(utc(2026, 10, 25, 0, 30))
    );
    let january = MeterTimestamp {
        month: 1,
        ..stamp(None)
    };
    assert_eq!(
        meter_time(&january, received),
        Some(utc(2026, 1, 25, 1, 30))
    );
    // An Irish meter's S in February is no Dutch summer time: the rule decides.
    let irish = MeterTimestamp {
        month: 2,
        ..stamp(Some(true))
    };
    assert_eq!(meter_time(&irish, received), Some(utc(2026, 2, 25, 1, 30)));
    // A Dutch meter whose clock is a little past the change still has its flag trusted.
    let late = MeterTimestamp {
        hour: 3,
        minute: 10,
        ..stamp(Some(true))
    };
    assert_eq!(meter_time(&late, received), Some(utc(2026, 10, 25, 1, 10)));
    let impossible = MeterTimestamp {
        month: 2,
        day: 30,
        ..stamp(Some(false))
    };
    assert_eq!(meter_time(&impossible, received), None);
    assert_eq!(utc_offset_ms(utc(2026, 3, 29, 0, 59)), 3_600_000);
    assert_eq!(utc_offset_ms(utc(2026, 3, 29, 1, 0)), 7_200_000);
    assert_eq!(utc_offset_ms(utc(2026, 10, 25, 0, 59)), 7_200_000);
    assert_eq!(utc_offset_ms(utc(2026, 10, 25, 1, 0)), 3_600_000);
}

#[test]
fn local_dates_are_checked() {
    assert_eq!(LocalDate::new(2026, 2, 29), None);
    assert_eq!(LocalDate::new(2026, 13, 1), None);
    assert_eq!(LocalDate::new(10_000, 1, 1), None);
    let date = |y, m, d| LocalDate::new(y, m, d).expect("a date");
    assert_eq!(LocalDate::of(utc(2026, 3, 28, 23, 0)), date(2026, 3, 29));
    assert_eq!(LocalDate::of(utc(2026, 3, 28, 22, 59)), date(2026, 3, 28));
    assert_eq!(date(2026, 12, 31).plus_days(60), date(2027, 3, 1));
}
