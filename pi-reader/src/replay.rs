//! Replaying recorded telegrams, to test the device with real meters' data
//! without the meters.
//!
//! [`load_recordings`] reads files holding one or more telegrams each (as
//! captured from a P1 port, like those in `testdata/telegrams`) and checks
//! them; [`run_replay`] writes them to a serial device or file at a fixed
//! interval, once or in a loop, byte for byte as the meters sent them.

use crate::p1::sink::wait_until_due;
use p1_telegram::{FramerEvent, Telegram, TelegramFramer};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use thiserror::Error;

/// One telegram and the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedTelegram {
    /// The file it was read from.
    pub source: PathBuf,
    /// The telegram.
    pub telegram: Telegram,
}

/// How to replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayOptions {
    /// Time between telegrams (a DSMR 5 meter: 1 s; DSMR 2.2 to 4: 10 s).
    /// Zero writes as fast as possible.
    pub interval: Duration,
    /// Start again from the first telegram after the last one, until stopped.
    pub repeat: bool,
}

impl Default for ReplayOptions {
    fn default() -> Self {
        ReplayOptions {
            interval: Duration::from_secs(1),
            repeat: false,
        }
    }
}

/// A replay that could not be loaded or written.
#[derive(Debug, Error)]
pub enum ReplayError {
    /// No file was given.
    #[error("no telegram files given")]
    NoFiles,
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// A file holds no complete telegram.
    #[error("{path} holds no complete telegram (from '/' to '!' and the CRC line)")]
    NoTelegram {
        /// The file.
        path: PathBuf,
    },
    /// A file holds a telegram whose CRC does not match.
    #[error("{path}: a telegram's CRC is {expected:04X} but its content gives {computed:04X}")]
    BadCrc {
        /// The file.
        path: PathBuf,
        /// The CRC the telegram carries.
        expected: u16,
        /// The CRC of its content.
        computed: u16,
    },
    /// Writing a telegram to the output failed.
    #[error("writing telegram {index} (from {source_file}) failed: {source}")]
    Write {
        /// Zero-based number of the telegram in this run.
        index: u64,
        /// The file it came from.
        source_file: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// Reads every telegram of every file, in order. Bytes between telegrams
/// are ignored; a bad CRC or a file without any telegram is an error, so a
/// replay never feeds the device something the recording did not hold.
pub fn load_recordings(paths: &[PathBuf]) -> Result<Vec<RecordedTelegram>, ReplayError> {
    if paths.is_empty() {
        return Err(ReplayError::NoFiles);
    }
    let mut recordings = Vec::new();
    for path in paths {
        recordings.extend(load_file(path)?);
    }
    Ok(recordings)
}

fn load_file(path: &Path) -> Result<Vec<RecordedTelegram>, ReplayError> {
    let bytes = std::fs::read(path).map_err(|source| ReplayError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut framer = TelegramFramer::new();
    let mut events = framer.push(&bytes);
    events.extend(framer.finish());
    let mut telegrams = Vec::new();
    for event in events {
        match event {
            FramerEvent::Telegram(telegram) => telegrams.push(RecordedTelegram {
                source: path.to_owned(),
                telegram,
            }),
            FramerEvent::BadCrc { expected, computed } => {
                return Err(ReplayError::BadCrc {
                    path: path.to_owned(),
                    expected,
                    computed,
                })
            }
            FramerEvent::Discarded { .. } => {}
        }
    }
    if telegrams.is_empty() {
        return Err(ReplayError::NoTelegram {
            path: path.to_owned(),
        });
    }
    Ok(telegrams)
}

/// Writes `recordings` to `output`, one per `opts.interval`, once or (with
/// `opts.repeat`) until `stop` is set. Calls `progress` with the number and
/// the telegram after each write. Returns how many telegrams were written.
pub fn run_replay(
    recordings: &[RecordedTelegram],
    opts: &ReplayOptions,
    output: &mut dyn Write,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(u64, &RecordedTelegram),
) -> Result<u64, ReplayError> {
    let began = Instant::now();
    let mut written: u64 = 0;
    if recordings.is_empty() {
        return Ok(0);
    }
    loop {
        for recording in recordings {
            let steps = u32::try_from(written).unwrap_or(u32::MAX);
            if !wait_until_due(began + opts.interval.saturating_mul(steps), stop) {
                return Ok(written);
            }
            output
                .write_all(&recording.telegram.to_wire_bytes())
                .and_then(|()| output.flush())
                .map_err(|source| ReplayError::Write {
                    index: written,
                    source_file: recording.source.clone(),
                    source,
                })?;
            progress(written, recording);
            written += 1;
        }
        if !opts.repeat {
            return Ok(written);
        }
    }
}
