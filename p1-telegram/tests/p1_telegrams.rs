//! Every telegram captured from a real meter (testdata/telegrams) is framed,
//! CRC-checked where its standard has a CRC, and read: the values asserted
//! here were read off the files by hand.

mod fixtures;

use p1_telegram::framing::{DiscardReason, FramerEvent, TelegramFramer};
use p1_telegram::readings::{Readings, MBUS_TYPE_WATER};
use p1_telegram::telegram::{CrcCheck, Telegram};
use p1_telegram::timestamp::MeterTimestamp;
use p1_telegram::version::DsmrVersion;

/// What one file must yield. `None` in a field means "not checked".
#[derive(Default)]
struct Expected {
    has_crc: bool,
    version: Option<DsmrVersion>,
    equipment_id: Option<&'static str>,
    timestamp: Option<&'static str>,
    delivered_total: Option<f64>,
    delivered: Option<(f64, f64)>,
    returned_total: Option<f64>,
    returned: Option<(f64, f64)>,
    power: Option<(f64, f64)>,
    gas: Option<(f64, Option<&'static str>)>,
    uses_dsmr5: bool,
}

fn expected(file: &str) -> Expected {
    match file {
        "esy5q3da1004_v304.txt" => Expected {
            version: Some(DsmrVersion::V2OrV3),
            equipment_id: Some("1ESY1336001560"),
            delivered_total: Some(32549.5061662),
            power: Some((1.68821, f64::NAN)),
            ..Expected::default()
        },
        "esy5q3db1024_v304.txt" => Expected {
            version: Some(DsmrVersion::V2OrV3),
            equipment_id: Some("1ESY1313002565"),
            delivered_total: Some(52185.7825309),
            returned_total: Some(19949.3221493),
            power: Some((2.12486, f64::NAN)),
            ..Expected::default()
        },
        "fluvius_v171.txt" => Expected {
            has_crc: true,
            version: Some(DsmrVersion::V5),
            equipment_id: Some("3153414733313031303231363035"),
            timestamp: Some("2020-05-12 13:54:09 S"),
            delivered: Some((0.034, 15.758)),
            returned: Some((0.0, 0.011)),
            power: Some((0.0, 0.0)),
            gas: Some((112.384, Some("2020-05-12 13:45:58 S"))),
            uses_dsmr5: true,
            ..Expected::default()
        },
        "fluvius_v171_alt.txt" => Expected {
            has_crc: true,
            version: Some(DsmrVersion::V5),
            equipment_id: Some("3153414733313030373231333236"),
            timestamp: Some("2023-11-02 12:15:48 W"),
            delivered: Some((301.548, 270.014)),
            returned: Some((0.005, 0.0)),
            power: Some((0.338, 0.0)),
            gas: Some((92.287, Some("2023-11-02 12:10:02 W"))),
            uses_dsmr5: true,
            ..Expected::default()
        },
        "iskra_ie.txt" => Expected {
            has_crc: true,
            version: Some(DsmrVersion::V4OrLater),
            equipment_id: Some("09610"),
            timestamp: Some("2023-02-02 13:27:47 S"),
            delivered: Some((10.181, 10.182)),
            returned: Some((10.281, 10.282)),
            power: Some((0.170, 0.270)),
            uses_dsmr5: true,
            ..Expected::default()
        },
        "sagemcom_t210_d_r.txt" => Expected {
            has_crc: true,
            version: Some(DsmrVersion::V5),
            timestamp: Some("2022-10-06 15:50:14 S"),
            delivered_total: Some(6545.766),
            delivered: Some((5017.120, 1528.646)),
            returned_total: Some(0.058),
            returned: Some((0.0, 0.058)),
            power: Some((0.286, 0.0)),
            uses_dsmr5: true,
            ..Expected::default()
        },
        "unpadded_crc.txt" => Expected {
            has_crc: true,
            version: Some(DsmrVersion::V5),
            equipment_id: Some("ADC3100000158491"),
            timestamp: Some("2026-02-15 20:05:23 W"),
            uses_dsmr5: true,
            ..Expected::default()
        },
        "v2_2.txt" => Expected {
            version: Some(DsmrVersion::V2OrV3),
            equipment_id: Some("00000000000000"),
            delivered: Some((1.001, 1.001)),
            returned: Some((1.001, 1.001)),
            power: Some((1.01, 0.0)),
            gas: Some((1.001, Some("2016-11-07 19:00:00"))),
            ..Expected::default()
        },
        "v3.txt" => Expected {
            version: Some(DsmrVersion::V2OrV3),
            equipment_id: Some("4B384547303034303436333935353037"),
            delivered: Some((12345.678, 12345.678)),
            returned: Some((12345.678, 12345.678)),
            power: Some((1.19, 0.0)),
            gas: Some((1.001, Some("2009-02-12 16:00:00"))),
            ..Expected::default()
        },
        "v4_2.txt" => Expected {
            has_crc: true,
            version: Some(DsmrVersion::V4),
            equipment_id: Some("3960221976967177082151037881335713"),
            timestamp: Some("2016-11-13 20:57:57 W"),
            delivered: Some((1581.123, 1435.706)),
            returned: Some((0.0, 0.0)),
            power: Some((2.027, 0.0)),
            gas: Some((981.443, Some("2016-11-29 20:00:00 W"))),
            uses_dsmr5: true,
            ..Expected::default()
        },
        "v5.txt" => Expected {
            has_crc: true,
            version: Some(DsmrVersion::V5),
            equipment_id: Some("4B384547303034303436333935353037"),
            timestamp: Some("2017-01-02 19:20:02 W"),
            delivered: Some((4.426, 2.399)),
            returned: Some((2.444, 0.0)),
            power: Some((0.244, 0.0)),
            gas: Some((0.107, Some("2017-01-02 16:10:05 W"))),
            uses_dsmr5: true,
            ..Expected::default()
        },
        "v5_eon_hu.txt" => Expected {
            has_crc: true,
            version: Some(DsmrVersion::V4OrLater),
            equipment_id: Some("383930303832323030303032313630"),
            timestamp: Some("2023-07-24 15:07:30 S"),
            delivered_total: Some(173.640),
            delivered: Some((47.719, 125.921)),
            returned_total: Some(627.177),
            returned: Some((401.829, 225.348)),
            power: Some((0.0, 2.601)),
            uses_dsmr5: true,
            ..Expected::default()
        },
        "v5_two_mbus.txt" => Expected {
            has_crc: true,
            version: Some(DsmrVersion::V5),
            equipment_id: Some("4530303434303037333832323436303139"),
            timestamp: Some("2020-04-26 22:33:25 S"),
            delivered: Some((2130.115, 245.467)),
            returned: Some((0.0, 0.0)),
            power: Some((0.111, 0.0)),
            gas: Some((246.138, Some("2020-04-26 22:30:01 S"))),
            uses_dsmr5: true,
            ..Expected::default()
        },
        other => panic!(
            "testdata/telegrams/{other} has no expected readings in this test; \
             read its values off the file and add them to `expected`"
        ),
    }
}

fn frame_file(name: &str, bytes: &[u8]) -> Telegram {
    let mut framer = TelegramFramer::new();
    let mut events = framer.push(bytes);
    events.extend(framer.finish());
    let mut telegrams = Vec::new();
    for event in events {
        match event {
            FramerEvent::Telegram(t) => telegrams.push(t),
            // EasyMeters send lines after the telegram; they are skipped.
            FramerEvent::Discarded {
                reason: DiscardReason::Garbage,
                ..
            } => {}
            other => panic!("{name}: unexpected framer event {other:?}"),
        }
    }
    assert_eq!(telegrams.len(), 1, "{name}: must frame into one telegram");
    telegrams.remove(0)
}

fn assert_close(name: &str, what: &str, actual: Option<f64>, expected: f64) {
    if expected.is_nan() {
        return;
    }
    let actual = actual.unwrap_or_else(|| panic!("{name}: {what} missing"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "{name}: {what} is {actual}, expected {expected}"
    );
}

#[test]
fn every_shared_telegram_frames_into_one_telegram_with_its_crc_checked() {
    for (name, bytes) in fixtures::telegram_files() {
        let telegram = frame_file(&name, &bytes);
        let exp = expected(&name);
        match telegram.crc() {
            CrcCheck::Valid(_) => assert!(exp.has_crc, "{name}: CRC found where none expected"),
            CrcCheck::Absent => assert!(!exp.has_crc, "{name}: CRC missing"),
        }
        // The telegram is the file's bytes from `/` up to the CRC line.
        let wire = telegram.to_wire_bytes();
        assert!(
            bytes.windows(wire.len()).any(|w| w == wire.as_slice()),
            "{name}: telegram bytes differ from the file"
        );
    }
}

#[test]
fn every_shared_telegram_yields_its_main_readings() {
    for (name, bytes) in fixtures::telegram_files() {
        let readings = Readings::from_telegram(&frame_file(&name, &bytes));
        let exp = expected(&name);
        assert_eq!(readings.version, exp.version, "{name}: version");
        if let Some(id) = exp.equipment_id {
            assert_eq!(readings.equipment_id.as_deref(), Some(id), "{name}: id");
        }
        assert_eq!(
            readings.timestamp.map(|t| t.to_string()).as_deref(),
            exp.timestamp,
            "{name}: timestamp"
        );
        if let Some(total) = exp.delivered_total {
            assert_close(
                &name,
                "delivered total",
                readings.energy_delivered_kwh,
                total,
            );
            assert_close(
                &name,
                "delivered sum",
                readings.delivered_total_kwh(),
                total,
            );
        }
        if let Some(total) = exp.returned_total {
            assert_close(&name, "returned total", readings.energy_returned_kwh, total);
        }
        if let Some((t1, t2)) = exp.delivered {
            assert_close(
                &name,
                "delivered T1",
                readings.energy_delivered_tariff1_kwh,
                t1,
            );
            assert_close(
                &name,
                "delivered T2",
                readings.energy_delivered_tariff2_kwh,
                t2,
            );
        }
        if let Some((t1, t2)) = exp.returned {
            assert_close(
                &name,
                "returned T1",
                readings.energy_returned_tariff1_kwh,
                t1,
            );
            assert_close(
                &name,
                "returned T2",
                readings.energy_returned_tariff2_kwh,
                t2,
            );
        }
        match exp.power {
            Some((delivered, returned)) => {
                assert_close(
                    &name,
                    "power delivered",
                    readings.power_delivered_kw,
                    delivered,
                );
                if returned.is_nan() {
                    assert_eq!(readings.power_returned_kw, None, "{name}: power returned");
                } else {
                    assert_close(
                        &name,
                        "power returned",
                        readings.power_returned_kw,
                        returned,
                    );
                }
            }
            // Only the heat-meter telegram (unpadded_crc.txt) has no power.
            None => assert_eq!(
                (readings.power_delivered_kw, readings.power_returned_kw),
                (None, None),
                "{name}: power"
            ),
        }
        match exp.gas {
            Some((m3, ts)) => {
                assert_close(&name, "gas", readings.gas_m3, m3);
                assert_eq!(
                    readings.gas_timestamp.map(|t| t.to_string()).as_deref(),
                    ts,
                    "{name}: gas timestamp"
                );
            }
            None => assert_eq!(readings.gas_m3, None, "{name}: gas"),
        }
        assert_eq!(
            readings.dsmr5_objects > 0,
            exp.uses_dsmr5,
            "{name}: dsmr5 parsed {} objects",
            readings.dsmr5_objects
        );
    }
}

#[test]
fn unpadded_crc_file_has_a_three_digit_crc_and_a_heat_meter_not_gas() {
    let telegram = frame_file(
        "unpadded_crc.txt",
        &fixtures::telegram_file("unpadded_crc.txt"),
    );
    assert_eq!(telegram.crc(), CrcCheck::Valid(0x0B9F));
    let readings = Readings::from_telegram(&telegram);
    assert_eq!(readings.gas_m3, None);
    let heat = &readings.mbus[0];
    assert_eq!((heat.device_type, heat.value), (Some(4), Some(240.860)));
    assert_eq!(heat.unit.as_deref(), Some("GJ"));
}

#[test]
fn fluvius_water_meter_is_kept_apart_from_gas() {
    let telegram = frame_file(
        "fluvius_v171.txt",
        &fixtures::telegram_file("fluvius_v171.txt"),
    );
    let readings = Readings::from_telegram(&telegram);
    let water = readings
        .mbus
        .iter()
        .find(|m| m.device_type == Some(MBUS_TYPE_WATER))
        .expect("water meter on channel 2");
    assert_eq!((water.channel, water.value), (2, Some(872.234)));
    assert_eq!(readings.gas_m3, Some(112.384));
}

#[test]
fn phase_values_are_read_with_units_normalised() {
    let v5 = Readings::from_telegram(&frame_file("v5.txt", &fixtures::telegram_file("v5.txt")));
    assert_eq!(v5.phases[0].voltage_v, Some(230.0));
    assert_eq!(v5.phases[2].voltage_v, Some(229.0));
    assert_eq!(v5.phases[1].current_a, Some(0.44));
    assert_eq!(v5.phases[2].power_delivered_kw, Some(0.142));
    let easy = Readings::from_telegram(&frame_file(
        "esy5q3da1004_v304.txt",
        &fixtures::telegram_file("esy5q3da1004_v304.txt"),
    ));
    assert_close(
        "easymeter",
        "L1 power",
        easy.phases[0].power_delivered_kw,
        0.55729,
    );
}

#[test]
fn dsmr5_crate_agrees_with_our_crc_on_four_digit_telegrams() {
    for (name, bytes) in fixtures::telegram_files() {
        let telegram = frame_file(&name, &bytes);
        let raw = telegram.to_bytes();
        let four_digits = raw.len() >= 5 && raw[raw.len() - 5] == b'!';
        if !four_digits || raw.len() > 2048 {
            continue;
        }
        let mut buffer = [0u8; 2048];
        buffer[..raw.len()].copy_from_slice(&raw);
        let readout = dsmr5::Readout { buffer };
        let parsed = readout.to_telegram();
        assert!(parsed.is_ok(), "{name}: dsmr5 rejects the telegram");
    }
}

#[test]
fn flipped_byte_yields_bad_crc_and_no_telegram() {
    let mut bytes = fixtures::telegram_file("v5.txt");
    let at = bytes
        .windows(9)
        .position(|w| w == b"1-0:1.8.1")
        .expect("v5 has 1-0:1.8.1")
        + 12;
    bytes[at] ^= 0x01;
    let events = TelegramFramer::new().push(&bytes);
    assert!(
        matches!(
            events.as_slice(),
            [FramerEvent::BadCrc {
                expected: 0x6EEE,
                ..
            }]
        ),
        "{events:?}"
    );
}

#[test]
fn truncated_telegram_followed_by_a_good_one_yields_the_good_one() {
    let cut = fixtures::telegram_file("v4_2.txt");
    let good = fixtures::telegram_file("v5.txt");
    let mut stream = cut[..cut.len() / 2].to_vec();
    stream.extend_from_slice(&good);
    let events = TelegramFramer::new().push(&stream);
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(
        events[0],
        FramerEvent::Discarded {
            bytes: cut.len() / 2,
            reason: DiscardReason::Restarted
        }
    );
    let FramerEvent::Telegram(t) = &events[1] else {
        panic!("expected the good telegram, got {:?}", events[1]);
    };
    assert!(t.header().starts_with("ISk5"));
}

#[test]
fn meter_timestamp_rejects_impossible_dates() {
    assert_eq!(MeterTimestamp::parse("171302192002W"), None);
    assert_eq!(MeterTimestamp::parse("17010219200X"), None);
    assert!(MeterTimestamp::parse("170102192002").is_some());
}
