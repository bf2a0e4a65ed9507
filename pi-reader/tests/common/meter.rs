//! A meter on the test's end of the pty: DSMR 5 telegrams, each one
//! unique, written at a steady pace on a thread of its own, with the time
//! every telegram went out.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mam_lib::calendar::civil_from_days;
use p1_telegram::crc::crc16;

/// Days from 1970-01-01 to 2024-01-01, where meter time `0` is.
const START_DAYS: i64 = 19_723;

/// A DSMR 5 telegram as an Iskra-style meter sends it (CRLF line ends, CRC
/// line), unique for `n`: the meter clock is `n` seconds after 2024-01-01
/// 00:00:00 and the energy counters and power grow with `n`.
pub fn dsmr5_telegram(n: u64) -> Vec<u8> {
    let stamp = meter_clock(n);
    let gas_stamp = meter_clock(n - n % 300);
    let delivered_wh = 1_234_567 + n * 7;
    let power_w = 150 + n % 3_000;
    let lines = [
        "/ISk5\\2MT382-1000".to_owned(),
        String::new(),
        "1-3:0.2.8(50)".to_owned(),
        format!("0-0:1.0.0({stamp}W)"),
        "0-0:96.1.1(4B384547303034303436333935353037)".to_owned(),
        format!(
            "1-0:1.8.1({:06}.{:03}*kWh)",
            delivered_wh / 1000,
            delivered_wh % 1000
        ),
        format!("1-0:1.8.2({:06}.{:03}*kWh)", 2_399 + n / 1000, n % 1000),
        "1-0:2.8.1(000002.444*kWh)".to_owned(),
        "1-0:2.8.2(000000.000*kWh)".to_owned(),
        "0-0:96.14.0(0002)".to_owned(),
        format!("1-0:1.7.0({:02}.{:03}*kW)", power_w / 1000, power_w % 1000),
        "1-0:2.7.0(00.000*kW)".to_owned(),
        "0-0:96.7.21(00013)".to_owned(),
        "0-0:96.7.9(00000)".to_owned(),
        "1-0:99.97.0(0)(0-0:96.7.19)".to_owned(),
        "1-0:32.32.0(00000)".to_owned(),
        "1-0:32.36.0(00000)".to_owned(),
        "0-0:96.13.0()".to_owned(),
        format!("1-0:32.7.0({:04}.{}*V)", 225 + n % 10, n % 10),
        format!("1-0:31.7.0({}.{:02}*A)", power_w / 230, n % 100),
        format!("1-0:21.7.0({:02}.{:03}*kW)", power_w / 1000, power_w % 1000),
        "1-0:22.7.0(00.000*kW)".to_owned(),
        "0-1:24.1.0(003)".to_owned(),
        "0-1:96.1.0(3232323241424344313233343536373839)".to_owned(),
        format!(
            "0-1:24.2.1({gas_stamp}W)({:05}.{:03}*m3)",
            107 + n / 3_000,
            n / 3 % 1000
        ),
    ];
    let mut text = lines.join("\r\n");
    text.push_str("\r\n!");
    let crc = crc16(text.as_bytes());
    text.push_str(&format!("{crc:04X}\r\n"));
    text.into_bytes()
}

/// `YYMMDDhhmmss` of meter time `n`.
fn meter_clock(n: u64) -> String {
    let seconds = n as i64;
    let (year, month, day) = civil_from_days(START_DAYS + seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{:02}{month:02}{day:02}{:02}{:02}{:02}",
        year % 100,
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

/// One telegram the meter wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// Its text as the device publishes it (from `/` to the CRC).
    pub raw: String,
    /// When the last byte went into the pty.
    pub at: Instant,
}

struct MeterState {
    paused: bool,
    stopped: bool,
    next: u64,
    written: Vec<Written>,
}

/// A meter writing [`dsmr5_telegram`]s into the pty end at `path` every
/// `interval` on a thread, until dropped or [`Meter::stop`]ped.
pub struct Meter {
    state: Arc<Mutex<MeterState>>,
    thread: Option<JoinHandle<()>>,
}

impl Meter {
    /// Starts writing telegrams `first`, `first + 1`, ... into `path`.
    pub fn start(path: &Path, interval: Duration, first: u64) -> Meter {
        let state = Arc::new(Mutex::new(MeterState {
            paused: false,
            stopped: false,
            next: first,
            written: Vec::new(),
        }));
        let shared = Arc::clone(&state);
        let path: PathBuf = path.to_path_buf();
        let thread = std::thread::spawn(move || {
            let mut due = Instant::now();
            loop {
                {
                    // Writing under the lock: once pause() returns, no
                    // telegram is half written.
                    let mut state = shared.lock().expect("meter state");
                    if state.stopped {
                        return;
                    }
                    if !state.paused {
                        let bytes = dsmr5_telegram(state.next);
                        write_all(&path, &bytes);
                        state.next += 1;
                        state.written.push(Written {
                            raw: super::published_form(&bytes),
                            at: Instant::now(),
                        });
                    }
                }
                due += interval;
                let now = Instant::now();
                if due > now {
                    std::thread::sleep(due - now);
                } else {
                    due = now;
                }
            }
        });
        Meter {
            state,
            thread: Some(thread),
        }
    }

    /// Stops writing; returns once no telegram is being written.
    pub fn pause(&self) {
        self.state.lock().expect("meter state").paused = true;
    }

    /// Writes on (the pty end must exist again).
    pub fn resume(&self) {
        self.state.lock().expect("meter state").paused = false;
    }

    /// Stops the meter for good.
    pub fn stop(&mut self) {
        self.state.lock().expect("meter state").stopped = true;
        if let Some(thread) = self.thread.take() {
            thread.join().expect("the meter thread");
        }
    }

    /// Every telegram written so far, in order.
    pub fn written(&self) -> Vec<Written> {
        self.state.lock().expect("meter state").written.clone()
    }

    /// How many telegrams were written so far.
    pub fn count(&self) -> usize {
        self.state.lock().expect("meter state").written.len()
    }
}

impl Drop for Meter {
    fn drop(&mut self) {
        if let Ok(mut state) = self.state.lock() {
            state.stopped = true;
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn write_all(path: &Path, bytes: &[u8]) {
    let mut meter = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap_or_else(|e| panic!("the meter end {} opens: {e}", path.display()));
    meter.write_all(bytes).expect("write to the pty");
    meter.flush().expect("flush the pty");
}
