//! Reading the meter's P1 serial port: settings per DSMR version, and a
//! blocking reader loop that survives a pulled cable.
//!
//! [`run_serial_reader`] opens the port, frames what it reads and reports
//! [`P1Event`]s until the stop flag is set. When the port cannot be opened,
//! reports an error, or ends, it reports [`P1Event::Disconnected`], waits
//! (1 s doubling up to 30 s by default) and opens it again. In
//! [`SerialMode::Auto`] it alternates between the DSMR 4/5 and the DSMR 2.2
//! settings until a valid telegram arrives.

use p1_telegram::framing::{DiscardReason, FramerEvent, TelegramFramer};
use p1_telegram::version::DsmrVersion;
use p1_telegram::Telegram;
use serialport::SerialPort;
pub use serialport::{DataBits, Parity, StopBits};
use std::cell::Cell;
use std::fmt;
use std::io::{self, Read};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use thiserror::Error;

/// Line settings of a P1 port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerialSettings {
    /// Bits per second.
    pub baud_rate: u32,
    /// Data bits per character.
    pub data_bits: DataBits,
    /// Parity bit.
    pub parity: Parity,
    /// Stop bits.
    pub stop_bits: StopBits,
}

impl SerialSettings {
    /// DSMR 2.2 and 3 (and EasyMeter): 9600 baud, 7 data bits, even parity, 1 stop bit.
    pub const DSMR_2_2: SerialSettings = SerialSettings {
        baud_rate: 9600,
        data_bits: DataBits::Seven,
        parity: Parity::Even,
        stop_bits: StopBits::One,
    };
    /// DSMR 4 and 5: 115200 baud, 8 data bits, no parity, 1 stop bit.
    pub const DSMR_4_5: SerialSettings = SerialSettings {
        baud_rate: 115_200,
        data_bits: DataBits::Eight,
        parity: Parity::None,
        stop_bits: StopBits::One,
    };

    /// The settings a meter of `version` uses.
    pub fn for_version(version: DsmrVersion) -> SerialSettings {
        if version.is_legacy_serial() {
            SerialSettings::DSMR_2_2
        } else {
            SerialSettings::DSMR_4_5
        }
    }

    /// Opens `path` with these settings; reads wait at most `timeout`.
    pub fn open(&self, path: &str, timeout: Duration) -> serialport::Result<Box<dyn SerialPort>> {
        serialport::new(path, self.baud_rate)
            .data_bits(self.data_bits)
            .parity(self.parity)
            .stop_bits(self.stop_bits)
            .timeout(timeout)
            .open()
    }

    fn apply(&self, port: &mut dyn SerialPort) -> serialport::Result<()> {
        port.set_baud_rate(self.baud_rate)?;
        port.set_data_bits(self.data_bits)?;
        port.set_parity(self.parity)?;
        port.set_stop_bits(self.stop_bits)
    }
}

impl fmt::Display for SerialSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let data = match self.data_bits {
            DataBits::Five => 5,
            DataBits::Six => 6,
            DataBits::Seven => 7,
            DataBits::Eight => 8,
        };
        let parity = match self.parity {
            Parity::None => 'N',
            Parity::Odd => 'O',
            Parity::Even => 'E',
        };
        let stop = match self.stop_bits {
            StopBits::One => 1,
            StopBits::Two => 2,
        };
        write!(f, "{} baud {data}{parity}{stop}", self.baud_rate)
    }
}

/// Which settings to use: a fixed DSMR version or detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SerialMode {
    /// Try DSMR 4/5 settings, switch to DSMR 2.2 (and back) while no valid
    /// telegram arrives.
    #[default]
    Auto,
    /// DSMR 2.2 or 3: 9600 7E1.
    Dsmr22,
    /// DSMR 4: 115200 8N1.
    Dsmr4,
    /// DSMR 5: 115200 8N1.
    Dsmr5,
}

impl SerialMode {
    /// The settings to try, in order.
    pub fn candidates(self) -> &'static [SerialSettings] {
        match self {
            SerialMode::Auto => &[SerialSettings::DSMR_4_5, SerialSettings::DSMR_2_2],
            SerialMode::Dsmr22 => &[SerialSettings::DSMR_2_2],
            SerialMode::Dsmr4 | SerialMode::Dsmr5 => &[SerialSettings::DSMR_4_5],
        }
    }
}

