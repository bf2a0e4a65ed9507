//! The simulator's telegrams are what a DSMR 5 meter sends: our framer, CRC
//! and readings accept them, the `dsmr5` crate parses every line, and the
//! values behave like a real household's.

use p1_telegram::readings::Readings;
use p1_telegram::version::DsmrVersion;
use p1_telegram::{CrcCheck, FramerEvent, Telegram, TelegramFramer};
use pi_reader::simulate::{run_simulator, MeterSimulator, SimulateOptions};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// 2024-01-15 12:00:00 UTC, a Monday in winter.
const WINTER_NOON: i64 = 1_705_320_000;
/// 2024-07-01 10:00:00 UTC, a Monday in summer.
const SUMMER_MORNING: i64 = 1_719_828_000;

fn telegrams(seed: u64, start: i64, count: usize) -> Vec<Telegram> {
    let mut meter = MeterSimulator::new(seed, start, Duration::from_secs(1));
    (0..count).map(|_| meter.next_telegram()).collect()
}

#[test]
fn simulated_telegrams_pass_our_framer_crc_and_readings() {
    let mut stream = Vec::new();
    for t in telegrams(7, SUMMER_MORNING, 50) {
        stream.extend(t.to_wire_bytes());
    }
    let events = TelegramFramer::new().push(&stream);
    assert_eq!(events.len(), 50);
    for event in events {
        let FramerEvent::Telegram(t) = event else {
            panic!("unexpected {event:?}");
        };
        assert!(matches!(t.crc(), CrcCheck::Valid(_)));
        assert_eq!(t.header(), "ISk5\\2MT382-1000");
        let r = Readings::from_telegram(&t);
        assert_eq!(r.version, Some(DsmrVersion::V5));
        assert_eq!(r.timestamp.and_then(|ts| ts.dst), Some(true));
        assert!(r.equipment_id.is_some());
        for value in [
            r.energy_delivered_tariff1_kwh,
            r.energy_delivered_tariff2_kwh,
            r.energy_returned_tariff1_kwh,
            r.energy_returned_tariff2_kwh,
            r.power_delivered_kw,
            r.power_returned_kw,
            r.gas_m3,
        ] {
            assert!(value.is_some(), "missing value in\n{}", t.raw());
        }
        for phase in r.phases {
            assert!(phase
                .voltage_v
                .is_some_and(|v| (220.0..=245.0).contains(&v)));
            assert!(phase.current_a.is_some());
        }
    }
}

#[test]
fn dsmr5_crate_parses_every_line_of_simulated_telegrams() {
    for t in telegrams(11, WINTER_NOON, 20) {
        let bytes = t.to_bytes();
        let mut buffer = [0u8; 2048];
        buffer[..bytes.len()].copy_from_slice(&bytes);
        let readout = dsmr5::Readout { buffer };
        let parsed = readout.to_telegram().expect("dsmr5 accepts the telegram");
        for object in parsed.objects() {
            object.unwrap_or_else(|e| panic!("dsmr5 rejects a line ({e:?}) of\n{}", t.raw()));
        }
        let state = dsmr5::state::State::try_from(&parsed).expect("dsmr5 state");
        let r = Readings::from_telegram(&t);
        assert_eq!(state.power_delivered, r.power_delivered_kw);
        assert_eq!(state.meterreadings[0].to, r.energy_delivered_tariff1_kwh);
        assert_eq!(
            state.slaves[0].meter_reading.as_ref().map(|m| m.1),
            r.gas_m3
        );
    }
}

