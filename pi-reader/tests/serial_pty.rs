//! The serial reader against a pseudo-terminal pair made by `socat`: the
//! test writes captured telegrams into one end as a meter would, the reader
//! reads the other end, and survives socat going away and coming back (a
//! pulled and replugged USB cable).

// The recorded telegrams, loaded by the same helpers as p1-telegram's tests.
#[path = "../../p1-telegram/tests/fixtures/mod.rs"]
mod p1_fixtures;

use p1_telegram::readings::Readings;
use pi_reader::p1::serial::{
    spawn_serial_reader, P1Event, SerialMode, SerialReaderConfig, SerialSettings,
};
use pi_reader::p1::sink::{open_output, Output};
use pi_reader::simulate::{run_simulator, SimulateOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::{Duration, Instant};
use test_support::{PtyPair, ScratchDir};

fn require_socat() {
    let found = Command::new("socat")
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "socat is not installed: the serial reader tests need it to make a pseudo-terminal \
         pair; install it with scripts/install-deps.sh (or apt-get install socat)"
    );
}

/// A fresh directory for one test, kept afterwards for a look.
fn scratch_dir(name: &str) -> PathBuf {
    ScratchDir::new(&format!("pi-reader-{name}")).keep()
}

fn fast_config(port: &Path, mode: SerialMode) -> SerialReaderConfig {
    SerialReaderConfig {
        read_timeout: Duration::from_millis(50),
        detect_timeout: Duration::from_millis(400),
        backoff_min: Duration::from_millis(100),
        backoff_max: Duration::from_millis(400),
        ..SerialReaderConfig::new(port.to_string_lossy(), mode)
    }
}

/// Waits for the first event `want` accepts, failing after `within`.
fn wait_for(
    events: &Receiver<P1Event>,
    within: Duration,
    what: &str,
    mut want: impl FnMut(&P1Event) -> bool,
) -> P1Event {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok(event) if want(&event) => return event,
            Ok(_) => {}
            Err(_) => panic!("no {what} within {within:?}"),
        }
    }
}

