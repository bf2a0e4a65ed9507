//! Reading DSMR smart-meter telegrams, as a meter's P1 port sends them:
//! bytes in, typed telegrams and readings out.
//!
//! The pipeline is [`framing`] (a byte stream in any chunking to
//! [`telegram`]s, CRC checked by [`crc`]) → [`readings`] (energy, power,
//! gas and per-phase values and the meter's [`timestamp`], via the [`obis`]
//! line reader), with [`version`] telling the DSMR generation. Every meter
//! family the project has seen is read: DSMR 2.2 to 5, Belgian e-MUCS,
//! EasyMeter, Luxembourgish, Irish and Hungarian meters.
//!
//! **What it is for:** turning outside input (a meter's bytes, or a stored
//! telegram's text) into values the rest of the system can trust. Nothing
//! here panics on such input: what is not a telegram is skipped and reported
//! ([`framing::FramerEvent`]), and a value that is missing or malformed is
//! `None`.
//!
//! **What it is not for:** I/O. There is no serial port, file, clock or
//! thread here (the Pi reader owns the port), so the crate builds for
//! `wasm32-unknown-unknown` and a browser app can read the telegrams it
//! decrypts from a channel with the same code the device framed them with.
//! It does not make telegrams either (the Pi reader's simulator does).
//!
//! # Tests
//!
//! `cargo test --release -p p1-telegram` checks every recorded telegram in
//! `testdata/telegrams` (values read off the files by hand), the framer
//! under any chunking, and fuzz-style properties
//! (`tests/fuzz_framer_and_readings.rs`): arbitrary bytes and mutated
//! recordings (bits flipped, truncated, bytes inserted, stretches repeated
//! or lost) never panic the framer or the readings, a single flipped bit is
//! always caught by the CRC, and a real telegram still frames after any
//! noise. They run 1000 cases each; for a longer fuzzing run:
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test --release -p p1-telegram --test fuzz_framer_and_readings
//! ```

#![warn(missing_docs)]

pub mod crc;
pub mod framing;
pub mod obis;
pub mod readings;
pub mod telegram;
pub mod timestamp;
pub mod version;

#[cfg(test)]
mod test_telegrams;

pub use framing::{FramerEvent, TelegramFramer};
pub use readings::Readings;
pub use telegram::{CrcCheck, Telegram, TelegramError};
pub use timestamp::MeterTimestamp;
pub use version::DsmrVersion;