#[test]
fn energy_counters_grow_by_the_power_shown() {
    // Two hours around the evening peak, one telegram a second.
    let readings: Vec<Readings> = telegrams(3, WINTER_NOON + 5 * 3600, 7200)
        .iter()
        .map(Readings::from_telegram)
        .collect();
    let total = |r: &Readings| r.delivered_total_kwh().expect("delivered");
    let returned = |r: &Readings| r.returned_total_kwh().expect("returned");
    let mut expected_delivered = 0.0;
    let mut expected_returned = 0.0;
    for pair in readings.windows(2) {
        assert!(
            total(&pair[1]) >= total(&pair[0]),
            "delivered never shrinks"
        );
        assert!(
            returned(&pair[1]) >= returned(&pair[0]),
            "returned never shrinks"
        );
        expected_delivered += pair[0].power_delivered_kw.expect("power") / 3600.0;
        expected_returned += pair[0].power_returned_kw.expect("power") / 3600.0;
    }
    let first = &readings[0];
    let last = &readings[readings.len() - 1];
    // Counters are shown floored to Wh: at most 1 Wh off at each end.
    assert!((total(last) - total(first) - expected_delivered).abs() < 0.0021);
    assert!((returned(last) - returned(first) - expected_returned).abs() < 0.0021);
    let powers: Vec<f64> = readings
        .iter()
        .filter_map(|r| r.power_delivered_kw)
        .collect();
    let (min, max) = powers
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &p| (lo.min(p), hi.max(p)));
    assert!(max - min > 0.2, "power varies: {min}..{max}");
    assert!(max < 10.0, "power stays household-sized: {max}");
}

#[test]
fn summer_noon_returns_solar_power_for_a_meter_with_panels() {
    let seed = (0..100)
        .find(|&seed| {
            let r = Readings::from_telegram(&telegrams(seed, SUMMER_MORNING, 1)[0]);
            r.power_returned_kw.is_some_and(|p| p > 0.5)
        })
        .expect("some seed has solar panels returning power at noon in July");
    let r = Readings::from_telegram(&telegrams(seed, SUMMER_MORNING, 1)[0]);
    assert_eq!(r.power_delivered_kw, Some(0.0));
}

#[test]
fn gas_reading_changes_only_on_five_minute_boundaries() {
    let readings: Vec<Readings> = telegrams(5, WINTER_NOON + 17, 1200)
        .iter()
        .map(Readings::from_telegram)
        .collect();
    let mut stamps = Vec::new();
    for pair in readings.windows(2) {
        let ts = pair[1].gas_timestamp.expect("gas timestamp");
        assert_eq!((ts.minute % 5, ts.second), (0, 0), "gas stamped {ts}");
        if pair[1].gas_timestamp != pair[0].gas_timestamp {
            stamps.push(ts);
            assert!(pair[1].gas_m3 >= pair[0].gas_m3);
        } else {
            assert_eq!(pair[1].gas_m3, pair[0].gas_m3);
        }
    }
    assert_eq!(
        stamps.len(),
        4,
        "1200 s from hh:00:17 cross four 5-minute marks"
    );
}

#[test]
fn same_seed_and_start_give_the_same_telegrams() {
    assert_eq!(
        telegrams(42, WINTER_NOON, 30),
        telegrams(42, WINTER_NOON, 30)
    );
    assert_ne!(
        telegrams(42, WINTER_NOON, 30),
        telegrams(43, WINTER_NOON, 30)
    );
}

#[test]
fn run_simulator_writes_the_requested_count_and_reports_each() {
    let opts = SimulateOptions {
        interval: Duration::ZERO,
        count: Some(5),
        seed: Some(1),
        start_unix_s: Some(WINTER_NOON),
    };
    let mut output = Vec::new();
    let mut reported = Vec::new();
    let written = run_simulator(&opts, &mut output, &AtomicBool::new(false), &mut |i, t| {
        reported.push((i, t.clone()))
    })
    .expect("writing to memory works");
    assert_eq!(written, 5);
    let framed: Vec<Telegram> = TelegramFramer::new()
        .push(&output)
        .into_iter()
        .filter_map(|e| match e {
            FramerEvent::Telegram(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(framed, telegrams(1, WINTER_NOON, 5));
    assert_eq!(
        reported.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        [0, 1, 2, 3, 4]
    );
}

#[test]
fn run_simulator_paces_telegrams_at_the_interval_and_stops_on_the_flag() {
    let opts = SimulateOptions {
        interval: Duration::from_millis(100),
        count: Some(4),
        seed: Some(1),
        start_unix_s: Some(WINTER_NOON),
    };
    let started = std::time::Instant::now();
    let written = run_simulator(
        &opts,
        &mut Vec::new(),
        &AtomicBool::new(false),
        &mut |_, _| {},
    )
    .expect("runs");
    assert_eq!(written, 4);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let stopped = run_simulator(
        &opts,
        &mut Vec::new(),
        &AtomicBool::new(true),
        &mut |_, _| {},
    )
    .expect("runs");
    assert_eq!(stopped, 0);
}