#[test]
fn reader_receives_every_shared_telegram_and_reconnects_after_the_port_returns() {
    require_socat();
    let dir = scratch_dir("reconnect");
    let mut pair = PtyPair::start(&dir);
    let stop = Arc::new(AtomicBool::new(false));
    let (handle, events) = spawn_serial_reader(
        fast_config(&pair.port, SerialMode::Dsmr5),
        Arc::clone(&stop),
    )
    .expect("spawn reader");
    let connected = wait_for(&events, Duration::from_secs(5), "connection", |e| {
        matches!(e, P1Event::Connected { .. })
    });
    assert!(matches!(
        connected,
        P1Event::Connected {
            settings: SerialSettings::DSMR_4_5,
            ..
        }
    ));

    let files = p1_fixtures::telegram_files();
    let mut expected = Vec::new();
    for (_, bytes) in &files {
        pair.send(bytes);
        expected.extend(p1_fixtures::telegrams_in(bytes));
    }
    assert_eq!(expected.len(), files.len());
    let mut received = Vec::new();
    while received.len() < expected.len() {
        if let P1Event::Telegram {
            telegram,
            received_at_unix_ms,
        } = wait_for(&events, Duration::from_secs(10), "telegram", |e| {
            matches!(e, P1Event::Telegram { .. } | P1Event::BadCrc { .. })
        }) {
            assert!(received_at_unix_ms > 1_600_000_000_000);
            received.push(telegram.into_raw());
        } else {
            panic!("a telegram arrived with a bad CRC through the pty");
        }
    }
    assert_eq!(received, expected);

    // Unplug: socat goes away, the reader notices and keeps retrying.
    pair.close();
    wait_for(&events, Duration::from_secs(5), "disconnection", |e| {
        matches!(e, P1Event::Disconnected { .. })
    });
    std::thread::sleep(Duration::from_millis(500));

    // Replug at the same path: the reader reopens it and reads on.
    let pair = PtyPair::start(&dir);
    wait_for(&events, Duration::from_secs(5), "reconnection", |e| {
        matches!(e, P1Event::Connected { .. })
    });
    let v5 = p1_fixtures::telegram_file("v5.txt");
    pair.send(&v5);
    let after = wait_for(
        &events,
        Duration::from_secs(5),
        "telegram after replug",
        |e| matches!(e, P1Event::Telegram { .. }),
    );
    let P1Event::Telegram { telegram, .. } = after else {
        unreachable!("wait_for only returns telegrams here");
    };
    assert_eq!(vec![telegram.into_raw()], p1_fixtures::telegrams_in(&v5));

    stop.store(true, Ordering::Relaxed);
    handle.join().expect("reader thread ends when stopped");
    drop(pair);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn auto_mode_alternates_settings_while_no_valid_telegram_arrives() {
    require_socat();
    let dir = scratch_dir("auto");
    let pair = PtyPair::start(&dir);
    let stop = Arc::new(AtomicBool::new(false));
    let (handle, events) =
        spawn_serial_reader(fast_config(&pair.port, SerialMode::Auto), Arc::clone(&stop))
            .expect("spawn reader");
    let mut switches = Vec::new();
    while switches.len() < 2 {
        if let P1Event::SettingsChanged { settings } =
            wait_for(&events, Duration::from_secs(5), "settings switch", |e| {
                matches!(e, P1Event::SettingsChanged { .. })
            })
        {
            switches.push(settings);
        }
    }
    assert_eq!(
        switches,
        [SerialSettings::DSMR_2_2, SerialSettings::DSMR_4_5]
    );
    stop.store(true, Ordering::Relaxed);
    handle.join().expect("reader thread ends when stopped");
    drop(pair);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_port_is_reported_and_retried_until_stopped() {
    let dir = scratch_dir("missing");
    let stop = Arc::new(AtomicBool::new(false));
    let (handle, events) = spawn_serial_reader(
        fast_config(&dir.join("no-such-tty"), SerialMode::Dsmr22),
        Arc::clone(&stop),
    )
    .expect("spawn reader");
    let mut waits = Vec::new();
    while waits.len() < 4 {
        if let P1Event::Disconnected { retry_in, error } =
            wait_for(&events, Duration::from_secs(5), "failed open", |e| {
                matches!(e, P1Event::Disconnected { .. })
            })
        {
            assert!(error.contains("no-such-tty"), "{error}");
            waits.push(retry_in.as_millis());
        }
    }
    // Backoff doubles from the minimum and stops at the maximum.
    assert_eq!(waits, [100, 200, 400, 400]);
    stop.store(true, Ordering::Relaxed);
    handle.join().expect("reader thread ends when stopped");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn simulator_on_a_serial_output_reaches_the_reader_on_the_other_end() {
    require_socat();
    let dir = scratch_dir("simulate");
    let pair = PtyPair::start(&dir);
    let stop = Arc::new(AtomicBool::new(false));
    let (handle, events) = spawn_serial_reader(
        fast_config(&pair.port, SerialMode::Dsmr5),
        Arc::clone(&stop),
    )
    .expect("spawn reader");
    wait_for(&events, Duration::from_secs(5), "connection", |e| {
        matches!(e, P1Event::Connected { .. })
    });
    let mut output = open_output(&Output::Serial {
        path: pair.meter.to_string_lossy().into_owned(),
        settings: SerialSettings::DSMR_4_5,
    })
    .expect("open the meter end as a serial port");
    let opts = SimulateOptions {
        interval: Duration::from_millis(20),
        count: Some(10),
        seed: Some(9),
        start_unix_s: Some(1_700_000_000),
    };
    let mut sent = Vec::new();
    run_simulator(&opts, &mut output, &AtomicBool::new(false), &mut |_, t| {
        sent.push(t.raw().to_owned())
    })
    .expect("simulate onto the pty");
    let mut received = Vec::new();
    while received.len() < sent.len() {
        if let P1Event::Telegram { telegram, .. } =
            wait_for(&events, Duration::from_secs(5), "simulated telegram", |e| {
                matches!(e, P1Event::Telegram { .. })
            })
        {
            assert!(Readings::from_telegram(&telegram)
                .power_delivered_kw
                .is_some());
            received.push(telegram.into_raw());
        }
    }
    assert_eq!(received, sent);
    stop.store(true, Ordering::Relaxed);
    handle.join().expect("reader thread ends when stopped");
    drop(pair);
    let _ = std::fs::remove_dir_all(&dir);
}