/// A serial mode name that is not `auto`, `2.2`, `4` or `5`.
#[derive(Debug, Error)]
#[error("unknown DSMR version {0:?}: use auto, 2.2, 4 or 5")]
pub struct UnknownSerialMode(String);

impl FromStr for SerialMode {
    type Err = UnknownSerialMode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(SerialMode::Auto),
            "2.2" | "2" | "3" => Ok(SerialMode::Dsmr22),
            "4" => Ok(SerialMode::Dsmr4),
            "5" => Ok(SerialMode::Dsmr5),
            _ => Err(UnknownSerialMode(s.to_owned())),
        }
    }
}

/// How [`run_serial_reader`] reads and reconnects.
#[derive(Debug, Clone)]
pub struct SerialReaderConfig {
    /// Device path, e.g. `/dev/ttyUSB0`.
    pub port: String,
    /// Fixed settings or detection.
    pub mode: SerialMode,
    /// Longest a single read waits; also how soon the stop flag is seen.
    pub read_timeout: Duration,
    /// In [`SerialMode::Auto`]: switch settings after this long without a
    /// valid telegram. DSMR 2.2 meters send every 10 s, so keep it above that.
    pub detect_timeout: Duration,
    /// First wait before reopening a lost port.
    pub backoff_min: Duration,
    /// Longest wait before reopening; the wait doubles up to this.
    pub backoff_max: Duration,
}

impl SerialReaderConfig {
    /// Defaults for a real meter on `port`.
    pub fn new(port: impl Into<String>, mode: SerialMode) -> Self {
        SerialReaderConfig {
            port: port.into(),
            mode,
            read_timeout: Duration::from_millis(250),
            detect_timeout: Duration::from_secs(25),
            backoff_min: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
        }
    }
}

/// What the reader reports.
#[derive(Debug, Clone, PartialEq)]
pub enum P1Event {
    /// The port is open with these settings.
    Connected {
        /// Device path.
        port: String,
        /// Line settings in use.
        settings: SerialSettings,
    },
    /// Auto-detection switched settings because no valid telegram arrived.
    SettingsChanged {
        /// The settings now in use.
        settings: SerialSettings,
    },
    /// A telegram with a matching (or no) CRC.
    Telegram {
        /// The telegram as the meter sent it.
        telegram: Telegram,
        /// When its last byte was read, Unix milliseconds.
        received_at_unix_ms: u64,
    },
    /// A frame whose CRC did not match; dropped.
    BadCrc {
        /// CRC the frame carried.
        expected: u16,
        /// CRC of its content.
        computed: u16,
    },
    /// Bytes skipped (see [`DiscardReason`]).
    Discarded {
        /// How many.
        bytes: usize,
        /// Why.
        reason: DiscardReason,
    },
    /// The port could not be opened or was lost; the reader retries.
    Disconnected {
        /// What went wrong, for the log.
        error: String,
        /// How long the reader waits before the next attempt.
        retry_in: Duration,
    },
}

/// Reads the P1 port until `stop` is set, reporting every event to
/// `on_event`. Never returns early on errors: it reconnects with backoff.
pub fn run_serial_reader(
    config: &SerialReaderConfig,
    stop: &AtomicBool,
    mut on_event: impl FnMut(P1Event),
) {
    read_loop(config, &|| stop.load(Ordering::Relaxed), &mut on_event);
}

fn read_loop(
    config: &SerialReaderConfig,
    should_stop: &dyn Fn() -> bool,
    on_event: &mut dyn FnMut(P1Event),
) {
    let candidates = config.mode.candidates();
    let mut choice = 0;
    let mut backoff = config.backoff_min;
    while !should_stop() {
        let settings = candidates[choice % candidates.len()];
        let failure = match settings.open(&config.port, config.read_timeout) {
            Ok(port) => {
                on_event(P1Event::Connected {
                    port: config.port.clone(),
                    settings,
                });
                let mut session = Session {
                    config,
                    port,
                    choice: &mut choice,
                    backoff: &mut backoff,
                };
                match session.read_until_lost(should_stop, on_event) {
                    Some(error) => error,
                    None => return,
                }
            }
            Err(e) => format!("cannot open {}: {e}", config.port),
        };
        on_event(P1Event::Disconnected {
            error: failure,
            retry_in: backoff,
        });
        sleep_unless_stopped(backoff, should_stop);
        backoff = (backoff * 2).min(config.backoff_max);
    }
}

