//! Where a simulated or replayed meter writes its telegrams: a serial device
//! (e.g. one end of a null-modem cable or a pseudo-terminal) or a file/FIFO.

use crate::p1::serial::SerialSettings;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use thiserror::Error;

/// How long a write to a serial device may block before it fails.
const SERIAL_WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// A destination for telegram bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A serial device, opened with these line settings.
    Serial {
        /// Device path, e.g. `/dev/ttyUSB1`.
        path: String,
        /// Line settings (the DSMR version's, see [`SerialSettings`]).
        settings: SerialSettings,
    },
    /// A plain file (appended to, created if missing) or a FIFO.
    File(PathBuf),
}

/// An [`Output`] that could not be opened.
#[derive(Debug, Error)]
pub enum SinkError {
    /// The serial device did not open.
    #[error("cannot open serial device {path} ({settings}): {source}")]
    Serial {
        /// Device path.
        path: String,
        /// Settings asked for.
        settings: SerialSettings,
        /// The cause.
        source: serialport::Error,
    },
    /// The file did not open.
    #[error("cannot open {path} for appending: {source}")]
    File {
        /// File path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Opens `output` for writing. Opening a FIFO blocks until a reader opens it.
pub fn open_output(output: &Output) -> Result<Box<dyn Write + Send>, SinkError> {
    match output {
        Output::Serial { path, settings } => settings
            .open(path, SERIAL_WRITE_TIMEOUT)
            .map(|port| Box::new(port) as Box<dyn Write + Send>)
            .map_err(|source| SinkError::Serial {
                path: path.clone(),
                settings: *settings,
                source,
            }),
        Output::File(path) => OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .map(|file| Box::new(file) as Box<dyn Write + Send>)
            .map_err(|source| SinkError::File {
                path: path.clone(),
                source,
            }),
    }
}

/// Sleeps until `due` (when the next telegram is to be written), waking
/// often enough to notice `stop`. Returns false if `stop` was set first.
pub fn wait_until_due(due: Instant, stop: &AtomicBool) -> bool {
    loop {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let left = due.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(Duration::from_millis(50)));
    }
}
