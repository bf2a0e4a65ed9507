//! Every real telegram in `testdata/telegrams` read by Wattt Insights
//! (`Reading::from_record`, in wasm in the app) as the Pi reads it
//! (`p1_telegram::Readings`), timed by the meter's clock; corrupt and
//! hostile records give errors or sane values, never a panic.

#[path = "../../p1-telegram/tests/fixtures/mod.rs"]
mod fixtures;

use consent_protocol::TelegramRecord;
use mam_lib::calendar::days_from_civil;
use mam_lib::time::UnixMillis;
use p1_telegram::Readings;
use wattt_wasm::energy::local_time::{format_local, utc_offset_ms, HOUR_MS};
use wattt_wasm::energy::{
    csv_row, energy_per_hour, power_series, LocalDate, Reading, ReadingError, ReadingFromRecord,
    TimeRange, TimeSource,
};

/// The moment of a UTC date and time.
fn utc(year: i64, month: u32, day: u32, hour: u64, minute: u64) -> UnixMillis {
    let days = u64::try_from(days_from_civil(year, month, day)).expect("after 1970");
    UnixMillis::from_millis(days * 24 * HOUR_MS + hour * HOUR_MS + minute * 60_000)
}

fn at(millis: u64) -> UnixMillis {
    UnixMillis::from_millis(millis)
}

/// Every captured telegram as (file name, text), as the Pi frames it from
/// the meter's bytes.
fn captured_telegrams() -> Vec<(String, String)> {
    fixtures::telegram_files()
        .into_iter()
        .map(|(name, bytes)| {
            let mut telegrams = fixtures::telegrams_in(&bytes);
            assert_eq!(telegrams.len(), 1, "{name} holds one telegram");
            (name, telegrams.remove(0))
        })
        .collect()
}

#[test]
fn every_captured_telegram_reads_as_the_pi_reads_it() {
    let telegrams = captured_telegrams();
    assert!(telegrams.len() >= 13, "{} telegrams", telegrams.len());
    let received = utc(2026, 6, 10, 12, 0);
    for (name, raw) in telegrams {
        let record = TelegramRecord {
            raw: raw.clone(),
            timestamp: received,
        };
        let reading = Reading::from_record(&record).unwrap_or_else(|e| panic!("{name}: {e}"));
        let pi = Readings::from_telegram(&p1_telegram::Telegram::parse(&raw).expect("parses"));
        assert_eq!(reading.power_delivered_kw, pi.power_delivered_kw, "{name}");
        assert_eq!(reading.power_returned_kw, pi.power_returned_kw, "{name}");
        assert_eq!(
            reading.delivered_tariff1_kwh, pi.energy_delivered_tariff1_kwh,
            "{name}"
        );
        assert_eq!(
            reading.delivered_tariff2_kwh, pi.energy_delivered_tariff2_kwh,
            "{name}"
        );
        assert_eq!(
            reading.returned_tariff1_kwh, pi.energy_returned_tariff1_kwh,
            "{name}"
        );
        assert_eq!(
            reading.returned_tariff2_kwh, pi.energy_returned_tariff2_kwh,
            "{name}"
        );
        assert_eq!(
            reading.delivered_total_kwh,
            pi.delivered_total_kwh(),
            "{name}"
        );
        assert_eq!(
            reading.returned_total_kwh,
            pi.returned_total_kwh(),
            "{name}"
        );
        assert_eq!(reading.gas_m3, pi.gas_m3, "{name}");
        match pi.timestamp {
            Some(stamp) => {
                assert_eq!(reading.time_source, TimeSource::Meter, "{name}");
                // The meter's local clock, back from UTC.
                let local = reading.time.as_millis() as i64 + utc_offset_ms(reading.time);
                let days = days_from_civil(
                    i64::from(stamp.year),
                    u32::from(stamp.month),
                    u32::from(stamp.day),
                );
                let seconds = i64::from(stamp.hour) * 3600
                    + i64::from(stamp.minute) * 60
                    + i64::from(stamp.second);
                assert_eq!(local, days * 86_400_000 + seconds * 1000, "{name}");
            }
            None => {
                assert_eq!(reading.time_source, TimeSource::Reception, "{name}");
                assert_eq!(reading.time, received, "{name}");
            }
        }
    }
}