/// Runs [`run_serial_reader`] on a thread and sends its events over a
/// channel. The thread ends when `stop` is set or the receiver is dropped.
pub fn spawn_serial_reader(
    config: SerialReaderConfig,
    stop: Arc<AtomicBool>,
) -> io::Result<(JoinHandle<()>, mpsc::Receiver<P1Event>)> {
    let (sender, receiver) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name("p1-reader".into())
        .spawn(move || {
            let receiver_gone = Cell::new(false);
            read_loop(
                &config,
                &|| stop.load(Ordering::Relaxed) || receiver_gone.get(),
                &mut |event| {
                    if sender.send(event).is_err() {
                        receiver_gone.set(true);
                    }
                },
            );
        })?;
    Ok((handle, receiver))
}

/// One open port: reads until it is lost (`Some(error)`) or stopped (`None`).
struct Session<'a> {
    config: &'a SerialReaderConfig,
    port: Box<dyn SerialPort>,
    choice: &'a mut usize,
    backoff: &'a mut Duration,
}

impl Session<'_> {
    fn read_until_lost(
        &mut self,
        should_stop: &dyn Fn() -> bool,
        on_event: &mut dyn FnMut(P1Event),
    ) -> Option<String> {
        let candidates = self.config.mode.candidates();
        let mut framer = TelegramFramer::new();
        let mut buffer = [0u8; 1024];
        let mut last_valid = Instant::now();
        while !should_stop() {
            match self.port.read(&mut buffer) {
                Ok(0) => return Some(format!("{} ended (end of file)", self.config.port)),
                Ok(n) => {
                    for event in framer.push(&buffer[..n]) {
                        if let FramerEvent::Telegram(_) = event {
                            last_valid = Instant::now();
                            *self.backoff = self.config.backoff_min;
                        }
                        on_event(p1_event(event));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Some(format!("reading {} failed: {e}", self.config.port)),
            }
            if candidates.len() > 1 && last_valid.elapsed() >= self.config.detect_timeout {
                *self.choice = (*self.choice + 1) % candidates.len();
                let settings = candidates[*self.choice];
                if let Err(e) = settings.apply(self.port.as_mut()) {
                    return Some(format!("switching {} to {settings}: {e}", self.config.port));
                }
                framer = TelegramFramer::new();
                last_valid = Instant::now();
                on_event(P1Event::SettingsChanged { settings });
            }
        }
        None
    }
}

fn p1_event(event: FramerEvent) -> P1Event {
    match event {
        FramerEvent::Telegram(telegram) => P1Event::Telegram {
            telegram,
            received_at_unix_ms: unix_ms_now(),
        },
        FramerEvent::BadCrc { expected, computed } => P1Event::BadCrc { expected, computed },
        FramerEvent::Discarded { bytes, reason } => P1Event::Discarded { bytes, reason },
    }
}

fn unix_ms_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn sleep_unless_stopped(duration: Duration, should_stop: &dyn Fn() -> bool) {
    let until = Instant::now() + duration;
    while !should_stop() {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(Duration::from_millis(50)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_meters_get_9600_7e1_and_newer_ones_115200_8n1() {
        assert_eq!(
            SerialSettings::for_version(DsmrVersion::V2OrV3),
            SerialSettings::DSMR_2_2
        );
        for version in [DsmrVersion::V4, DsmrVersion::V5, DsmrVersion::V4OrLater] {
            assert_eq!(
                SerialSettings::for_version(version),
                SerialSettings::DSMR_4_5
            );
        }
        assert_eq!(SerialSettings::DSMR_2_2.to_string(), "9600 baud 7E1");
    }

    #[test]
    fn serial_mode_names_parse_and_unknown_ones_are_refused() {
        assert_eq!("auto".parse::<SerialMode>().ok(), Some(SerialMode::Auto));
        assert_eq!("2.2".parse::<SerialMode>().ok(), Some(SerialMode::Dsmr22));
        assert_eq!("5".parse::<SerialMode>().ok(), Some(SerialMode::Dsmr5));
        assert!("6".parse::<SerialMode>().is_err());
    }
}