#[test]
fn known_telegrams_give_their_values_at_their_moment() {
    let telegrams = captured_telegrams();
    let raw = |name: &str| {
        telegrams
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, raw)| raw.clone())
            .expect("captured telegram")
    };
    let received = utc(2026, 6, 10, 12, 0);
    let read = |name: &str| {
        Reading::from_record(&TelegramRecord {
            raw: raw(name),
            timestamp: received,
        })
        .expect("reads")
    };
    // v4_2: 0-0:1.0.0(161113205757W), winter time.
    let v4 = read("v4_2.txt");
    assert_eq!(v4.time, at(utc(2016, 11, 13, 19, 57).as_millis() + 57_000));
    // v5: 0-0:1.0.0(170102192002W), gas 0-1:24.2.1(170102161005W)(00000.107*m3).
    let v5 = read("v5.txt");
    assert_eq!(v5.time, at(utc(2017, 1, 2, 18, 20).as_millis() + 2_000));
    assert_eq!(v5.gas_m3, Some(0.107));
    assert_eq!(
        v5.gas_time,
        Some(at(utc(2017, 1, 2, 15, 10).as_millis() + 5_000))
    );
    // DSMR 2.2 has no clock; its gas reading (090212160000) has no flag.
    let v2 = read("v2_2.txt");
    assert_eq!(v2.time_source, TimeSource::Reception);
    assert_eq!(v2.time, received);
}

#[test]
fn a_corrupt_telegram_is_an_error_not_a_panic() {
    let (_, raw) = captured_telegrams()
        .into_iter()
        .find(|(name, _)| name == "v5.txt")
        .expect("v5");
    let flipped = raw.replacen("1-0:1.8.1(", "1-0:1.8.1(9", 1);
    let record = |raw: &str| TelegramRecord {
        raw: raw.to_owned(),
        timestamp: UnixMillis::EPOCH,
    };
    assert!(matches!(
        Reading::from_record(&record(&flipped)),
        Err(ReadingError::Corrupt(
            p1_telegram::TelegramError::BadCrc { .. }
        ))
    ));
    assert!(matches!(
        Reading::from_record(&record("not a telegram")),
        Err(ReadingError::Corrupt(_))
    ));
    assert!(matches!(
        Reading::from_record(&record("/X\u{1F600}\r\n!")),
        Err(ReadingError::Corrupt(_))
    ));
}

#[test]
fn hostile_times_and_sizes_give_answers_not_panics() {
    let (_, raw) = captured_telegrams()
        .into_iter()
        .find(|(name, _)| name == "v2_2.txt")
        .expect("v2_2");
    let end_of_time = UnixMillis::from_millis(u64::MAX);
    let record = TelegramRecord {
        raw,
        timestamp: end_of_time,
    };
    let reading = Reading::from_record(&record).expect("reads");
    assert_eq!(reading.time, end_of_time);
    assert!(csv_row(&reading).starts_with("9999-12-31T"));
    assert_eq!(
        LocalDate::of(end_of_time),
        LocalDate::new(9999, 12, 31).expect("date")
    );
    let signed_end = UnixMillis::from_millis(i64::MAX as u64);
    assert!(format_local(signed_end).starts_with("9999-12-31T"));
    let just_before = Reading {
        time: UnixMillis::from_millis(u64::MAX - 1000),
        ..reading
    };
    let readings = [just_before, reading];
    let whole = TimeRange::new(UnixMillis::EPOCH, end_of_time).expect("range");
    assert_eq!(power_series(&readings, whole, 1).len(), 1);
    assert_eq!(power_series(&readings, whole, 0), []);
    let last_hours = TimeRange::last(3 * HOUR_MS, end_of_time).expect("range");
    // The reading at the end itself lies outside [start, end).
    assert_eq!(power_series(&readings, last_hours, 10).len(), 1);
    let hours = energy_per_hour(&readings, last_hours);
    assert!(!hours.is_empty());
    assert!(hours
        .iter()
        .all(|h| h.delivered_tariff1.is_none_or(|v| v.amount == 0.0)));
}
